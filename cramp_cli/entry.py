"""The `cramp` console script (and `python -m cramp_cli`): a tiny front door to the CLI.

Ctrl-C is taken over by the first statements below, before anything heavy is imported: until
main() is under way it ends the process at once with exit code 130 (nothing has started that
could need cleaning up), and from then on it raises KeyboardInterrupt, so that every `finally`
and `with` of the command still runs, and main() turns it into 130. No traceback either way.

Kept tiny on purpose: the standard library's signal, os and sys only. `cramp --version` is
answered here from a constant, without importing Typer or anything else of cramp; every other
command line goes to cramp_cli.cli.main. Nothing in cramp imports this module back.
"""

import signal

_armed = False  # True while main() runs: Ctrl-C raises KeyboardInterrupt instead of exiting


def _interrupted(signum: int, frame: object) -> None:
    if _armed:
        raise KeyboardInterrupt
    import os

    os._exit(130)  # before main() or after it: there is nothing to clean up, nothing to say


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started ignoring it
    signal.signal(signal.SIGINT, _interrupted)

import gc  # noqa: E402  (after the handler on purpose)
import sys  # noqa: E402

from cramp_cli import streams  # noqa: E402


def _run() -> None:
    # Start-up allocates a great deal and frees almost none of it: a full collection of the
    # cyclic garbage collector in the middle of it scans everything for nothing (measured:
    # 3 ms of a JSON answer, 10 ms of a Rich one). The CLI turns it back on, with what start-up
    # built frozen, before a command does its work (cramp_cli.cli.resume_gc).
    gc.disable()
    if sys.argv[1:] == ["--version"]:
        from cramp_cli import __version__

        sys.stdout.write(f"cramp {__version__}\n")
        return
    _choose_language()
    from cramp_cli.cli import main as cli_main

    cli_main()


def _choose_language() -> None:
    """Choose the language of this run before Typer is imported (it translates some of its
    words at import)."""
    import os

    from cramp_cli import i18n
    from cramp_cli.i18n import language

    choice = language.choose(sys.argv[1:], os.environ)
    # `--lang` with a language cramp lacks (choice.error): English here, and the CLI reports
    # the usage error as it reports any other (one line, or JSON with --json; exit 2).
    for line in (choice.warning, choice.note):
        if line is not None:
            sys.stderr.write(line + "\n")
    i18n.set_current(choice.code)


def _unraisable(hook_args: "sys.UnraisableHookArgs") -> None:
    """Ctrl-C can land in code whose exceptions Python can only print and ignore (a weakref
    callback of the import system): send it again, so that it arrives once this hook has
    returned and stops cramp, instead of printing "Exception ignored" and going on. (Sent
    from here, it would land in this hook, another place that can only ignore it.)"""
    if isinstance(hook_args.exc_value, KeyboardInterrupt):
        import _thread
        import os
        import time

        def again() -> None:
            time.sleep(0.001)
            os.kill(os.getpid(), signal.SIGINT)

        _thread.start_new_thread(again, ())
        return
    sys.__unraisablehook__(hook_args)


def main() -> None:
    """Run cramp and exit: 130 after Ctrl-C, 1 when the answer could not be written."""
    global _armed
    code: int | str | None = 0
    sys.unraisablehook = _unraisable
    try:
        try:
            _armed = True
            streams.repair()
            _run()
        finally:
            _armed = False
    except KeyboardInterrupt:
        code = 130
    except SystemExit as done:
        code = done.code
    except Exception as err:  # the CLI's own catch-all missed it
        code = streams.failure(err)
    raise SystemExit(streams.finish(code))
