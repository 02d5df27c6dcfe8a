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
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn

from cramp_cli.i18n import text as i18n_text

i18n_text.bind()  # before Typer is imported: it reads some of its words through gettext at import

import typer  # noqa: E402
import typer.main  # noqa: E402

# Typer 0.28 vendors Click as typer._click: these are the classes TyperGroup itself builds on.
from typer import _click as click  # noqa: E402
from typer._click.shell_completion import CompletionItem  # noqa: E402
from typer._click.utils import make_default_short_help  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from cramp_cli import __version__, i18n, locations, streams  # noqa: E402
from cramp_cli.errors import CrampError, ExitCode, UsageError, output_error  # noqa: E402
from cramp_cli.i18n import language  # noqa: E402
from cramp_cli.i18n.text import N_, _  # noqa: E402
from cramp_cli.options import (  # noqa: E402
    FORMAT_VARIABLE,
    SESSION,
    error_line,
    examples,
    json_error,
    report_error,
)

ISSUES_URL = N_("the cramp issue tracker")


class Listed(NamedTuple):  # not a dataclass: `dataclasses` would be one more import on --help
    """A command as `cramp --help` lists it, and the module in cramp_cli.commands that holds it."""

    name: str
    module: str
    summary: str  # the first sentence of the command's help (tests/test_layers.py compares)


# `cramp --help` lists the commands under these headings, in this order: what helps during a
# cramp first, then understanding, then the diary, then data and scripting tools.
SECTIONS: tuple[tuple[str, tuple[Listed, ...]], ...] = (
    (
        N_("Right now"),
        (
            Listed("now", "now", N_("Show the stretch for a cramp right now, then time it.")),
            Listed(
                "relieve",
                "advice",
                N_("Show what to do right now, step by step, for a cramping muscle."),
            ),
            Listed(
                "check",
                "triage",
                N_("Check for warning signs that need a doctor, most urgent first."),
            ),
        ),
    ),
    (
        N_("Understand"),
        (
            Listed(
                "why", "advice", N_("Show what can bring on night leg cramps, and how sure we are.")
            ),
            Listed("prevent", "advice", N_("Show how to make cramps less likely to come back.")),
            Listed("lookalikes", "triage", N_("List conditions that can be mistaken for a cramp.")),
            Listed("muscles", "advice", N_("List the muscles and the names they answer to.")),
            Listed("sources", "evidence", N_("List the sources behind the advice, or show one.")),
            Listed("show", "evidence", N_("Show any item in full, with its sources.")),
            Listed("search", "evidence", N_("Search every item, sign, look-alike and source.")),
        ),
    ),
    (
        N_("Diary"),
        (
            Listed("log", "diary", N_("Record a cramp in your diary; or edit or delete an entry.")),
            Listed("history", "diary", N_("List your diary entries, newest first.")),
            Listed(
                "report", "diary", N_("Sum up your diary, and the warning signs its pattern meets.")
            ),
            Listed("meds", "meds", N_("Keep the list of medicines you take, for your doctor.")),
        ),
    ),
    (
        N_("Your data and scripts"),
        (
            Listed("export", "diary", N_("Write every diary entry, oldest first, as CSV or JSON.")),
            Listed(
                "import",
                "diary",
                N_(
                    "Add the entries of an exported file (all or nothing; ids already there are "
                    "skipped)."
                ),
            ),
            Listed("kb", "kb", N_("Inspect and check knowledge-base files, your own included.")),
            Listed("schema", "schema", N_("Print the JSON Schema of a command's --json output.")),
        ),
    ),
)
# Commands whose answer stays on the screen: interactive, or read while acting.
NEVER_PAGED = frozenset({"check", "now"})
REGISTRY: dict[str, Listed] = {
    listed.name: listed for _heading, group in SECTIONS for listed in group
}


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


def translated_help(text: str) -> str:
    """A help text in the language of the run: whole, or paragraph by paragraph (an epilog
    of examples), or line by line in a block Click keeps as it is (\\b: "Examples:")."""
    if i18n.current() == i18n.ENGLISH or not text:
        return text
    whole = _(text)
    if whole != text:
        return whole
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            paragraph = "\n".join(
                _(line) if line.strip() else line for line in paragraph.split("\n")
            )
        else:
            paragraph = _(paragraph)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _translated_row(text: str) -> str:
    """An option's help: its own words, then Typer's "  [default: ...]" (translated by Typer)."""
    words, bracket, extra = text.partition("  [")
    return translated_help(words) + bracket + extra


class _HelpFormatter(click.HelpFormatter):
    """Click's help layout, but on a narrow terminal each option or command stands on its
    own line with its help below it, wrapped between words, instead of a column of help
    a few letters wide with words cut in two. Every heading and help text passes through
    the catalogue, at the time the help is shown (the language is known by then)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if i18n.current() == i18n.ENGLISH or prefix is not None:
            super().write_usage(prog, args, prefix)
            return
        from cramp_cli.i18n import wrap

        head = f"{'':>{self.current_indent}}{_('Usage: ')}{prog} "
        room = self.width - wrap.width(head)
        if room >= 20:  # the arguments to the right of the prefix, as Click lays them out
            lines = wrap.wrap(args, room) or [""]
            indent = " " * wrap.width(head)
            self.write(head + lines[0] + "\n" + "".join(f"{indent}{line}\n" for line in lines[1:]))
        else:
            indent = " " * (self.current_indent + 4)
            lines = wrap.wrap(args, self.width - len(indent))
            self.write(head.rstrip() + "\n" + "".join(f"{indent}{line}\n" for line in lines))

    def write_heading(self, heading: str) -> None:
        if i18n.current() == i18n.ENGLISH:
            super().write_heading(heading)
        else:  # a full-width colon after Chinese words
            colon = _(":")
            self.write(f"{'':>{self.current_indent}}{_(heading)}{colon}\n")

    def write_text(self, text: str) -> None:
        if i18n.current() == i18n.ENGLISH:
            super().write_text(text)
            return
        from cramp_cli.i18n import wrap

        indent = " " * self.current_indent
        paragraphs = []
        for paragraph in translated_help(text).split("\n\n"):
            if paragraph.startswith("\b\n"):  # kept as written (examples)
                lines = paragraph[2:].splitlines()
            else:
                lines = wrap.wrap(" ".join(paragraph.split()), self.width - len(indent))
            paragraphs.append("".join(f"{indent}{line}\n" for line in lines))
        self.write("\n".join(paragraphs))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(term, _translated_row(text)) for term, text in rows]
        if i18n.current() != i18n.ENGLISH:
            self._write_wide_dl(rows, col_max, col_spacing)
            return
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

    def _write_wide_dl(self, rows: list[tuple[str, str]], col_max: int, col_spacing: int) -> None:
        """write_dl for text with wide characters: Click's layout, wrapped by columns."""
        from cramp_cli.i18n import wrap

        first = min(max((len(term) for term, _text in rows), default=0), col_max) + col_spacing
        narrow = self.width - self.current_indent - first < 30
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if narrow or len(term) > first - col_spacing:
                self.write("\n")
                indent = self.current_indent + (4 if narrow else first)
            else:
                self.write(" " * (first - len(term)))
                indent = self.current_indent + first
            lines = wrap.wrap(text, self.width - indent) if text else []
            if not narrow and len(term) <= first - col_spacing:
                self.write(f"{lines[0] if lines else ''}\n")
                lines = lines[1:]
            self.write("".join(f"{'':>{indent}}{line}\n" for line in lines))


class _Context(typer.Context):
    formatter_class = _HelpFormatter


NO_PAGER_HELP = N_(
    "Print a long answer straight to the terminal, not through the pager (CRAMP_PAGER, "
    "PAGER, or less)."
)


LANG_HELP = N_(
    "The language of the answer: en or zh (Simplified Chinese). Without it: CRAMP_LANG, "
    "then LANGUAGE, LC_ALL, LC_MESSAGES and LANG."
)


def set_language(value: str | None) -> None:
    """`--lang`: the language it names; without it, the one the environment names (as
    cramp_cli.entry chose before Typer was imported, and again for a run in-process)."""
    if value is None:
        i18n.set_current(language.choose([], os.environ).code)
        return
    code, _traditional = language.read(value)
    if code is None:
        raise UsageError(language.unknown_lang(value))
    i18n.set_current(code)


def _lang_given(ctx: click.Context, param: click.Parameter | None, value: str | None) -> None:
    if value is not None:
        set_language(value)


def _complete_lang(incomplete: str) -> list[str]:
    return [code for code in language.OFFERED if code.startswith(incomplete)]


def _turn_off_pager(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        SESSION.pager = False


def _short_help(command: click.Command) -> Callable[[int], str]:
    english = command.get_short_help_str

    def short_help(limit: int = 45) -> str:
        if i18n.current() != i18n.ENGLISH and command.help and not command.short_help:
            translated = translated_help(command.help)
            if translated != command.help:
                return translated
        return english(limit)

    return short_help


def _with_no_pager(command: click.Command) -> click.Command:
    """`--no-pager` after the command too (`cramp why --no-pager`), on every command and
    subcommand with the answer formats (--format table).
    Also cramp's help layout for narrow terminals (_HelpFormatter)."""
    command.context_class = _Context
    for sub in getattr(command, "commands", {}).values():
        _with_no_pager(sub)
        # A group's list of subcommands (cramp kb --help): Click cuts each help to 45
        # characters, which no catalogue entry matches; in another language the whole help
        # is looked up instead (the layout wraps it). English is left to Click.
        setattr(sub, "get_short_help_str", _short_help(sub))  # noqa: B010
    # `cramp search 抽筋 --lang zh`: the language after the command too.
    command.params.append(
        typer.core.TyperOption(
            param_decls=["--lang"],
            metavar="LANG",
            default=None,
            expose_value=False,
            is_eager=True,
            callback=_lang_given,
            autocompletion=_complete_lang,
            help=LANG_HELP,
        )
    )
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


_CLICK_MESSAGES = (
    (
        r"Got unexpected extra argument\(s\) \((?P<words>.*)\)",
        N_("Unexpected extra words: {words}."),
    ),
    (r"Option '(?P<option>[^']*)' requires an argument\.", N_("Option {option} needs a value.")),
    (r"No such option: (?P<option>.*)", N_("No such option: {option}.")),
    (r"Missing argument '?(?P<name>[^'.]*)'?\.", N_("Missing argument {name}.")),
    (r"Missing option '?(?P<name>[^'.]*)'?\.", N_("Missing option {name}.")),
    (r"Invalid value for '?(?P<name>[^':]*)'?: (?P<why>.*)", N_("Invalid value for {name}: {why}")),
)


# No space after full-width punctuation (the Chinese Copywriting Guidelines).
FULL_WIDTH_ENDS = ("。", "）", "？", "！", "：", "；", "，")


def _usage_message(err: Exception) -> str:
    """Click's message for a usage error, in the language of the run: Click's vendored words
    do not pass through gettext, so cramp recognises them here."""
    import re

    message = err.format_message() if hasattr(err, "format_message") else str(err)
    option = getattr(err, "option_name", None)
    possibilities = getattr(err, "possibilities", None)
    if isinstance(option, str) and possibilities and message.startswith("No such option"):
        return _("No such option: {option} (possible options: {options}).").format(
            option=option, options=", ".join(sorted(possibilities))
        )
    suggestion = ""
    if ". Did you mean " in message:  # Typer's hint for a mistyped command
        message, _sep, names = message.partition(". Did you mean ")
        message += "."
        suggestion = _("Did you mean {names}?").format(names=names.rstrip("?"))
    for pattern, msgid in _CLICK_MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            message = _(msgid).format(**found.groupdict())
            break
    else:
        message = _(message)
    return f"{message} {suggestion}".rstrip()


def _translated_usage_error(err: Exception) -> NoReturn:
    """A usage error from Click or Typer in a language other than English: one line, with
    the command to run for help (Click's own display is in English, over four lines)."""
    ctx = getattr(err, "ctx", None)
    command = getattr(ctx, "command_path", None) or "cramp"
    hint = _("Run '{command} --help' for help.").format(command=command)
    message = _usage_message(err)
    gap = "" if message.endswith(FULL_WIDTH_ENDS) else " "
    error_line(f"{message}{gap}{hint}")
    raise typer.Exit(getattr(err, "exit_code", ExitCode.USAGE))


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
            CompletionItem(name, help=make_default_short_help(_(listed.summary)))
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
            # The language before anything can fail: `cramp relieve --nope --lang zh` is a
            # usage error in Chinese. (The console script chose it already, before Typer was
            # imported; this is the same choice, for a run in-process.)
            set_language(language.given_lang(list(args[1]) if len(args) > 1 else []))
            return super().make_context(*args, **kwargs)
        except typer.TyperException as err:  # an unknown option before the command
            _clip_message(err)
            if i18n.current() != i18n.ENGLISH and type(err).__name__ != "NoArgsIsHelpError":
                _translated_usage_error(err)
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
        err.message = _(  # type: ignore[attr-defined]
            "{name} is an option of cramp itself: put it before the command, "
            "as in 'cramp {name}{value} {command} ...'."
        ).format(name=name, value=value, command=command)
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
                if i18n.current() != i18n.ENGLISH and type(err).__name__ != "NoArgsIsHelpError":
                    _translated_usage_error(err)
                raise
            json_error("usage", _usage_message(err), _("Run the command with --help."))
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
            message = _("internal error ({kind}: {error}).").format(
                kind=type(err).__name__, error=err
            )
            hint = _("Run again with CRAMP_DEBUG=1 and report it on {place}.").format(
                place=_(ISSUES_URL)
            )
            if as_json:
                json_error("internal", message, hint)
            else:
                error_line(f"{message} {hint}")
            raise typer.Exit(ExitCode.INTERNAL) from None


app = typer.Typer(
    cls=CrampGroup,
    name="cramp",
    help=N_("Night-time leg cramps: what causes them, what to do now, how to prevent them."),
    epilog=examples(
        "cramp now",
        "cramp relieve calf",
        "cramp check",
        "cramp why --who pregnancy",
        "cramp log calf left 3m",
    )
    + "\n\n"
    + N_("Bare 'cramp' on a terminal is 'cramp now'. General information, not a diagnosis."),
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
            "--version", callback=_version, is_eager=True, help=N_("Print the version and exit.")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            is_eager=True,
            callback=_lang_given,
            autocompletion=_complete_lang,
            help=LANG_HELP,
        ),
    ] = None,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            metavar="PATH",
            parser=lambda value: Path(locations.given_path(value, "--kb")),
            help=N_(
                "Also load this knowledge-base file or folder (repeatable; highest "
                "precedence). See also CRAMP_KB and the user folder ('cramp kb paths')."
            ),
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help=N_(
                "Print a long answer of any command straight to the terminal, not through the "
                "pager (CRAMP_PAGER, PAGER, or less)."
            ),
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=N_(
                "Deprecated, to be removed: turn off the compiled store of your own "
                "knowledge-base files (also CRAMP_NO_CACHE=1). No answer is stored any more."
            ),
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
