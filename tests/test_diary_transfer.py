"""`cramp export` and `cramp import`: a lossless round trip, all-or-nothing imports, and ids
already present skipped and counted."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.diary.models import FIELDS
from cramp_cli.schema_gen import SCHEMA_DIR
from tests.conftest import run

AWKWARD_NOTE = 'comma, "quotes", semicolon; tab-free\nsecond line — ünïcödé ✓'


def validate(command: str, document: Any) -> None:
    schema = json.loads((SCHEMA_DIR / f"{command}.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert not errors, [error.message for error in errors[:3]]


def count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A diary with every kind of value, several UTC offsets among them."""
    db = tmp_path / "source.sqlite3"
    logs = [
        ["-m", "calf", "--at", "2025-03-05T02:10:00+01:00", "--side", "left", "--minutes", "2.5"],
        ["-m", "foot", "--at", "2025-03-06T23:59:59-07:30", "--severity", "10", "--woke"],
        ["-m", "shin", "--at", "2025-03-07T12:00:00Z", "--trigger", "hot,long-walk"],
        ["-m", "hamstring", "--at", "2025-03-08T03:00+14:00", "--relief", "massage"],
        ["-m", "quads", "--at", "2025-03-09T04:00+05:45", "--note", AWKWARD_NOTE],
        ["-m", "calf", "--at", "2025-03-10T01:00+00:00", "--minutes", "0", "--side", "both"],
        ["-m", "calf", "--at", "2025-03-10T01:30+00:00", "--minutes", "0.1"],
    ]
    for args in logs:
        result = run("log", "--db", str(db), *args)
        assert result.exit_code == 0, result.stderr
    return db


def export(db: Path, *args: str) -> str:
    result = run("export", "--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return str(result.stdout)


def test_json_export_is_every_entry_oldest_first(diary: Path) -> None:
    document = json.loads(export(diary))
    validate("export", document)
    assert document["command"] == "export"
    items = document["items"]
    assert len(items) == 7
    assert [item["at"] for item in items][:2] == [
        "2025-03-05T02:10:00+01:00",
        "2025-03-06T23:59:59-07:30",
    ]
    assert next(item for item in items if item["note"])["note"] == AWKWARD_NOTE
    assert json.loads(export(diary, "--json")) == document


def test_csv_export_has_the_header_and_one_record_per_entry(diary: Path) -> None:
    text = export(diary, "--format", "csv")
    lines = text.splitlines()
    assert lines[0] == "# cramp diary export (format 2)"
    assert lines[1] == ",".join(FIELDS)
    assert lines[-1] == "# end of cramp diary export: 7 entries"
    assert text.count("\n") == 1 + 1 + 7 + 1 + 1  # marks, header, rows; a note holds a break
    assert "\r" not in text


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_the_round_trip_is_lossless(diary: Path, tmp_path: Path, kind: str) -> None:
    exported = export(diary, "--format", kind)
    file = tmp_path / f"diary.{kind}"
    file.write_text(exported, encoding="utf-8")
    target = tmp_path / f"copy-{kind}.sqlite3"
    result = run("import", str(file), "--db", str(target), "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    validate("import", document)
    assert (document["imported"], document["skipped"]) == (7, 0)
    assert export(target, "--format", kind) == exported
    assert export(target) == export(diary)  # and the other format agrees too
    copied = json.loads(run("history", "--db", str(target), "--json").stdout)["items"]
    original = json.loads(run("history", "--db", str(diary), "--json").stdout)["items"]
    assert copied == original


def test_importing_again_skips_and_counts_entries_already_present(
    diary: Path, tmp_path: Path
) -> None:
    file = tmp_path / "diary.csv"
    file.write_text(export(diary, "--format", "csv"), encoding="utf-8")
    document = json.loads(run("import", str(file), "--db", str(diary), "--json").stdout)
    assert (document["imported"], document["skipped"]) == (0, 7)
    assert {item["status"] for item in document["items"]} == {"skipped"}
    assert count(diary) == 7
    out = run("import", str(file), "--db", str(diary)).stdout
    assert out.startswith("Imported: 0 entries; skipped 7 already in the diary.")


def test_import_from_stdin_and_without_ids(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    text = "at,muscle,minutes\n2025-03-05T02:10+01:00,Calf,3\n2025-03-06T02:10+01:00,foot,\n"
    result = CliRunner().invoke(
        app, ["import", "-", "--db", str(db), "--json"], input=text, catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 2
    items = json.loads(run("history", "--db", str(db), "--json").stdout)["items"]
    assert [item["muscle"] for item in items] == ["foot", "back-calf"]
    assert all(len(item["id"]) == 20 for item in items)  # from the content: see test_ids...


GOOD = "2025-03-05T02:10:00+01:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"id,at,muscle\nabcdef0123,{GOOD},calf\n,{GOOD},knee\n", "row 2: unknown muscle 'knee'"),
        (f"at,muscle,severity\n{GOOD},calf,5\n{GOOD},calf,11\n", "row 2: severity must be"),
        (f"at,muscle,colour\n{GOOD},calf,red\n", "unknown column 'colour'"),
        (f"at,muscle\n{GOOD},calf,extra\n", "row 1 has 3 cells, the header 2"),
        ("muscle\ncalf\n", "row 1: at is missing"),
        (f"at,muscle,night\n{GOOD},calf,2025-03-05\n", "night 2025-03-05 does not match at"),
        (f"id,at,muscle\nabcdef0123,{GOOD},calf\nabcdef0123,{GOOD},foot\n", "is also row 1"),
        (f"at,muscle,relief\n{GOOD},calf,magnesium\n", "unknown relief item 'magnesium'"),
        (f"at,muscle,triggers\n{GOOD},calf,bad!tag\n", "triggers may hold only"),
        (f"at,muscle,woke\n{GOOD},calf,maybe\n", "woke must be true or false"),
        ('{"items": [{"at": "' + GOOD + '", "muscle": "calf", "severity": true}]}', "severity"),
        ('{"items": [{"at": "' + GOOD + '", "muscle": "calf", "size": 1}]}', "size is not a"),
        ('{"schema_version": 99, "items": []}', "newer cramp"),
        ('{"items": "none"}', "expected the output of 'cramp export'"),
        ("[1, 2]", "row 1: expected an object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_bad_row_stops_the_whole_import(
    diary: Path, tmp_path: Path, text: str, message: str
) -> None:
    file = tmp_path / ("bad.json" if text[:1] in "{[" else "bad.csv")
    file.write_text(text, encoding="utf-8")
    result = run("import", str(file), "--db", str(diary))
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line
    assert message in line, line
    assert "Nothing was imported" in line or "nothing was imported" in line
    assert count(diary) == 7


def test_many_bad_rows_are_summed_up_in_one_line(tmp_path: Path) -> None:
    rows = "".join(f"{GOOD},elbow{n}\n" for n in range(50))
    file = tmp_path / "bad.csv"
    file.write_text("at,muscle\n" + rows, encoding="utf-8")
    db = tmp_path / "new.sqlite3"
    result = run("import", str(file), "--db", str(db))
    assert result.exit_code == 2
    assert "(and 47 more)" in result.stderr
    assert len(result.stderr) < 1000
    assert not db.exists()


@pytest.mark.parametrize(
    ("make", "message", "code"),
    [
        (lambda p: None, "no such file", 2),
        (lambda p: p.mkdir(), "is a folder", 1),
        (lambda p: p.write_bytes(b"\x00\x01\x02"), "binary", 2),
        (lambda p: p.write_bytes(b"at,muscle\n\xff\xfe,calf\n"), "not UTF-8", 2),
    ],
)
def test_unreadable_import_files(tmp_path: Path, make: Any, message: str, code: int) -> None:
    path = tmp_path / "in.csv"
    make(path)
    result = run("import", str(path), "--db", str(tmp_path / "d.sqlite3"))
    assert result.exit_code == code
    assert message in result.stderr


def test_export_to_a_new_private_file_and_never_over_one(diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.csv"
    result = run("export", "--db", str(diary), "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8") == export(diary, "--format", "csv")
    before = out.read_bytes()
    again = run("export", "--db", str(diary), "--output", str(out))
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert out.read_bytes() == before


def test_export_of_a_missing_diary_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite3"
    assert json.loads(export(db))["items"] == []
    assert export(db, "--format", "csv") == (
        "# cramp diary export (format 2)\n"
        + ",".join(FIELDS)
        + "\n# end of cramp diary export: 0 entries\n"
    )
    assert not db.exists()


def test_export_json_and_csv_disagree(diary: Path) -> None:
    result = run("export", "--db", str(diary), "--format", "csv", "--json")
    assert result.exit_code == 2
    assert "disagree" in result.stderr


def test_import_help_and_export_help_have_examples() -> None:
    for command in ("export", "import"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert re.search(r"^  Examples?:\n    cramp ", result.stdout, re.M)


@pytest.mark.parametrize("terminal", [False, True], ids=["plain", "rich"])
def test_counts_agree_with_their_word(tmp_path: Path, terminal: bool) -> None:
    """'1 entry', not '1 entries', on a terminal and in a pipe."""
    db = tmp_path / "diary.sqlite3"
    file = tmp_path / "one.csv"
    file.write_text("at,muscle\n2025-03-05T02:10+01:00,calf\n", encoding="utf-8")
    env = {"FORCE_COLOR": "1", "NO_COLOR": "1"} if terminal else None
    result = run("import", str(file), "--db", str(db), env=env)
    assert result.exit_code == 0, result.stderr
    assert ("Imported 1 entry;" if terminal else "Imported: 1 entry;") in result.stdout
    history = run("history", "--db", str(db), "--format", "markdown")
    assert "1 of 1 entry, newest first." in history.stdout
    on_screen = run("history", "--db", str(db), env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "Cramp diary: 1 of 1 entry, newest first" in on_screen.stdout
