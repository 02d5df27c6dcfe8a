"""Shared fixtures: every test runs with a clean environment and its own folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cramp_cli import i18n
from cramp_cli.cli import app

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

_ISOLATED = (
    "CRAMP_DATA_DIR",
    "CRAMP_KB",
    "CRAMP_REGION",
    "CRAMP_DB",
    "CRAMP_NO_CACHE",
    "CRAMP_CACHE_DIR",
    "CRAMP_DEBUG",
    "CRAMP_MAX_KB_BYTES",
    "CRAMP_FORMAT",
    "CRAMP_PAGER",
    "PAGER",
    "LESS",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TERM",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _ISOLATED:
        monkeypatch.delenv(name, raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("COLUMNS", "80")
    # The language: English unless a test chooses another (the machine's locale must not
    # decide; real processes get these variables too).
    for name in ("CRAMP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # An in-process run leaves its language set until the next run: each test starts in English.
    i18n.set_current(i18n.ENGLISH)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    """Invoke cramp in-process; unexpected exceptions fail the test loudly."""
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def run_json(*args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, for breaking on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


def usage_error(result: Any) -> str:
    """A usage error: exit 2, nothing on stdout, one line on stderr.

    Returns the line as a person reads it; with --json the line is {"error": {...}}, and the
    same "Error: message hint" text is rebuilt from it.
    """
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    line: str = lines[0]
    if line.startswith("{"):
        error = json.loads(line)["error"]
        assert error["code"] in ("usage", "unknown-name")
        line = f"Error: {error['message']} {error['hint'] or ''}".rstrip()
    return line
