"""Errors and warnings in a Chinese run (issue 16, item 2): no English sentence is left.

Each bad input is given twice through the real entry point, in English and with `--lang zh`:
both runs end with the same exit code and one line on stderr, and the Chinese line is in
Chinese. What the person typed, paths, option and command names stay as they are; no other
word of the English message may be left in the Chinese one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# Kept as they are: what is in quotes, the path of a field (causes[0].title), commands
# (cramp muscles), options (--list) and placeholders in capitals (ID, NAME).
QUOTED = re.compile(r"'[^']*'|\S+\[\d+\]\S*|cramp [a-z-]+|--[a-z-]+|\b[A-Z]{2,}\b")
# Words a Chinese message keeps on purpose: command and option names, the words cramp's
# options accept, and the names of the knowledge base's fields.
KEPT = {
    "cramp", "kb", "validate", "export", "import", "log", "history", "force", "output", "db",
    "lang", "left", "right", "both", "now", "yesterday", "ago", "minutes", "am", "h", "m",
    "min", "s", "T", "UTF", "CSV", "JSON", "YAML", "README", "Diary", "true", "false",
    "id", "at", "night", "muscle", "side", "severity", "woke", "triggers", "relief", "note",
    "symptoms", "logged_level", "logged_advice", "level", "advice", "FILE", "NAME",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(text))


def _message(stderr: str, prefix: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(prefix), stderr
    return lines[0].removeprefix(prefix)


def assert_same_error_in_chinese(*args: str, typed: str = "", library: str = "") -> str:
    """Runs `args` in English and in Chinese; returns the Chinese message. `typed` is any
    text the person gave (a file's content) whose words may be quoted back; `library`, the
    words of a library's own detail that cramp quotes (PyYAML's description of bad YAML)."""
    english = run(*args)
    chinese = run("--lang", "zh", *args)
    assert english.exit_code not in (0, 70), english.stderr
    assert chinese.exit_code == english.exit_code, (english.stderr, chinese.stderr)
    english_message = _message(english.stderr, "Error: ")
    chinese_message = _message(chinese.stderr, "错误：")
    assert CJK.search(chinese_message), chinese_message
    allowed = (
        KEPT
        | _words(" ".join(args))
        | _words(typed)
        | _words(" ".join(QUOTED.findall(chinese_message)))
    )
    allowed |= _words(library)
    left = (_words(chinese_message) & _words(english_message)) - allowed
    assert not left, f"English words {sorted(left)} in {chinese_message!r}"
    return chinese_message


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "diary.sqlite3"
    logged = run("log", "calf", "left", "3m", "--at", "2025-03-05T02:10", "--db", str(path))
    assert logged.exit_code == 0, logged.stderr
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["log", "calf", "--at", "not a date"],
        ["log", "calf", "--at", "2025-03-05"],
        ["log", "calf", "--at", "2999-01-01T01:00"],
        ["log", "calf", "--minutes", "-3"],
        ["log", "calf", "--minutes", "lots"],
        ["log", "calf", "--side", "up"],
        ["log", "calf", "--severity", "11"],
        ["log", "calf", "--note", "a\x07b"],
        ["log", "calf", "--trigger", "a!b"],
        ["history", "--since", "bad"],
    ],
)
def test_bad_diary_values_are_one_chinese_line(db: Path, args: list[str]) -> None:
    assert_same_error_in_chinese(*args, "--db", str(db))


def _unknown_column(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "other.csv"
    path.write_text("when,where\n2025-03-05,calf\n", encoding="utf-8")
    return str(path), path.read_text(encoding="utf-8")


def _bad_row(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "rows.csv"
    path.write_text("at,muscle,minutes\n2025-03-05T02:10+00:00,calf,-3\n", encoding="utf-8")
    return str(path), ""


def _folder(tmp_path: Path) -> tuple[str, str]:
    return str(tmp_path), ""


def _missing(tmp_path: Path) -> tuple[str, str]:
    return str(tmp_path / "nonexistent.csv"), ""


def _binary(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return str(path), ""


@pytest.mark.parametrize("make", [_missing, _folder, _unknown_column, _bad_row, _binary])
def test_import_problems_are_one_chinese_line(
    db: Path, tmp_path: Path, make: Callable[[Path], tuple[str, str]]
) -> None:
    path, typed = make(tmp_path)
    assert_same_error_in_chinese("import", path, "--db", str(db), typed=typed)


def test_a_bad_row_names_the_row_and_the_field_in_chinese(db: Path, tmp_path: Path) -> None:
    path, _ = _bad_row(tmp_path)
    message = assert_same_error_in_chinese("import", path, "--db", str(db))
    assert "第 1 行：minutes 必须" in message


@pytest.mark.parametrize("where", ["existing", "folder", "no-folder"])
def test_export_problems_are_one_chinese_line(db: Path, tmp_path: Path, where: str) -> None:
    existing = tmp_path / "old.csv"
    existing.write_text("kept\n", encoding="utf-8")
    output = {
        "existing": existing,
        "folder": tmp_path,
        "no-folder": tmp_path / "missing" / "new.csv",
    }[where]
    assert_same_error_in_chinese("export", "--output", str(output), "--db", str(db))
    assert existing.read_text(encoding="utf-8") == "kept\n"


def test_a_diary_that_is_a_folder_is_one_chinese_line(tmp_path: Path) -> None:
    assert_same_error_in_chinese("history", "--db", str(tmp_path))


def test_a_diary_that_is_not_a_diary_is_one_chinese_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, " * 100, encoding="utf-8")
    assert_same_error_in_chinese("history", "--db", str(path))
    assert path.read_text(encoding="utf-8") == "not a database at all, " * 100


KB_FILES = {
    "unknown-field": "causes:\n  - id: my-cause\n    titel: A cause\n",
    "missing-field": "causes:\n  - id: my-cause\n",
    "invalid-yaml": "causes: [\n",
    "empty": "",
    "not-a-mapping": "- one\n- two\n",
}


@pytest.mark.parametrize("name", sorted(KB_FILES))
def test_a_broken_knowledge_base_file_is_one_chinese_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(KB_FILES[name], encoding="utf-8")
    # PyYAML's own description of the fault is quoted after the Chinese words.
    library = "did not find expected node content" if name == "invalid-yaml" else ""
    message = assert_same_error_in_chinese(
        "--kb", str(path), "why", typed=KB_FILES[name], library=library
    )
    assert message.startswith(str(path))


@pytest.mark.parametrize("path", ["/dev/null", "/nonexistent/kb.yaml"])
def test_a_knowledge_base_path_that_is_no_file_is_one_chinese_line(path: str) -> None:
    assert_same_error_in_chinese("--kb", path, "why")


def test_an_unknown_source_in_a_knowledge_base_is_chinese(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = (
        "causes:\n  - id: my-cause\n    group: belief\n    title: Mine\n    summary: Mine.\n"
        "    details: Mine.\n    who: [everyone]\n    when: [night]\n"
        "    sources: [no-such-source]\n    evidence: {grade: none, note: None found.}\n"
    )
    path.write_text(text, encoding="utf-8")
    message = assert_same_error_in_chinese("--kb", str(path), "why", typed=text)
    assert "未知来源 'no-such-source'" in message


def test_deleting_asks_in_chinese_and_takes_shi_and_fou(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cramp_cli.cli import app
    from cramp_cli.commands import diary

    monkeypatch.setattr(diary, "can_prompt", lambda: True)  # as if stdin were a terminal

    def delete(answer: str) -> Any:
        return CliRunner().invoke(
            app,
            ["--lang", "zh", "log", "delete", "last", "--db", str(db)],
            input=answer,
            catch_exceptions=False,
        )

    kept = delete("也许\n否\n")
    assert kept.exit_code == 1, kept.stderr
    assert "Error" not in kept.stderr and "invalid input" not in kept.stderr
    assert run("history", "--db", str(db), "--json").stdout.count('"id"') >= 1
    gone = delete("是\n")
    assert gone.exit_code == 0, gone.stderr
    assert '"total": 0' in run("history", "--db", str(db), "--json").stdout


def test_a_real_process_in_chinese_prints_one_chinese_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "--lang", "zh", "--kb", "/dev/null", "why"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "错误：/dev/null: 是设备，不是普通文件\n"


@pytest.mark.parametrize(
    "args",
    [
        ["relieve", "foo"],
        ["log", "foo"],
        ["log", "calf", "--relief", "foo"],
        ["log", "calf", "--with", "foo"],
        ["why", "--who", "foo"],
        ["search", ""],
        ["show", "nope"],
        ["check", "--sign", "nope"],
        ["schema", "nope"],
        ["sources", "nope", "--check"],
        ["prevent", "--min-evidence", "studies-disagree"],
    ],
)
def test_unknown_names_are_one_chinese_line(db: Path, args: list[str]) -> None:
    # The lists of accepted words and ids in the hints stay as they are.
    english = run(*args, "--db", str(db)) if args[0] == "log" else run(*args)
    listed = english.stderr
    extra = ["--db", str(db)] if args[0] == "log" else []
    message = assert_same_error_in_chinese(*args, *extra, typed=_listing(listed))
    assert message


def _listing(stderr: str) -> str:
    """The ids and words an English hint lists after a colon (kept in Chinese)."""
    return " ".join(re.findall(r":\s*([a-z0-9 ,'()-]+)[.;]", stderr))
