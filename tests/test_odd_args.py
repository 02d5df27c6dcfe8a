"""Odd values where cramp expects a name: empty, huge, non-Latin, emoji, control characters
and paths. Each is a usage error (exit 2) with nothing on stdout and one short error line on
stderr that never echoes a huge value in full, never writes a raw control character to the
terminal, and never shows a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

HUGE = "x" * 100_000

ODD_VALUES = {
    "empty": "",
    "blank": "   ",
    "huge": HUGE,
    "german": "kälb",
    "japanese": "ふくらはぎ",
    "emoji": "🦵",
    "escape": "\x1b[31m",
    "nul": "calf\x00",
    "newline": "calf\nhacked",
    "tab": "calf\tx",
    "bidi": "calf\u202e",
    "etc-passwd": "/etc/passwd",
    "relative-path": "../data/causes.yaml",
    "dash-path": "./calf",
}

# (command before the value, command after the value)
TARGETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "relieve --muscle": (("relieve", "--muscle"), ()),
    "why --who": (("why", "--who"), ()),
    "why --when": (("why", "--when"), ()),
    "prevent --who": (("prevent", "--who"), ()),
    "check --sign": (("check", "--sign"), ()),
    "check --region": (("check", "--region"), ("--none",)),
    "show ID": (("show",), ()),
    "sources ID": (("sources",), ()),
    "search TEXT": (("search",), ()),
    "kb show ID": (("kb", "show"), ()),
    "schema COMMAND": (("schema",), ()),
    "why --min-evidence": (("why", "--min-evidence"), ()),
    "prevent --min-evidence": (("prevent", "--min-evidence"), ()),
    "why --format": (("why", "--format"), ()),
}

# Free text: any printable words are a fair search, answered with "no match" or results.
SEARCHABLE = {"german", "japanese", "emoji", "etc-passwd", "relative-path", "dash-path"}

BLANK = {"empty", "blank"}

# Click's own parse errors keep its two-line "Usage: ... / Try '... -h'" preamble (the project's
# convention keeps Click's format); the error itself is still one line.
CLICK_PREAMBLE = ("Usage: ", "Try '")


def _error_line(stderr: str, huge: str = HUGE) -> str:
    assert "Traceback" not in stderr
    assert "\x1b" not in stderr, "a raw escape sequence reached the terminal"
    assert "\x00" not in stderr
    assert "\u202e" not in stderr
    assert huge[:1000] not in stderr, "the huge value was echoed"
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, stderr[:600]
    others = [line for line in lines if not line.startswith("Error: ")]
    assert all(line.startswith(CLICK_PREAMBLE) for line in others), stderr[:600]
    assert len(stderr) < 400, f"{len(stderr)} characters: {stderr[:300]}"
    return errors[0]


def _cases() -> list[Any]:
    cases = []
    for target, (before, after) in TARGETS.items():
        for name, value in ODD_VALUES.items():
            cases.append(pytest.param(before, value, after, id=f"{target}={name}"))
    return cases


@pytest.mark.parametrize(("before", "value", "after"), _cases())
def test_odd_value_is_a_usage_error(
    before: tuple[str, ...], value: str, after: tuple[str, ...]
) -> None:
    name = next(key for key, odd in ODD_VALUES.items() if odd == value)
    result = run(*before, value, *after)
    if before == ("search",) and name in SEARCHABLE:
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        return
    if before == ("check", "--region") and name in BLANK:
        # deliberate: a blank region is no region, so a check still gives its advice
        assert result.exit_code == 0, result.stderr
        assert "Level: self-care" in result.stdout
        return
    assert result.exit_code == 2, (result.exit_code, result.stdout[:300], result.stderr[:300])
    assert result.stdout == ""
    _error_line(result.stderr)


@pytest.mark.parametrize("value", ["kälb", "ふくらはぎ", "🦵"])
def test_search_for_unicode_says_no_match(value: str) -> None:
    result = run("search", value)
    assert result.exit_code == 0
    assert "No match" in result.stdout
    assert value in result.stdout


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [
        pytest.param(before, value, after, id=f"{target}=json")
        for target, (before, after) in TARGETS.items()
        for value in (HUGE, "\x1b[31m")
    ],
)
def test_odd_value_with_json_gives_one_json_error(
    before: tuple[str, ...], value: str, after: tuple[str, ...]
) -> None:
    import json

    result = run(*before, value, *after, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    if before == ("schema",):
        # `cramp schema` prints a schema, not a --json document: --json is an unknown option
        assert "--json" in result.stderr
        return
    document = json.loads(result.stderr)
    assert set(document) == {"error", "lang"}
    assert document["error"]["code"] in {"usage", "unknown-name"}
    assert len(result.stderr) < 600
    assert "\x1b" not in result.stderr
    assert HUGE[:1000] not in result.stderr


@pytest.mark.parametrize(
    "region", ["", "   ", HUGE, "\x1b[31m", "mars", "ふくらはぎ", "/etc/passwd"], ids=repr
)
def test_odd_cramp_region(monkeypatch: pytest.MonkeyPatch, region: str) -> None:
    monkeypatch.setenv("CRAMP_REGION", region)
    result = run("check", "--none")
    if not region.strip():
        # an empty variable is the same as none set
        assert result.exit_code in (0, 2), result.stderr
        if result.exit_code == 0:
            return
    assert result.exit_code == 2, result.stdout[:300]
    assert result.stdout == ""
    _error_line(result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        [HUGE],
        ["--" + HUGE],
        ["why", "--" + HUGE],
        ["kb", HUGE],
        ["why", "--format", "x" + HUGE],
        ["search", "calf", "--limit", HUGE],
        ["check", "--minutes", HUGE],
    ],
    ids=["command", "root-option", "option", "kb-command", "format", "limit", "minutes"],
)
def test_huge_commands_and_options_are_not_echoed(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    _error_line(result.stderr)


@pytest.mark.parametrize("value", ["kälb", "🦵", "\x1b[31m", ""], ids=repr)
def test_odd_unknown_commands(value: str) -> None:
    result = run(value)
    assert result.exit_code == 2
    assert result.stdout == ""
    _error_line(result.stderr)


def test_bare_cramp_exits_2_with_help() -> None:
    result = run()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage: cramp" in result.stderr
    assert "relieve" in result.stderr


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_exits_0(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert "Usage: cramp" in result.stdout
    assert result.stderr == ""


# ---------------------------------------------------------------- the installed command

SCRIPTS = Path(sys.executable).parent
CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(SCRIPTS / "cramp")


def _cramp(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    env.update(PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [CRAMP, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["relieve", "--muscle", HUGE],
        ["relieve", "--muscle", ""],
        ["why", "--who", "ふくらはぎ"],
        ["prevent", "--who", "🦵"],
        ["check", "--sign", "\x1b[31m"],
        ["show", "/etc/passwd"],
        ["sources", "../data/causes.yaml"],
        ["kb", "show", HUGE],
        ["schema", "\x1b[31m"],
        ["schema", HUGE],
        ["why", "--format", HUGE],
        ["why", "--min-evidence", "kälb"],
        [HUGE],
    ],
    ids=lambda args: " ".join(arg[:12].encode("unicode_escape").decode() for arg in args),
)
def test_installed_command_with_odd_values(args: list[str], tmp_path: Path) -> None:
    done = _cramp(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[:300]
    assert done.stdout == b""
    _error_line(done.stderr.decode("utf-8"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX arguments are bytes")
@pytest.mark.parametrize(
    "args",
    [
        [b"relieve", b"--muscle", b"\xff\xfe"],
        [b"why", b"--who", b"caf\xe9"],
        [b"schema", b"\xff"],
        [b"why", b"--format", b"\xff"],
        [b"kb", b"show", b"\xc3"],
    ],
    ids=lambda args: b" ".join(args).decode("latin-1"),
)
def test_installed_command_with_arguments_that_are_not_utf_8(
    args: list[bytes], tmp_path: Path
) -> None:
    done = _cramp(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[:300]
    assert done.stdout == b""
    _error_line(done.stderr.decode("utf-8", "replace"))


def test_installed_bare_cramp_and_help(tmp_path: Path) -> None:
    bare = _cramp(cwd=tmp_path)
    assert bare.returncode == 2
    assert bare.stdout == b""
    assert b"Usage: cramp" in bare.stderr
    helped = _cramp("-h", cwd=tmp_path)
    assert helped.returncode == 0
    assert b"Usage: cramp" in helped.stdout
    assert b"Traceback" not in helped.stderr


def test_bare_kb_group_shows_its_whole_help() -> None:
    result = run("kb")
    assert "Usage: cramp kb" in result.stdout + result.stderr
    for command in ("paths", "show", "validate"):
        assert command in result.stdout + result.stderr


def test_bare_cramp_help_is_not_cut_short() -> None:
    result = run()
    for command in ("why", "relieve", "prevent", "check", "kb", "schema"):
        assert f"  {command} " in result.stderr, command
