"""The `cramp` console script (and `python -m cramp_cli`): a tiny front door to the CLI.

Kept tiny on purpose: `cramp --version` is answered here from a constant, without importing
Typer or anything else of cramp; every other command line goes to cramp_cli.cli.main. Nothing
in cramp imports this module back.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

from cramp_cli import streams


def main() -> NoReturn:
    # Start-up allocates a great deal and frees almost none of it: a full collection of the
    # cyclic garbage collector in the middle of it scans everything for nothing (measured:
    # 3 ms of a JSON answer, 10 ms of a Rich one). The CLI turns it back on, with what start-up
    # built frozen, before a command does its work (cramp_cli.cli.resume_gc).
    gc.disable()
    streams.make_forgiving()
    if sys.argv[1:] == ["--version"]:
        from cramp_cli import __version__

        try:
            sys.stdout.write(f"cramp {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            streams.quiet_exit_on_closed_pipe()
        raise SystemExit(0)
    from cramp_cli.cli import main as cli_main

    cli_main()
