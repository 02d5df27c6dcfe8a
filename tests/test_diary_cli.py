"""`cramp log`, `log edit`, `log delete` and `history` through the real entry point, on real
SQLite files under tmp_path."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cramp_cli.diary.models import Entry, night_of, parse_at
from cramp_cli.diary.store import Diary
from cramp_cli.schema_gen import SCHEMA_DIR
from cramp_cli.wording import DISCLAIMER
from tests.conftest import REPO, run, usage_error
from tests.test_installed import assert_quiet_when_the_reader_leaves

AT = "2025-03-05T02:10:00+01:00"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


def log(db: Path, *args: str) -> dict[str, Any]:
    result = run("log", "--db", str(db), *args, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def history(db: Path, *args: str) -> dict[str, Any]:
    result = run("history", "--db", str(db), *args, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def validate(command: str, document: Any) -> None:
    schema = json.loads((SCHEMA_DIR / f"{command}.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=str)
    assert not errors, [error.message for error in errors[:3]]


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# ---------------------------------------------------------------- log


def test_log_stores_every_value_and_prints_the_entry_with_its_id(db: Path) -> None:
    document = log(
        db,
        "--muscle",
        "Calf",
        "--side",
        "LEFT",
        "--minutes",
        "2.5",
        "--severity",
        "7",
        "--at",
        AT,
        "--woke",
        "--trigger",
        "Long Walk",
        "--trigger",
        "hot_weather,long-walk",
        "--relief",
        "relief-back-calf",
        "--note",
        'stretched, then "walked"\nbetter after',
    )
    validate("log", document)
    assert document["command"] == "log"
    assert document["action"] == "added"
    assert document["disclaimer"] == DISCLAIMER
    (entry,) = document["items"]
    assert re.fullmatch(r"[0-9a-f]{10}", entry["id"])
    assert entry == {
        "id": entry["id"],
        "at": AT,
        "night": "2025-03-04",  # 02:10 belongs to the night before
        "muscle": "back-calf",  # the alias resolved
        "side": "left",
        "minutes": 2.5,
        "severity": 7,
        "woke": True,
        "triggers": ["long-walk", "hot-weather"],  # kebab-case, no repeats
        "relief": "relief-back-calf",
        "note": 'stretched, then "walked"\nbetter after',
        "symptoms": [],
        "logged_level": None,
        "logged_advice": [],
    }
    assert history(db)["items"] == [entry]


def test_log_with_only_a_muscle_is_now(db: Path) -> None:
    before = datetime.now().astimezone().replace(microsecond=0)
    entry = log(db, "--muscle", "foot")["items"][0]
    at = datetime.fromisoformat(entry["at"])
    assert before - timedelta(seconds=1) <= at <= datetime.now().astimezone()
    assert entry["night"] == str(night_of(at))
    assert entry["side"] is None and entry["minutes"] is None and entry["severity"] is None
    assert entry["woke"] is False and entry["triggers"] == [] and entry["note"] == ""


def test_log_plain_output_is_one_tab_separated_record_then_the_disclaimer(db: Path) -> None:
    result = run("log", "--db", str(db), "-m", "shin", "--minutes", "3", "--at", AT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    fields = lines[0].split("\t")
    assert fields[1:6] == ["2025-03-05 02:10", "night of 2025-03-04", "front-calf", "-", "3 min"]
    assert f"cramp log delete {fields[0]}" in lines[1]
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    assert "\x1b" not in result.stdout


def test_a_long_cramp_points_to_cramp_check(db: Path) -> None:
    document = log(db, "--muscle", "calf", "--minutes", "12", "--at", AT)
    assert document["advice"] == [
        "A cramp of more than 10 minutes is a warning sign: run 'cramp check --minutes 12'."
    ]
    assert log(db, "--muscle", "calf", "--minutes", "10", "--at", AT)["advice"] == []


def test_naive_times_are_local_time(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        entry = log(db, "--muscle", "calf", "--at", "2025-03-05 23:30")["items"][0]
        assert entry["at"] == "2025-03-05T23:30:00+09:00"
        assert entry["night"] == "2025-03-05"
        early = log(db, "--muscle", "calf", "--at", "2025-03-06T11:59")["items"][0]
        assert early["night"] == "2025-03-05"
        noon = log(db, "--muscle", "calf", "--at", "2025-03-06T12:00")["items"][0]
        assert noon["night"] == "2025-03-06"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--muscle", "elbow"], "unknown muscle 'elbow'"),
        (["--muscle", "bak-calf"], "'back-calf'"),
        (["--muscle", ""], "muscle"),
        (["--side", "middle"], "--side must be left, right or both"),
        (["--minutes", "ten"], "--minutes must be a number"),
        (["--minutes", "-1"], "--minutes must be from 0 to 1440"),
        (["--minutes", "nan"], "--minutes must be from 0 to 1440"),
        (["--minutes", "5000"], "--minutes must be from 0 to 1440"),
        (["--severity", "11"], "--severity must be a whole number from 1 to 10"),
        (["--severity", "0"], "--severity must be a whole number from 1 to 10"),
        (["--severity", "6.5"], "--severity must be a whole number from 1 to 10"),
        (["--at", "yesterday"], "--at needs a date and a time"),
        (["--at", "2025-03-05"], "--at needs a date and a time"),
        (["--at", "2025-13-05T02:00"], "--at must be 'now' or a date and time"),
        (["--at", "2999-01-01T02:00"], "--at is in the future"),
        (["--at", "1850-01-01T02:00"], "--at is before 1900"),
        (["--trigger", "x" * 41], "--trigger is longer than 40 characters"),
        (["--trigger", "cold!"], "--trigger may hold only letters, digits"),
        (["--trigger", "a\x1b[31m"], "--trigger contains control characters"),
        (["--relief", "relief-bak-calf"], "'relief-back-calf'"),
        (["--relief", "magnesium"], "unknown relief item 'magnesium'"),
        (["--note", "x" * 1001], "--note is longer than 1000 characters"),
        (["--note", "bell\x07"], "--note may not contain control characters"),
    ],
)
def test_bad_values_are_one_line_exit_2_and_nothing_is_stored(
    db: Path, args: list[str], message: str
) -> None:
    log(db, "--muscle", "calf", "--at", AT)
    full = ["--muscle", "calf", *args] if args[0] != "--muscle" else args
    result = run("log", "--db", str(db), *full)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert count(db) == 1


def test_bad_value_with_json_is_a_json_error_and_no_file_is_created(db: Path) -> None:
    result = run("log", "--db", str(db), "--muscle", "calf", "--severity", "99", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "usage"
    assert "--severity" in error["message"]
    assert not db.exists()


def test_log_without_a_muscle_says_how(db: Path) -> None:
    result = run("log", "--db", str(db))
    assert result.exit_code == 2
    assert "--muscle NAME" in result.stderr
    assert not db.exists()


def test_unknown_subcommand_of_log_is_a_usage_error(db: Path) -> None:
    assert run("log", "remove", "abc").exit_code == 2


# ---------------------------------------------------------------- history


def _fill(db: Path, count_: int = 30) -> list[Entry]:
    """Entries on consecutive nights in March 2025, alternating muscles; oldest first."""
    entries = []
    for day in range(count_):
        at = parse_at("2025-03-01T23:00+00:00") + timedelta(days=day)
        entries.append(
            Entry(
                id=f"{day:010x}",
                at=at,
                night=night_of(at),
                muscle="back-calf" if day % 2 else "foot",
                minutes=day % 7,
            )
        )
    with Diary.open(db) as diary:  # type: ignore[union-attr]
        diary.add_many(entries)
    return entries


def test_history_is_newest_first_limited_and_counts_the_total(db: Path) -> None:
    entries = _fill(db)
    document = history(db, "--limit", "5")
    validate("history", document)
    assert document["total"] == 30
    assert [item["id"] for item in document["items"]] == [e.id for e in entries[::-1][:5]]
    assert document["filters"] == {"since": None, "until": None, "muscle": None, "limit": 5}
    assert len(history(db)["items"]) == 20  # the default limit


def test_history_filters_by_night_and_muscle(db: Path) -> None:
    _fill(db)
    document = history(db, "--since", "2025-03-10", "--until", "2025-03-14", "--muscle", "calf")
    nights = [item["night"] for item in document["items"]]
    assert nights == ["2025-03-14", "2025-03-12", "2025-03-10"]
    assert all(item["muscle"] == "back-calf" for item in document["items"])
    assert document["total"] == 3
    assert document["filters"]["muscle"] == "back-calf"


def test_history_night_filter_uses_the_night_not_the_date(db: Path) -> None:
    log(db, "--muscle", "calf", "--at", "2025-03-05T02:00+01:00")  # night of 4 March
    assert history(db, "--since", "2025-03-05")["total"] == 0
    assert history(db, "--until", "2025-03-04")["total"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "March"], "--since must be a date like 2025-03-05"),
        (["--until", "2025-02-30"], "--until must be a date"),
        (["--since", "2025-03-05", "--until", "2025-03-01"], "is after --until"),
        (["--limit", "0"], "--limit must be from 1"),
        (["--muscle", "elbow"], "unknown muscle"),
    ],
)
def test_history_bad_filters_exit_2(db: Path, args: list[str], message: str) -> None:
    result = run("history", "--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_history_of_an_empty_diary(db: Path) -> None:
    document = history(db)
    assert document["items"] == [] and document["total"] == 0
    out = run("history", "--db", str(db)).stdout
    assert "No diary entries yet" in out
    assert not db.exists()


def test_history_plain_ids_with_cut_and_every_format(db: Path) -> None:
    entries = _fill(db, 3)
    out = run("history", "--db", str(db)).stdout
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines[:3]] == [e.id for e in entries[::-1]]
    assert lines[-2] == "Shown: 3 of 3, newest first."
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    assert not set("─│╭╮╰╯━┃") & set(out)
    jsonl = run("history", "--db", str(db), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == [e.id for e in entries[::-1]]
    markdown = run("history", "--db", str(db), "--format", "markdown").stdout
    assert markdown.startswith("# Cramp diary")
    assert f"| {entries[0].id} |" in markdown


@pytest.mark.parametrize("width", [80, 40])
def test_history_on_a_terminal_fits_the_width(db: Path, width: int) -> None:
    _fill(db, 4)
    log(db, "--muscle", "calf", "--at", AT, "--note", "a long note " * 20, "--trigger", "x-y-z")
    result = run("history", "--db", str(db), env={"FORCE_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    for line in result.stdout.splitlines():
        assert len(strip_ansi(line)) <= width
    assert " ".join(strip_ansi(result.stdout).split()).endswith(DISCLAIMER)


def test_notes_are_text_not_markup(db: Path) -> None:
    log(db, "--muscle", "calf", "--at", AT, "--note", "[bold]gently[/bold] :foot:")
    out = strip_ansi(run("history", "--db", str(db), env={"FORCE_COLOR": "1"}).stdout)
    assert "[bold]gently[/bold] :foot:" in out


# ---------------------------------------------------------------- edit


def test_edit_changes_only_the_values_given(db: Path) -> None:
    entry = log(db, "--muscle", "calf", "--side", "left", "--minutes", "3", "--at", AT)
    entry_id = entry["items"][0]["id"]
    result = run(
        "log", "edit", entry_id, "--db", str(db), "--minutes", "4", "--trigger", "cold", "--json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    validate("log", document)
    assert document["action"] == "edited"
    (edited,) = document["items"]
    assert edited == {**entry["items"][0], "minutes": 4.0, "triggers": ["cold"]}
    assert history(db)["items"] == [edited]


def test_edit_at_moves_the_night_and_clear_removes_values(db: Path) -> None:
    logged = log(db, "-m", "calf", "--side", "left", "--relief", "massage", "--at", AT)
    entry_id = logged["items"][0]["id"]
    result = run(
        "log",
        "edit",
        entry_id.upper(),
        "--db",
        str(db),
        "--at",
        "2025-03-05T22:00+01:00",
        "--clear",
        "relief",
        "--clear",
        "side",
        "--woke",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    (edited,) = json.loads(result.stdout)["items"]
    assert edited["night"] == "2025-03-05"
    assert edited["relief"] is None and edited["side"] is None and edited["woke"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to change"),
        (["--severity", "12"], "--severity must be"),
        (["--clear", "muscle"], "--clear takes"),
        (["--clear", "minutes", "--minutes", "3"], "disagree"),
    ],
)
def test_edit_bad_values_change_nothing(db: Path, args: list[str], message: str) -> None:
    entry = log(db, "--muscle", "calf", "--minutes", "3", "--at", AT)["items"][0]
    result = run("log", "edit", entry["id"], "--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert history(db)["items"] == [entry]


def test_a_unique_start_of_an_id_finds_the_entry(db: Path) -> None:
    entry_id = log(db, "--muscle", "calf", "--at", AT)["items"][0]["id"]
    result = run("log", "edit", entry_id[:4].upper(), "--db", str(db), "--minutes", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["items"][0]["id"] == entry_id
    assert history(db)["items"][0]["minutes"] == 1
    result = run("log", "delete", "ffffffffff", "--db", str(db), "--yes")
    assert result.exit_code == 2
    assert "no diary entry with id 'ffffffffff'" in result.stderr
    for bad in ("not-an-id", "3f9"):  # not hex, or fewer than 4 digits
        result = run("log", "delete", bad, "--db", str(db), "--yes")
        assert result.exit_code == 2
        assert "4 or more" in result.stderr
    assert count(db) == 1


def test_a_start_shared_by_two_ids_names_both_and_changes_nothing(db: Path) -> None:
    import sqlite3

    first = log(db, "--muscle", "calf", "--at", AT)["items"][0]
    log(db, "--muscle", "shin", "--at", AT)
    with sqlite3.connect(db) as conn:  # two ids with the same start, as chance may give
        conn.execute("UPDATE entries SET id = 'abcd000001' WHERE id = ?", (first["id"],))
        conn.execute("UPDATE entries SET id = 'abcd000002' WHERE id != 'abcd000001'")
    line = usage_error(run("log", "delete", "abcd", "--db", str(db), "--yes"))
    assert "abcd000001" in line and "abcd000002" in line and "more than one" in line
    assert count(db) == 2
    done = run("log", "delete", "abcd0000", "--db", str(db), "--yes")
    assert done.exit_code == 2
    assert run("log", "delete", "abcd000002", "--db", str(db), "--yes").exit_code == 0
    assert count(db) == 1


def test_last_is_the_newest_entry(db: Path) -> None:
    older = log(db, "--muscle", "calf", "--at", "2025-03-04T02:10")["items"][0]
    newer = log(db, "--muscle", "shin", "--at", "2025-03-05T02:10")["items"][0]
    log(db, "--muscle", "foot", "--at", "2025-03-03T02:10")  # logged last, but older
    edited = run("log", "edit", "LAST", "--minutes", "4", "--db", str(db), "--json")
    assert edited.exit_code == 0, edited.stderr
    assert json.loads(edited.stdout)["items"][0]["id"] == newer["id"]
    deleted = run("log", "delete", "last", "--yes", "--db", str(db), "--json")
    assert json.loads(deleted.stdout)["items"][0]["id"] == newer["id"]
    assert history(db)["items"][0]["id"] == older["id"]


def test_last_in_an_empty_or_missing_diary_is_one_line(db: Path) -> None:
    for args in (["edit", "last", "--minutes", "1"], ["delete", "last", "--yes"]):
        result = run("log", *args, "--db", str(db))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "no entries" in result.stderr
    assert not db.exists()


# ---------------------------------------------------------------- delete


def test_delete_needs_yes_without_a_terminal_and_never_deletes_silently(db: Path) -> None:
    entry_id = log(db, "--muscle", "calf", "--at", AT)["items"][0]["id"]
    refused = run("log", "delete", entry_id, "--db", str(db))
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    assert refused.stdout == ""
    assert count(db) == 1
    assert run("log", "delete", entry_id, "--db", str(db), "--json").exit_code == 2
    assert count(db) == 1
    done = run("log", "delete", entry_id, "--db", str(db), "--yes", "--json")
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    validate("log", document)
    assert document["action"] == "deleted"
    assert document["items"][0]["id"] == entry_id
    assert count(db) == 0
    plain = run("log", "delete", entry_id, "--db", str(db), "--yes")
    assert plain.exit_code == 2  # already gone


def test_delete_asks_on_a_terminal(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cramp_cli.commands import diary

    monkeypatch.setattr(diary, "can_prompt", lambda: True)  # as if stdin were a terminal
    entry_id = log(db, "--muscle", "calf", "--at", AT)["items"][0]["id"]
    kept = run_with_input(["log", "delete", entry_id, "--db", str(db)], "n\n")
    assert kept.exit_code == 1
    assert "nothing was deleted" in kept.stderr
    assert f"Delete entry {entry_id}?" in kept.stderr
    assert kept.stdout == ""
    assert count(db) == 1
    gone = run_with_input(["log", "delete", entry_id, "--db", str(db)], "y\n")
    assert gone.exit_code == 0, gone.stderr
    assert gone.stdout.startswith(entry_id)
    assert "Deleted: entry" in gone.stdout
    assert count(db) == 0


def run_with_input(args: list[str], text: str) -> Any:
    from typer.testing import CliRunner

    from cramp_cli.cli import app

    return CliRunner().invoke(app, args, input=text, catch_exceptions=False)


# ---------------------------------------------------------------- subprocesses


def test_history_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    base = datetime(2024, 1, 1, 23, 0, tzinfo=UTC)
    with Diary.open(db) as diary:  # type: ignore[union-attr]
        diary.add_many(
            [
                Entry(
                    id=f"{n:010x}",
                    at=base + timedelta(hours=n),
                    night=night_of(base + timedelta(hours=n)),
                    muscle="foot",
                    note="n" * 200,
                )
                for n in range(2000)
            ]
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMP_")}
    assert_quiet_when_the_reader_leaves(
        [sys.executable, "-m", "cramp_cli", "history", "--db", str(db), "--limit", "2000"],
        tmp_path,
        {**env, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)},
    )


def test_help_of_every_diary_command_has_an_example() -> None:
    for args in (["log"], ["log", "edit"], ["log", "delete"], ["history"], ["report"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert re.search(r"^  Examples?:\n    cramp ", result.stdout, re.M)
    assert "CRAMP_DB" in run("history", "--help").stdout


# ---------------------------------------------------------------- history, one line each


def _screen(db: Path, width: int, *args: str) -> list[str]:
    result = run(
        "history",
        "--db",
        str(db),
        *args,
        env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": str(width)},
    )
    assert result.exit_code == 0, result.stderr
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).splitlines()  # bold stays with NO_COLOR


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_history_on_a_terminal_gives_one_line_per_entry_or_two_when_narrow(
    db: Path, width: int
) -> None:
    long_one = log(db, "--muscle", "shin", "--minutes", "12", "--at", "2025-03-06T03:10")
    short_one = log(
        db,
        "--muscle",
        "calf",
        "--side",
        "left",
        "--minutes",
        "3",
        "--at",
        "2025-03-05T02:10",
        "--note",
        "after a long walk with the dog " * 8,
    )
    lines = _screen(db, width)
    long_id = long_one["items"][0]["id"]
    short_id = short_one["items"][0]["id"]
    first = next(line for line in lines if long_id[:7] in line)
    second = next(line for line in lines if short_id[:7] in line)
    assert first.startswith(f"! {long_id[:7]} 2025-03-06 03:10")  # the mark is never cut
    assert second.startswith(f"  {short_id[:7]} 2025-03-05 02:10")
    assert all(len(line) <= width for line in lines)
    if width >= 60:  # one line each, newest first, as git log --oneline
        assert lines.index(second) == lines.index(first) + 1
        assert "Front of the shin, 12 min" in first  # names, not ids
        assert second.endswith("…")  # the note is clipped, not wrapped
    else:  # narrow: the name and details under the id and time, never cut; the note clipped
        below = lines[lines.index(first) + 1]
        assert below.strip() == "Front of the shin, 12 min"
        assert lines[lines.index(second) + 1].strip() == "Back of the calf, left, 3 min"
        assert lines[lines.index(second) + 2].rstrip().endswith("…")
    assert "a warning sign" in " ".join(line.strip() for line in lines)


def test_history_long_keeps_every_field_and_scripts_see_no_change(db: Path) -> None:
    log(db, "--muscle", "shin", "--minutes", "12", "--severity", "7", "--at", "2025-03-06T03:10")
    long_view = "\n".join(_screen(db, 80, "--long"))
    assert "When" in long_view and "severity 7/10" in long_view and "front-calf" in long_view
    plain = run("history", "--db", str(db)).stdout.splitlines()[0]
    assert plain.split("\t")[3:6] == ["front-calf", "-", "12 min"]
    document = json.loads(run("history", "--db", str(db), "--json").stdout)
    assert "names" not in document and "long" not in document
