"""The command-line layer: parse arguments, call an answer, hand the result to a renderer.

Errors are caught once, in CrampGroup.invoke: a CrampError becomes one line on stderr and its
exit code; anything else is a bug, reported in one line with exit code 70 (CRAMP_DEBUG=1 shows
the traceback). The output mode is picked here, once: JSON (--json), Rich (a terminal) or plain.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from cramp_cli import __version__, answers, completion
from cramp_cli.errors import CrampError, ExitCode, UsageError, cannot_write, output_error
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.options import (
    SESSION,
    FormatOption,
    JsonOption,
    MinEvidenceOption,
    NoColorOption,
    WhoOption,
    ask_on_stderr,
    can_prompt,
    current_kb,
    emit,
    machine_output,
    muscle_option,
)

ISSUES_URL = "the cramp issue tracker"


def _error_line(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for JSON, read before Click has parsed it."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--json" or arg in ("--format=json", "--format=jsonl", "-fjson", "-fjsonl"):
            return True
        if arg in ("--format", "-f") and args[index + 1 : index + 2] in (["json"], ["jsonl"]):
            return True
    return False


def _json_error(code: str, message: str, hint: str | None) -> None:
    import json

    document = {"error": {"code": code, "message": message, "hint": hint}}
    typer.echo(json.dumps(document, ensure_ascii=True), err=True)


def report_error(err: CrampError, as_json: bool) -> None:
    """One line on stderr, or a JSON error object when the command asked for JSON."""
    if as_json:
        _json_error(err.code, err.message, err.hint)
    else:
        _error_line(str(err))


def report_output_error(err: OSError, args: list[str]) -> int:
    """For the console script: a cached answer could not be written. Returns the exit code."""
    failed = cannot_write(err)
    report_error(failed, _wants_json(args))
    return int(failed.exit_code)


def _clip_message(err: Exception) -> None:
    """Never echo a huge argument in full: Click's messages quote the value given."""
    if type(err).__name__ == "NoArgsIsHelpError":  # its message is the help, shown in full
        return
    message = getattr(err, "message", None)
    if isinstance(message, str) and len(message) > 200:
        err.message = message[:197] + "..."  # type: ignore[attr-defined]


class CrampGroup(TyperGroup):
    """Turns every error into one line on stderr and a documented exit code.

    With --json (or a JSON --format) the line is a JSON object: {"error": {code, message, hint}}.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as err:  # an unknown option before the command
            _clip_message(err)
            raise

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        pending = [*(getattr(ctx, "_protected_args", None) or []), *ctx.args]
        as_json = _wants_json(pending)
        try:
            return super().invoke(ctx)
        except CrampError as err:
            report_error(err, as_json)
            raise typer.Exit(err.exit_code) from None
        except typer.TyperException as err:
            _clip_message(err)
            if not as_json or not hasattr(err, "format_message"):
                raise
            _json_error("usage", err.format_message(), "Run the command with --help.")
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
                _json_error("internal", message, hint)
            else:
                _error_line(f"{message} {hint}")
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
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            metavar="PATH",
            help="Also load this knowledge-base file or folder (repeatable; highest "
            "precedence). See also CRAMP_KB and the user folder ('cramp kb paths').",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Neither use nor fill the answer cache (also CRAMP_NO_CACHE=1).",
        ),
    ] = False,
) -> None:
    """Night-time leg cramps: what causes them, what to do now, how to prevent them."""
    SESSION.kb_paths = tuple(kb or ())
    # The cache itself is consulted before Typer runs (cramp_cli.entry); this only documents
    # and accepts the flag.
    del no_cache


@app.command(epilog="Example: cramp why --who pregnancy")
def why(
    who: WhoOption = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            metavar="TAG",
            help="Only what applies at TAG (e.g. night, after-exercise).",
            autocompletion=completion.when_tags,
        ),
    ] = None,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show what can bring on night leg cramps, and how sure we are."""
    emit(
        answers.why(current_kb(), who=who, when=when, min_evidence=min_evidence),
        as_json,
        fmt,
        no_color,
    )


@app.command(epilog="Example: cramp relieve --muscle calf")
def relieve(
    muscle: Annotated[
        str | None,
        muscle_option(
            "The cramping muscle: a name from 'cramp muscles' (calf, shin, foot, ...). "
            "Without it, the measures that help any cramp."
        ),
    ] = None,
    list_names: Annotated[
        bool, typer.Option("--list", help="Print the muscle ids, one per line, and exit.")
    ] = False,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show what to do right now, step by step, for a cramping muscle."""
    kb = current_kb()
    if list_names:
        sys.stdout.write("".join(f"{item.id}\n" for item in kb.muscles))
        return
    emit(answers.relieve(kb, muscle, min_evidence=min_evidence), as_json, fmt, no_color)


@app.command(epilog="Example: cramp prevent --who older-adults")
def prevent(
    who: WhoOption = None,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show how to make cramps less likely to come back."""
    emit(answers.prevent(current_kb(), who=who, min_evidence=min_evidence), as_json, fmt, no_color)


@app.command(epilog="Example: cramp muscles --json | jq -r '.items[].id'")
def muscles(
    as_json: JsonOption = False, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """List the muscles and the names they answer to."""
    emit(answers.muscles(current_kb()), as_json, fmt, no_color)


@app.command(
    epilog="Examples: cramp check --sign one-sided-swelling; cramp check --minutes 12; "
    "cramp check --none; cramp check (asks on a terminal)"
)
def check(
    sign: Annotated[
        list[str] | None,
        typer.Option(
            "--sign",
            "-s",
            metavar="ID",
            autocompletion=completion.signs,
            help="A warning sign that applies (repeatable, or comma-separated). See --list.",
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes", metavar="N", min=0, help="How long the cramp lasted, in minutes."
        ),
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="No warning sign applies.")] = False,
    list_signs: Annotated[
        bool, typer.Option("--list", help="List the warning signs, most urgent first.")
    ] = False,
    ask: Annotated[
        bool,
        typer.Option("--ask", help="Ask the questions even when stdin is not a terminal."),
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show which rules fired.")] = False,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            autocompletion=completion.regions,
            envvar="CRAMP_REGION",
            help="Where you are, for the numbers to call: gb, us, eu, au.",
        ),
    ] = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit with the level: 0 self-care, 3 see-doctor, 4 urgent, 5 emergency.",
        ),
    ] = False,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check for warning signs that need a doctor, most urgent first."""
    kb = current_kb()
    if list_signs:
        emit(answers.signs(kb), as_json, fmt, no_color)
        return
    signs = list(sign or [])
    if none and (signs or minutes is not None):
        raise UsageError("--none cannot be combined with --sign or --minutes.")
    not_sure: list[str] = []
    if not (signs or minutes is not None or none):
        if not (ask or (not machine_output(as_json, fmt) and can_prompt())):
            raise UsageError(
                "no answers given, and no terminal to ask on.",
                hint="Pass --sign ID (see 'cramp check --list'), --minutes N, or --none if no "
                "sign applies; or --ask to answer the questions on stdin.",
            )
        signs, not_sure = _ask_questions(kb)
    result = answers.check(kb, signs, minutes=minutes, region=region, not_sure=not_sure)
    emit(result.model_copy(update={"explain": explain}), as_json, fmt, no_color)
    if exit_code:
        raise typer.Exit(answers.exit_status(result.level))


_YES = {"y", "yes"}
_NO = {"n", "no"}
_UNSURE = {"?", "not sure", "not-sure", "unsure", "dont know", "don't know", "maybe"}


def _prompt(question: str, number: int, total: int) -> str:
    """One reply, lower-cased. Input that ends before every question is answered is a usage
    error (exit 2): half the answers never give a verdict."""
    reply = ask_on_stderr(lambda: str(typer.prompt(question, err=True)))
    if reply is None:
        raise UsageError(
            f"the input ended before question {number} of {total} was answered; "
            "nothing was judged.",
            hint="Give one answer per line (y, n or ?), or pass --sign ID, --minutes N or "
            "--none instead.",
        )
    return reply.strip().lower()


def _ask_questions(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Ask each sign's question, most urgent first; stop at the first emergency.

    "Not sure" counts as yes for emergency and urgent questions (err upward).
    """
    typer.echo("Answer each question with y (yes), n (no) or ? (not sure).", err=True)
    yes: list[str] = []
    unsure: list[str] = []
    questions = answers.signs_in_order(kb)
    for number, item in enumerate(questions, start=1):
        while True:
            reply = _prompt(f"{item.question} [y/n/?]", number, len(questions))
            if reply in _YES | _NO | _UNSURE:
                break
            typer.echo("Please answer y, n or ?.", err=True)
        serious = item.level in ("emergency", "urgent")
        if reply in _YES:
            yes.append(item.id)
        elif reply in _UNSURE and serious:
            unsure.append(item.id)
        if item.level == "emergency" and (item.id in yes or item.id in unsure):
            break
    return yes, unsure


@app.command(epilog="Example: cramp sources nhs-leg-cramps")
def sources(
    source_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Show one source and what cites it.",
            autocompletion=completion.source_ids,
        ),
    ] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List the sources behind the advice, or show one."""
    kb = current_kb()
    result = answers.source(kb, source_id) if source_id is not None else answers.sources(kb)
    emit(result, as_json, fmt, no_color)


@app.command(epilog="Example: cramp show magnesium")
def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Any id from another command.", autocompletion=completion.entry_ids
        ),
    ],
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show any item in full, with its sources."""
    emit(answers.show(current_kb(), entry_id), as_json, fmt, no_color)


@app.command(epilog="Example: cramp lookalikes")
def lookalikes(
    as_json: JsonOption = False, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """List conditions that can be mistaken for a cramp."""
    emit(answers.lookalikes(current_kb()), as_json, fmt, no_color)


@app.command(epilog="Example: cramp search magnesium")
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for; typos are fine.")],
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, max=500, help="At most N results.")
    ] = 20,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Search every item, sign, look-alike and source."""
    emit(answers.search(current_kb(), text, limit=limit), as_json, fmt, no_color)


def _schema_names() -> list[str]:
    from importlib.resources import files

    folder = files("cramp_cli") / "schemas"
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json"))


@app.command(epilog="Example: cramp schema why > why.schema.json")
def schema(
    command: Annotated[
        str,
        typer.Argument(
            metavar="COMMAND",
            help="The command whose --json output to describe ('kb validate' or kb-validate "
            "for a kb command, or 'error').",
        ),
    ],
) -> None:
    """Print the JSON Schema of a command's --json output."""
    from importlib.resources import files

    key = "-".join(command.strip().lower().split())  # "kb validate" names kb-validate.json
    names = _schema_names()
    if key not in names:
        raise answers.unknown_name(command, "command", names)
    text = (files("cramp_cli") / "schemas" / f"{key}.json").read_text(encoding="utf-8")
    sys.stdout.write(text)


from cramp_cli.commands import kb as _kb_commands  # noqa: E402

_kb_commands.register(app)

from cramp_cli.commands import diary as _diary  # noqa: E402

_diary.register(app)


def main() -> NoReturn:
    """The console script's old name, kept for anyone who imported it."""
    from cramp_cli.entry import main as entry_main

    entry_main()
