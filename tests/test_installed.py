"""The installed command in real subprocesses: pipes, stdin, python -m, another folder.

CI sets CRAMP_INSTALLED_BIN to a cramp installed from the built wheel in a fresh venv;
otherwise the console script beside this Python (the editable install) is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cramp_cli import __version__

SCRIPTS = Path(sys.executable).parent
CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(SCRIPTS / "cramp")


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _cramp(*args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRAMP, *args],
        cwd=cwd,
        env=_env(**extra),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_installed_why_json_from_another_folder(elsewhere: Path) -> None:
    done = _cramp("why", "--json", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["command"] == "why"
    assert document["items"]


def test_python_m_runs_the_same_command(elsewhere: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "--version"],
        cwd=elsewhere,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout == f"cramp {__version__}\n"
    helped = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "--help"],
        cwd=elsewhere,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Usage: cramp" in helped.stdout


def assert_quiet_when_the_reader_leaves(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Read one line of the command's output, close the pipe, and check it ends quietly."""
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert code in (0, 1)


@pytest.mark.parametrize("args", [["why"], ["why", "--json"], ["prevent"]])
def test_closed_pipe_exits_quietly(args: list[str], elsewhere: Path) -> None:
    assert_quiet_when_the_reader_leaves([CRAMP, *args], elsewhere, _env())


def test_ascii_only_stdout_does_not_crash(elsewhere: Path) -> None:
    for args in (["why"], ["relieve", "--muscle", "foot"], ["prevent"]):
        done = _cramp(*args, cwd=elsewhere, PYTHONIOENCODING="ascii")
        assert done.returncode == 0, done.stderr
        assert "UnicodeEncodeError" not in done.stderr
    forced = _cramp("why", cwd=elsewhere, PYTHONIOENCODING="ascii", FORCE_COLOR="1")
    assert forced.returncode == 0, forced.stderr


def test_unknown_muscle_in_a_subprocess(elsewhere: Path) -> None:
    done = _cramp("relieve", "--muscle", "bak-calf", cwd=elsewhere)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "back-calf" in done.stderr
    assert "Traceback" not in done.stderr
