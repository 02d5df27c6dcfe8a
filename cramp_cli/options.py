"""Options and output shared by every command: the format flags, and printing a result once.

The format is picked here: JSON or JSON lines when asked, Rich tables on a terminal, plain text
otherwise. Only the table view imports rich, so piped and JSON output never pay for it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cramp_cli import completion, i18n, locations
from cramp_cli.errors import CrampError, ExitCode, UsageError
from cramp_cli.i18n.text import N_, _

if TYPE_CHECKING:
    from cramp_cli.diary.store import Diary
    from cramp_cli.knowledge.kb import KnowledgeBase
    from cramp_cli.knowledge.models import Muscle
    from cramp_cli.results import Result


class _Session:
    """What the root options (`cramp --kb PATH ...`) say for this one invocation."""

    kb_paths: tuple[Path, ...] = ()
    # False after the deprecated `cramp --no-cache`: the compiled store of the user's own
    # knowledge-base files is neither read nor written (see locations.kb_store_dir).
    use_store: bool = True
    # False after --no-pager, and for the commands that must stay on the screen (check, now).
    pager: bool = True


SESSION = _Session()


def current_kb() -> KnowledgeBase:
    """The knowledge base with the user's layers (--kb, CRAMP_KB, user folder) on top."""
    from cramp_cli.knowledge.load import load_kb

    return load_kb(SESSION.kb_paths, use_store=SESSION.use_store)


class OutputFormat(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"


MACHINE_FORMATS = {OutputFormat.JSON, OutputFormat.JSONL}
# The default format of every command with --format, when the command line names none.
FORMAT_VARIABLE = "CRAMP_FORMAT"


JsonOption = Annotated[
    bool, typer.Option("--json", help=N_("Print one JSON document on stdout, for scripts."))
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help=N_(
            "Output format. Default: CRAMP_FORMAT if set, else table on a terminal and "
            "plain otherwise. jsonl prints one item per line."
        ),
        case_sensitive=False,
    ),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        envvar="CRAMP_DB",
        parser=lambda value: Path(locations.given_path(value, "--db")),
        help=N_("The diary file. Default: diary.sqlite3 in cramp's user data folder."),
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help=N_("No colour in terminal output (also NO_COLOR=1)."))
]
MinEvidenceOption = Annotated[
    str | None,
    typer.Option(
        "--min-evidence",
        metavar="GRADE",
        help=N_(
            "Only what has at least this grade, strongest first: strong (or good, good "
            "evidence), moderate (or some, some evidence), weak, none (or no evidence, no evidence "
            "found), against (or evidence against). Case, spaces and hyphens do not matter."
        ),
    ),
]
WhoOption = Annotated[
    str | None,
    typer.Option(
        "--who",
        metavar="TAG",
        help=N_("Only what applies to TAG (e.g. pregnancy, athletes)."),
        autocompletion=completion.who_tags,
    ),
]


def examples(*commands: str) -> str:
    """A command's examples for its --help, one per line: the \\b line tells Click not to
    re-wrap them into one paragraph."""
    label = N_("Examples:") if len(commands) > 1 else N_("Example:")
    return "\b\n" + label + "\n" + "\n".join(f"  {command}" for command in commands)


def muscle_option(description: str) -> Any:
    """`--muscle NAME`, completing muscle names and aliases; the help text per command."""
    return typer.Option(
        "--muscle", "-m", metavar="NAME", help=description, autocompletion=completion.muscles
    )


def stdout_is_terminal() -> bool:
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


def _command_path() -> str:
    """'cramp why', 'cramp kb paths': the command running, for messages."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "cramp"


def format_from_environment() -> OutputFormat | None:
    """CRAMP_FORMAT, the default format when the command line names none (empty is unset);
    a value that is not a format is a usage error naming the variable."""
    value = os.environ.get(FORMAT_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return OutputFormat(value.lower())
    except ValueError:
        pass
    shown = value if len(value) <= 40 else value[:37] + "..."
    if not shown.isprintable() or " " in shown:
        shown = repr(shown)
    formats = ", ".join(item.value for item in OutputFormat)
    raise UsageError(
        f"{FORMAT_VARIABLE}={shown}: '{_command_path()}' cannot give {shown}; it gives {formats}.",
        hint=f"Set {FORMAT_VARIABLE} to one of them, or unset it.",
    )


def chosen_format(as_json: bool, fmt: OutputFormat | None) -> OutputFormat:
    """The format to print in: --json or --format, else CRAMP_FORMAT, else table on a
    terminal and plain otherwise."""
    if as_json and fmt not in (None, OutputFormat.JSON):
        raise UsageError(
            _("--json and --format {format} disagree: give one of them.").format(format=fmt.value)
        )
    if as_json:
        return OutputFormat.JSON
    if fmt is not None:
        return fmt
    default = format_from_environment()
    if default is not None:
        return default
    return OutputFormat.TABLE if stdout_is_terminal() else OutputFormat.PLAIN


def machine_output(as_json: bool, fmt: OutputFormat | None) -> bool:
    """Whether the output is for a program (JSON, JSON lines): then nothing is asked."""
    return chosen_format(as_json, fmt) in MACHINE_FORMATS


def emit(
    result: Result, as_json: bool, fmt: OutputFormat | None = None, no_color: bool = False
) -> None:
    """Print a result once, in the chosen format. Only the table view imports rich."""
    chosen = chosen_format(as_json, fmt)
    if chosen is OutputFormat.JSON:
        from cramp_cli.render.json_view import render_json

        text = render_json(result)
    elif chosen is OutputFormat.JSONL:
        from cramp_cli.render.json_view import render_jsonl

        text = render_jsonl(result)
    elif chosen is OutputFormat.PLAIN:
        from cramp_cli.render.plain import render_plain

        text = render_plain(result)
    elif chosen is OutputFormat.MARKDOWN:
        from cramp_cli.render.markdown import render_markdown

        text = render_markdown(result)
    else:
        from cramp_cli.render.rich_view import make_console, render_rich

        console = make_console(no_color=no_color)
        with console.capture() as captured:
            console.print(render_rich(result))
        text = captured.get()
        if SESSION.pager and _page(text):
            return
    sys.stdout.write(text)
    sys.stdout.flush()


def _page(text: str) -> bool:
    """Show a Rich answer through the pager when stdout is a real terminal (not a pipe with
    FORCE_COLOR) and the answer is taller than the screen; False to print it directly."""
    try:
        if not os.isatty(sys.stdout.fileno()):
            return False
    except (AttributeError, ValueError, OSError):
        return False
    from cramp_cli import pager

    command = pager.configured()
    if command is None or not pager.taller_than_screen(text):
        return False
    paged = pager.show(text, command)
    if paged is pager.Paged.INTERRUPTED:
        raise typer.Exit(ExitCode.INTERRUPTED)
    return paged is pager.Paged.SHOWN


def error_line(message: str) -> None:
    typer.echo(_("Error: ") + message, err=True)


def json_error(code: str, message: str, hint: str | None) -> None:
    import json

    document = {"error": {"code": code, "message": message, "hint": hint}, "lang": i18n.current()}
    typer.echo(json.dumps(document, ensure_ascii=True), err=True)


def report_error(err: CrampError, as_json: bool) -> None:
    """One line on stderr, or a JSON error object when the command asked for JSON."""
    if as_json:
        json_error(err.code, err.message, err.hint)
    else:
        error_line(str(err))


def can_prompt() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


_Reply = TypeVar("_Reply")


def ask_on_stderr(ask: Callable[[], _Reply], keep_interrupt: bool = False) -> _Reply | None:
    """Run a Typer prompt with everything it prints on stderr, so stdout carries only the
    result; None when the input ends first. Ctrl-C exits 130, not Click's "Aborted!";
    with `keep_interrupt` it raises KeyboardInterrupt for the caller to finish first."""
    try:
        # input() writes the prompt's last character to stdout: send it to stderr too.
        with contextlib.redirect_stdout(sys.stderr):
            return ask()
    except typer.Abort as err:
        typer.echo(err=True)
        if isinstance(err.__context__, KeyboardInterrupt):
            if keep_interrupt:
                raise KeyboardInterrupt from None
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        return None


def ask_which_muscle(muscles: Sequence[Muscle], question: str | None = None) -> str | None:
    """Which of the muscles a shared name fits, by number or id; None for no answer (an
    empty one, or the end of input)."""
    question = question if question is not None else _("Which one?")
    for number, muscle in enumerate(muscles, start=1):
        typer.echo(f"  {number}. {muscle.name} ({muscle.id})", err=True)
    choices = {str(number): muscle.id for number, muscle in enumerate(muscles, start=1)}
    choices.update({muscle.id: muscle.id for muscle in muscles})
    while True:
        reply = ask_on_stderr(
            lambda: typer.prompt(
                f"{question} [1-{len(muscles)}]", err=True, default="", show_default=False
            )
        )
        if reply is None:
            return None
        key = str(reply).strip().lower()
        if key in choices:
            return choices[key]
        if not key:
            return None
        typer.echo(
            _("Answer 1 to {last}, or one of: {choices}.").format(
                last=len(muscles), choices=", ".join(choices)
            ),
            err=True,
        )


def open_diary(db: Path | None, *, write: bool, create: bool | None = None) -> Diary | None:
    """The diary at --db (or CRAMP_DB, or the default place); None if it is not there yet."""
    from cramp_cli.diary.store import Diary, resolve_path

    return Diary.open(resolve_path(db), write=write, create=create)


def screen_width() -> int:
    """The width of the screen questions go to: COLUMNS if set, else the terminal behind
    stderr (where they are written, even when the answer goes to a file), else 80."""
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if not (columns.isdigit() and int(columns) > 0):
        for stream in (sys.stderr, sys.stdin):
            try:
                return os.get_terminal_size(stream.fileno()).columns or 80
            except (AttributeError, ValueError, OSError):
                continue
    return shutil.get_terminal_size((80, 24)).columns


def wrapped(text: str, room: int = 0) -> str:
    """Lines that fit that screen, broken between words only, with `room` columns left on
    the last line (for a prompt's ' [y/N]: ')."""
    import textwrap

    from cramp_cli import i18n

    width = max(20, screen_width() - 1)
    if i18n.current() != i18n.ENGLISH:  # Chinese: no spaces, and two columns a character
        from cramp_cli.i18n import wrap

        lines = wrap.wrap(text, width)
        if room and lines and wrap.width(lines[-1]) + room > width:
            lines += wrap.wrap(lines.pop(), width - room)
        return "\n".join(lines)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if room and lines and len(lines[-1]) + room > width:
        last = lines.pop()
        lines += textwrap.wrap(last, width - room, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines)


# The option each diary field is given with, so that an error about the field names it.
_FIELD_OPTIONS = {
    "at": "--at",
    "muscle": "--muscle",
    "side": "--side",
    "minutes": "--minutes",
    "severity": "--severity",
    "triggers": "--trigger",
    "trigger": "--trigger",
    "relief": "--relief",
    "note": "--note",
    "symptoms": "--with",
    "since": "--since",
    "until": "--until",
    "days": "--days",
    "id": "ID",
}


@contextlib.contextmanager
def bad_values() -> Iterator[None]:
    """A ValueProblem from the parsers becomes a usage error naming the option."""
    from cramp_cli.diary.models import ValueProblem

    try:
        yield
    except ValueProblem as err:
        option = _FIELD_OPTIONS.get(err.field, err.field)
        raise UsageError(
            _("{option} {problem}.").format(option=option, problem=err.message)
        ) from None
