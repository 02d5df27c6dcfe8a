"""The command-line layer: parse arguments, call an answer, hand the result to a renderer.

Errors are caught once, in CrampGroup.invoke: a CrampError becomes one line on stderr and its
exit code; anything else is a bug, reported in one line with exit code 70 (CRAMP_DEBUG=1 shows
the traceback). The output mode is picked here, once: JSON (--json), Rich (a terminal) or plain.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from cramp_cli import __version__, answers
from cramp_cli.errors import CrampError, ExitCode
from cramp_cli.knowledge.loader import load_kb
from cramp_cli.results import Result

ISSUES_URL = "the cramp issue tracker"


class OutputMode(StrEnum):
    JSON = "json"
    PLAIN = "plain"
    RICH = "rich"


def _error_line(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


class CrampGroup(TyperGroup):
    """Turns every error into one line on stderr and a documented exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CrampError as err:
            _error_line(str(err))
            raise typer.Exit(err.exit_code) from None
        except (typer.TyperException, typer.Exit, typer.Abort, BrokenPipeError):
            raise  # usage errors, exits and closed pipes are Typer's to report
        except Exception as err:
            if os.environ.get("CRAMP_DEBUG") == "1":
                raise
            _error_line(
                f"internal error ({type(err).__name__}: {err}). Run again with CRAMP_DEBUG=1 "
                f"and report it on {ISSUES_URL}."
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


app = typer.Typer(
    cls=CrampGroup,
    name="cramp",
    help="Night-time leg cramps: what causes them, what to do now, how to prevent them.",
    epilog="Example: cramp relieve --muscle calf. General information, not a diagnosis.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout, for scripts.")
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour in terminal output (also NO_COLOR=1).")
]
WhoOption = Annotated[
    str | None,
    typer.Option(
        "--who", metavar="TAG", help="Only what applies to TAG (e.g. pregnancy, athletes)."
    ),
]


def _stdout_is_terminal() -> bool:
    """Rich's own rule, without importing Rich: FORCE_COLOR and TTY_COMPATIBLE win over isatty."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in {"0", "1"}:
        return tty_compatible == "1"
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _mode(as_json: bool) -> OutputMode:
    if as_json:
        return OutputMode.JSON
    return OutputMode.RICH if _stdout_is_terminal() else OutputMode.PLAIN


def emit(result: Result, as_json: bool, no_color: bool = False) -> None:
    """Print a result once, in the chosen mode. Only the Rich view imports rich."""
    mode = _mode(as_json)
    if mode is OutputMode.JSON:
        from cramp_cli.render.json_view import render_json

        sys.stdout.write(render_json(result))
    elif mode is OutputMode.PLAIN:
        from cramp_cli.render.plain import render_plain

        sys.stdout.write(render_plain(result))
    else:
        from cramp_cli.render.rich_view import make_console, render_rich

        make_console(no_color=no_color).print(render_rich(result))
    sys.stdout.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cramp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Night-time leg cramps: what causes them, what to do now, how to prevent them."""


@app.command(epilog="Example: cramp why --who pregnancy")
def why(
    who: WhoOption = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when", metavar="TAG", help="Only what applies at TAG (e.g. night, after-exercise)."
        ),
    ] = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Show what can bring on night leg cramps, and how sure we are."""
    emit(answers.why(load_kb(), who=who, when=when), as_json, no_color)


@app.command(epilog="Example: cramp relieve --muscle calf")
def relieve(
    muscle: Annotated[
        str | None,
        typer.Option(
            "--muscle",
            "-m",
            metavar="NAME",
            help="The cramping muscle: a name from 'cramp muscles' (calf, shin, foot, ...). "
            "Without it, the measures that help any cramp.",
        ),
    ] = None,
    list_names: Annotated[
        bool, typer.Option("--list", help="Print the muscle ids, one per line, and exit.")
    ] = False,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Show what to do right now, step by step, for a cramping muscle."""
    kb = load_kb()
    if list_names:
        sys.stdout.write("".join(f"{item.id}\n" for item in kb.muscles))
        return
    emit(answers.relieve(kb, muscle), as_json, no_color)


@app.command(epilog="Example: cramp prevent --who older-adults")
def prevent(
    who: WhoOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Show how to make cramps less likely to come back."""
    emit(answers.prevent(load_kb(), who=who), as_json, no_color)


@app.command(epilog="Example: cramp muscles --json | jq -r '.items[].id'")
def muscles(as_json: JsonOption = False, no_color: NoColorOption = False) -> None:
    """List the muscles and the names they answer to."""
    emit(answers.muscles(load_kb()), as_json, no_color)


def _make_streams_forgiving() -> None:
    # A terminal or pipe that cannot encode a character gets a "?" instead of a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main() -> NoReturn:
    _make_streams_forgiving()
    app(prog_name="cramp")
    raise SystemExit(0)  # app() always exits; this keeps the type checker honest
