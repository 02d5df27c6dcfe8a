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
    partial: bool = False  # fewer than 7 nights: the last week, when the period ends mid-week


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


# ---------------------------------------------------------------- cramp report --for-doctor
# One field per section of the page a person takes to the doctor (issue 14, item 3).


class DoctorHeader(Part):
    first_night: date  # the period covered: the first entry's night (or the window's start)
    last_night: date  # the night of the day the report was made
    days: int  # nights in the period
    cramps: int
    nights_with_cramps: int
    printed: date  # the day the report was made


class Share(Part):
    """A count with its share of the cramps it is counted among (0 to 1)."""

    id: str
    name: str | None = None
    count: int
    share: float


class DoctorSummary(Part):
    weeks: float  # the period in weeks (days / 7, one decimal)
    nights_per_week: float
    cramps_per_week: float
    median_minutes: float | None
    longest_minutes: float | None
    timed_cramps: int  # cramps with a duration: the medians rest on these
    muscles: tuple[Share, ...]
    sides: tuple[Share, ...]
    woke: int  # cramps that woke the person
    woke_share: float | None  # of all cramps; None without cramps
    times: tuple[Share, ...]  # time of night, in bands of local time (times.id: "00-03", ...)


class Period(Part):
    """A stretch of nights of the diary, and its numbers."""

    first_night: date
    last_night: date
    days: int
    cramps: int
    nights: int  # nights with a cramp
    nights_per_week: float
    median_minutes: float | None


class ThenAndNow(Part):
    split: Literal["four-weeks", "halves"]  # the first and last 4 weeks, or two halves
    then: Period | None  # None when the diary is too short to compare (under 2 nights)
    now: Period | None
    caveat: str | None  # the numbers are small: a difference may be chance


class MedicineLine(Part):
    name: str  # as the person typed it
    since: date | None
    stopped: date | None
    note: str = ""
    class_id: str | None  # the knowledge base's medicine cause, if the name matched one
    class_title: str | None
    linked: bool  # the class is one the knowledge base links with cramps
    sources: tuple[str, ...]  # of the link (the cause's sources) and of the class list
    before: Period | None  # up to 4 weeks before the start, as far as the diary goes
    after: Period | None  # up to 4 weeks from the start (to the stop, or today)
    comparison: str | None  # "After starting X on 2 Mar, cramp nights went from 1 to 4 a week."
    caution: str  # always: it does not show that the medicine caused them; do not stop it...


class SymptomLine(Part):
    """A symptom logged with cramps, and what it may point to."""

    word: str
    label: str
    count: int  # cramps it was logged with
    nights: tuple[date, ...]
    sign: str | None  # the warning sign it stands for, if any
    lookalike: str | None  # the look-alike it suggests, if any
    lookalike_title: str | None
    points_to: str | None  # what the look-alike points to (from the knowledge base)
    sources: tuple[str, ...]


class SignMet(Part):
    """A warning sign the diary met, when, and what cramp advised then."""

    id: str
    title: str
    level: Level
    nights: tuple[date, ...]
    advised: tuple[str, ...]  # the advice given at the time (or, if none was kept, the sign's)
    logged: bool  # advised holds what cramp said at logging time, not the sign's advice now
    sources: tuple[str, ...]


class HelpLine(Part):
    """A relief the person used, with the durations of the cramps it was used for."""

    id: str
    title: str | None
    uses: int
    timed: int
    median_minutes: float | None
    longest_minutes: float | None
    words: tuple[str, ...]  # the person's own notes on those cramps (a few, shortened)


class Question(Part):
    text: str
    sources: tuple[str, ...]


class WeekNights(Part):
    """One week of the chart, counted from the first entry; the last may be partial."""

    start: date
    end: date
    nights: int
    cramps: int
    partial: bool  # fewer than 7 nights of it are inside the period


class DoctorReport(Result):
    command: Literal["report"] = "report"
    kind: Literal["for-doctor"] = "for-doctor"
    header: DoctorHeader
    summary: DoctorSummary
    then_and_now: ThenAndNow
    medicines: tuple[MedicineLine, ...]
    elsewhere: tuple[SymptomLine, ...]
    warning_signs: tuple[SignMet, ...]
    what_helped: tuple[HelpLine, ...]
    what_helped_note: str | None  # when a comparison rests on fewer than 5 cramps
    questions: tuple[Question, ...]
    weekly: tuple[WeekNights, ...]
    medicine_note: str  # never stop a prescribed medicine on your own
    sources: tuple[Source, ...]  # every source the report cites, for its list of sources
    entries: tuple[Entry, ...] = ()  # with --entries: every entry of the period, oldest first
