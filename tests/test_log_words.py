"""Fast, natural logging (issue 13, item 6): `cramp log calf left 3m`, `--at 02:10`,
`--at -5h`, `--relief stretch`, through the real entry point."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramp_cli.diary import models
from tests.conftest import run, run_json, usage_error

# 2026-03-29 is the night the clocks go forward in London (01:00 -> 02:00).
NOW = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)  # 01:30 in London, winter time


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


@pytest.fixture
def zone() -> Iterator[Any]:
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    set_zone("Europe/London")
    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, zone: Any) -> Iterator[Any]:
    """A fixed clock (NOW unless a test sets another), in London unless a test says."""
    now = [NOW]
    monkeypatch.setattr(models, "clock", lambda: now[0])

    def set_now(moment: datetime) -> None:
        now[0] = moment

    yield set_now


def entry(db: Path, *args: str) -> dict[str, Any]:
    document = run_json("log", *args, "--db", str(db))
    item: dict[str, Any] = document["items"][0]
    return item


# ---------------------------------------------------------------- words after `log`


def test_muscle_side_and_duration_as_words(db: Path) -> None:
    item = entry(db, "calf", "left", "3m")
    assert (item["muscle"], item["side"], item["minutes"]) == ("back-calf", "left", 3.0)


@pytest.mark.parametrize(
    ("word", "minutes"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("3m", 3.0),
        ("3min", 3.0),
        ("3mins", 3.0),
        ("3minutes", 3.0),
        ("90s", 1.5),
        ("90sec", 1.5),
        ("1m30s", 1.5),
        ("1h", 60.0),
        ("2.5M", 2.5),
    ],
)
def test_durations(db: Path, word: str, minutes: float) -> None:
    assert entry(db, "shin", word)["minutes"] == minutes
    assert entry(db, "shin", "--minutes", word)["minutes"] == minutes


@given(
    order=st.permutations(["left", "3m"]),
    options=st.sampled_from([[], ["--severity", "6"], ["--woke"]]),
    spot=st.sampled_from([0, 3, 4, 5]),  # before the words, or after the muscle's
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_side_and_duration_in_any_order_with_options_anywhere_give_the_same_entry(
    tmp_path: Path, order: list[str], options: list[str], spot: int
) -> None:
    words = ["back", "of", "calf", *order]
    args = [*words[:spot], *options, *words[spot:]]
    db = tmp_path / f"{'-'.join(args)}.sqlite3"
    item = entry(db, *args)
    assert (item["muscle"], item["side"], item["minutes"]) == ("back-calf", "left", 3.0)
    assert item["severity"] == (6 if "--severity" in options else None)
    assert item["woke"] == ("--woke" in options)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["calf", "lft", "3m"], ["'lft' is neither a side nor a duration", "left, right or both"]),
        (["calf", "left", "3x"], ["'3x' is neither", "3m, 3min, 90s, 1m30s"]),
        (["calf", "left", "right"], ["two sides given, 'left' and 'right'"]),
        (["calf", "3m", "4m"], ["two durations given"]),
        (["calf", "2000m"], ["--minutes must be from 0 to 1440"]),
        (["left", "calf"], ["the muscle comes first, before 'left'"]),
        (["calf", "left", "--side", "right"], ["two sides given, 'left' and --side 'right'"]),
        (["calf", "3m", "--minutes", "4"], ["two durations given, '3m' and --minutes '4'"]),
        (["calf", "--muscle", "shin"], ["two muscles given, 'calf' and --muscle 'shin'"]),
        (["elbow", "left"], ["unknown muscle 'elbow'"]),
    ],
)
def test_bad_words_are_usage_errors_naming_them(
    db: Path, args: list[str], fragments: list[str]
) -> None:
    line = usage_error(run("log", *args, "--db", str(db)))
    for fragment in fragments:
        assert fragment in line
    assert not db.exists()


def test_the_group_still_runs_edit_and_delete_and_lists_them(db: Path) -> None:
    entry(db, "calf", "left", "3m")
    edited = run_json("log", "--no-color", "edit", "last", "--minutes", "4", "--db", str(db))
    assert edited["items"][0]["minutes"] == 4.0  # an option before the subcommand, as ever
    edited_doc = run_json("log", "edit", "last", "--minutes", "90s", "--db", str(db))
    assert edited_doc["action"] == "edited"
    assert edited_doc["items"][0]["minutes"] == 1.5
    deleted = run_json("log", "delete", "last", "--yes", "--db", str(db))
    assert deleted["action"] == "deleted"
    helped = run("log", "--help")
    assert helped.exit_code == 0
    assert "edit " in helped.stdout and "delete " in helped.stdout
    assert "MUSCLE" in helped.stdout


# ---------------------------------------------------------------- --at


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("02:10", "2026-03-09T02:10:00+00:00"),  # 02:10 has not come yet today: yesterday's
        ("01:00", "2026-03-10T01:00:00+00:00"),  # it has: today's
        ("3am", "2026-03-09T03:00:00+00:00"),
        ("1am", "2026-03-10T01:00:00+00:00"),
        ("yesterday 03:00", "2026-03-09T03:00:00+00:00"),
        ("-5h", "2026-03-09T20:30:00+00:00"),
        ("90 minutes ago", "2026-03-10T00:00:00+00:00"),
        ("2025-03-05T02:10", "2025-03-05T02:10:00+00:00"),
        ("2025-03-05 02:10+01:00", "2025-03-05T02:10:00+01:00"),
        ("now", "2026-03-10T01:30:00+00:00"),
    ],
)
def test_at_reads_times_people_type(db: Path, clock: Any, typed: str, expected: str) -> None:
    stored = entry(db, "calf", "--at", typed)["at"]
    assert datetime.fromisoformat(stored) == datetime.fromisoformat(expected)


def test_at_follows_the_local_zone(db: Path, clock: Any, zone: Any) -> None:
    zone("America/New_York")  # NOW is 21:30 on the 9th there (summer time from the 8th)
    assert entry(db, "calf", "--at", "02:10")["at"] == "2026-03-09T02:10:00-04:00"
    assert entry(db, "calf", "--at", "22:00")["at"] == "2026-03-08T22:00:00-04:00"
    assert entry(db, "calf", "--at", "21:00")["at"] == "2026-03-09T21:00:00-04:00"


def test_a_time_ago_counts_real_time_across_a_clock_change(db: Path, clock: Any) -> None:
    clock(datetime(2026, 3, 29, 3, 0, tzinfo=UTC))  # 04:00 BST; the clocks jumped at 01:00 UTC
    stored = datetime.fromisoformat(entry(db, "calf", "--at", "-3h")["at"])
    assert stored == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)  # 00:00 GMT, before the change


def test_a_time_the_clocks_skipped_is_refused(db: Path, clock: Any) -> None:
    clock(datetime(2026, 3, 29, 3, 0, tzinfo=UTC))
    line = usage_error(run("log", "calf", "--at", "01:30", "--db", str(db)))
    assert "does not exist in local time" in line


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("yesterday", "--at needs a date and a time, like 'yesterday 03:00'"),
        ("25:00", "--at must be 'now', a date and time"),
        ("03/05/2025", "--at must be 'now', a date and time"),
        ("in 3 hours", "--at is in the future: 'in 3 hours'"),
        ("today 23:00", "--at is in the future: 'today 23:00'"),
        ("2999-01-01T02:00", "--at is in the future"),
        ("blah", "a time ago (-5h, 90 minutes ago)"),
    ],
)
def test_bad_at_is_a_usage_error(db: Path, clock: Any, typed: str, fragment: str) -> None:
    line = usage_error(run("log", "calf", "--at", typed, "--db", str(db)))
    assert fragment in line
    assert not db.exists()


_AT_WORDS = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda h, m, suffix: f"{h}:{m:02d}{suffix}",
        st.integers(0, 30),
        st.integers(0, 70),
        st.sampled_from(["", "am", "pm", " am"]),
    ),
    st.builds(
        lambda n, unit, how: how.format(n=n, unit=unit),
        st.integers(-100, 100_000),
        st.sampled_from(["h", "m", "min", "hours", "days", "weeks", "years"]),
        st.sampled_from(["-{n}{unit}", "{n} {unit} ago", "in {n} {unit}", "{n}{unit}"]),
    ),
    st.sampled_from(["yesterday 03:00", "tomorrow 02:00", "last night", "today", "noon"]),
)


@given(
    typed=_AT_WORDS,
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)),
    where=st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"]),
)
@settings(max_examples=150, deadline=None)
def test_at_never_gives_a_future_time_nor_crashes(typed: str, now: datetime, where: str) -> None:
    os.environ["TZ"] = where
    time.tzset()
    try:
        current = now.replace(tzinfo=UTC)
        try:
            moment = models.parse_when(typed, now=current)
        except models.ValueProblem:
            return
        assert moment <= current + models.FUTURE_SLACK
        assert moment.utcoffset() is not None
    finally:
        os.environ.pop("TZ", None)
        time.tzset()


# ---------------------------------------------------------------- --relief words


@pytest.mark.parametrize(
    ("muscle", "word", "relief"),
    [
        ("calf", "stretch", "relief-back-calf"),
        ("shin", "stretch", "relief-front-calf"),
        ("hamstring", "Stretched", "relief-back-thigh"),
        ("calf", "toe", "relief-big-toe-grab"),
        ("foot", "rub", "massage"),
        ("calf", "walk", "walk-or-shake"),
        ("calf", "shake", "walk-or-shake"),
        ("calf", "heat", "heat-while-cramping"),
        ("calf", "warm", "heat-while-cramping"),
        ("calf", "legs up", "legs-up"),
        ("calf", "nothing", "most-pass-alone"),
        ("calf", "relief-back-calf", "relief-back-calf"),  # ids still work
    ],
)
def test_relief_words(db: Path, muscle: str, word: str, relief: str) -> None:
    assert entry(db, muscle, "--relief", word)["relief"] == relief


def test_relief_stretch_in_edit_means_the_entrys_muscle(db: Path) -> None:
    entry(db, "shin")
    edited = run_json("log", "edit", "last", "--relief", "stretch", "--db", str(db))
    assert edited["items"][0]["relief"] == "relief-front-calf"
    edited = run_json(
        "log", "edit", "last", "--muscle", "foot", "--relief", "stretch", "--db", str(db)
    )
    assert edited["items"][0]["relief"] == "relief-foot"


def test_an_unknown_relief_word_lists_the_words(db: Path) -> None:
    line = usage_error(run("log", "calf", "--relief", "magnesium", "--db", str(db)))
    assert "unknown relief item 'magnesium'" in line
    assert "stretch, toe, rub, walk, heat, cold, legs up, nothing" in line
    assert not db.exists()


def test_relief_words_in_user_files(tmp_path: Path, db: Path) -> None:
    """A user's copy of a stretch may repeat its word (the shipped item keeps it); a word
    that is another item's id is refused, as it would read two ways."""
    copy = run_json("show", "relief-back-calf")["items"][0]
    copy["id"] = "my-calf-stretch"
    mine = tmp_path / "mine.yaml"
    mine.write_text(json.dumps({"relief": [copy]}), encoding="utf-8")
    document = run_json("--kb", str(mine), "log", "calf", "--relief", "stretch", "--db", str(db))
    assert document["items"][0]["relief"] == "relief-back-calf"
    item = run_json("show", "cold-when-sore")["items"][0]
    item["words"] = ["massage"]
    item["override"] = True
    mine.write_text(json.dumps({"relief": [item]}), encoding="utf-8")
    result = run("--kb", str(mine), "relieve")
    assert result.exit_code == 1
    assert "'massage' is the id of relief item 'massage'" in result.stderr


def test_words_in_every_order_are_all_accepted(db: Path) -> None:
    for order in itertools.permutations(["right", "90s"]):
        item = entry(db, "leg", *order)
        assert (item["side"], item["minutes"]) == ("right", 1.5)


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        (["remove", "abc1"], "To delete an entry: 'cramp log delete abc1'."),
        (["delet", "last"], "To delete an entry: 'cramp log delete last'."),
        (["change"], "To edit an entry: 'cramp log edit last'."),
    ],
)
def test_a_word_meaning_edit_or_delete_gets_a_hint_naming_the_subcommand(
    words: list[str], hint: str
) -> None:
    line = usage_error(run("log", *words))
    assert "unknown muscle" in line
    assert line.endswith(hint)


def test_a_misspelt_muscle_still_gets_the_nearest_muscles() -> None:
    line = usage_error(run("log", "calff", "3m"))
    assert "Did you mean 'back-calf'" in line
    assert "cramp log edit" not in line and "cramp log delete" not in line
