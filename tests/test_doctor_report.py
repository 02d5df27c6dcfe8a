"""`cramp report --for-doctor`: the page a person takes to the doctor (issue 14, item 3).

The made-up 3-month diary of tests/fixtures/doctor_diary.py gives golden Markdown and plain
reports (syrupy snapshots under tests/__snapshots__/; refresh them with
`pytest tests/test_doctor_report.py --snapshot-update` after a deliberate change, and read
the diff). Today is fixed through the report's clock (CliRunner's obj={"now": ...})."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.schema_gen import SCHEMA_DIR
from cramp_cli.wording import DISCLAIMER
from tests.fixtures import doctor_diary

CAUTION = (
    "This does not show that the medicine caused them; do not stop it on your own; ask your doctor."
)


def run(*args: str) -> Any:
    return CliRunner().invoke(
        app, list(args), obj={"now": doctor_diary.NOW}, catch_exceptions=False
    )


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    return doctor_diary.build(tmp_path / "diary.sqlite3")


def doctor(diary: Path, *args: str) -> str:
    result = run("report", "--for-doctor", "--db", str(diary), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return str(result.stdout)


def test_markdown_report_is_golden(diary: Path, snapshot: SnapshotAssertion) -> None:
    assert doctor(diary, "--format", "markdown") == snapshot


def test_plain_report_is_golden(diary: Path, snapshot: SnapshotAssertion) -> None:
    assert doctor(diary, "--format", "plain") == snapshot


def test_json_report_matches_its_schema_and_the_diary(diary: Path) -> None:
    document = json.loads(doctor(diary, "--json"))
    schema = json.loads((SCHEMA_DIR / "report.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert not errors, [error.message for error in errors[:3]]
    assert document["kind"] == "for-doctor"
    assert document["disclaimer"] == DISCLAIMER
    header = document["header"]
    assert (header["first_night"], header["last_night"]) == ("2025-03-03", "2025-06-01")
    assert (header["cramps"], header["printed"]) == (40, "2025-06-02")
    # Weeks from the first entry: 13 weeks of 7 nights (91 nights), none before the diary.
    weeks = document["weekly"]
    assert weeks[0]["start"] == "2025-03-03"
    assert sum(week["cramps"] for week in weeks) == 40
    assert [week["partial"] for week in weeks] == [False] * 13
    statin = next(line for line in document["medicines"] if line["name"] == "Atorvastatin")
    assert statin["linked"] and statin["class_id"] == "medicine-statins"
    assert "nhs-statins" in statin["sources"]  # the class list's source
    assert statin["comparison"].startswith("After starting Atorvastatin on 14 Apr 2025, ")
    assert statin["before"]["days"] == statin["after"]["days"] == 28
    assert all(line["caution"] == CAUTION for line in document["medicines"])
    vitamin = next(line for line in document["medicines"] if line["name"] == "Vitamin D")
    assert not vitamin["linked"] and vitamin["comparison"] is None  # started before the diary
    words = {line["word"]: line for line in document["elsewhere"]}
    assert words["urge-to-move"]["count"] == 3
    assert words["urge-to-move"]["lookalike"] == "restless-legs"
    assert words["urge-to-move"]["sources"]
    signs = {line["id"]: line for line in document["warning_signs"]}
    assert set(signs) == {"long-cramp", "numbness"}
    assert signs["long-cramp"]["logged"] is True
    # What cramp said then, without the instruction meant for the person.
    assert signs["long-cramp"]["advised"] == [doctor_diary.LONG_ADVICE[0]]
    questions = " ".join(question["text"] for question in document["questions"])
    assert "kidney function, calcium, magnesium or thyroid" in questions
    assert {"nice-cks-leg-cramps", "bnssg-muscle-cramps"} <= {
        source["id"] for source in document["sources"]
    }
    assert document["entries"] == []


@pytest.mark.parametrize("fmt", ["plain", "markdown", "table"])
def test_every_view_keeps_the_disclaimer_and_caution_and_drops_patient_instructions(
    diary: Path, fmt: str
) -> None:
    text = " ".join(doctor(diary, "--format", fmt).split())
    assert " ".join(DISCLAIMER.split()) in text.replace("\\", "")
    assert CAUTION in text
    assert "do not stop" in text.lower() or "never stop" in text.lower()
    assert "cramp check" not in text
    assert "cramp meds" not in text


def test_then_and_now_says_when_the_numbers_are_small(tmp_path: Path) -> None:
    from cramp_cli.diary.store import Diary

    path = tmp_path / "short.sqlite3"
    with Diary.open(path) as diary:  # type: ignore[union-attr]
        diary.add_many(doctor_diary.entries()[-6:])  # the last 10 nights or so
    document = json.loads(doctor(path, "--json"))
    compared = document["then_and_now"]
    assert compared["split"] == "halves"
    assert compared["then"]["days"] == compared["now"]["days"]
    assert "small" in compared["caveat"]


def test_entries_appends_every_entry(diary: Path) -> None:
    text = doctor(diary, "--format", "markdown", "--entries")
    assert "## Every entry" in text
    listed = [line for line in text.split("## Every entry")[1].splitlines() if line[:4] == "| 20"]
    assert len(listed) == 40
    assert "## Every entry" not in doctor(diary, "--format", "markdown")


def test_days_limits_the_period_and_weeks_start_at_its_first_entry(diary: Path) -> None:
    document = json.loads(doctor(diary, "--json", "--days", "10"))
    first = date.fromisoformat(document["header"]["first_night"])
    assert first >= date(2025, 5, 23)
    assert document["weekly"][0]["start"] == str(first)
    nights = (date(2025, 6, 1) - first).days + 1
    assert document["weekly"][-1]["partial"] is (nights % 7 != 0)


def test_output_is_written_whole_and_never_over_a_file(diary: Path, tmp_path: Path) -> None:
    target = tmp_path / "for-the-doctor.md"
    assert doctor(diary, "--output", str(target)) == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# Night-time leg cramps")  # .md: Markdown
    target.write_text("my own notes", encoding="utf-8")
    result = run("report", "--for-doctor", "--db", str(diary), "--output", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "already exists" in result.stderr and "for-the-doctor.md" in result.stderr
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert doctor(diary, "--output", str(target), "--force", "--format", "plain") == ""
    assert target.read_text(encoding="utf-8").startswith("Night-time leg cramps")
    assert sorted(os.listdir(tmp_path)) == ["diary.sqlite3", "for-the-doctor.md"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entries"], "--entries goes with --for-doctor"),
        (["--output", "x.md"], "--output goes with --for-doctor"),
        (["--format", "html"], "--format html is for the doctor's report"),
        (["--for-doctor", "--force"], "--force replaces the file given with --output"),
        (["--for-doctor", "--json", "--format", "plain"], "disagree"),
        (["--for-doctor", "--format", "table", "--output", "x.txt"], "is for the screen"),
    ],
)
def test_misused_options_are_one_line_usage_errors(
    diary: Path, args: list[str], message: str
) -> None:
    result = run("report", "--db", str(diary), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_an_empty_diary_gives_a_report_without_numbers(tmp_path: Path) -> None:
    text = doctor(tmp_path / "none.sqlite3", "--format", "plain")
    assert "Nights with a cramp: 0 (0 cramps in all)" in text
    assert "The diary is too short to compare." in text


@pytest.mark.parametrize(
    ("advice", "kept"),
    [
        ("Get help today. If it is happening again now, run 'cramp check'.", "Get help today."),
        ("See cramp prevent for measures. Rest the leg.", "Rest the leg."),
        (
            "Book an appointment. A note of when the cramps come (cramp log) helps.",
            "Book an appointment. A note of when the cramps come helps.",
        ),
        ("A cramp never does this; call 999.", "A cramp never does this; call 999."),
    ],
)
def test_advice_on_the_page_leaves_out_what_only_the_person_should_run(
    advice: str, kept: str
) -> None:
    from cramp_cli.diary.doctor import for_doctor

    assert for_doctor(advice) == kept


def test_advice_given_at_logging_is_never_dropped_even_without_a_sign_to_name(
    tmp_path: Path,
) -> None:
    from cramp_cli.diary.store import Diary

    first = doctor_diary.entries()[0]
    warned = first.model_copy(
        update={
            "logged_level": "urgent",
            "logged_advice": ("Get medical help today.", "Then run 'cramp check' again."),
        }
    )
    path = tmp_path / "warned.sqlite3"
    with Diary.open(path) as diary:  # type: ignore[union-attr]
        diary.add_many([warned])
    (sign,) = json.loads(doctor(path, "--json"))["warning_signs"]
    assert (sign["level"], sign["logged"]) == ("urgent", True)
    assert sign["advised"] == ["Get medical help today."]
    assert sign["nights"] == [str(first.night)]


def test_what_meds_and_log_with_record_reaches_the_report(tmp_path: Path) -> None:
    """Through the commands a person uses: a medicine, and symptoms logged without a
    terminal (only "run 'cramp check --sign ...'" is said then, so the page gives the sign's
    own advice and says so)."""
    db = str(tmp_path / "diary.sqlite3")
    logged = run("log", "calf", "left", "3m", "--at", "2025-05-20 02:10", "--db", db,
                 "--with", "urge-to-move,numbness")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    added = run("meds", "add", "Simvastatin", "--since", "2025-05-01", "--db", db)
    assert added.exit_code == 0, added.stderr
    document = json.loads(doctor(Path(db), "--json"))
    (medicine,) = document["medicines"]
    assert (medicine["name"], medicine["class_id"], medicine["linked"]) == (
        "Simvastatin",
        "medicine-statins",
        True,
    )
    assert medicine["caution"] == CAUTION
    assert {line["word"] for line in document["elsewhere"]} == {"urge-to-move", "numbness"}
    (sign,) = document["warning_signs"]
    assert (sign["id"], sign["logged"], sign["nights"]) == ("numbness", False, ["2025-05-19"])
    assert sign["advised"] and "cramp check" not in " ".join(sign["advised"])


def test_counts_agree_with_their_words_for_a_diary_of_one_cramp(tmp_path: Path) -> None:
    db = str(tmp_path / "one.sqlite3")
    logged = run("log", "calf", "12m", "--at", "2025-06-01T02:10", "--db", db)
    assert logged.exit_code == 0, logged.stderr
    text = run("report", "--for-doctor", "--format", "plain", "--db", db).stdout
    assert "(1 cramp in all)" in text
    assert "(1 of 1 cramp timed)" in text
    assert "0 of 1 cramp (0%)" in text
    assert "1 cramps" not in text
