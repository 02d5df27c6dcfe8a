"""The command-line layer: parse arguments, call an answer, hand the result to a renderer.

Errors are caught once, in CrampGroup.invoke: a CrampError becomes one line on stderr and its
exit code; anything else is a bug, reported in one line with exit code 70 (CRAMP_DEBUG=1 shows
the traceback). The output mode is picked here, once: JSON (--json), Rich (a terminal) or plain.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from cramp_cli import __version__, answers, completion, locations, streams
from cramp_cli.errors import CrampError, ExitCode, UsageError, output_error
from cramp_cli.interview import Interview, Reply
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.models import Sign
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
from cramp_cli.results import CheckResult, NotAssessedResult

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
            help="Deprecated, to be removed: turn off the compiled store of your own "
            "knowledge-base files (also CRAMP_NO_CACHE=1). No answer is stored any more.",
        ),
    ] = False,
) -> None:
    """Night-time leg cramps: what causes them, what to do now, how to prevent them."""
    SESSION.kb_paths = tuple(kb or ())
    SESSION.use_store = not no_cache
    for warning in locations.deprecation_warnings(no_cache):
        typer.echo(warning, err=True)


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
    if not (signs or minutes is not None or none):
        if not (ask or (not machine_output(as_json, fmt) and can_prompt())):
            raise UsageError(
                "no answers given, and no terminal to ask on.",
                hint="Pass --sign ID (see 'cramp check --list'), --minutes N, or --none if no "
                "sign applies; or --ask to answer the questions on stdin.",
            )
        shown = _run_interview(kb, region)
        status = shown.exit_status(exit_code)
        emit(shown.result.model_copy(update={"explain": explain}), as_json, fmt, no_color)
        if shown.error is not None:
            report_error(shown.error, machine_output(as_json, fmt))
        if status:
            raise typer.Exit(status)
        return
    result = answers.check(kb, signs, minutes=minutes, region=region)
    emit(result.model_copy(update={"explain": explain}), as_json, fmt, no_color)
    if exit_code:
        raise typer.Exit(answers.exit_status(result.level))


_REPLIES: dict[str, Reply] = {
    **dict.fromkeys(("y", "yes"), "yes"),
    **dict.fromkeys(("n", "no"), "no"),
    **dict.fromkeys(
        ("?", "not sure", "not-sure", "unsure", "dont know", "don't know", "maybe"), "unsure"
    ),
}


@dataclass(frozen=True)
class _Outcome:
    """How an interactive check ended: what to print, and how to exit."""

    result: CheckResult | NotAssessedResult
    interrupted: bool = False
    error: UsageError | None = None  # for stderr, after the result

    def exit_status(self, exit_code: bool) -> int:
        if self.interrupted:
            return int(ExitCode.INTERRUPTED)
        if isinstance(self.result, NotAssessedResult):
            return int(ExitCode.USAGE)
        return answers.exit_status(self.result.level) if exit_code else 0


def _wrapped(text: str) -> str:
    """Wrap a question to the terminal, never inside a word."""
    import shutil
    import textwrap

    width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
    return "\n".join(
        textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    )


def _ask(interview: Interview, sign: Sign) -> Reply | None:
    """One answer (None when the input ends); asks again until it is y, n or ?."""
    header = f"Question {interview.answered + 1} of {interview.total}"
    question = _wrapped(f"{sign.question} [y/n/?]")
    while True:
        reply = ask_on_stderr(
            lambda: str(typer.prompt(f"{header}\n{question}", err=True)), keep_interrupt=True
        )
        if reply is None:
            return None
        answer = _REPLIES.get(" ".join(reply.strip().lower().split()))
        if answer is not None:
            return answer
        typer.echo(_wrapped("Please answer y (yes), n (no) or ? (not sure)."), err=True)


def _say_so_far(kb: KnowledgeBase, interview: Interview, region: str | None) -> None:
    """After a yes: the verdict so far at once, on stderr beside the questions."""
    so_far = answers.interview_verdict(kb, interview, region)
    left = (so_far.questions or 0) - (so_far.answered or 0)
    typer.echo(_wrapped(f"So far: {so_far.level.upper()}. {so_far.action}"), err=True)
    if left:
        more = "question" if left == 1 else "questions"
        typer.echo(f"{left} more {more} could change this.", err=True)


def _run_interview(kb: KnowledgeBase, region: str | None) -> _Outcome:
    """Ask the questions; an emergency answer ends at once, and a stop never loses a verdict.

    Ctrl-C or the end of the input after a yes gives the verdict so far, marked incomplete;
    before any yes, the emergency signs and "not assessed".
    """
    answers.resolve_region(kb, region)  # a bad --region fails before the first question
    interview = Interview(kb)
    typer.echo(_wrapped("Answer each question with y (yes), n (no) or ? (not sure)."), err=True)
    try:
        while (sign := interview.next_question()) is not None:
            reply = _ask(interview, sign)
            if reply is None:
                return _stopped(kb, interview, region, interrupted=False)
            interview.answer(sign.id, reply)
            if sign.id in interview.positive and not interview.finished_by_emergency:
                _say_so_far(kb, interview, region)
    except KeyboardInterrupt:
        return _stopped(kb, interview, region, interrupted=True)
    return _Outcome(answers.interview_verdict(kb, interview, region))


def _stopped(
    kb: KnowledgeBase, interview: Interview, region: str | None, interrupted: bool
) -> _Outcome:
    if interview.positive:
        verdict = answers.interview_verdict(kb, interview, region, complete=False)
        return _Outcome(verdict, interrupted=interrupted)
    error = None
    if not interrupted:
        question = interview.answered + 1
        error = UsageError(
            f"the input ended before question {question} of {interview.total} was answered; "
            "nothing was judged.",
            hint="Give one answer per line (y, n or ?), or pass --sign ID, --minutes N or "
            "--none instead.",
        )
    return _Outcome(answers.not_assessed(kb, interview), interrupted=interrupted, error=error)


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
    """Run cramp on this process's arguments (the console script, cramp_cli.entry, ends here)."""
    streams.make_forgiving()
    try:
        app(prog_name="cramp")
    except BrokenPipeError:
        streams.quiet_exit_on_closed_pipe()
    raise SystemExit(0)
