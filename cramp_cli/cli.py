"""The command-line root: the Typer app and its root options, the one place where errors
become exit codes, and the registry of commands, each built only when it runs.

Errors are caught once, in CrampGroup.invoke: a CrampError becomes one line on stderr and its
exit code; anything else is a bug, reported in one line with exit code 70 (CRAMP_DEBUG=1 shows
the traceback). The commands live in cramp_cli/commands/, one module per group; REGISTRY lists
them with their one-line help, so `cramp --help` and completing a command name import none of
them, and a command line imports and builds only the command it runs.
"""

import importlib
import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
import typer.main

# Typer 0.28 vendors Click as typer._click: these are the classes TyperGroup itself builds on.
from typer import _click as click
from typer._click.shell_completion import CompletionItem
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from cramp_cli import __version__, locations, streams
from cramp_cli.errors import CrampError, ExitCode, output_error
from cramp_cli.options import (
    FORMAT_VARIABLE,
    SESSION,
    error_line,
    examples,
    json_error,
    report_error,
)

ISSUES_URL = "the cramp issue tracker"


class Listed(NamedTuple):  # not a dataclass: `dataclasses` would be one more import on --help
    """A command as `cramp --help` lists it, and the module in cramp_cli.commands that holds it."""

    name: str
    module: str
    summary: str  # the first sentence of the command's help (tests/test_layers.py compares)


# `cramp --help` lists the commands under these headings, in this order: what helps during a
# cramp first, then understanding, then the diary, then data and scripting tools.
SECTIONS: tuple[tuple[str, tuple[Listed, ...]], ...] = (
    (
        "Right now",
        (
            Listed("now", "now", "Show the stretch for a cramp right now, then time it."),
            Listed(
                "relieve",
                "advice",
                "Show what to do right now, step by step, for a cramping muscle.",
            ),
            Listed(
                "check", "triage", "Check for warning signs that need a doctor, most urgent first."
            ),
        ),
    ),
    (
        "Understand",
        (
            Listed(
                "why", "advice", "Show what can bring on night leg cramps, and how sure we are."
            ),
            Listed("prevent", "advice", "Show how to make cramps less likely to come back."),
            Listed("lookalikes", "triage", "List conditions that can be mistaken for a cramp."),
            Listed("muscles", "advice", "List the muscles and the names they answer to."),
            Listed("sources", "evidence", "List the sources behind the advice, or show one."),
            Listed("show", "evidence", "Show any item in full, with its sources."),
            Listed("search", "evidence", "Search every item, sign, look-alike and source."),
        ),
    ),
    (
        "Diary",
        (
            Listed("log", "diary", "Record a cramp in your diary; or edit or delete an entry."),
            Listed("history", "diary", "List your diary entries, newest first."),
            Listed(
                "report", "diary", "Sum up your diary, and the warning signs its pattern meets."
            ),
            Listed("meds", "meds", "Keep the list of medicines you take, for your doctor."),
        ),
    ),
    (
        "Your data and scripts",
        (
            Listed("export", "diary", "Write every diary entry, oldest first, as CSV or JSON."),
            Listed(
                "import",
                "diary",
                "Add the entries of an exported file (all or nothing; ids already there are "
                "skipped).",
            ),
            Listed("kb", "kb", "Inspect and check knowledge-base files, your own included."),
            Listed("schema", "schema", "Print the JSON Schema of a command's --json output."),
        ),
    ),
)
# Commands whose answer stays on the screen: interactive, or read while acting.
NEVER_PAGED = frozenset({"check", "now"})
REGISTRY: dict[str, Listed] = {listed.name: listed for _, group in SECTIONS for listed in group}


def build(listed: Listed) -> click.Command:
    """Import the module that holds one command and build that command (or group) alone."""
    module = importlib.import_module(f"cramp_cli.commands.{listed.module}")
    commands: typer.Typer = module.app
    for info in commands.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == listed.name:
            return _with_no_pager(
                typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
            )
    for group in commands.registered_groups:
        if group.name == listed.name:
            return _with_no_pager(
                typer.main.get_group_from_info(
                    group,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                    suggest_commands=app.suggest_commands,
                )
            )
    raise LookupError(f"{module.__name__} holds no command {listed.name!r}")


class _HelpFormatter(click.HelpFormatter):
    """Click's help layout, but on a narrow terminal each option or command stands on its
    own line with its help below it, wrapped between words, instead of a column of help
    a few letters wide with words cut in two."""

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first = min(max((len(term) for term, _ in rows), default=0), col_max) + col_spacing
        if self.width - self.current_indent - first >= 30:
            super().write_dl(rows, col_max, col_spacing)
            return
        import textwrap

        indent = " " * (self.current_indent + 4)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term.rstrip()}\n")
            if text:
                lines = textwrap.wrap(
                    text,
                    width=max(self.width - len(indent), 20),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                self.write("".join(f"{indent}{line}\n" for line in lines))


class _Context(typer.Context):
    formatter_class = _HelpFormatter


NO_PAGER_HELP = (
    "Print a long answer straight to the terminal, not through the pager (CRAMP_PAGER, "
    "PAGER, or less)."
)


def _turn_off_pager(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        SESSION.pager = False


def _with_no_pager(command: click.Command) -> click.Command:
    """`--no-pager` after the command too (`cramp why --no-pager`), on every command and
    subcommand with the answer formats (--format table).
    Also cramp's help layout for narrow terminals (_HelpFormatter)."""
    command.context_class = _Context
    for sub in getattr(command, "commands", {}).values():
        _with_no_pager(sub)
    # check and now never page, but take the flag too: a script may pass it to every command.
    pageable = any("table" in getattr(param.type, "choices", ()) for param in command.params)
    if pageable:
        command.params.append(
            typer.core.TyperOption(
                param_decls=["--no-pager"],
                is_flag=True,
                default=False,
                expose_value=False,
                callback=_turn_off_pager,
                help=NO_PAGER_HELP,
            )
        )
    return command


class _LazyCommands(MutableMapping[str, click.Command]):
    """The root's commands by name: every name in REGISTRY, each built on first use.

    Typer reads `group.commands` itself (its "Did you mean" hint lists the keys), so the
    names must all be there before any command is built.
    """

    def __init__(self, added: Mapping[str, click.Command]) -> None:
        self._built = dict(added)

    def __getitem__(self, name: str) -> click.Command:
        command = self._built.get(name)
        if command is None:
            if name not in REGISTRY:
                raise KeyError(name)
            command = self._built[name] = build(REGISTRY[name])
        return command

    def __contains__(self, name: object) -> bool:
        return name in REGISTRY or name in self._built

    def _names(self) -> list[str]:
        return list(dict.fromkeys([*REGISTRY, *self._built]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for JSON, read before Click has parsed it; with no
    --json or --format on it, whether CRAMP_FORMAT does."""
    format_given = False
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--json" or arg in ("--format=json", "--format=jsonl", "-fjson", "-fjsonl"):
            return True
        if arg in ("--format", "-f") and args[index + 1 : index + 2] in (["json"], ["jsonl"]):
            return True
        format_given = format_given or arg in ("--format", "-f") or arg.startswith("--format=")
    default = os.environ.get(FORMAT_VARIABLE, "").strip().lower()
    return not format_given and default in ("json", "jsonl")


def _clip_message(err: Exception) -> None:
    """Never echo a huge argument in full: Click's messages quote the value given."""
    if type(err).__name__ == "NoArgsIsHelpError":  # its message is the help, shown in full
        return
    message = getattr(err, "message", None)
    if isinstance(message, str) and len(message) > 200:
        err.message = message[:197] + "..."  # type: ignore[attr-defined]


def resume_gc() -> None:
    """Turn the garbage collector back on if the console entry turned it off for start-up;
    what start-up built is frozen first, so that no collection scans it again."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _screen_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class CrampGroup(TyperGroup):
    """The root group: commands from REGISTRY, built lazily (as Click's "LazyGroup" pattern),
    and every error turned into one line on stderr and a documented exit code.

    With --json (or a JSON --format) the line is a JSON object: {"error": {code, message, hint}}.
    """

    context_class = _Context

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # the registry's names: nothing is imported

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name)  # imports and builds this command only

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `cramp --help`, under headings, from the registry alone."""
        width = max(map(len, REGISTRY))
        for heading, group in SECTIONS:
            with formatter.section(heading):
                # Whole summaries, wrapped; on a narrow terminal each name has its own line.
                formatter.write_dl([(listed.name.ljust(width), listed.summary) for listed in group])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Completes command names from the registry, and the root's own options."""
        items = [
            CompletionItem(name, help=make_default_short_help(listed.summary))
            for name, listed in REGISTRY.items()
            if name.startswith(incomplete)
        ]
        items.extend(click.Command.shell_complete(self, ctx, incomplete))
        return items

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Bare `cramp` on a terminal is `cramp now`: the person typing it may be in pain.
        On a pipe it stays the help, with exit code 2, as scripts expect."""
        if not args and not ctx.resilient_parsing and _screen_is_terminal():
            args = ["now"]
        return super().parse_args(ctx, args)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # Help as wide as the terminal, up to 80 columns: Click's own rule never goes below
        # 50, which a 40-column terminal then wraps in the middle of every line. Subcommands
        # inherit it from this context.
        import shutil

        columns = shutil.get_terminal_size().columns
        kwargs.setdefault("terminal_width", max(min(columns, 80) - 2, 20))
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as err:  # an unknown option before the command
            _clip_message(err)
            raise
        except CrampError as err:  # a root option's value refused while parsing (--kb "")
            report_error(err, _wants_json(list(args[1] if len(args) > 1 else [])))
            raise typer.Exit(err.exit_code) from None

    def _root_option_hint(self, err: Exception) -> None:
        """`cramp prevent --kb x`: an option of cramp itself given after the command is not
        "no such option" for the user, only in the wrong place: say where it goes."""
        given = getattr(err, "option_name", None)
        if not isinstance(given, str) or not isinstance(getattr(err, "message", None), str):
            return
        name = given.split("=", 1)[0]
        if not any(name in getattr(param, "opts", ()) for param in self.params):
            return
        command = getattr(getattr(err, "ctx", None), "info_name", None) or "COMMAND"
        value = "".join(
            f" {param.metavar or 'VALUE'}"
            for param in self.params
            if name in getattr(param, "opts", ()) and not getattr(param, "is_flag", False)
        )
        err.message = (  # type: ignore[attr-defined]
            f"{name} is an option of cramp itself: put it before the command, "
            f"as in 'cramp {name}{value} {command} ...'."
        )
        # Click would add "Possible options: ..." of the command, which misleads here.
        err.possibilities = []  # type: ignore[attr-defined]

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        resume_gc()
        pending = [*(getattr(ctx, "_protected_args", None) or []), *ctx.args]
        as_json = _wants_json(pending)
        try:
            return super().invoke(ctx)
        except CrampError as err:
            report_error(err, as_json)
            raise typer.Exit(err.exit_code) from None
        except typer.TyperException as err:
            _clip_message(err)
            self._root_option_hint(err)
            if not as_json or not hasattr(err, "format_message"):
                raise
            json_error("usage", err.format_message(), "Run the command with --help.")
            raise typer.Exit(getattr(err, "exit_code", ExitCode.USAGE)) from None
        except (typer.Exit, typer.Abort, BrokenPipeError):
            raise  # exits and closed pipes are Typer's to report
        except Exception as err:
            failed = output_error(err)
            if failed is not None:
                report_error(failed, as_json)
                raise typer.Exit(failed.exit_code) from None
            if os.environ.get("CRAMP_DEBUG") == "1":
                raise
            message = f"internal error ({type(err).__name__}: {err})."
            hint = f"Run again with CRAMP_DEBUG=1 and report it on {ISSUES_URL}."
            if as_json:
                json_error("internal", message, hint)
            else:
                error_line(f"{message} {hint}")
            raise typer.Exit(ExitCode.INTERNAL) from None


app = typer.Typer(
    cls=CrampGroup,
    name="cramp",
    help="Night-time leg cramps: what causes them, what to do now, how to prevent them.",
    epilog=examples(
        "cramp now",
        "cramp relieve calf",
        "cramp check",
        "cramp why --who pregnancy",
        "cramp log calf left 3m",
    )
    + "\n\nBare 'cramp' on a terminal is 'cramp now'. General information, not a diagnosis.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cramp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            metavar="PATH",
            parser=lambda value: Path(locations.given_path(value, "--kb")),
            help="Also load this knowledge-base file or folder (repeatable; highest "
            "precedence). See also CRAMP_KB and the user folder ('cramp kb paths').",
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help=NO_PAGER_HELP.replace("answer", "answer of any command")),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Deprecated, to be removed: turn off the compiled store of your own "
            "knowledge-base files (also CRAMP_NO_CACHE=1). No answer is stored any more.",
        ),
    ] = False,
) -> None:
    """Night-time leg cramps: what causes them, what to do now, how to prevent them."""
    SESSION.kb_paths = tuple(kb or ())
    SESSION.use_store = not no_cache
    SESSION.pager = not no_pager and ctx.invoked_subcommand not in NEVER_PAGED
    for warning in locations.deprecation_warnings(no_cache):
        typer.echo(warning, err=True)


def main() -> NoReturn:
    """Run cramp on this process's arguments (the console script, cramp_cli.entry, ends here;
    it also flushes the answer and turns Ctrl-C and a lost answer into exit codes)."""
    streams.make_forgiving()
    app(prog_name="cramp")
    raise SystemExit(0)
