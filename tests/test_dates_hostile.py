"""Dates and numbers have bounds (issue 12, item 2).

Times run from the night of 1900-01-01 to now, with offsets real zones use (-12:00 to
+14:00); nights for --since and --until run from 1900-01-01 to tomorrow; a local time the
clocks skipped is refused, naming the jump. Every entry that can be stored is found by
history and counted by report. Numbers in imports are short and finite. Nothing here may
end in exit 70.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cramp_cli.diary import models
from cramp_cli.diary.models import Entry, ValueProblem, night_of
from cramp_cli.diary.report import MAX_DAYS, window
from cramp_cli.diary.store import Diary
from tests.conftest import REPO, run, usage_error

AT = "2025-03-05T02:10:00+01:00"
FIRST = date(1900, 1, 1)
_FUZZ = os.environ.get("CRAMP_FUZZ_EXAMPLES")
PROPERTIES = settings(
    max_examples=int(_FUZZ) if _FUZZ else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


@pytest.fixture
def zone() -> Iterator[Any]:
    """Set the computer's time zone for this test (TZ and tzset), and put it back after."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def log(db: Path, *args: str) -> dict[str, Any]:
    result = run("log", "--db", str(db), *args, "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def history_ids(db: Path, *args: str) -> list[str]:
    result = run("history", "--db", str(db), *args, "--limit", "100000", "--json")
    assert result.exit_code == 0, result.stderr
    return [item["id"] for item in json.loads(result.stdout)["items"]]


def report_cramps(db: Path, days: int) -> int:
    result = run("report", "--db", str(db), "--days", str(days), "--json")
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)["cramps"])


def import_file(tmp_path: Path, db: Path, name: str, text: str) -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("import", str(path), "--db", str(db))


def one_line(result: Any) -> str:
    """Exit 0 or 2, never an internal error; an error is one line on stderr."""
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        return usage_error(result)
    return ""


def tomorrow() -> date:
    return date.today() + timedelta(days=1)


# ---------------------------------------------------------------- date options


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "0001-01-01"], "--since must be a night from 1900-01-01 to "),
        (["--until", "9999-12-31"], "--until must be a night from 1900-01-01 to "),
        (["--since", "1899-12-31"], "--since must be a night from 1900-01-01 to "),
        (["--since", "0001-01-01", "--until", "9999-12-31"], "--since must be a night"),
    ],
)
def test_nights_outside_the_calendar_are_one_line_errors(
    db: Path, args: list[str], message: str
) -> None:
    log(db, "--muscle", "calf", "--at", AT)
    line = usage_error(run("history", "--db", str(db), *args))
    assert message in line
    assert str(tomorrow()) in line


def test_nights_up_to_tomorrow_are_taken_and_later_ones_are_not(db: Path) -> None:
    log(db, "--muscle", "calf", "--at", AT)
    assert history_ids(db, "--since", "1900-01-01", "--until", str(tomorrow())) != []
    line = usage_error(
        run("history", "--db", str(db), "--until", str(tomorrow() + timedelta(days=1)))
    )
    assert f"--until must be a night from 1900-01-01 to {tomorrow()}" in line


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("0001-01-01T00:00", "--at is before 1900-01-01 12:00"),
        ("0001-01-01T00:00+14:00", "--at is before 1900-01-01 12:00"),
        ("1900-01-01T11:59+14:00", "--at is before 1900-01-01 12:00"),  # night of 1899-12-31
        ("9999-12-31T23:59:59-12:00", "--at is in the future: '9999-12-31T23:59:59-12:00' (up"),
        ("9999-12-31T23:59:59", "in the future: '9999-12-31T23:59:59' (up to 5 minutes ahead"),
        ("2025-03-05T02:00+23:59", "--at has the UTC offset +23:59; real time zones use "),
        ("2025-03-05T02:00-12:01", "--at has the UTC offset -12:01"),
        ("2025-03-05T02:00+14:01", "--at has the UTC offset +14:01"),
    ],
)
def test_log_and_edit_refuse_times_outside_the_range(db: Path, at: str, message: str) -> None:
    entry_id = log(db, "--muscle", "calf", "--at", AT)["items"][0]["id"]
    assert message in usage_error(run("log", "--db", str(db), "-m", "calf", "--at", at))
    assert message in usage_error(run("log", "edit", entry_id, "--db", str(db), "--at", at))
    assert history_ids(db) == [entry_id]
    assert log(db, "--muscle", "calf", "--at", "1900-01-01T12:00+14:00")["items"][0]["night"] == (
        "1900-01-01"
    )


def test_offsets_at_the_ends_of_the_real_range_are_taken(db: Path) -> None:
    east = log(db, "-m", "calf", "--at", "2025-03-05T02:00+14:00")["items"][0]
    west = log(db, "-m", "calf", "--at", "2025-03-05T02:00-12:00")["items"][0]
    assert (east["at"], west["at"]) == ("2025-03-05T02:00:00+14:00", "2025-03-05T02:00:00-12:00")
    line = usage_error(run("log", "--db", str(db), "-m", "calf", "--at", "2025-03-05T02:00+14:30"))
    assert line == ("Error: --at has the UTC offset +14:30; real time zones use -12:00 to +14:00.")


def test_a_future_time_keeps_a_few_minutes_of_slack_for_a_fast_clock(db: Path) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=3)).replace(microsecond=0)
    log(db, "--muscle", "calf", "--at", soon.isoformat())
    later = datetime.now(UTC) + timedelta(minutes=10)
    line = usage_error(run("log", "--db", str(db), "-m", "calf", "--at", later.isoformat()))
    assert "--at is in the future" in line
    assert "up to 5 minutes ahead" in line


def test_the_report_window_may_not_reach_before_1900() -> None:
    assert window(date(1900, 1, 10), 10) == (date(1900, 1, 1), date(1900, 1, 10))
    with pytest.raises(ValueProblem, match=r"^days 11 reaches back before 1900-01-01"):
        window(date(1900, 1, 10), 11)
    with pytest.raises(ValueProblem, match="days must be from 1 to"):
        window(date(2025, 3, 5), MAX_DAYS + 1)


# ---------------------------------------------------------------- imports


def test_imported_times_have_the_same_bounds_as_log(tmp_path: Path, db: Path) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    rows = [
        {"at": "9999-12-31T23:00-12:00", "muscle": "calf"},
        {"at": future, "muscle": "calf"},
        {"at": "2025-03-05T02:00+23:59", "muscle": "calf"},
    ]
    for number, row in enumerate(rows, start=1):
        result = import_file(tmp_path, db, f"rows{number}.json", json.dumps([row]))
        line = usage_error(result)
        assert "row 1: at " in line
        assert "Nothing was imported" in line
    assert not db.exists() or history_ids(db) == []


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("10" + "0" * 398, "row 1: minutes must be from 0 to 1440"),  # as a JSON number
        ('"' + "0" * 5000 + '1"', "row 1: minutes must be a number of minutes"),
        ('"' + "9" * 60 + '"', "row 1: minutes must be a number of minutes"),
    ],
)
def test_huge_and_long_numbers_in_imports_are_one_line_problems(
    tmp_path: Path, db: Path, cell: str, message: str
) -> None:
    text = f'[{{"at": "{AT}", "muscle": "calf", "minutes": {cell}}}]'
    line = usage_error(import_file(tmp_path, db, "big.json", text))
    assert message in line
    assert len(line) < 400


def test_long_severity_in_a_csv_is_a_one_line_problem(tmp_path: Path, db: Path) -> None:
    text = f"at,muscle,severity\n{AT},calf,{'0' * 5000}7\n"
    line = usage_error(import_file(tmp_path, db, "long.csv", text))
    assert "row 1: severity must be a whole number from 1 to 10, not 5,001 characters" in line


@pytest.mark.parametrize(
    "number", [10**5000, -(10**5000), 10**400], ids=["5001-digits", "minus-5001", "401-digits"]
)
def test_field_parsers_take_numbers_of_any_size(number: int) -> None:
    for parse in (models.parse_minutes, models.parse_severity, models.parse_woke):
        with pytest.raises(ValueProblem) as caught:
            parse(number)
        assert len(str(caught.value)) < 120
    with pytest.raises(ValueProblem, match="must be from 0 to 1440"):
        models.parse_minutes(float("inf"))


# ---------------------------------------------------------------- daylight saving


def test_a_skipped_local_time_is_refused_naming_the_gap(
    db: Path, tmp_path: Path, zone: Any
) -> None:
    zone("Europe/London")
    entry_id = log(db, "--muscle", "calf", "--at", "2025-03-29T23:00")["items"][0]["id"]
    gap = (
        "2025-03-30 01:30 does not exist in local time: the clocks went from 01:00 to 02:00 "
        "that night"
    )
    line = usage_error(run("log", "--db", str(db), "-m", "calf", "--at", "2025-03-30T01:30"))
    assert line == f"Error: --at {gap}."
    line = usage_error(run("log", "edit", entry_id, "--db", str(db), "--at", "2025-03-30 01:30"))
    assert line == f"Error: --at {gap}."
    text = f"at,muscle\n{AT},calf\n2025-03-30T01:30,calf\n"
    assert f"row 2: at {gap}" in usage_error(import_file(tmp_path, db, "gap.csv", text))
    # The minutes on either side of the gap exist.
    assert log(db, "-m", "calf", "--at", "2025-03-30T00:59")["items"][0]["at"] == (
        "2025-03-30T00:59:00Z"
    )
    assert log(db, "-m", "calf", "--at", "2025-03-30T02:00")["items"][0]["at"] == (
        "2025-03-30T02:00:00+01:00"
    )
    # A time the clocks repeat (going back) is the first of the two, still in summer time.
    assert log(db, "-m", "calf", "--at", "2025-10-26T01:30")["items"][0]["at"] == (
        "2025-10-26T01:30:00+01:00"
    )


@pytest.mark.parametrize(
    ("name", "at", "jump"),
    [
        ("America/Santiago", "2024-09-08T00:30", "from 00:00 to 01:00"),
        ("Australia/Lord_Howe", "2024-10-06T02:15", "from 02:00 to 02:30"),
        ("America/New_York", "2025-03-09T02:59:30", "from 02:00 to 03:00"),
    ],
)
def test_gaps_of_other_sizes_and_hours(db: Path, zone: Any, name: str, at: str, jump: str) -> None:
    zone(name)
    line = usage_error(run("log", "--db", str(db), "-m", "calf", "--at", at))
    assert f"does not exist in local time: the clocks went {jump} that night" in line


def test_a_skipped_time_is_refused_in_a_real_process(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TZ": "Europe/London",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "log", "-m", "calf", "--at", "2025-03-30T01:30"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Error: --at 2025-03-30 01:30 does not exist in local time: the clocks went from "
        "01:00 to 02:00 that night."
    ]


# ---------------------------------------------------------------- every entry is found


def test_an_entry_with_an_offset_older_versions_took_is_still_found(db: Path) -> None:
    """cramp took any offset up to ±23:59 before; such entries stay in history and reports."""
    entries = []
    for n, hours in enumerate((23.99, -23.99, 20, -15)):
        offset = timezone(timedelta(minutes=round(hours * 60)))
        at = datetime(2025, 3, 5, 3, 0, tzinfo=offset)
        entries.append(Entry(id=f"{n:010x}", at=at, night=night_of(at), muscle="back-calf"))
    with Diary.open(db) as diary:  # type: ignore[union-attr]
        diary.add_many(entries)
    assert len(history_ids(db, "--since", "2025-03-04", "--until", "2025-03-04")) == 4
    with Diary.open(db, write=False) as diary:  # type: ignore[union-attr]
        assert diary.aggregates(date(2025, 3, 4), date(2025, 3, 4)).cramps == 4
        assert diary.aggregates(date(2025, 3, 5), date(2025, 3, 5)).cramps == 0
        assert diary.aggregates(date(2025, 3, 5), date(2025, 3, 6)).older_entries


OFFSETS = st.integers(min_value=-12 * 60, max_value=14 * 60)  # the real range
ANY_OFFSET = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1)  # what Python takes
EDGE_NIGHTS = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(1900, 1, 5)),
    st.dates(min_value=date.today() - timedelta(days=3), max_value=tomorrow()),
    st.dates(min_value=date(1900, 1, 1), max_value=tomorrow()),
)


def _moment(night: date, minute_of_night: int, offset: int) -> datetime:
    """The time `minute_of_night` minutes after 12:00 on `night`, at the UTC offset."""
    zone_ = timezone(timedelta(minutes=offset))
    start = datetime(night.year, night.month, night.day, 12, tzinfo=zone_)
    return start + timedelta(minutes=minute_of_night)


def _accepted(result: Any, at: datetime, offset: int) -> bool:
    """Whether log took the time; if not, it was outside the documented range."""
    line = one_line(result)
    if not line:
        return True
    real = -12 * 60 <= offset <= 14 * 60
    assert real or "real time zones use -12:00 to +14:00" in line, line
    if real:
        assert "is in the future" in line or "is before 1900-01-01 12:00" in line, line
        assert at > datetime.now(UTC) or night_of(at) < date(1900, 1, 1), line
    return False


@pytest.mark.parametrize("name", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_every_entry_that_can_be_logged_is_found_by_its_night(
    tmp_path: Path, zone: Any, name: str
) -> None:
    zone(name)
    db = tmp_path / "diary.sqlite3"

    @PROPERTIES
    @given(
        night=EDGE_NIGHTS,
        minute=st.integers(min_value=0, max_value=24 * 60 - 1),
        offset=OFFSETS | ANY_OFFSET,
    )
    def check(night: date, minute: int, offset: int) -> None:
        at = _moment(night, minute, offset)
        result = run("log", "--db", str(db), "-m", "calf", "--at", at.isoformat(), "--json")
        if not _accepted(result, at, offset):
            return
        entry = json.loads(result.stdout)["items"][0]
        assert entry["night"] == str(night)
        found = history_ids(db, "--since", str(night), "--until", str(night))
        assert entry["id"] in found
        assert entry["id"] in history_ids(db, "--since", str(night))
        assert entry["id"] in history_ids(db, "--until", str(night))

    check()


def test_every_entry_that_can_be_stored_is_counted_by_report_in_its_window(
    tmp_path: Path,
) -> None:
    db = tmp_path / "diary.sqlite3"
    today = date.today()
    nights = st.dates(min_value=today - timedelta(days=40), max_value=tomorrow())

    @PROPERTIES
    @given(
        night=nights,
        minute=st.integers(min_value=0, max_value=24 * 60 - 1),
        offset=OFFSETS | ANY_OFFSET,
        days=st.integers(min_value=1, max_value=45),
    )
    def check(night: date, minute: int, offset: int, days: int) -> None:
        at = _moment(night, minute, offset)
        before = report_cramps(db, days)
        result = run("log", "--db", str(db), "-m", "calf", "--at", at.isoformat())
        if not _accepted(result, at, offset):
            return
        first, last = window(night_of(datetime.now().astimezone()), days)
        expected = 1 if first <= night <= last else 0
        assert report_cramps(db, days) == before + expected

    check()


def test_entries_of_the_first_nights_are_counted_by_the_store(tmp_path: Path) -> None:
    """Near 1900-01-01, where `report` (a window ending tonight) cannot reach."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        db = Path(folder) / "diary.sqlite3"
        with Diary.open(db) as diary:  # type: ignore[union-attr]

            @PROPERTIES
            @given(
                night=st.dates(min_value=date(1900, 1, 1), max_value=date(1900, 1, 20)),
                minute=st.integers(min_value=0, max_value=24 * 60 - 1),
                offset=OFFSETS | ANY_OFFSET,
                span=st.integers(min_value=0, max_value=3),
            )
            def check(night: date, minute: int, offset: int, span: int) -> None:
                try:
                    at = models.parse_at(_moment(night, minute, offset).isoformat())
                except ValueProblem:
                    assume(False)
                entry = Entry(id=models.new_id(), at=at, night=night_of(at), muscle="back-calf")
                windows = [(night, night), (max(FIRST, night - timedelta(days=span)), night)]
                windows.append((night, night + timedelta(days=span)))
                counted = [diary.aggregates(first, last).cramps for first, last in windows]
                diary.add(entry)
                assert [diary.aggregates(first, last).cramps for first, last in windows] == [
                    n + 1 for n in counted
                ]
                assert diary.aggregates(night + timedelta(days=1), date(1900, 2, 1)).older_entries

            check()


# ---------------------------------------------------------------- fuzzed through the CLI

ANY_TIME = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))


def _with_offset(moment: datetime, offset: int | None) -> str:
    if offset is None:
        return moment.isoformat()
    return moment.replace(tzinfo=timezone(timedelta(minutes=offset))).isoformat()


def test_fuzzed_dates_and_times_are_exit_0_or_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    entry_id = log(db, "--muscle", "calf", "--at", AT)["items"][0]["id"]
    dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(str)

    @PROPERTIES
    @given(
        since=st.none() | dates,
        until=st.none() | dates,
        at=ANY_TIME,
        offset=st.none() | ANY_OFFSET,
        edit=st.booleans(),
    )
    def check(
        since: str | None, until: str | None, at: datetime, offset: int | None, edit: bool
    ) -> None:
        args = ["history", "--db", str(db)]
        args += ["--since", since] if since else []
        args += ["--until", until] if until else []
        line = one_line(run(*args))
        if line:
            assert "--since" in line or "--until" in line
        moment = _with_offset(at, offset)
        command = ["log", "edit", entry_id] if edit else ["log", "-m", "calf"]
        line = one_line(run(*command, "--db", str(db), "--at", moment))
        if line:
            assert line.startswith("Error: --at ")

    check()


def test_fuzzed_imported_times_and_numbers_are_exit_0_or_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    file = tmp_path / "rows.json"
    numbers = st.one_of(
        st.integers(min_value=-(10**600), max_value=10**600),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(alphabet="0123456789.e+-_ ", max_size=80),
    )

    times = st.builds(_with_offset, ANY_TIME, st.none() | ANY_OFFSET)

    @PROPERTIES
    @given(
        at=st.just(AT) | times,
        night=st.none() | st.just("2025-03-04") | st.dates(min_value=date(1, 1, 1)).map(str),
        minutes=st.none() | numbers,
        severity=st.none() | numbers,
    )
    def check(at: str, night: str | None, minutes: Any, severity: Any) -> None:
        row: dict[str, Any] = {"at": at, "muscle": "calf"}
        if night is not None:
            row["night"] = night
        row.update({k: v for k, v in (("minutes", minutes), ("severity", severity)) if v})
        # json.dumps writes inf and nan as Infinity and NaN, which Python reads back.
        file.write_text(json.dumps([row]), encoding="utf-8")
        line = one_line(run("import", str(file), "--db", str(db)))
        if line:
            assert "row 1: " in line
            assert len(line) < 600

    check()
