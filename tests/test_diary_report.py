"""`cramp report`: the numbers, the weekly chart, and the warning signs judged by the rules
in data/patterns.yml with the level and advice of `cramp check`."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.diary.models import Entry, night_of
from cramp_cli.diary.store import Diary
from cramp_cli.schema_gen import SCHEMA_DIR
from cramp_cli.wording import DISCLAIMER
from tests.conftest import run_json

# The report's clock, passed through the context object: Saturday 6 Dec 2025, 21:00 here.
NOW = datetime(2025, 12, 6, 21, 0).astimezone()


def run(*args: str, env: dict[str, str] | None = None, now: datetime = NOW) -> Any:
    """cramp in-process, with the report's clock set to `now`."""
    return CliRunner().invoke(app, list(args), env=env, obj={"now": now}, catch_exceptions=False)


def tonight() -> date:
    return night_of(NOW)


def entry(nights_ago: int, n: int = 0, **values: Any) -> Entry:
    """An entry at 23:00 local time, `nights_ago` nights before tonight."""
    day = tonight() - timedelta(days=nights_ago)
    at = datetime(day.year, day.month, day.day, 23, 0).astimezone() + timedelta(minutes=n)
    return Entry(id=f"{nights_ago:05x}{n:05x}", at=at, night=night_of(at), **values)


def fill(db: Path, entries: list[Entry]) -> None:
    with Diary.open(db) as diary:  # type: ignore[union-attr]
        diary.add_many(entries)


def report(db: Path, *args: str, now: datetime = NOW) -> dict[str, Any]:
    result = run("report", "--db", str(db), *args, "--json", now=now)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    schema = json.loads((SCHEMA_DIR / "report.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert not errors, [error.message for error in errors[:3]]
    assert isinstance(document, dict)
    return document


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


@pytest.fixture
def busy_diary(db: Path) -> Path:
    """Two weeks of a diary that started 13 nights ago: 12 nights with cramps, woken on 5,
    one cramp of 12 minutes."""
    entries = []
    nights = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13]
    for index, ago in enumerate(nights):
        entries.append(
            entry(
                ago,
                muscle="back-calf" if index % 3 else "foot",
                side="left" if index % 4 else "right",
                minutes=12.0 if ago == 5 else 2.0,
                severity=4 + index % 3,
                woke=index < 5,
                triggers=("long-walk", "hot") if index % 2 else ("long-walk",),
                relief="relief-back-calf" if index % 2 else None,
            )
        )
    entries.append(entry(2, 1, muscle="back-calf", side="left", minutes=1.0))  # two on one night
    fill(db, entries)
    return db


def test_report_numbers(busy_diary: Path) -> None:
    document = report(busy_diary)
    assert document["command"] == "report"
    assert document["days"] == 30
    assert document["last_night"] == str(tonight())
    assert document["first_night"] == str(tonight() - timedelta(days=29))
    assert document["cramps"] == 13
    assert document["nights_with_cramps"] == 12
    assert document["nights_woken"] == 5
    assert document["covered_days"] == 14  # the diary began 13 nights before tonight
    assert document["nights_per_week"] == 6.0
    assert document["cramps_per_week"] == 6.5
    assert document["woke_nights_per_week"] == 2.5
    assert document["longest_minutes"] == 12.0
    assert document["mean_minutes"] == round((12 + 2 * 11 + 1) / 13, 1)
    assert document["timed_cramps"] == 13
    assert document["rated_cramps"] == 12
    assert document["muscle"] == {"id": "back-calf", "name": "Back of the calf", "count": 9}
    assert document["side"]["id"] == "left"
    assert document["triggers"][0] == {"id": "long-walk", "name": None, "count": 12}
    assert document["triggers"][1]["id"] == "hot"
    (relief,) = document["reliefs"]
    assert relief["id"] == "relief-back-calf"
    assert relief["uses"] == 6
    assert relief["title"]


def test_weeks_cover_the_window_and_add_up(busy_diary: Path) -> None:
    for days in (30, 7, 1, 365):
        document = report(busy_diary, "--days", str(days))
        weeks = document["weeks"]
        # Counted from the first night counted: the diary's first, if it began inside.
        covered = document["covered_days"]
        assert len(weeks) == math.ceil(covered / 7)
        assert weeks[-1]["end"] == str(tonight())
        assert weeks[0]["start"] == str(tonight() - timedelta(days=covered - 1))
        assert [week["partial"] for week in weeks[:-1]] == [False] * (len(weeks) - 1)
        assert weeks[-1]["partial"] is (covered % 7 != 0)
        assert sum(week["cramps"] for week in weeks) == document["cramps"]
        starts = [date.fromisoformat(week["start"]) for week in weeks]
        assert starts == sorted(starts)


def test_the_chart_starts_at_the_first_entry_and_marks_the_partial_week(busy_diary: Path) -> None:
    """Issue 14, item 5: no empty weeks before the diary began, no 2-day stub at its start;
    the week the nights do not fill is the last one, and every view says so."""
    document = report(busy_diary)  # the diary began 13 nights ago: 14 nights, 2 weeks
    assert [(week["start"], week["end"], week["partial"]) for week in document["weeks"]] == [
        (str(tonight() - timedelta(days=13)), str(tonight() - timedelta(days=7)), False),
        (str(tonight() - timedelta(days=6)), str(tonight()), False),
    ]
    fill(busy_diary, [entry(16, muscle="foot")])  # now 17 nights: 2 full weeks and 3 nights
    weeks = report(busy_diary)["weeks"]
    assert [week["nights"] for week in weeks] == [5, 6, 2]
    assert [week["partial"] for week in weeks] == [False, False, True]
    assert weeks[0]["start"] == str(tonight() - timedelta(days=16))
    for fmt in ("plain", "markdown"):
        shown = run("report", "--db", str(busy_diary), "--format", fmt)
        assert shown.exit_code == 0, shown.stderr
        assert shown.stdout.count("(partial: 3 of 7 nights)") == 1, shown.stdout


def test_the_pattern_meets_the_three_signs_with_the_advice_of_cramp_check(
    busy_diary: Path,
) -> None:
    document = report(busy_diary)
    findings = {item["id"]: item for item in document["items"]}
    assert set(findings) == {"long-cramp", "frequent", "sleep-disturbed"}
    assert findings["long-cramp"]["value"] == 12.0
    assert findings["long-cramp"]["more_than"] == 10
    assert findings["frequent"]["measure"] == "nights_per_week"
    assert findings["sleep-disturbed"]["at_least"] == 2
    assert all(item["sources"] and item["reason"] for item in document["items"])
    expected = run_json("check", "--sign", "long-cramp,frequent,sleep-disturbed")
    assert document["check"] == expected
    assert document["check"]["level"] == "urgent"
    with_region = report(busy_diary, "--region", "gb")
    assert with_region["check"] == run_json(
        "check", "--sign", "long-cramp,frequent,sleep-disturbed", "--region", "gb"
    )


def test_a_quiet_diary_meets_no_sign(db: Path) -> None:
    fill(db, [entry(3, muscle="foot", minutes=2.0), entry(20, muscle="foot", minutes=10.0)])
    document = report(db)
    assert document["items"] == []
    assert document["check"] is None
    assert "cramp check" in document["note"]
    assert document["longest_minutes"] == 10.0  # 10 is not more than 10


def test_entries_before_the_window_make_the_rates_count_the_whole_window(db: Path) -> None:
    fill(db, [entry(100, muscle="foot"), *[entry(ago, muscle="foot") for ago in range(1, 10)]])
    document = report(db)
    assert document["covered_days"] == 30
    assert document["nights_with_cramps"] == 9
    assert document["nights_per_week"] == round(9 / (30 / 7), 1)
    assert document["items"] == []  # 2.1 nights a week is not "several"


def test_three_nights_in_a_week_is_frequent(db: Path) -> None:
    fill(db, [entry(ago, muscle="foot") for ago in (1, 3, 5)])
    document = report(db, "--days", "7")
    assert document["nights_per_week"] == 3.0
    assert [item["id"] for item in document["items"]] == ["frequent"]
    assert document["check"]["level"] == "see-doctor"


def test_an_empty_or_missing_diary_reports_zeros(db: Path) -> None:
    document = report(db)
    assert document["cramps"] == 0 and document["items"] == [] and document["muscle"] is None
    assert document["mean_minutes"] is None
    assert not db.exists()
    out = run("report", "--db", str(db)).stdout
    assert "No cramps logged" in out
    assert out.splitlines()[-1] == f"Disclaimer: {DISCLAIMER}"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--days", "0"], "--days must be from 1"), (["--region", "mars"], "unknown region")],
)
def test_report_bad_options_exit_2(db: Path, args: list[str], message: str) -> None:
    result = run("report", "--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_report_plain_has_numbers_chart_signs_and_verdict(busy_diary: Path) -> None:
    out = run("report", "--db", str(busy_diary)).stdout
    lines = out.splitlines()
    assert lines[0].startswith("Report: the 30 nights from ")
    assert any(line.startswith("Cramps: 13 on 12 of 30 nights") for line in lines)
    weeks = [line.split("\t") for line in lines if line.startswith("Week\t")]
    assert len(weeks) == 2  # from the first entry, 13 nights ago: no empty weeks before it
    assert weeks[-1][2] == str(tonight())
    assert weeks[-1][5].strip("#") == ""
    assert any(line.startswith("In your diary: long-cramp (urgent): ") for line in lines)
    assert "Level: urgent" in lines  # the latest entry is from last night
    assert any(line.startswith("Safety net: ") for line in lines)
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    assert "\x1b" not in out and "█" not in out


def test_report_plain_counts_in_good_english_on_a_new_diary(db: Path) -> None:
    fill(db, [entry(0, muscle="back-calf", minutes=2)])
    out = run("report", "--db", str(db)).stdout
    [line] = [line for line in out.splitlines() if line.startswith("Cramps: ")]
    assert line == (
        "Cramps: 1 on 1 of 30 nights; 1 cramp and 1 night a week "
        "(the diary covers only 1 night so far)"
    )


@pytest.mark.parametrize("width", [80, 40])
def test_report_on_a_terminal_has_bars_and_fits(busy_diary: Path, width: int) -> None:
    result = run("report", "--db", str(busy_diary), env={"FORCE_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "█" in plain
    assert "URGENT" in plain
    for line in plain.splitlines():
        assert len(line) <= width
    assert " ".join(plain.split()).endswith(DISCLAIMER)


def test_report_markdown(busy_diary: Path) -> None:
    out = run("report", "--db", str(busy_diary), "--format", "markdown").stdout
    assert out.startswith("# Cramp diary: the 30 nights to ")
    assert "## Cramps per week" in out
    assert "## Urgent: get help today" in out


# ---------------------------------------------------------------- the rules are data


def _patterns(kb_copy: Path, old: str, new: str) -> None:
    path = kb_copy / "patterns.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_thresholds_come_from_patterns_yml(
    db: Path, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(db, [entry(ago, muscle="foot", woke=True) for ago in (1, 5)])
    assert [item["id"] for item in report(db, "--days", "7")["items"]] == ["sleep-disturbed"]
    _patterns(kb_copy, "at_least: 3", "at_least: 2")
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    ids = [item["id"] for item in report(db, "--days", "7")["items"]]
    assert ids == ["frequent", "sleep-disturbed"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("sign: frequent", "sign: frequnt", "unknown sign 'frequnt' (did you mean 'frequent'?)"),
        ("measure: nights_per_week", "measure: nights", "patterns.1.measure"),
        ("at_least: 3", "at_least: 3\n    more_than: 4", "exactly one of more_than and at_least"),
        ("more_than: 10", "more_than: 15", "the minutes limit of 'cramp check'"),
        ("- nidirect-leg-cramps\n      - nhs-leg-cramps-2017", "- nowhere", "unknown source"),
        ("    reason:", "    colour: red\n    reason:", "unknown field 'colour'"),
    ],
)
def test_a_broken_patterns_file_names_the_file_and_line(
    db: Path, kb_copy: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    _patterns(kb_copy, old, new)
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("report", "--db", str(db))
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line
    assert re.search(r"patterns\.yml:\d+: ", line), line
    assert message in line


def test_the_shipped_rules_name_known_signs_and_sources() -> None:
    from cramp_cli.knowledge.loader import load_builtin
    from cramp_cli.knowledge.patterns import load_patterns

    kb = load_builtin()
    rules = load_patterns(kb)
    assert {rule.sign for rule in rules} == {"long-cramp", "frequent", "sleep-disturbed"}
    long_rule = next(rule for rule in rules if rule.sign == "long-cramp")
    assert long_rule.more_than == kb.triage.minutes.more_than


# ---------------------------------------------------------------- the report speaks of the past


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in December 2025."""
    return datetime(2025, 12, day, hour, minute).astimezone()


def logged(when: datetime, key: str, **values: Any) -> Entry:
    return Entry(id=key.ljust(10, "0"), at=when, night=night_of(when), muscle="back-calf", **values)


@pytest.fixture
def past_diary(db: Path) -> Path:
    """Cramps on 20 nights up to the night of 4 Dec, the last at 23:00 that night (46 hours
    before NOW), woken on 3 of them; two long cramps, 12 minutes on 3 Dec, 14 on 1 Dec."""
    entries = []
    for night in range(15, 35):  # 15 Nov .. 4 Dec
        day = datetime(2025, 11, 1) + timedelta(days=night - 1)
        when = day.replace(hour=23).astimezone()
        minutes = {33: 12.0, 31: 14.0}.get(night, 2.0)
        entries.append(logged(when, f"{night:04x}", minutes=minutes, woke=night in (30, 32, 34)))
    fill(db, entries)
    return db


def human(db: Path, width: int, now: datetime = NOW) -> str:
    result = run(
        "report", "--db", str(db), env={"FORCE_COLOR": "1", "COLUMNS": str(width)}, now=now
    )
    assert result.exit_code == 0, result.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert all(len(line) <= width for line in plain.splitlines())
    return plain


def sign_lines(text: str, sign: str) -> list[str]:
    """The lines that head a sign: its id, then its level."""
    return re.findall(rf"^ *{sign} +(?:emergency|urgent|see-doctor|self-care) *$", text, re.M)


@pytest.mark.parametrize("width", [80, 60])
def test_past_signs_are_listed_once_with_their_dates_and_no_level_of_now(
    past_diary: Path, width: int
) -> None:
    out = human(past_diary, width)
    assert "In your diary" in out
    for sign in ("long-cramp", "frequent"):
        assert len(sign_lines(out, sign)) == 1, sign
    assert sign_lines(out, "long-cramp")[0].split()[1] == "urgent"  # the level is kept
    words = " ".join(out.split())
    assert "3 Dec: a cramp of 12 minutes; 1 Dec: a cramp of 14 minutes" in words
    assert "Cramps on 20 nights" in words and "4 Dec, 3 Dec, 2 Dec" in words
    assert "and 14 more" in words  # 20 nights: the 6 newest are named
    for day in ("3 Dec", "1 Dec", "4 Dec", "29 Nov"):  # a date is never split across lines
        assert any(day in line for line in out.splitlines()), day
    # Three days old: no "URGENT" panel as if it were happening now, and no second list.
    assert "URGENT" not in out
    assert "Your answers point to" not in out
    # But the sign still says what to do, today, in the past tense.
    assert "It has passed, but it still needs a doctor today" in words
    assert "more than 24 hours old" in words
    assert "Safety net" in out
    assert words.endswith(DISCLAIMER)


@pytest.mark.parametrize("width", [80, 60])
def test_a_recent_entry_brings_the_level_of_now_but_not_the_signs_twice(
    past_diary: Path, width: int
) -> None:
    with Diary.open(past_diary) as diary:  # type: ignore[union-attr]
        diary.add_many([logged(NOW - timedelta(hours=3), "ecec", minutes=1.0)])
    out = human(past_diary, width)
    assert "URGENT" in out  # the panel: the level of the signs, shown as the level of now
    assert "Your answers point to" not in out
    for sign in ("long-cramp", "frequent"):
        assert len(sign_lines(out, sign)) == 1, sign
    words = " ".join(out.split())
    assert words.count("What to do:") == 2


@pytest.mark.parametrize(
    ("age", "current"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24, minutes=1), False)],
)
def test_the_level_of_now_needs_an_entry_from_the_last_24_hours(
    db: Path, age: timedelta, current: bool
) -> None:
    fill(db, [logged(NOW - age, "10c9", minutes=15.0)])
    document = report(db)
    assert document["current"] is current
    assert document["check"]["level"] == "urgent"  # scripts still get the sign's level
    (finding,) = document["items"]
    assert finding["id"] == "long-cramp" and finding["level"] == "urgent"
    assert finding["recent"] is current
    assert finding["seen"] == [{"night": str(night_of(NOW - age)), "minutes": 15.0}]
    assert finding["count"] == 1
    assert ("It has passed" in finding["advice"]) is not current
    assert "today" in finding["advice"]  # never later than the level says
    plain = run("report", "--db", str(db)).stdout.splitlines()
    assert ("Level: urgent" in plain) is current
    assert any(line.startswith("Now: ") for line in plain) is not current
    mine = [line for line in plain if line.startswith("In your diary: ")]
    assert len(mine) == 1 and mine[0].startswith("In your diary: long-cramp (urgent): ")
    assert not any(line.startswith("Sign: ") for line in plain)  # listed once
    for width in (80, 60):
        out = human(db, width)
        assert ("URGENT" in out) is current
        assert len(sign_lines(out, "long-cramp")) == 1


def test_the_plain_report_lists_each_sign_once_with_dates(past_diary: Path) -> None:
    lines = run("report", "--db", str(past_diary)).stdout.splitlines()
    mine = [line for line in lines if line.startswith("In your diary: ")]
    assert mine == [
        "In your diary: long-cramp (urgent): 3 Dec: a cramp of 12 minutes; "
        "1 Dec: a cramp of 14 minutes",
        "In your diary: frequent (see-doctor): Cramps on 20 nights (6.4 a week): "
        "4 Dec, 3 Dec, 2 Dec, 1 Dec, 30 Nov, 29 Nov and 14 more",
    ]
    assert not any(line.startswith(("Level: ", "Sign: ")) for line in lines)
    assert any(line.startswith("Safety net: ") for line in lines)
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"


def test_the_markdown_report_lists_each_sign_once_with_dates(past_diary: Path) -> None:
    out = run("report", "--db", str(past_diary), "--format", "markdown").stdout
    assert "## In your diary" in out
    assert "## Your answers point to" not in out and "Urgent: get help today" not in out
    assert out.count("**long-cramp** (urgent)") == 1
    assert "3 Dec: a cramp of 12 minutes; 1 Dec: a cramp of 14 minutes" in out
    assert "## Safety net" in out


def test_dates_of_another_year_carry_the_year(db: Path) -> None:
    fill(db, [logged(datetime(2024, 12, 20, 23, 0).astimezone(), "01d", minutes=11.0)])
    lines = run("report", "--db", str(db), "--days", "400").stdout.splitlines()
    assert "In your diary: long-cramp (urgent): 20 Dec 2024: a cramp of 11 minutes" in lines
