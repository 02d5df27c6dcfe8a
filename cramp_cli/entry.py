"""The `cramp` console script: answer from the cache when it can, else run the full CLI.

Kept tiny on purpose: on a cache hit nothing else of cramp, nor Typer, Pydantic, PyYAML or
Rich, is imported. `cramp --version` is answered here too, from a constant.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def _make_streams_forgiving() -> None:
    # A terminal or pipe that cannot encode a character gets a "?" instead of a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _quiet_exit_on_closed_pipe() -> NoReturn:
    # The reader went away (`cramp why | head -1`): say nothing, as Click does.
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)


def main() -> NoReturn:
    _make_streams_forgiving()
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from cramp_cli import __version__

        sys.stdout.write(f"cramp {__version__}\n")
        raise SystemExit(0)
    from cramp_cli import cache

    try:
        status = cache.serve(argv)
    except BrokenPipeError:
        _quiet_exit_on_closed_pipe()
    except cache.OutputFailed as failed:
        from cramp_cli.cli import report_output_error

        raise SystemExit(report_output_error(failed.error, argv)) from None
    if status is not None:
        raise SystemExit(status)
    from cramp_cli.cli import app

    try:
        app(prog_name="cramp")
    except SystemExit as done:
        cache.finish(done.code)
        raise
    raise SystemExit(0)
