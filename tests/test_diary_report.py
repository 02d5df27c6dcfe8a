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
        assert len(weeks) == math.ceil(days / 7)
        assert weeks[-1]["end"] == str(tonight())
        assert weeks[0]["start"] == document["first_night"]
        assert sum(week["cramps"] for week in weeks) == document["cramps"]
        starts = [date.fromisoformat(week["start"]) for week in weeks]
        assert starts == sorted(starts)


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
    assert len(weeks) == 5
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
