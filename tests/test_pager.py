"""The pager (issue 13, item 4), on a real pseudo-terminal: an answer taller than the screen goes
through $CRAMP_PAGER, else $PAGER, else `less -FRX`, whole and with its colours; a short one,
a pipe, JSON, `check` and --no-pager never use it; quitting the pager early exits 0 quietly;
Ctrl-C is the pager's, and cramp exits 130 once the pager closes; a pager that cannot start
leaves the answer printed directly."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import NamedTuple

import pytest

CRAMP = [sys.executable, "-m", "cramp_cli"]
LAST_LINE = "not a diagnosis"  # in the disclaimer, at the end of every answer


class Ran(NamedTuple):
    code: int
    screen: str  # what reached the terminal: stdout and stderr


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CRAMP_", "PAGER", "LESS", "COLUMNS", "LINES", "FORCE_COLOR"))
        and key not in ("NO_COLOR", "TTY_COMPATIBLE")
    }
    env.update(
        TERM="xterm-256color",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    env.update(extra)
    return env


def on_pty(
    args: list[str],
    env: dict[str, str],
    *,
    rows: int = 24,
    columns: int = 80,
    interrupt_when: Path | None = None,
    timeout: float = 30,
) -> Ran:
    """Run cramp with stdout and stderr on a new pseudo-terminal of rows x columns (stdin
    /dev/null). With interrupt_when, Ctrl-C goes to the whole process group, as a terminal
    sends it, once that file exists."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    try:
        process = subprocess.Popen(
            [*CRAMP, *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own process group, for the Ctrl-C below
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    interrupted = False
    try:
        while time.monotonic() < deadline:
            if interrupt_when is not None and not interrupted and interrupt_when.exists():
                os.killpg(process.pid, signal.SIGINT)
                interrupted = True
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every copy of the terminal side is closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None and interrupt_when is None:
                break
        else:
            process.kill()
            pytest.fail("cramp did not end in time")
    finally:
        os.close(master)
    code = process.wait(timeout=10)
    return Ran(code, b"".join(chunks).decode("utf-8", "replace"))


def _fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that copies what it is given to a file (and notes $LESS beside it)."""
    out = tmp_path / "paged.txt"
    return f"cat > '{out}'; printf %s \"$LESS\" > '{tmp_path / 'less.txt'}'", out


def _clean(ran: Ran) -> None:
    assert "Traceback" not in ran.screen
    assert "Broken pipe" not in ran.screen and "BrokenPipe" not in ran.screen
    assert "Exception ignored" not in ran.screen


def test_a_tall_answer_goes_whole_through_the_pager_with_its_colours(tmp_path: Path) -> None:
    pager, out = _fake_pager(tmp_path)
    ran = on_pty(["why"], _env(tmp_path, CRAMP_PAGER=pager))
    assert ran.code == 0, ran.screen
    _clean(ran)
    paged = out.read_text(encoding="utf-8")
    assert paged.count("\n") > 24
    assert LAST_LINE in paged  # the whole answer, disclaimer included
    assert "\x1b[" in paged  # Rich's colours, for less -R
    assert LAST_LINE not in ran.screen  # not printed a second time
    assert (tmp_path / "less.txt").read_text() == "FRX"  # as git sets it


def test_pager_is_used_when_cramp_pager_is_unset_and_cramp_pager_wins(tmp_path: Path) -> None:
    pager, out = _fake_pager(tmp_path)
    assert on_pty(["why"], _env(tmp_path, PAGER=pager)).code == 0
    assert LAST_LINE in out.read_text(encoding="utf-8")
    out.unlink()
    ran = on_pty(["why"], _env(tmp_path, PAGER=pager, CRAMP_PAGER=""))  # empty: no pager
    assert not out.exists()
    assert LAST_LINE in ran.screen


def _assert_paged(tmp_path: Path, args: list[str], rows: int = 24, **extra: str) -> None:
    """The control case beside each "no pager" case: here the pager is used."""
    pager, out = _fake_pager(tmp_path)
    ran = on_pty(args, _env(tmp_path, CRAMP_PAGER=pager, **extra), rows=rows)
    assert ran.code == 0, ran.screen
    assert LAST_LINE in out.read_text(encoding="utf-8")
    out.unlink()


NO_PAGER = {
    "fits": (["why"], {}, 400),
    "root-flag": (["--no-pager", "why"], {}, 24),
    "command-flag": (["why", "--no-pager"], {}, 24),
    "subcommand-flag": (["kb", "paths", "--no-pager"], {}, 3),
    "json": (["why", "--json"], {}, 24),
    "plain": (["why", "--format", "plain"], {}, 24),
    "env-format": (["why"], {"CRAMP_FORMAT": "markdown"}, 24),
    "check-list": (["check", "--list"], {}, 5),  # check stays on the screen
    "check-verdict": (["check", "--sign", "one-sided-swelling"], {}, 5),
    "check-flag": (["check", "--list", "--no-pager"], {}, 5),  # taken, though a no-op
}


@pytest.mark.parametrize("case", list(NO_PAGER))
def test_no_pager(tmp_path: Path, case: str) -> None:
    args, extra, rows = NO_PAGER[case]
    _assert_paged(tmp_path, ["lookalikes"], rows=5)
    pager, out = _fake_pager(tmp_path)
    ran = on_pty(args, _env(tmp_path, CRAMP_PAGER=pager, **extra), rows=rows)
    assert ran.code == 0, ran.screen
    assert not out.exists()
    assert LAST_LINE in ran.screen or '"disclaimer"' in ran.screen


@pytest.mark.parametrize("value", ["cat", " "])
def test_cat_or_blank_means_no_pager(tmp_path: Path, value: str) -> None:
    _assert_paged(tmp_path, ["why"])
    ran = on_pty(["why"], _env(tmp_path, CRAMP_PAGER=value, PAGER="false"))
    assert ran.code == 0
    assert LAST_LINE in ran.screen


def test_never_on_a_pipe_even_with_force_color(tmp_path: Path) -> None:
    _assert_paged(tmp_path, ["why"], FORCE_COLOR="1", LINES="10")
    pager, out = _fake_pager(tmp_path)
    done = subprocess.run(
        [*CRAMP, "why"],
        env=_env(tmp_path, CRAMP_PAGER=pager, FORCE_COLOR="1", LINES="10"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "\x1b[" in done.stdout and LAST_LINE in done.stdout
    assert not out.exists()


def test_quitting_the_pager_early_exits_0_quietly(tmp_path: Path) -> None:
    # Reads one line and quits, as q in less does: the rest of the answer has nowhere to go.
    out = tmp_path / "first.txt"
    ran = on_pty(["sources"], _env(tmp_path, CRAMP_PAGER=f"head -n 1 > '{out}'"), rows=10)
    assert ran.code == 0, ran.screen
    _clean(ran)
    assert out.read_text(encoding="utf-8").strip()
    assert LAST_LINE not in ran.screen


def test_ctrl_c_is_the_pager_s_and_cramp_waits_for_it_then_exits_130(tmp_path: Path) -> None:
    # Like less: Ctrl-C does not end it; cramp must not die under it either, and exits 130
    # once the pager is closed, as git does.
    ready, out = tmp_path / "ready", tmp_path / "paged.txt"
    pager = f"trap '' INT; touch '{ready}'; sleep 1; cat > '{out}'"
    ran = on_pty(["why"], _env(tmp_path, CRAMP_PAGER=pager), interrupt_when=ready)
    assert ran.code == 130, ran.screen
    _clean(ran)
    assert LAST_LINE in out.read_text(encoding="utf-8")  # the pager got it all
    assert LAST_LINE not in ran.screen


def test_a_pager_ended_by_ctrl_c_ends_cramp_with_130(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    pager = f"touch '{ready}'; exec sleep 30"
    ran = on_pty(["why"], _env(tmp_path, CRAMP_PAGER=pager), interrupt_when=ready)
    assert ran.code == 130, ran.screen
    _clean(ran)


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "no-such-pager-here -R"])
def test_a_pager_that_cannot_start_leaves_the_answer_printed(tmp_path: Path, pager: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ran = on_pty(["why"], _env(tmp_path, CRAMP_PAGER=pager, PATH=f"{bin_dir}:/usr/bin:/bin"))
    assert ran.code == 0, ran.screen
    _clean(ran)
    assert LAST_LINE in ran.screen
    # Had it started, it would have been used: a `no-such-pager-here` put on the PATH is.
    out = tmp_path / "fake.txt"
    fake = bin_dir / "no-such-pager-here"
    fake.write_text(f"#!/bin/sh\ncat > '{out}'\n", encoding="utf-8")
    fake.chmod(0o755)
    on_pty(
        ["why"],
        _env(tmp_path, CRAMP_PAGER="no-such-pager-here -R", PATH=f"{bin_dir}:/usr/bin:/bin"),
    )
    assert LAST_LINE in out.read_text(encoding="utf-8")


def test_the_default_is_less_with_frx(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "less.txt"
    less = bin_dir / "less"
    less.write_text(f"#!/bin/sh\necho \"$@\" > '{out}'\ncat >> '{out}'\n", encoding="utf-8")
    less.chmod(0o755)
    ran = on_pty(["why"], _env(tmp_path, PATH=f"{bin_dir}:/usr/bin:/bin"))
    assert ran.code == 0, ran.screen
    _clean(ran)
    got = out.read_text(encoding="utf-8")
    assert got.startswith("-FRX\n")
    assert LAST_LINE in got
