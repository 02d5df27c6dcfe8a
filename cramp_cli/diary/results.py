"""What the diary commands answer: one model feeds the JSON and the human views alike."""

from __future__ import annotations

from datetime import date
from typing import Literal

from cramp_cli.diary.models import Entry
from cramp_cli.knowledge.models import Level, Measure
from cramp_cli.results import CheckResult, Part, Result
from cramp_cli.shapes import hidden


class LogResult(Result):
    """`cramp log`, `cramp log edit` and `cramp log delete`: the entry as stored (or removed)."""

    command: Literal["log"] = "log"
    action: Literal["added", "edited", "deleted"]
    items: tuple[Entry, ...]
    # How the muscle name was read when it was not a muscle's own ("leg": the back of the calf).
    notes: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()


class HistoryFilters(Part):
    since: date | None = None
    until: date | None = None
    muscle: str | None = None
    limit: int


class HistoryResult(Result):
    command: Literal["history"] = "history"
    filters: HistoryFilters
    total: int  # entries matching the filters; items holds the newest `limit` of them
    items: tuple[Entry, ...]
    # For the screen only, never in the JSON: the names of the muscles and relief items the
    # entries use (id, name), the minutes past which a cramp is a warning sign, and --long.
    names: tuple[tuple[str, str], ...] = hidden(default=())
    warning_minutes: float | None = hidden(default=None)
    long: bool = hidden(default=False)


class Count(Part):
    id: str
    name: str | None = None
    count: int


class ReliefUse(Part):
    id: str
    title: str | None  # None if the knowledge base no longer has the item
    uses: int
    mean_minutes: float | None
    longest_minutes: float | None


class Week(Part):
    start: date
    end: date
    cramps: int
    nights: int
    woke_nights: int


class PatternFinding(Part):
    """A rule of data/patterns.yml that the diary meets: the sign, and the numbers why."""

    id: str  # the warning sign, as `cramp check --sign ID` takes it
    rule: str
    title: str
    level: Level
    measure: Measure
    value: float
    more_than: float | None
    at_least: float | None
    reason: str
    sources: tuple[str, ...]


class ReportResult(Result):
    command: Literal["report"] = "report"
    days: int
    first_night: date
    last_night: date
    covered_days: int  # nights counted for the weekly rates (from the diary's start if later)
    cramps: int
    nights_with_cramps: int
    nights_woken: int
    cramps_per_week: float
    nights_per_week: float
    woke_nights_per_week: float
    mean_minutes: float | None
    longest_minutes: float | None
    timed_cramps: int
    mean_severity: float | None
    rated_cramps: int
    muscle: Count | None
    side: Count | None
    muscles: tuple[Count, ...]
    sides: tuple[Count, ...]
    triggers: tuple[Count, ...]
    reliefs: tuple[ReliefUse, ...]
    weeks: tuple[Week, ...]
    items: tuple[PatternFinding, ...]
    # What `cramp check --sign` gives for the signs in items; None when no rule is met.
    check: CheckResult | None
    note: str


class ExportResult(Result):
    command: Literal["export"] = "export"
    count: int  # how many items: an import checks it, so a cut-off file is refused
    items: tuple[Entry, ...]


class ImportRow(Part):
    id: str
    status: Literal["imported", "skipped"]


class ImportResult(Result):
    command: Literal["import"] = "import"
    imported: int
    skipped: int  # ids already in the diary, and rows identical to an earlier row without id
    rows: int  # rows read from the file
    completeness_checked: bool  # the file carried cramp's count, and it agreed
    items: tuple[ImportRow, ...]  # the first 1,000 rows
