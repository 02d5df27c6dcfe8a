"""What the diary commands answer: one model feeds the JSON and the human views alike."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from cramp_cli.diary.models import Entry, Medicine
from cramp_cli.knowledge.models import Level, Measure, Source
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


class Occasion(Part):
    """A night that met a rule; for a rule on minutes, one cramp of that night."""

    night: date
    minutes: float | None = None


class PatternFinding(Part):
    """A rule of data/patterns.yml that the diary meets: the sign, the numbers why, and
    when. Each sign is met by one rule at most in the shipped rules, and listed once."""

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
    wording: str  # what the sign means, as `cramp check` says it
    # What to do. If the latest night or cramp that met it is older than 24 hours, the past
    # tense of the sign's level: an urgent or emergency sign still says to get help today.
    advice: str
    recent: bool  # the latest night or cramp that met it is from the last 24 hours
    count: int  # nights (or cramps, for a rule on minutes: at most 1,000) that met it
    seen: tuple[Occasion, ...]  # those nights or cramps, newest first


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
    latest_at: datetime | None  # the latest entry of the window (UTC)
    # The latest entry is from the last 24 hours, so the level of `check` is the level of
    # now; the human views show it only then.
    current: bool
    note: str


class ExportResult(Result):
    command: Literal["export"] = "export"
    count: int  # how many items: an import checks it, so a cut-off file is refused
    items: tuple[Entry, ...]
    medicines: tuple[Medicine, ...] = ()  # `cramp meds`, oldest start first


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
    medicines: int = 0  # medicines added from a JSON export (ids already there skipped)


class MedicineClass(Part):
    """A knowledge-base medicine class that a medicine's name belongs to: what the knowledge
    base says about it, and the sources (the class list's first)."""

    id: str
    title: str
    summary: str
    names_source: Source
    sources: tuple[Source, ...]


class MedsResult(Result):
    """`cramp meds add`, `meds stop` and `meds list`: the medicines as stored. `classes` holds
    each class the medicines belong to once; `safety` is the knowledge base's line about not
    stopping a prescribed medicine, given whenever a class matched."""

    command: Literal["meds"] = "meds"
    action: Literal["added", "stopped", "listed"]
    items: tuple[Medicine, ...]
    classes: tuple[MedicineClass, ...] = ()
    safety: str | None = None
