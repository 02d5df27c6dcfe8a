"""Names people use (issue 13, item 2): 'leg' and 'calf cramp' mean the back of the calf,
with a note; 'thigh' fits two muscles, so each is shown, or asked about, or refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cramp_cli.commands import diary as diary_commands
from tests.conftest import run, run_json, usage_error

WIDTHS = ("40", "60", "80", "120")


def _flat(text: str) -> str:
    """The words of the screen, without borders, colour or line breaks."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize("typed", ["leg", "Leg", "legs", "leg cramp", "calf cramp", "lower leg"])
def test_vague_names_mean_the_back_of_the_calf_with_a_note_in_the_json(typed: str) -> None:
    document = run_json("relieve", typed)
    assert document["muscle"]["id"] == "back-calf"
    assert document["notes"] == [
        f"Taking '{typed}' to mean the back of the calf, where most night cramps are; "
        "for another muscle, see 'cramp muscles'."
    ]
    assert document["items"][0]["id"] == "relief-back-calf"


def test_a_muscles_own_name_has_no_note() -> None:
    assert run_json("relieve", "calf")["notes"] == []
    assert run_json("relieve", "--muscle", "hamstring")["notes"] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_note_is_on_screen_at_every_width(width: str) -> None:
    result = run("relieve", "leg", "--format", "table", env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    screen = _flat(result.stdout)
    assert "Taking 'leg' to mean the back of the calf" in screen
    assert "Stretch the back of the calf" in screen
    plain = run("relieve", "--muscle", "leg", "--format", "plain").stdout
    assert plain.splitlines()[0].startswith("Note: Taking 'leg' to mean the back of the calf")


@pytest.mark.parametrize("typed", ["thigh", "Thighs", "upper leg", "thigh cramp"])
def test_thigh_shows_both_thigh_stretches(typed: str) -> None:
    document = run_json("relieve", typed)
    assert document["muscle"] is None
    ids = [item["id"] for item in document["items"]]
    assert ids[:2] == ["relief-back-thigh", "relief-front-thigh"]
    assert "massage" in ids  # the general measures still follow
    (note,) = document["notes"]
    assert "back of the thigh (back-thigh)" in note
    assert "front of the thigh (front-thigh)" in note


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("fmt", ["table", "plain", "markdown"])
def test_thigh_on_screen_shows_both_at_every_width(width: str, fmt: str) -> None:
    result = run("relieve", "thigh", "--format", fmt, env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    screen = _flat(result.stdout)
    for title in ("Stretch the back of the thigh", "Stretch the front of the thigh"):
        assert title in screen
    assert "'thigh' could mean the back of the thigh" in screen


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


def _count(db: Path) -> int:
    document = run_json("history", "--db", str(db))
    return int(document["total"])


def test_log_leg_records_the_back_of_the_calf_and_says_so(db: Path) -> None:
    document = run_json("log", "leg", "--db", str(db))
    assert document["items"][0]["muscle"] == "back-calf"
    assert document["notes"][0].startswith("Taking 'leg' to mean the back of the calf")
    plain = run("log", "--muscle", "leg cramp", "--db", str(db), "--format", "plain").stdout
    assert "Note: Taking 'leg cramp' to mean the back of the calf" in plain


@pytest.mark.parametrize(
    "args",
    [
        ["log", "thigh"],
        ["log", "--muscle", "thigh", "--side", "left"],
        ["log", "thigh", "left", "3m", "--json"],
    ],
)
def test_log_thigh_without_a_terminal_is_a_usage_error_listing_both(
    db: Path, args: list[str]
) -> None:
    line = usage_error(run(*args, "--db", str(db)))
    assert "'thigh' could mean" in line
    assert "back-thigh" in line and "front-thigh" in line
    assert not db.exists()


def test_edit_and_history_refuse_thigh_listing_both(db: Path) -> None:
    run_json("log", "calf", "--db", str(db))
    for args in (["log", "edit", "last", "--muscle", "thigh"], ["history", "--muscle", "thigh"]):
        line = usage_error(run(*args, "--db", str(db)))
        assert "back-thigh" in line and "front-thigh" in line


@pytest.mark.parametrize(
    ("answer", "muscle"), [("2\n", "front-thigh"), ("back-thigh\n", "back-thigh")]
)
def test_log_thigh_on_a_terminal_asks_which(
    db: Path, monkeypatch: pytest.MonkeyPatch, answer: str, muscle: str
) -> None:
    monkeypatch.setattr(diary_commands, "can_prompt", lambda: True)
    monkeypatch.setattr(diary_commands, "stdout_is_terminal", lambda: True)
    from typer.testing import CliRunner

    from cramp_cli.cli import app

    result = CliRunner().invoke(
        app, ["log", "thigh", "--db", str(db), "--format", "plain"], input=answer
    )
    assert result.exit_code == 0, result.stderr
    assert "1. Back of the thigh (back-thigh)" in result.stderr
    assert "2. Front of the thigh (front-thigh)" in result.stderr
    assert f"\t{muscle}\t" in result.stdout
    assert _count(db) == 1


def test_log_thigh_on_a_terminal_with_no_answer_stores_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diary_commands, "can_prompt", lambda: True)
    monkeypatch.setattr(diary_commands, "stdout_is_terminal", lambda: True)
    from typer.testing import CliRunner

    from cramp_cli.cli import app

    result = CliRunner().invoke(app, ["log", "thigh", "--db", str(db)], input="")
    assert result.exit_code == 2
    assert "could mean" in result.stderr
    assert not db.exists()


# ---------------------------------------------------------------- the data, and user files


@pytest.mark.parametrize(
    ("muscle", "field", "name", "message"),
    [
        ("foot", "assumed_from", "leg", "'leg' is already assumed to mean muscle 'back-calf'"),
        ("foot", "assumed_from", "thigh", "'thigh' is also shared by muscle 'back-thigh'"),
        ("foot", "shared_names", "leg", "'leg' is also assumed to mean muscle 'back-calf'"),
        ("foot", "shared_names", "calf", "'calf' is already a name of muscle 'back-calf'"),
        ("foot", "assumed_from", "front-calf", "is already a name of muscle 'front-calf'"),
        ("foot", "assumed_from", "---", "'---' has no letters or digits"),
    ],
)
def test_a_user_file_cannot_make_a_name_read_two_ways(
    tmp_path: Path, muscle: str, field: str, name: str, message: str
) -> None:
    mine = tmp_path / "mine.yaml"
    document = run_json("show", muscle)["items"][0]
    document[field] = [*document[field], name]
    document["override"] = True
    mine.write_text(json.dumps({"muscles": [document]}), encoding="utf-8")
    result = run("--kb", str(mine), "relieve", "calf")
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert message in line
    assert "Traceback" not in line


def test_a_shared_name_left_to_one_muscle_is_taken_to_mean_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("disabled: [front-thigh, relief-front-thigh]\n", encoding="utf-8")
    document = run_json("--kb", str(mine), "relieve", "thigh")
    assert document["muscle"]["id"] == "back-thigh"
    assert document["notes"][0].startswith("Taking 'thigh' to mean the back of the thigh")


def test_now_reads_names_the_same_way() -> None:
    leg = run_json("now", "leg")
    assert [stretch["muscle"]["id"] for stretch in leg["stretches"]] == ["back-calf"]
    assert leg["notes"][0].startswith("Taking 'leg' to mean the back of the calf")
    thigh = run_json("now", "thigh")
    assert [stretch["muscle"]["id"] for stretch in thigh["stretches"]] == [
        "back-thigh",
        "front-thigh",
    ]
    assert "'thigh' could mean" in thigh["notes"][0]
