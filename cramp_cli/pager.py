"""Answers taller than the terminal go through a pager, the way git does it.

The pager is `$CRAMP_PAGER`, else `$PAGER`, else `less -FRX` (R keeps Rich's colours, F quits
at once when the text fits after all, X leaves the text on the screen). As in git, a value that
is empty or `cat` means no pager, a command with spaces or shell characters runs through
`/bin/sh -c`, and LESS=FRX and LV=-c are set for the pager unless already set.

Only options.emit calls this, and only for the Rich view on a real terminal: it is imported
on a terminal only, and subprocess only when an answer is taller than the screen.

While the pager runs, Ctrl-C is the pager's to handle: less ignores it (q quits), so cramp
waits for the pager to close and then exits 130, as git does after a Ctrl-C. Quitting the
pager, even before it has read everything, is a normal end: exit 0, no "Broken pipe". A pager
that cannot be started (not found, or exit 126 or 127 from the shell) leaves the answer to be
printed directly.
"""

from __future__ import annotations

import os
import signal
import sys
from enum import Enum

DEFAULT = "less -FRX"
# git's list (run-command.c): a command with any of these goes to the shell.
_SHELL_CHARACTERS = frozenset("|&;<>()$`\\\"' \t\n*?[#~=%")


class Paged(Enum):
    SHOWN = "shown"  # the pager ran to its end (or was quit early)
    NOT_STARTED = "not started"  # print the answer directly
    INTERRUPTED = "interrupted"  # Ctrl-C came while the pager ran


def configured() -> str | None:
    """The pager to run, or None for none (an empty value or `cat`, as in git)."""
    for name in ("CRAMP_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            break
    else:
        value = DEFAULT
    value = value.strip()
    if not value or value == "cat":
        return None
    return value


def taller_than_screen(text: str) -> bool:
    """Whether the text needs more lines than the terminal has (a line is kept for the
    shell's prompt)."""
    import shutil

    rows = shutil.get_terminal_size((80, 24)).lines
    return text.count("\n") >= max(rows, 2)


def show(text: str, pager: str) -> Paged:
    """Run the pager on the text and wait for it."""
    import contextlib
    import subprocess

    if pager == DEFAULT:
        argv = DEFAULT.split()  # our own command: no shell needed
    elif _SHELL_CHARACTERS & set(pager):
        argv = ["/bin/sh", "-c", pager]
    else:
        argv = [pager]
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    data = text.encode(encoding, errors="replace")
    sys.stdout.flush()
    interrupted = False

    def wait_for_the_pager(signum: int, frame: object) -> None:
        """Ctrl-C while the pager runs: the pager decides (a handler, not SIG_IGN, so that
        the pager itself starts with the default action); cramp exits 130 after it."""
        nonlocal interrupted
        interrupted = True

    previous = signal.signal(signal.SIGINT, wait_for_the_pager)
    try:
        try:
            process = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
        except (OSError, ValueError):
            return Paged.NOT_STARTED
        assert process.stdin is not None
        # The pager may quit before reading it all (q in less): a normal end, not an error.
        with contextlib.suppress(OSError):
            process.stdin.write(data)
        with contextlib.suppress(OSError):
            process.stdin.close()
        code = process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    if code in (126, 127):  # the shell could not find or run it
        return Paged.NOT_STARTED
    if interrupted or code == -signal.SIGINT:
        return Paged.INTERRUPTED
    return Paged.SHOWN
