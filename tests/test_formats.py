"""Output formats and odd terminals: --format, colour variables, narrow widths, ASCII streams."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from cramp_cli.wording import DISCLAIMER
from tests.conftest import run, run_json
from tests.test_installed import CRAMP, _env

LISTING = [
    ["why"],
    ["relieve", "--muscle", "calf"],
    ["prevent"],
    ["muscles"],
    ["sources"],
    ["lookalikes"],
    ["search", "calf"],
    ["check", "--list"],
]
ANSI = re.compile(r"\x1b\[")
BOXES = set("─│╭╮╰╯━┃┏┓┗┛")


@pytest.mark.parametrize("args", LISTING, ids=" ".join)
def test_jsonl_is_one_item_per_line_with_the_disclaimer(args: list[str]) -> None:
    result = run(*args, "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    expected = run_json(*args)["items"]
    assert len(lines) == len(expected)
    for line, item in zip(lines, expected, strict=True):
        document = json.loads(line)
        assert document.pop("disclaimer") == DISCLAIMER
        assert document.pop("lang") == "en"
        if "user_claims" in run_json(*args):
            assert document.pop("user_claim") is False  # the built-in knowledge base only
        assert document == item


def test_a_check_verdict_in_jsonl_is_one_line() -> None:
    result = run("check", "--sign", "numbness", "--format", "jsonl")
    [line] = result.stdout.splitlines()
    assert json.loads(line) == run_json("check", "--sign", "numbness")


@pytest.mark.parametrize("args", LISTING, ids=" ".join)
def test_markdown_has_a_heading_no_terminal_codes_and_the_disclaimer(args: list[str]) -> None:
    result = run(*args, "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert not ANSI.search(result.stdout)
    assert not BOXES & set(result.stdout)
    assert result.stdout.rstrip().endswith("*")
    assert "not a diagnosis" in result.stdout


def test_markdown_escapes_knowledge_base_text() -> None:
    out = run("relieve", "--muscle", "calf", "--format", "markdown").stdout
    assert "1. " in out and "**Hold:**" in out
    table = run("why", "--format", "markdown").stdout
    assert "| Id | Title | Evidence | Summary |" in table


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "json"], "json"),
        (["-f", "json"], "json"),
        (["--format", "JSON"], "json"),
        (["--format", "plain"], "plain"),
        (["--format", "table"], "table"),
    ],
)
def test_format_spellings(args: list[str], expected: str) -> None:
    out = run("muscles", *args).stdout
    if expected == "json":
        assert json.loads(out)["command"] == "muscles"
    elif expected == "plain":
        assert out.splitlines()[0] == "back-calf"
    else:
        assert "Also answers to" in out


def test_json_and_a_different_format_disagree() -> None:
    result = run("why", "--json", "--format", "plain")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_json_and_format_json_agree() -> None:
    assert json.loads(run("why", "--json", "--format", "json").stdout)["command"] == "why"


def test_unknown_format_is_a_usage_error() -> None:
    result = run("why", "--format", "yaml")
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("env", "args", "colour", "boxes"),
    [
        ({}, [], False, False),  # a pipe: plain text
        ({"FORCE_COLOR": "1"}, [], True, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False, True),  # NO_COLOR wins over colour
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, [], True, True),  # an empty NO_COLOR is unset
        ({"FORCE_COLOR": "1"}, ["--no-color"], False, True),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, [], False, True),
        ({"TTY_COMPATIBLE": "1"}, [], None, True),  # a terminal, whatever its colours
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, [], False, False),  # not a terminal
    ],
)
def test_colour_follows_the_environment(
    env: dict[str, str], args: list[str], colour: bool | None, boxes: bool
) -> None:
    out = run("relieve", "--muscle", "calf", *args, env=env).stdout
    if colour is not None:
        assert bool(re.search(r"\x1b\[[0-9;]*3[0-9]m", out)) is colour
    assert bool(BOXES & set(out)) is boxes


@pytest.mark.parametrize("columns", ["20", "40", "200"])
@pytest.mark.parametrize("args", [["why"], ["relieve", "--muscle", "foot"], ["check", "--none"]])
def test_any_width_works(columns: str, args: list[str]) -> None:
    result = run(*args, env={"FORCE_COLOR": "1", "COLUMNS": columns})
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        assert len(re.sub(r"\x1b\[[0-9;]*m", "", line)) <= int(columns)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert " ".join(shown.split()).endswith(DISCLAIMER)


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "ascii", "FORCE_COLOR": "1"},
        {"PYTHONIOENCODING": "latin-1", "FORCE_COLOR": "1"},
    ],
    ids=["ascii", "lang-c", "ascii-rich", "latin1-rich"],
)
@pytest.mark.parametrize("args", [["why"], ["relieve", "--muscle", "calf"], ["check", "--none"]])
def test_a_narrow_encoding_never_crashes(env: dict[str, str], args: list[str]) -> None:
    done = subprocess.run(
        [CRAMP, *args],
        env=_env(**env),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"UnicodeEncodeError" not in done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize(
    "command",
    [
        "cramp why | head -1",
        "cramp why --json | head -c 10",
        "cramp prevent --format jsonl | head -1",
    ],
)
def test_cut_short_by_head_exits_quietly(command: str) -> None:
    shell = command.replace("cramp", CRAMP)
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert "BrokenPipe" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    ("args", "as_json"),
    [
        (["why"], False),
        (["why", "--json"], True),
        (["relieve", "--muscle", "calf", "--format", "jsonl"], True),
    ],
)
def test_a_full_disk_behind_stdout_is_a_one_line_error(args: list[str], as_json: bool) -> None:
    # It must say why, once, and exit 1, never an "internal error" or a traceback.
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [CRAMP, *args], env=_env(), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    if as_json:
        error = json.loads(lines[0])["error"]
        assert error["code"] == "output"
        assert error["message"] == "cannot write the answer (No space left on device)."
    else:
        assert lines[0] == "Error: cannot write the answer (No space left on device)."
