"""Issue 14, items 1 and 2: medicines in the diary (`cramp meds`) and what else was noticed
with a cramp (`cramp log --with`), through the real entry point; the diary's format 4."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramp_cli.diary import store
from cramp_cli.wording import MEDICINE_SAFETY
from tests.conftest import run, run_json, usage_error

AT = "2025-03-05T02:10:00+01:00"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "diary.sqlite3"


def _meds(db: Path) -> list[dict[str, Any]]:
    items = run_json("meds", "list", "--db", str(db))["items"]
    assert isinstance(items, list)
    return items


# ---------------------------------------------------------------- cramp meds


def test_a_statin_is_matched_to_its_class_with_the_class_list_source_and_the_safety_line(
    db: Path,
) -> None:
    document = run_json(
        "meds", "add", "  Atorvastatin 20 mg ", "--since", "2025-03-02", "--db", str(db)
    )
    (item,) = document["items"]
    assert item["name"] == "Atorvastatin 20 mg"  # as typed, trimmed
    assert item["class_id"] == "medicine-statins"
    assert item["since"] == "2025-03-02" and item["stopped"] is None
    (found,) = document["classes"]
    assert found["id"] == "medicine-statins"
    assert found["names_source"]["id"] == "nhs-statins"
    assert found["names_source"]["url"].startswith("https://www.nhs.uk/")
    assert document["safety"] == MEDICINE_SAFETY
    text = run("meds", "list", "--db", str(db), "--format", "plain").stdout
    assert "may be linked with cramps" in text
    assert "Never stop or change a prescribed medicine on your own" in text


@pytest.mark.parametrize(
    ("name", "class_id"),
    [
        ("LIPITOR", "medicine-statins"),
        ("furosemide", "medicine-loop-diuretics"),
        ("Serevent Evohaler", "medicine-labas"),
        ("spironolactone", "medicine-potassium-sparing-diuretics"),
        ("Indapamide", "medicine-thiazide-diuretics"),
        ("ventolin", "medicine-other-reported"),
    ],
)
def test_generic_and_brand_names_match_whatever_the_case(
    db: Path, name: str, class_id: str
) -> None:
    (item,) = run_json("meds", "add", name, "--db", str(db))["items"]
    assert item["class_id"] == class_id


def test_an_unknown_name_is_kept_with_no_class_and_no_medicine_line(db: Path) -> None:
    document = run_json(
        "meds", "add", "magnesium tablets", "--note", "from the chemist", "--db", str(db)
    )
    (item,) = document["items"]
    assert item["name"] == "magnesium tablets" and item["class_id"] is None
    assert item["note"] == "from the chemist"
    assert document["classes"] == [] and document["safety"] is None
    text = run("meds", "list", "--db", str(db), "--format", "plain").stdout
    assert "magnesium tablets" in text and "Never stop" not in text


def test_the_same_medicine_twice_while_taken_is_refused_and_nothing_is_added(db: Path) -> None:
    run_json("meds", "add", "Atorvastatin", "--since", "2025-03-02", "--db", str(db))
    line = usage_error(run("meds", "add", "atorvastatin", "--db", str(db)))
    assert "'Atorvastatin' is already in your medicines since 2025-03-02" in line
    assert "nothing was added" in line
    assert len(_meds(db)) == 1
    # Once stopped, it can be started again: both courses are kept.
    run_json("meds", "stop", "atorvastatin", "--on", "2025-04-01", "--db", str(db))
    run_json("meds", "add", "atorvastatin", "--since", "2025-05-01", "--db", str(db))
    listed = _meds(db)
    assert [(m["since"], m["stopped"]) for m in listed] == [
        ("2025-03-02", "2025-04-01"),
        ("2025-05-01", None),
    ]


def test_stop_keeps_the_medicine_with_both_dates(db: Path) -> None:
    run_json("meds", "add", "furosemide", "--since", "2025-01-10", "--db", str(db))
    document = run_json("meds", "stop", "FUROSEMIDE", "--on", "2025-02-01", "--db", str(db))
    (item,) = document["items"]
    assert (item["since"], item["stopped"]) == ("2025-01-10", "2025-02-01")
    assert document["action"] == "stopped" and document["safety"] == MEDICINE_SAFETY


def test_stopping_an_unknown_name_is_a_usage_error_with_suggestions(db: Path) -> None:
    run_json("meds", "add", "Atorvastatin", "--db", str(db))
    line = usage_error(run("meds", "stop", "atorvastatn", "--db", str(db)))
    assert "no medicine 'atorvastatn'" in line and "Did you mean 'Atorvastatin'?" in line
    line = usage_error(
        run("meds", "stop", "aspirin", "--db", str(tmp_db := db.with_name("none.sqlite3")))
    )
    assert "no medicine 'aspirin'" in line
    assert not tmp_db.exists()  # stopping in a diary that does not exist creates none


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--since", "03/02/2025"], "--since must be a date like 2025-03-05"),
        (["--since", "2999-01-01"], "--since is in the future"),
        (["--note", "a\x07b"], "--note may not contain control characters"),
    ],
)
def test_bad_values_are_one_line_usage_errors_and_nothing_is_stored(
    db: Path, args: list[str], words: str
) -> None:
    assert words in usage_error(run("meds", "add", "aspirin", *args, "--db", str(db)))
    assert not db.exists()


def test_stopped_before_it_was_started_is_refused(db: Path) -> None:
    run_json("meds", "add", "aspirin", "--since", "2025-03-02", "--db", str(db))
    line = usage_error(run("meds", "stop", "aspirin", "--on", "2025-03-01", "--db", str(db)))
    assert "before 'aspirin' was started (2025-03-02)" in line
    assert _meds(db)[0]["stopped"] is None


def test_the_list_is_ordered_by_start_then_name(db: Path) -> None:
    for name, since in (
        ("zopiclone", "2025-01-01"),
        ("aspirin", "2025-02-01"),
        ("b12", None),
        ("Amiloride", "2025-01-01"),
    ):
        run_json("meds", "add", name, *(["--since", since] if since else []), "--db", str(db))
    assert [m["name"] for m in _meds(db)] == ["b12", "Amiloride", "zopiclone", "aspirin"]


def test_listing_with_no_diary_creates_nothing(db: Path) -> None:
    document = run_json("meds", "list", "--db", str(db))
    assert document["items"] == [] and document["safety"] is None
    assert not db.exists()


# ---------------------------------------------------------------- migration


def _v3_diary(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """A diary as cramp wrote it before issue 14 (format 3)."""
    conn = sqlite3.connect(path)
    for step in store.MIGRATIONS[:3]:
        step(conn)
    conn.executemany(
        "INSERT INTO entries (id, at_utc, utc_offset, night, muscle, side, minutes, severity, "
        "woke, relief, note, triggers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def _row(index: int, minutes: float | None, note: str, tags: str) -> tuple[Any, ...]:
    night = date(2025, 1, 1) + timedelta(days=index)
    at = f"{night + timedelta(days=1)}T01:{index % 60:02d}:00Z"
    return (
        f"{index:010x}",
        at,
        0,
        str(night),
        "back-calf",
        "left",
        minutes,
        5,
        1,
        None,
        note,
        tags,
    )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(min_value=0, max_value=1440, allow_nan=False)),
            st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
            st.sampled_from(["", "heat", "long-walk;heat"]),
        ),
        max_size=12,
    )
)
def test_migrating_a_format_3_diary_never_loses_a_row_or_a_value(
    tmp_path: Path, values: list[tuple[float | None, str, str]]
) -> None:
    path = tmp_path / f"v3-{os.urandom(4).hex()}.sqlite3"
    rows = [_row(index, *value) for index, value in enumerate(values)]
    _v3_diary(path, rows)
    result = run("export", "--db", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    assert len(items) == len(rows)
    by_id = {item["id"]: item for item in items}
    for row in rows:
        item = by_id[row[0]]
        assert (item["minutes"], item["note"], ";".join(item["triggers"])) == (
            row[6],
            row[10],
            row[11],
        )
        assert (item["symptoms"], item["logged_level"], item["logged_advice"]) == ([], None, [])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.LATEST == 4
    assert _meds(path) == []


def test_a_read_only_format_3_diary_is_still_read_and_left_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "diary.sqlite3"
    _v3_diary(path, [_row(1, 3.0, "old", "heat")])
    before = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        (item,) = run_json("history", "--db", str(path))["items"]
        assert item["note"] == "old" and item["symptoms"] == []
        assert run_json("meds", "list", "--db", str(path))["items"] == []
        line = run("meds", "add", "aspirin", "--db", str(path))
        assert line.exit_code == 1 and "read-only" in line.stderr
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["diary.sqlite3"]
    finally:
        folder.chmod(0o755)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


# ---------------------------------------------------------------- cramp log --with


def test_with_on_a_pipe_stores_the_words_and_gives_the_check_line(db: Path) -> None:
    document = run_json(
        "log",
        "calf",
        "--at",
        AT,
        "--with",
        "swelling",
        "--with",
        "urge-to-move,numbness",
        "--db",
        str(db),
    )
    (entry,) = document["items"]
    assert entry["symptoms"] == ["swelling", "urge-to-move", "numbness"]
    assert entry["logged_level"] is None
    line = "run 'cramp check --sign leg-swelling,numbness' to check it."
    assert any(line in advice for advice in entry["logged_advice"])
    assert document["advice"] == entry["logged_advice"]
    assert any("restless legs syndrome" in note for note in document["notes"])
    (stored,) = run_json("history", "--db", str(db))["items"]
    assert stored == entry


def test_one_sided_swelling_is_its_own_word(db: Path) -> None:
    (entry,) = run_json("log", "calf", "--at", AT, "--with", "one-sided-swelling", "--db", str(db))[
        "items"
    ]
    assert "cramp check --sign one-sided-swelling'" in entry["logged_advice"][0]


def test_an_unknown_word_is_a_usage_error_naming_the_words_and_nothing_is_stored(db: Path) -> None:
    line = usage_error(run("log", "calf", "--with", "swolen", "--db", str(db)))
    assert "unknown symptom word 'swolen'" in line and "Did you mean 'swelling'?" in line
    assert "urge-to-move" in line
    assert not db.exists()


def test_symptoms_and_the_advice_given_survive_export_and_import_in_both_formats(
    db: Path, tmp_path: Path
) -> None:
    (entry,) = run_json(
        "log", "calf", "--at", AT, "--with", "dark-urine,tingling", "--db", str(db)
    )["items"]
    for fmt in ("csv", "json"):
        out = tmp_path / f"export.{fmt}"
        assert run("export", "--db", str(db), "--format", fmt, "--output", str(out)).exit_code == 0
        other = tmp_path / f"other-{fmt}.sqlite3"
        assert run("import", str(out), "--db", str(other)).exit_code == 0
        (back,) = run_json("history", "--db", str(other))["items"]
        assert back == entry


def test_an_export_from_before_issue_14_still_imports(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text(
        "# cramp diary export (format 2)\n"
        "id,at,night,muscle,side,minutes,severity,woke,triggers,relief,note\n"
        "0123456789,2025-03-05T02:10:00+01:00,2025-03-04,back-calf,left,3.0,6,true,heat,,old\n"
        "# end of cramp diary export: 1 entry\n"
    )
    assert run("import", str(old), "--db", str(db)).exit_code == 0
    (entry,) = run_json("history", "--db", str(db))["items"]
    assert entry["note"] == "old" and entry["symptoms"] == [] and entry["logged_advice"] == []


def _terminal(*args: str, env: dict[str, str]) -> Any:
    from tests.pty_session import Terminal

    return Terminal(*args, env=env)


def test_on_a_terminal_a_warning_sign_word_asks_its_question_and_stores_the_advice(
    db: Path,
) -> None:
    terminal = _terminal(
        "log",
        "calf",
        "--with",
        "numbness,walking-pain",
        env={"CRAMP_DB": str(db), "CRAMP_REGION": "gb"},
    )
    terminal.read_until("pins and needles in your legs or feet? [y/n/?]")
    terminal.type("y\n")
    terminal.read_until("go away within a few minutes of rest? [y/n/?]")
    terminal.type("n\n")
    assert terminal.wait() == 0
    assert "Book an appointment with your doctor soon" in terminal.text
    (entry,) = run_json("history", "--db", str(db))["items"]
    assert entry["symptoms"] == ["numbness", "walking-pain"]
    assert entry["logged_level"] == "see-doctor"
    assert entry["logged_advice"][0].startswith("See a doctor")
    assert not any("cramp check --sign" in line for line in entry["logged_advice"])


def test_an_emergency_answer_gives_the_advice_at_once_and_asks_no_more(db: Path) -> None:
    terminal = _terminal(
        "log",
        "calf",
        "--with",
        "dark-urine,numbness",
        env={"CRAMP_DB": str(db), "CRAMP_REGION": "gb"},
    )
    terminal.read_until("cola-coloured")
    terminal.type("y\n")
    assert terminal.wait() == 0
    assert "Call 999 now." in terminal.text
    assert "pins and needles" not in terminal.text  # not asked
    (entry,) = run_json("history", "--db", str(db))["items"]
    assert entry["logged_level"] == "emergency"
    assert entry["logged_advice"][0] == "Emergency: call for help now. Call 999 now."
    assert "cramp check --sign numbness'" in entry["logged_advice"][-1]  # still to check


def test_ctrl_c_during_the_question_keeps_the_entry_with_the_check_line(db: Path) -> None:
    terminal = _terminal("log", "calf", "--with", "swelling", env={"CRAMP_DB": str(db)})
    terminal.read_until("[y/n/?]")
    terminal.interrupt()
    assert terminal.wait() == 130
    (entry,) = run_json("history", "--db", str(db))["items"]
    assert entry["symptoms"] == ["swelling"] and entry["logged_level"] is None
    assert "cramp check --sign leg-swelling'" in entry["logged_advice"][0]


# ---------------------------------------------------------------- the knowledge base


def _user_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    return path


def test_a_user_file_may_add_a_word(db: Path, tmp_path: Path) -> None:
    mine = _user_file(
        tmp_path,
        "symptoms:\n  - word: cold-foot\n    label: A cold foot\n    sign: cold-pale-leg\n",
    )
    result = run(
        "--kb",
        str(mine),
        "log",
        "calf",
        "--at",
        AT,
        "--with",
        "cold-foot",
        "--db",
        str(db),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["items"]
    assert "cramp check --sign cold-pale-leg'" in entry["logged_advice"][0]


@pytest.mark.parametrize(
    ("mapping", "allowed"),
    [
        ("lookalike: growing-pains", False),  # self-care: less urgent than see-doctor
        ("lookalike: peripheral-neuropathy", True),  # see-doctor: as urgent
        ("sign: dark-urine", True),  # emergency: more urgent
    ],
)
def test_a_user_file_cannot_map_a_shipped_word_to_something_less_urgent(
    tmp_path: Path, mapping: str, allowed: bool
) -> None:
    mine = _user_file(tmp_path, f"symptoms:\n  - word: numbness\n    label: Numb\n    {mapping}\n")
    result = run("kb", "validate", str(mine))
    if allowed:
        assert result.exit_code == 0, result.stdout + result.stderr
    else:
        assert result.exit_code == 1
        assert "a user file cannot map it to something less urgent (self-care)" in (
            result.stdout + result.stderr
        )


def test_a_word_must_map_to_exactly_one_existing_sign_or_lookalike(tmp_path: Path) -> None:
    for body, words in (
        ("    sign: no-such-sign\n", "unknown sign 'no-such-sign'"),
        ("    sign: numbness\n    lookalike: claudication\n", "exactly one of sign and lookalike"),
    ):
        mine = _user_file(tmp_path, f"symptoms:\n  - word: odd\n    label: Odd\n{body}")
        result = run("kb", "validate", str(mine))
        assert result.exit_code == 1
        assert words in result.stdout + result.stderr


def test_two_classes_of_one_layer_may_not_share_a_name(kb_copy: Path) -> None:
    causes = kb_copy / "causes.yaml"
    text = causes.read_text()
    causes.write_text(text.replace("names: [furosemide,", "names: [Atorvastatin, furosemide,", 1))
    result = run("kb", "validate", env={"CRAMP_DATA_DIR": str(kb_copy)})
    assert result.exit_code == 1
    assert (
        "the name 'atorvastatin' is already in 'medicine-loop-diuretics'"
        in result.stdout + result.stderr
    )


# ---------------------------------------------------------------- never lowered


SIGN_WORDS = [
    "swelling",
    "one-sided-swelling",
    "numbness",
    "weakness",
    "walking-pain",
    "twitching",
    "dark-urine",
]
RANK = {"emergency": 0, "urgent": 1, "see-doctor": 2, "self-care": 3}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(SIGN_WORDS), min_size=1, unique=True),
    st.lists(st.sampled_from(SIGN_WORDS), unique=True),
)
def test_answering_yes_to_more_symptoms_never_lowers_the_level(
    first: list[str], more: list[str]
) -> None:
    from cramp_cli import answers
    from cramp_cli.knowledge.load import load_kb

    kb = load_kb()
    before, _ = answers.logged_verdict(kb, [s.id for s in answers.symptom_signs(kb, first)], [])
    both = [*first, *(word for word in more if word not in first)]
    after, advice = answers.logged_verdict(kb, [s.id for s in answers.symptom_signs(kb, both)], [])
    assert RANK[after] <= RANK[before]
    assert advice  # always says what to do


# ---------------------------------------------------------------- medicines in a backup


def test_a_json_export_carries_the_medicines_and_import_restores_them(
    db: Path, tmp_path: Path
) -> None:
    run_json("meds", "add", "Atorvastatin", "--since", "2025-03-02", "--db", str(db))
    run_json("meds", "add", "magnesium", "--note", "evenings", "--db", str(db))
    run_json("meds", "stop", "atorvastatin", "--on", "2025-04-01", "--db", str(db))
    backup = tmp_path / "backup.json"
    assert run("export", "--db", str(db), "--output", str(backup)).exit_code == 0
    assert [m["name"] for m in json.loads(backup.read_text())["medicines"]] == [
        "magnesium",
        "Atorvastatin",
    ]
    other = tmp_path / "restored.sqlite3"
    document = run_json("import", str(backup), "--db", str(other))
    assert document["medicines"] == 2
    assert _meds(other) == _meds(db)
    assert run_json("import", str(backup), "--db", str(other))["medicines"] == 0  # ids kept


def test_a_bad_medicine_in_a_json_import_stores_nothing_at_all(db: Path, tmp_path: Path) -> None:
    run_json("log", "calf", "--at", AT, "--db", str(db))
    document = json.loads(run("export", "--db", str(db)).stdout)
    document["medicines"] = [{"id": "0123456789", "name": "x", "since": "05/03/2025"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    other = tmp_path / "other.sqlite3"
    line = usage_error(run("import", str(bad), "--db", str(other)))
    assert "medicine 1: since must be a date like 2025-03-05" in line
    assert not other.exists() or run_json("history", "--db", str(other))["items"] == []
