"""CRAMP_FORMAT, the default --format (issue 13, item 10): the command line wins, `json` means
nothing is asked and errors are JSON, an empty value is unset, and a format a command cannot
give is one line naming the variable (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run, usage_error


@pytest.mark.parametrize("command", [["why"], ["muscles"], ["kb", "paths"], ["check", "--none"]])
def test_json_from_the_variable(command: list[str]) -> None:
    result = run(*command, env={"CRAMP_FORMAT": "json"})
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["command"].replace(" ", "-") == "-".join(
        command[:2] if command[0] == "kb" else command[:1]
    )


def test_each_format_and_any_case() -> None:
    assert run("muscles", env={"CRAMP_FORMAT": "Markdown"}).stdout.startswith("#")
    lines = run("why", env={"CRAMP_FORMAT": "jsonl"}).stdout.splitlines()
    assert len(lines) > 1 and all(json.loads(line) for line in lines)
    table = run("muscles", env={"CRAMP_FORMAT": "table"}).stdout
    assert any(character in table for character in "─━│┃")  # Rich, even on a pipe


def test_the_command_line_wins() -> None:
    assert run("why", env={"CRAMP_FORMAT": "json"}).stdout.startswith("{")
    plain = run("why", "--format", "plain", env={"CRAMP_FORMAT": "json"})
    assert plain.exit_code == 0 and not plain.stdout.startswith("{")
    as_json = run("why", "--json", env={"CRAMP_FORMAT": "markdown"})
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["command"] == "why"


@pytest.mark.parametrize("value", ["", "  "])
def test_empty_is_unset(value: str) -> None:
    result = run("why", env={"CRAMP_FORMAT": value})
    assert result.exit_code == 0
    assert result.stdout == run("why").stdout  # plain, as on any pipe
    # and a set value is not (the check above would pass if the variable did nothing)
    assert run("why", env={"CRAMP_FORMAT": "json"}).stdout.startswith("{")


@pytest.mark.parametrize("command", [["why"], ["kb", "paths"], ["check", "--none"]])
def test_a_format_the_command_cannot_give_names_the_variable(command: list[str]) -> None:
    line = usage_error(run(*command, env={"CRAMP_FORMAT": "csv"}))
    name = " ".join(command[:2] if command[0] == "kb" else command[:1])
    assert line.startswith(f"Error: CRAMP_FORMAT=csv: 'cramp {name}' cannot give csv; it gives ")
    assert "table, plain, markdown, json, jsonl" in line


def test_an_odd_value_is_shown_safely_and_clipped() -> None:
    line = usage_error(run("why", env={"CRAMP_FORMAT": "x\x1b[31m" + "y" * 300}))
    assert "\x1b" not in line and len(line) < 400
    assert "CRAMP_FORMAT=" in line


def test_json_from_the_variable_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if on a terminal: without the variable the questions would start.
    monkeypatch.setattr("cramp_cli.commands.triage.can_prompt", lambda: True)
    result = run("check", env={"CRAMP_FORMAT": "json"})
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]  # errors are JSON too
    assert error["message"].startswith("no answers given")
    assert "Question 1" not in result.stderr


def test_errors_are_json_with_the_variable_and_text_with_another_format_given() -> None:
    result = run("relieve", "elbow", env={"CRAMP_FORMAT": "json"})
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["code"] == "unknown-name"
    plain = run("relieve", "elbow", "--format", "plain", env={"CRAMP_FORMAT": "json"})
    assert plain.stderr.startswith("Error: unknown muscle")


def test_export_keeps_its_own_format(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite3"
    result = run("export", "--db", str(db), env={"CRAMP_FORMAT": "table"})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["count"] == 0
    # while an answer command in the same environment gives the table
    assert "─" in run("muscles", env={"CRAMP_FORMAT": "table"}).stdout


def test_the_variable_is_in_the_help_of_format() -> None:
    assert "CRAMP_FORMAT" in " ".join(run("why", "--help").stdout.split())


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--format", "table"], {}), ([], {"CRAMP_FORMAT": "table"})],
    ids=["flag", "variable"],
)
def test_history_as_a_table_shows_names_however_the_table_was_asked_for(
    tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    db = str(tmp_path / "diary.sqlite3")
    logged = run("log", "--muscle", "calf", "--minutes", "2", "--db", db, "--json")
    assert logged.exit_code == 0, logged.stderr
    out = run("history", "--db", db, *args, env=env).stdout
    assert "back-calf" not in out  # the id is for scripts
    assert "calf" in out.lower()
