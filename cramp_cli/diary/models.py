"""Diary entries: the stored model, and the check of every value that goes into one.

The parsers take what a user typed (`cramp log --severity 7`) or what a file holds (a CSV
cell, a JSON value) and return a clean value, or raise ValueProblem naming the field. The
command line turns a problem into `--severity must be ...`, the importer into
`row 3: severity must be ...`: one set of rules for both ways in.

Times: an entry keeps the moment as an aware datetime in the offset it was logged with, so
the wall-clock time survives a round trip; the store keeps it as UTC plus that offset.
The "night" of an episode is the local date of the evening: anything before 12:00 belongs
to the night before (an episode at 02:00 on the 5th is in the night of the 4th).

Bounds: a time is from the first night (1900-01-01, 12:00) to now (FUTURE_SLACK ahead, for
a fast clock), with a UTC offset real zones use (-12:00 to +14:00). A local time that the
clocks skipped is refused; one they repeated is the first of the two. Nights for --since and
--until run from the first night to tomorrow: with a far-east offset, an entry logged now
can belong to tomorrow's night here. Numbers are short and finite before they are parsed.
"""

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.models import LEVELS, Level
from cramp_cli.shapes import (
    Describe,
    Items,
    Moment,
    Number,
    Shape,
    Text,
    check_constraints,
    problem,
)

if TYPE_CHECKING:
    from cramp_cli.knowledge.kb import KnowledgeBase

Side = Literal["left", "right", "both"]
SIDES: tuple[Side, ...] = ("left", "right", "both")
NIGHT_CUTOFF_HOUR = 12
MAX_MINUTES = 1440
MAX_NOTE_CHARS = 1000
MAX_TRIGGER_CHARS = 40
MAX_TRIGGERS = 20
FUTURE_SLACK = timedelta(minutes=5)  # a time this far ahead of the clock is still "now"
EARLIEST_YEAR = 1900
FIRST_NIGHT = date(EARLIEST_YEAR, 1, 1)
# The UTC offsets real time zones use (Baker Island -12:00, Kiritimati +14:00).
MIN_OFFSET = timedelta(hours=-12)
MAX_OFFSET = timedelta(hours=14)
MAX_NUMBER_CHARS = 32  # a number longer than this, as text, is not a number of minutes
MAX_SYMPTOMS = 20
MAX_ADVICE_LINES = 20
MAX_ADVICE_CHARS = 2000
MAX_MEDICINE_CHARS = 100

ID_PATTERN = r"^[0-9a-f]{8,32}$"
_ID = re.compile(ID_PATTERN)
# Letters and digits in runs joined by single dashes: "long-walk", "café-visit", "10k-run".
TRIGGER_PATTERN = r"^[^\W_]+(-[^\W_]+)*$"
_TRIGGER = re.compile(TRIGGER_PATTERN)
_TRIGGER_SEPARATORS = re.compile(r"[,;]")
_KEBAB = re.compile(r"[\s_\-]+")

EntryId = Annotated[str, Text(pattern=ID_PATTERN)]
Trigger = Annotated[str, Text(pattern=TRIGGER_PATTERN, max_length=MAX_TRIGGER_CHARS)]
KbId = Annotated[str, Text(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]


class ValueProblem(ValueError):
    """A bad value for one field. The message reads after the field's name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.message = message


def new_id() -> str:
    """A short random id a person can type: 10 hex digits (a trillion possibilities)."""
    import uuid

    return uuid.uuid4().hex[:10]


def night_of(at: datetime) -> date:
    """The local date of the evening an episode belongs to (12:00 cut-off)."""
    if at.hour < NIGHT_CUTOFF_HOUR:
        return at.date() - timedelta(days=1)
    return at.date()


_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # category Cc, not \n
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # exactly Unicode category Cc


def _no_control_characters(text: str) -> bool:
    return _CONTROL_BUT_NEWLINE.search(text) is None


class Entry(Shape):
    """One logged cramp. `at` carries the offset it was logged in; `night` derives from it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "json_schema_serialization_defaults_required": True
    }

    id: Annotated[EntryId, Describe("Short id, 10 hex digits for new entries.")]
    at: Annotated[datetime, Moment(), Describe("When it started: local time with its UTC offset.")]
    night: Annotated[
        date,
        Describe("The night it belongs to: before 12:00 counts as the night before."),
    ]
    muscle: Annotated[KbId, Describe("The muscle id from the knowledge base.")]
    side: Side | None = None
    minutes: Annotated[float | None, Number(ge=0, le=MAX_MINUTES, finite=True)] = None
    severity: Annotated[int | None, Number(ge=1, le=10, strict=True)] = None
    woke: bool = False
    triggers: Annotated[tuple[Trigger, ...], Items(max_length=MAX_TRIGGERS)] = ()
    relief: Annotated[KbId | None, Describe("The relief item id that was used.")] = None
    note: Annotated[str, Text(max_length=MAX_NOTE_CHARS)] = ""
    symptoms: Annotated[
        tuple[KbId, ...],
        Items(max_length=MAX_SYMPTOMS),
        Describe("What else was noticed: words of `cramp log --with` (data/symptoms.yaml)."),
    ] = ()
    logged_level: Annotated[
        Level | None,
        Describe("The level cramp gave when the entry was logged (warning signs met then)."),
    ] = None
    logged_advice: Annotated[
        tuple[Annotated[str, Text(max_length=MAX_ADVICE_CHARS)], ...],
        Items(max_length=MAX_ADVICE_LINES),
        Describe("The advice cramp gave when the entry was logged, line by line."),
    ] = ()

    def __post_init__(self) -> None:
        check_constraints(self)
        if self.at.microsecond or self.at.utcoffset() is None:
            raise problem("value_error", "at must be whole seconds with a UTC offset")
        if night_of(self.at) != self.night:
            raise problem(
                "value_error",
                "night {night} does not match at {at}",
                night=str(self.night),
                at=self.at.isoformat(),
            )
        if not _no_control_characters(self.note):
            raise problem("value_error", "note contains control characters")
        if len(set(self.triggers)) != len(self.triggers):
            raise problem("value_error", "triggers repeat a tag")
        if len(set(self.symptoms)) != len(self.symptoms):
            raise problem("value_error", "symptoms repeat a word")
        if any(not _no_control_characters(line) for line in self.logged_advice):
            raise problem("value_error", "logged_advice contains control characters")

    @property
    def local_time(self) -> str:
        """The wall-clock time it was logged in, to the minute: 2025-03-05 02:10."""
        return self.at.strftime("%Y-%m-%d %H:%M")


class Medicine(Shape):
    """A medicine the person says they take (`cramp meds add`). cramp records it and, when
    the name is in a knowledge-base class list, the class; it gives no advice of its own."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "json_schema_serialization_defaults_required": True
    }

    id: Annotated[EntryId, Describe("Short id, 10 hex digits.")]
    name: Annotated[
        str,
        Text(min_length=1, max_length=MAX_MEDICINE_CHARS),
        Describe("The name as the person typed it, trimmed."),
    ]
    class_id: Annotated[
        KbId | None,
        Describe("The knowledge base's medicine class (a cause id) the name belongs to."),
    ] = None
    since: Annotated[date | None, Describe("When they started taking it, if known.")] = None
    stopped: Annotated[date | None, Describe("When they stopped, if they have.")] = None
    note: Annotated[str, Text(max_length=MAX_NOTE_CHARS)] = ""

    def __post_init__(self) -> None:
        check_constraints(self)
        if _CONTROL.search(self.name) is not None or self.name != self.name.strip():
            raise problem("value_error", "name must be trimmed text without control characters")
        if not _no_control_characters(self.note):
            raise problem("value_error", "note contains control characters")
        if self.since is not None and self.stopped is not None and self.stopped < self.since:
            raise problem(
                "value_error",
                "stopped {stopped} is before since {since}",
                stopped=str(self.stopped),
                since=str(self.since),
            )

    @property
    def current(self) -> bool:
        return self.stopped is None


# ---------------------------------------------------------------- parsing what people type


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValueProblem(field, _("must be text, not {kind}").format(kind=type(value).__name__))
    if _CONTROL.search(value) is not None:
        raise ValueProblem(field, _("contains control characters"))
    return value.strip()


def _shown(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's 4,300-digit limit for text
        return _("a number too long to show")
    return text if len(text) <= 40 else text[:37] + "..."


def _must_be(accepted: str, value: object) -> str:
    """ "must be <what is accepted>, not <the value>", in the language of the run."""
    return _("must be {accepted}, not {given}").format(accepted=_(accepted), given=_shown(value))


def parse_id(value: object, field: str = "id") -> str:
    text = _text(value, field).lower()
    if not _ID.match(text):
        raise ValueProblem(
            field,
            _("must be 8 to 32 hex digits (0-9, a-f), not {given}").format(given=_shown(value)),
        )
    return text


def _offset_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _too_early(field: str, value: object) -> ValueProblem:
    return ValueProblem(
        field,
        _("is before {first} 12:00, the start of the earliest night a diary holds: {given}").format(
            first=FIRST_NIGHT, given=_shown(value)
        ),
    )


def _in_future(field: str, value: object) -> ValueProblem:
    slack = FUTURE_SLACK // timedelta(minutes=1)
    return ValueProblem(
        field,
        _(
            "is in the future: {given} (up to {slack} minutes ahead of this computer's clock "
            "is taken as now)"
        ).format(given=_shown(value), slack=slack),
    )


def _clock_change(naive: datetime, first: datetime, second: datetime) -> str:
    """What the clocks did around a local time they skipped: the jump, found by halving the
    interval between the two readings of that wall time (before and after the change)."""
    low, high = sorted((int(first.timestamp()), int(second.timestamp())))

    def offset(stamp: int) -> timedelta | None:
        return datetime.fromtimestamp(stamp, UTC).astimezone().utcoffset()

    before, after = offset(low), offset(high)
    shown = naive.strftime("%Y-%m-%d %H:%M:%S" if naive.second else "%Y-%m-%d %H:%M")
    if before is None or after is None or before == after:
        return f"{shown} does not exist in local time: the clocks were changed then"
    while high - low > 1:
        middle = (low + high) // 2
        if offset(middle) == before:
            low = middle
        else:
            high = middle
    change = datetime.fromtimestamp(high, UTC).replace(tzinfo=None)
    return (
        f"{shown} does not exist in local time: the clocks went from "
        f"{change + before:%H:%M} to {change + after:%H:%M} that night"
    )


def _local(naive: datetime, field: str, value: object, latest: datetime) -> datetime:
    """A wall-clock time in the computer's zone, as an aware time. A time the clocks skipped
    (inside a daylight-saving gap) is refused; a repeated one is the first of the two."""
    if naive.date() < FIRST_NIGHT:
        raise _too_early(field, value)
    if naive.date() > latest.date() + timedelta(days=2):  # surely future: spare the conversion
        raise _in_future(field, value)
    try:
        first = naive.replace(fold=0).astimezone()
        second = naive.replace(fold=1).astimezone()
    except (OverflowError, OSError, ValueError):
        raise ValueProblem(
            field, _("is out of range: {given}").format(given=_shown(value))
        ) from None
    if first.replace(tzinfo=None) != naive or second.replace(tzinfo=None) != naive:
        raise ValueProblem(field, _clock_change(naive, first, second))
    return first


def clock() -> datetime:
    """The time now, in UTC: the tests put a fixed clock in its place."""
    return datetime.now(UTC)


def parse_at(
    value: object, field: str = "at", *, now: datetime | None = None, typed: str | None = None
) -> datetime:
    """'now', an ISO date-time ('2025-03-05T02:10', '2025-03-05 02:10', with or without an
    offset) or a datetime. Naive times are local time. Seconds are kept, fractions dropped.

    The time must lie from 1900-01-01 12:00 (its night is the first) to now, and its offset
    from -12:00 to +14:00. `typed`: the text a datetime was read from, for the messages."""
    shown: object = value if typed is None else typed
    if now is None or now.microsecond or now.tzinfo is None:
        now = (now or clock()).astimezone().replace(microsecond=0)
    current = now  # an import passes it ready, once for a million rows
    latest = current + FUTURE_SLACK
    if isinstance(value, datetime):
        moment = value
    else:
        text = _text(value, field)
        if text.lower() == "now":
            return current
        if len(text) <= 10:
            raise ValueProblem(
                field,
                _("needs a date and a time, like 2025-03-05T02:10, not {given}").format(
                    given=_shown(value)
                ),
            )
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueProblem(
                field,
                _(
                    "must be 'now' or a date and time like 2025-03-05T02:10 or "
                    "'2025-03-05 02:10', not {given}"
                ).format(given=_shown(value)),
            ) from None
    offset = moment.utcoffset()
    if offset is None:
        moment = _local(moment.replace(tzinfo=None), field, shown, latest)
        offset = moment.utcoffset()
        assert offset is not None
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise ValueProblem(
            field,
            _("has the UTC offset {offset}; real time zones use {low} to {high}").format(
                offset=_offset_text(offset),
                low=_offset_text(MIN_OFFSET),
                high=_offset_text(MAX_OFFSET),
            ),
        )
    if offset % timedelta(minutes=1):
        raise ValueProblem(field, _("has a UTC offset that is not a whole number of minutes"))
    if moment.date() < FIRST_NIGHT:
        raise _too_early(field, shown)
    if moment > latest:
        raise _in_future(field, shown)
    if night_of(moment) < FIRST_NIGHT:
        raise _too_early(field, shown)
    return moment.replace(microsecond=0) if moment.microsecond else moment


_TIME_ONLY = re.compile(r"^\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?m\.?)?$", re.IGNORECASE)
_ISO_START = re.compile(r"^[+-]?\d{4}-")
_NUMERIC_DATE = re.compile(r"\d[/.]\d")  # 03/05/2025: day or month first? Never guessed.
AT_ACCEPTED = N_(
    "'now', a date and time like 2025-03-05T02:10 or '2025-03-05 02:10', a time (02:10 or "
    "3am: the most recent one), 'yesterday 03:00', or a time ago (-5h, 90 minutes ago)"
)


def parse_when(value: str, field: str = "at", *, now: datetime | None = None) -> datetime:
    """What `--at` accepts: all that parse_at does, and words read by dateparser (imported
    only for them): '02:10' or '3am' is the most recent such time, today if it has passed,
    else yesterday; 'yesterday 03:00'; '-5h' and '90 minutes ago' count back from now in real
    time, so a change of the clocks in between does not shift them. The result has
    parse_at's bounds (no future, no time the clocks skipped)."""
    text = _text(value, field)
    if text.lower() == "now" or _ISO_START.match(text) or not text:
        return parse_at(value, field, now=now)
    if _NUMERIC_DATE.search(text) or len(text) > 60:
        raise ValueProblem(field, _must_be(AT_ACCEPTED, value))
    current = (now or clock()).astimezone().replace(microsecond=0)
    local_base = current.replace(tzinfo=None)
    utc_base = current.astimezone(UTC).replace(tzinfo=None)
    local, period = _natural(text, local_base)
    if local is None:
        raise ValueProblem(field, _must_be(AT_ACCEPTED, value))
    if period != "time":
        raise ValueProblem(
            field,
            _("needs a date and a time, like 'yesterday 03:00', not {given}").format(
                given=_shown(value)
            ),
        )
    if local.tzinfo is not None:  # the text named a zone or an offset
        return parse_at(local, field, now=current, typed=text)
    universal, _period = _natural(text, utc_base)
    if universal is not None and universal - utc_base == local - local_base:
        # It moved with the clock it was read against: a time ago, counted in real time.
        moment = universal.replace(tzinfo=UTC).astimezone()
        return parse_at(moment, field, now=current, typed=text)
    if _TIME_ONLY.match(text) and local > local_base + FUTURE_SLACK:
        local -= timedelta(days=1)  # the most recent 02:10 is yesterday's
    return parse_at(local.replace(microsecond=0), field, now=current, typed=text)


def _natural(text: str, base: datetime) -> tuple[datetime | None, str | None]:
    """dateparser's reading of the text against a wall-clock `base`, preferring the past."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": base,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    try:
        found = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None, None
    return found.date_obj, found.period


def parse_date(value: object, field: str) -> date:
    text = _text(value, field)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(
            field, _("must be a date like 2025-03-05, not {given}").format(given=_shown(value))
        ) from None


def latest_night(now: datetime | None = None) -> date:
    """The last night an entry can belong to: tomorrow here, or later if the clock's zone is
    unusual. An entry logged now at +14:00 can belong to tomorrow's night at -12:00."""
    current = (now or datetime.now(UTC)).astimezone()
    farthest_east = (current + FUTURE_SLACK).astimezone(timezone(MAX_OFFSET))
    return max(current.date() + timedelta(days=1), night_of(farthest_east))


def parse_night(value: object, field: str, *, now: datetime | None = None) -> date:
    """A night for --since or --until: a date from 1900-01-01 to tomorrow (latest_night)."""
    night = parse_date(value, field)
    last = latest_night(now)
    if not FIRST_NIGHT <= night <= last:
        raise ValueProblem(
            field,
            _("must be a night from {first} to {last}, not {given}").format(
                first=FIRST_NIGHT, last=last, given=_shown(value)
            ),
        )
    return night


def parse_side(value: object, field: str = "side") -> Side | None:
    if value is None:
        return None
    text = _text(value, field).lower()
    if not text:
        return None
    for side in SIDES:
        if text == side:
            return side
    raise ValueProblem(
        field, _("must be left, right or both, not {given}").format(given=_shown(value))
    )


def parse_minutes(value: object, field: str = "minutes") -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(field, _("must be a number of minutes, not true or false"))
    if isinstance(value, int):  # checked as a whole number: a huge one has no float
        if not 0 <= value <= MAX_MINUTES:
            raise ValueProblem(
                field,
                _("must be from 0 to {most}, not {given}").format(
                    most=MAX_MINUTES, given=_shown(value)
                ),
            )
        number = float(value)
    elif isinstance(value, float):
        number = value
    else:
        text = _text(value, field)
        if not text:
            return None
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueProblem(
                field,
                _(
                    "must be a number of minutes, like 3 or 0.5, not {count} characters of text "
                    "(at most {most})"
                ).format(count=f"{len(text):,}", most=MAX_NUMBER_CHARS),
            )
        try:
            number = float(text)
        except ValueError:
            raise ValueProblem(
                field,
                _("must be a number of minutes, like 3 or 0.5, not {given}").format(
                    given=_shown(value)
                ),
            ) from None
    if not math.isfinite(number) or not 0 <= number <= MAX_MINUTES:
        raise ValueProblem(
            field,
            _("must be from 0 to {most}, not {given}").format(
                most=MAX_MINUTES, given=_shown(value)
            ),
        )
    return number


_DURATION_UNITS = {
    "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
    "m": 1.0, "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
}  # fmt: skip
_DURATION_PART = re.compile(r"(\d{1,5}(?:\.\d{1,3})?)([a-z]+)")
DURATIONS_ACCEPTED = N_("a number of minutes (3 or 0.5), or 3m, 3min, 90s, 1m30s or 1h")


def is_duration(text: str) -> bool:
    """Whether a word reads as a duration (parse_duration may still find it too long)."""
    try:
        parse_duration(text)
    except ValueProblem as err:
        return err.message.startswith("must be from")
    return True


def parse_duration(value: object, field: str = "minutes") -> float | None:
    """Minutes from what a person types: a plain number is minutes (3, 0.5), or numbers with
    units run together: 3m, 3min, 90s, 1m30s, 1h. Seconds give minutes to 2 decimals."""
    if value is None:
        return None
    text = _text(value, field).lower()
    if not text or len(text) > MAX_NUMBER_CHARS:
        return parse_minutes(text, field)
    try:
        float(text)  # a plain number, or nan and inf, which parse_minutes refuses as such
    except ValueError:
        pass
    else:
        return parse_minutes(text, field)
    parts = _DURATION_PART.findall(text)
    units = [unit for _, unit in parts]
    if (
        "".join(number + unit for number, unit in parts) != text
        or any(unit not in _DURATION_UNITS for unit in units)
        or len({_DURATION_UNITS[unit] for unit in units}) != len(units)
    ):
        raise ValueProblem(field, _must_be(DURATIONS_ACCEPTED, value))
    minutes = sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)
    if minutes > MAX_MINUTES:
        raise ValueProblem(
            field,
            _("must be from 0 to {most} minutes, not {given}").format(
                most=MAX_MINUTES, given=_shown(value)
            ),
        )
    return parse_minutes(round(minutes, 2), field)


def parse_severity(value: object, field: str = "severity") -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(field, _("must be a whole number from 1 to 10, not true or false"))
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = _text(value, field)
        if not text:
            return None
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueProblem(
                field,
                _("must be a whole number from 1 to 10, not {count} characters of text").format(
                    count=f"{len(text):,}"
                ),
            )
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
    if number is None or not 1 <= number <= 10:
        raise ValueProblem(
            field,
            _("must be a whole number from 1 to 10, not {given}").format(given=_shown(value)),
        )
    return number


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


def parse_woke(value: object, field: str = "woke") -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueProblem(field, _("must be true or false, not {given}").format(given=_shown(value)))


def normalise_trigger(value: str, field: str = "trigger") -> str:
    """Kebab-case: 'Long Walk' -> 'long-walk'; letters, digits and dashes only."""
    text = _text(value, field)
    tag = _KEBAB.sub("-", text.lower()).strip("-")
    if not tag:
        raise ValueProblem(field, _("is empty"))
    if len(tag) > MAX_TRIGGER_CHARS:
        raise ValueProblem(
            field,
            _("is longer than {most} characters: {given}").format(
                most=MAX_TRIGGER_CHARS, given=_shown(value)
            ),
        )
    if not _TRIGGER.match(tag):
        raise ValueProblem(
            field,
            _("may hold only letters, digits, spaces and dashes, not {given}").format(
                given=_shown(value)
            ),
        )
    return tag


def parse_triggers(values: object, field: str = "triggers") -> tuple[str, ...]:
    """Tags from a list (each may be 'a,b' or 'a;b'), or one string of them."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        raise ValueProblem(
            field, _("must be a list of tags, not {given}").format(given=type(values).__name__)
        )
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ValueProblem(
                field, _("must be a list of tags, not {given}").format(given=_shown(value))
            )
        for part in _TRIGGER_SEPARATORS.split(value):
            if not part.strip():
                continue
            tag = normalise_trigger(part, field)
            if tag not in tags:
                tags.append(tag)
    if len(tags) > MAX_TRIGGERS:
        raise ValueProblem(
            field,
            _("are at most {most} tags, not {count}").format(most=MAX_TRIGGERS, count=len(tags)),
        )
    return tuple(tags)


def parse_note(value: object, field: str = "note") -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueProblem(field, _("must be text, not {kind}").format(kind=type(value).__name__))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not _no_control_characters(text):
        raise ValueProblem(field, _("may not contain control characters (only line breaks)"))
    if len(text) > MAX_NOTE_CHARS:
        raise ValueProblem(
            field,
            _("is longer than {most} characters ({count})").format(
                most=MAX_NOTE_CHARS, count=f"{len(text):,}"
            ),
        )
    return text


def parse_medicine_name(value: object, field: str = "NAME") -> str:
    """A medicine's name as typed, trimmed, runs of spaces as one; never empty."""
    text = " ".join(_text(value, field).split())
    if not text:
        raise ValueProblem(field, _("is empty: give the medicine's name, e.g. atorvastatin"))
    if len(text) > MAX_MEDICINE_CHARS:
        raise ValueProblem(
            field, _("is longer than {most} characters").format(most=MAX_MEDICINE_CHARS)
        )
    return text


MEDICINE_FIELDS = ("id", "name", "class_id", "since", "stopped", "note")


def build_medicine(raw: object, kb: "KnowledgeBase") -> Medicine:
    """A medicine from a JSON export, checked like `cramp meds add`; its class is the one
    this knowledge base gives the name (the file's `class_id` is not trusted)."""
    from cramp_cli import answers

    if not isinstance(raw, Mapping):
        raise ValueProblem(
            "medicine", _("must be an object, not {kind}").format(kind=type(raw).__name__)
        )
    unknown = sorted(set(raw) - set(MEDICINE_FIELDS))
    if unknown:
        raise ValueProblem(
            unknown[0],
            _("is not a medicine field ({fields})").format(fields=", ".join(MEDICINE_FIELDS)),
        )
    name = parse_medicine_name(raw.get("name"), "name")
    since = raw.get("since")
    stopped = raw.get("stopped")
    found = answers.medicine_class(kb, name)
    values: dict[str, Any] = {
        "id": parse_id(raw.get("id")),
        "name": name,
        "class_id": found.id if found is not None else None,
        "since": parse_date(since, "since") if since not in (None, "") else None,
        "stopped": parse_date(stopped, "stopped") if stopped not in (None, "") else None,
        "note": parse_note(raw.get("note")),
    }
    try:
        return Medicine(**values)
    except ValueError as err:  # stopped before since
        raise ValueProblem("stopped", str(err).splitlines()[0]) from None


def resolve_relief(
    kb: "KnowledgeBase", value: object, field: str = "relief", *, muscle: str | None = None
) -> str | None:
    """A relief item id from the knowledge base, or, with the entry's muscle, a plain word
    from the items' `words` ("stretch" is that muscle's stretch, "rub" the massage); a typo
    is an unknown-name error listing the words, or the nearest ids."""
    from cramp_cli.errors import UnknownNameError
    from cramp_cli.names import normalise_name

    if value is None:
        return None
    text = _text(value, field)
    if not text:
        return None
    key = normalise_name(text)
    known = [item.id for item in kb.relief]
    if key in known:
        return key
    if muscle is not None:
        mine = [item for item in kb.relief if item.muscle in (muscle, None)]
        for item in sorted(mine, key=lambda item: item.muscle is None):
            if key in {normalise_name(word) for word in item.words}:
                return item.id
        words = unique(item.words[0] for item in mine if item.words)  # one word per item
        keys = unique(normalise_name(word) for item in mine for word in item.words)
        close = difflib.get_close_matches(key, [*keys, *known], n=3, cutoff=0.5)
        raise UnknownNameError(
            _("unknown relief item {name}.").format(name=repr(text)),
            hint=_did_you_mean(close)
            + _("Words: {words}; or an id from 'cramp relieve'.").format(words=", ".join(words)),
        )
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
    raise UnknownNameError(
        _("unknown relief item {name}.").format(name=repr(text)),
        hint=_did_you_mean(close)
        + _("The ids are shown by 'cramp relieve' and 'cramp relieve --muscle NAME'."),
    )


def _did_you_mean(close: list[str]) -> str:
    """ "Did you mean 'a' or 'b'? " (with its space), or nothing."""
    if not close:
        return ""
    return _("Did you mean {names}? ").format(names=_(" or ").join(repr(name) for name in close))


SYMPTOM_SEPARATORS = re.compile(r"[,;]")


def resolve_symptoms(
    kb: "KnowledgeBase", values: object, field: str = "symptoms"
) -> tuple[str, ...]:
    """Words of `cramp log --with` (data/symptoms.yaml), from a list (each may be 'a,b' or
    'a;b') or one string; a word the knowledge base does not know is an unknown-name error
    naming the nearest words and listing them all."""
    from cramp_cli.errors import UnknownNameError
    from cramp_cli.names import normalise_name

    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        raise ValueProblem(
            field, _("must be a list of words, not {given}").format(given=type(values).__name__)
        )
    known = [symptom.word for symptom in kb.symptoms]
    words: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ValueProblem(
                field, _("must be a list of words, not {given}").format(given=_shown(value))
            )
        for part in SYMPTOM_SEPARATORS.split(_text(value, field)):
            if not part.strip():
                continue
            word = normalise_name(part)
            if word not in known:
                close = difflib.get_close_matches(word, known, n=3, cutoff=0.5)
                raise UnknownNameError(
                    _("unknown symptom word {name}.").format(name=repr(part.strip())),
                    hint=_did_you_mean(close)
                    + _("The words are: {words}.").format(words=", ".join(known)),
                )
            if word not in words:
                words.append(word)
    if len(words) > MAX_SYMPTOMS:
        raise ValueProblem(
            field,
            _("are at most {most} words, not {count}").format(most=MAX_SYMPTOMS, count=len(words)),
        )
    return tuple(words)


def parse_level(value: object, field: str = "logged_level") -> Level | None:
    if value is None:
        return None
    text = _text(value, field)
    if not text:
        return None
    if text not in LEVELS:
        raise ValueProblem(
            field,
            _("must be one of {names}, not {given}").format(
                names=", ".join(LEVELS), given=_shown(value)
            ),
        )
    return text


def parse_advice(value: object, field: str = "logged_advice") -> tuple[str, ...]:
    """Lines of advice: a list of strings (JSON) or one text with a line per line (CSV)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").split("\n")
    if not isinstance(value, list | tuple):
        raise ValueProblem(
            field, _("must be a list of lines, not {given}").format(given=type(value).__name__)
        )
    lines: list[str] = []
    for line in value:
        if not isinstance(line, str):
            raise ValueProblem(
                field, _("must be a list of lines, not {given}").format(given=_shown(line))
            )
        if _CONTROL.search(line) is not None:
            raise ValueProblem(field, _("may not contain control characters"))
        if len(line) > MAX_ADVICE_CHARS:
            raise ValueProblem(
                field, _("has a line longer than {most} characters").format(most=MAX_ADVICE_CHARS)
            )
        if line.strip():
            lines.append(line.strip())
    if len(lines) > MAX_ADVICE_LINES:
        raise ValueProblem(
            field,
            _("are at most {most} lines, not {count}").format(
                most=MAX_ADVICE_LINES, count=len(lines)
            ),
        )
    return tuple(lines)


def resolve_muscle(kb: "KnowledgeBase", value: object, field: str = "muscle") -> str:
    from cramp_cli import answers

    text = _text(value, field)
    if not text:
        raise ValueProblem(field, _("is empty"))
    return answers.resolve_muscle(kb, text).id


# ---------------------------------------------------------------- a whole entry

FIELDS = (
    "id",
    "at",
    "night",
    "muscle",
    "side",
    "minutes",
    "severity",
    "woke",
    "triggers",
    "relief",
    "note",
    "symptoms",
    "logged_level",
    "logged_advice",
)
REQUIRED = ("at", "muscle")
CONTENT_ID_DIGITS = 20


Memo = dict[str, dict[Any, Any]]  # field -> the text (or type and repr) -> parsed value
_MEMO_LIMIT = 10_000
_FIELD_SET = frozenset(FIELDS)


def build_entry(
    raw: Mapping[str, object],
    kb: "KnowledgeBase",
    *,
    now: datetime | None = None,
    memo: Memo | None = None,
) -> Entry:
    """An entry from loose values (a CSV row, a JSON object); a missing id is derived from
    the entry's content (content_id), so the same row always gets the same id.

    `at` has the bounds of `cramp log --at` (no future times). A given `night` must agree
    with `at`; without one it is worked out. `memo` (a dict the caller keeps for many rows,
    as an import does) remembers the parsed value of the few values that repeat from row to
    row (muscle, side, ...), so each is checked once.
    """
    if not raw.keys() <= _FIELD_SET:
        unknown = sorted(set(raw) - _FIELD_SET)
        raise ValueProblem(
            unknown[0],
            _("is not a diary field (fields: {fields})").format(fields=", ".join(FIELDS)),
        )
    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            raise ValueProblem(name, _("is missing"))
    raw_id = raw.get("id")
    entry_id = parse_id(raw_id) if raw_id not in (None, "") else None
    at = parse_at(raw["at"], "at", now=now)
    night = night_of(at)
    if raw.get("night") not in (None, ""):
        given = parse_date(raw["night"], "night")
        if given != night:
            raise ValueProblem(
                "night",
                _("{given} does not match at (the night of {night})").format(
                    given=given, night=night
                ),
            )
    values: dict[str, Any] = {}
    for name, parse in _PARSERS:
        value = raw.get(name)
        # The key: the text itself, else its type and repr (-0.0 == 0.0 and 1 == 1.0 == True,
        # but each must be kept as given); a list (JSON triggers) is not remembered.
        key: Any = value
        if type(value) is not str:
            key = (type(value), repr(value)) if isinstance(value, int | float | None) else None
        known = None if memo is None or key is None else memo.setdefault(name, {})
        if known is not None:
            parsed = known.get(key, _UNKNOWN)
            if parsed is not _UNKNOWN:
                values[name] = parsed
                continue
        parsed = parse(kb, value) if parse in _NEED_KB else parse(value)
        values[name] = parsed
        if known is not None and len(known) < _MEMO_LIMIT:
            known[key] = parsed
    note = parse_note(raw.get("note"))
    # Every value above went through the parser that holds Entry's rule for it (and `night`
    # follows from `at`), so Entry's own checks would only repeat them, at a third of an
    # import's time per row.
    return Entry.prechecked(
        id=entry_id or content_id(at, values, note),
        at=at,
        night=night,
        note=note,
        **values,
    )


_PARSERS: tuple[tuple[str, Any], ...] = (
    ("muscle", resolve_muscle),
    ("side", parse_side),
    ("minutes", parse_minutes),
    ("severity", parse_severity),
    ("woke", parse_woke),
    ("triggers", parse_triggers),
    ("relief", resolve_relief),
    ("symptoms", resolve_symptoms),
    ("logged_level", parse_level),
    ("logged_advice", parse_advice),
)
_NEED_KB = (resolve_muscle, resolve_relief, resolve_symptoms)
_UNKNOWN = object()


def content_id(at: datetime, values: Mapping[str, Any], note: str) -> str:
    """The id of an entry imported without one: the first 20 hex digits of a SHA-256 over
    its values. Two rows get the same id only if they agree in every field (80 bits: no
    chance collision among millions of rows), and importing the same file again finds them."""
    import hashlib

    triggers = ";".join(values["triggers"])
    minutes = values["minutes"]
    canonical = [
        at.isoformat(),
        values["muscle"],
        values["side"] or "",
        "" if minutes is None else repr(minutes),
        "" if values["severity"] is None else str(values["severity"]),
        "1" if values["woke"] else "0",
        triggers,
        values["relief"] or "",
        note,
    ]
    # Added with issue 14, and only when present: an entry without them keeps its old id.
    if values.get("symptoms") or values.get("logged_level") or values.get("logged_advice"):
        canonical += [
            ";".join(values.get("symptoms", ())),
            values.get("logged_level") or "",
            "\x1e".join(values.get("logged_advice", ())),
        ]
    text = "\x1f".join(canonical)  # a control character: no value can hold it
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:CONTENT_ID_DIGITS]


def format_minutes(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    return f"{minutes:g}"


# A cell that begins with one of these is a formula to a spreadsheet (OWASP, "CSV
# injection"); the escape character itself is on the list, so that unescaping is exact.
SPREADSHEET_ESCAPE = "'"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", SPREADSHEET_ESCAPE)


def spreadsheet_cell(text: str) -> str:
    """The cell with one ' in front if a spreadsheet would run it (or it begins with ')."""
    return SPREADSHEET_ESCAPE + text if text.startswith(_FORMULA_STARTS) else text


def plain_cell(text: str) -> str:
    """The inverse of spreadsheet_cell: exactly one leading ' removed."""
    return text[1:] if text.startswith(SPREADSHEET_ESCAPE) else text


def csv_row(entry: Entry) -> list[str]:
    """The entry as CSV cells, in FIELDS order; empty cells for values not recorded. Every
    cell is made safe for spreadsheets (spreadsheet_cell)."""
    cells = [
        entry.id,
        entry.at.isoformat(),
        entry.night.isoformat(),
        entry.muscle,
        entry.side or "",
        repr(entry.minutes) if entry.minutes is not None else "",
        str(entry.severity) if entry.severity is not None else "",
        "true" if entry.woke else "false",
        ";".join(entry.triggers),
        entry.relief or "",
        entry.note,
        ";".join(entry.symptoms),
        entry.logged_level or "",
        "\n".join(entry.logged_advice),
    ]
    return [spreadsheet_cell(cell) for cell in cells]


def changed(entry: Entry, updates: Mapping[str, object]) -> Entry:
    """The entry with new values (already parsed), re-validated; `night` follows `at`."""
    values = dict(updates)
    if "at" in values:
        values["night"] = night_of(values["at"])  # type: ignore[arg-type]
    return entry.model_copy(update=values)


def unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
