"""The process's standard streams, made safe once at start-up; the standard library only.

Shared by the console entry (cramp_cli.entry), which must stay light, and cramp_cli.cli.main.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def make_forgiving() -> None:
    """A terminal or pipe that cannot encode a character gets a "?" instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def quiet_exit_on_closed_pipe() -> NoReturn:
    """The reader went away (`cramp why | head -1`): say nothing and exit 1, as Click does.

    stdout is pointed at the null device first, so the interpreter's last flush at exit
    cannot fail again and print "Exception ignored".
    """
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)
