"""Is it safe to wait: `cramp check` (with its interactive questions) and `cramp lookalikes`."""

from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from cramp_cli import completion
from cramp_cli.errors import ExitCode, UsageError
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    FormatOption,
    JsonOption,
    NoColorOption,
    ask_on_stderr,
    can_prompt,
    current_kb,
    emit,
    examples,
    machine_output,
    report_error,
    wrapped,
)

if TYPE_CHECKING:  # the answer path is imported when a check runs, not for its --help
    from cramp_cli.interview import Interview, Reply
    from cramp_cli.knowledge.kb import KnowledgeBase
    from cramp_cli.knowledge.models import Sign
    from cramp_cli.results import CheckResult, NotAssessedResult

app = typer.Typer()


@app.command(
    epilog=examples(
        "cramp check  # asks the questions, on a terminal",
        "cramp check --sign one-sided-swelling",
        "cramp check --minutes 12",
        "cramp check --none",
        "cramp check --list",
    )
)
def check(
    sign: Annotated[
        list[str] | None,
        typer.Option(
            "--sign",
            "-s",
            metavar="ID",
            autocompletion=completion.signs,
            help=N_("A warning sign that applies (repeatable, or comma-separated). See --list."),
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes", metavar="N", min=0, help=N_("How long the cramp lasted, in minutes.")
        ),
    ] = None,
    none: Annotated[bool, typer.Option("--none", help=N_("No warning sign applies."))] = False,
    list_signs: Annotated[
        bool, typer.Option("--list", help=N_("List the warning signs, most urgent first."))
    ] = False,
    ask: Annotated[
        bool,
        typer.Option("--ask", help=N_("Ask the questions even when stdin is not a terminal.")),
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help=N_("Show which rules fired."))] = False,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            autocompletion=completion.regions,
            envvar="CRAMP_REGION",
            help=N_("Where you are, for the numbers to call: gb, us, eu, au."),
        ),
    ] = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=N_("Exit with the level: 0 self-care, 3 see-doctor, 4 urgent, 5 emergency."),
        ),
    ] = False,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check for warning signs that need a doctor, most urgent first."""
    from cramp_cli import answers

    kb = current_kb()
    if list_signs:
        emit(answers.signs(kb), as_json, fmt, no_color)
        return
    signs = list(sign or [])
    if none and (signs or minutes is not None):
        raise UsageError(_("--none cannot be combined with --sign or --minutes."))
    if not (signs or minutes is not None or none):
        if not (ask or (not machine_output(as_json, fmt) and can_prompt())):
            raise UsageError(
                _("no answers given, and no terminal to ask on."),
                hint=_(
                    "Pass --sign ID (see 'cramp check --list'), --minutes N, or --none if no "
                    "sign applies; or --ask to answer the questions on stdin."
                ),
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


class _Outcome(NamedTuple):
    """How an interactive check ended: what to print, and how to exit."""

    result: "CheckResult | NotAssessedResult"
    interrupted: bool = False
    error: UsageError | None = None  # for stderr, after the result

    def exit_status(self, exit_code: bool) -> int:
        from cramp_cli import answers
        from cramp_cli.results import NotAssessedResult

        if self.interrupted:
            return int(ExitCode.INTERRUPTED)
        if isinstance(self.result, NotAssessedResult):
            return int(ExitCode.USAGE)
        return answers.exit_status(self.result.level) if exit_code else 0


def _ask(interview: "Interview", sign: "Sign") -> "Reply | None":
    """One answer (None when the input ends); asks again until it is y, n or ? (or 是, 否,
    不确定 ...: cramp_cli/replies.py)."""
    from cramp_cli.replies import parse_reply

    header = _("Question {number} of {total}").format(
        number=interview.answered + 1, total=interview.total
    )
    hint = _("[y/n/?]")
    question = wrapped(f"{sign.question} {hint}")
    while True:
        reply = ask_on_stderr(
            lambda: str(typer.prompt(f"{header}\n{question}", err=True)), keep_interrupt=True
        )
        if reply is None:
            return None
        answer = parse_reply(reply)
        if answer is not None:
            return answer
        typer.echo(wrapped(_("Please answer y (yes), n (no) or ? (not sure).")), err=True)


def _say_so_far(kb: "KnowledgeBase", interview: "Interview", region: str | None) -> None:
    """After a yes: the verdict so far at once, on stderr beside the questions."""
    from cramp_cli import answers

    so_far = answers.interview_verdict(kb, interview, region)
    left = (so_far.questions or 0) - (so_far.answered or 0)
    from cramp_cli.wording import level_label

    level = level_label(so_far.level, english=so_far.level.upper())
    typer.echo(
        wrapped(_("So far: {level}. {action}").format(level=level, action=so_far.action)),
        err=True,
    )
    if left:
        # Two messages rather than ngettext: the catalogue's test and tools read singular ones.
        more = (
            _("1 more question could change this.")
            if left == 1
            else _("{count} more questions could change this.")
        )
        typer.echo(more.format(count=left), err=True)


def _run_interview(kb: "KnowledgeBase", region: str | None) -> "_Outcome":
    """Ask the questions; an emergency answer ends at once, and a stop never loses a verdict.

    Ctrl-C or the end of the input after a yes gives the verdict so far, marked incomplete;
    before any yes, the emergency signs and "not assessed".
    """
    from cramp_cli import answers
    from cramp_cli.interview import Interview

    answers.resolve_region(kb, region)  # a bad --region fails before the first question
    interview = Interview(kb)
    typer.echo(wrapped(_("Answer each question with y (yes), n (no) or ? (not sure).")), err=True)
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
    kb: "KnowledgeBase", interview: "Interview", region: str | None, interrupted: bool
) -> _Outcome:
    from cramp_cli import answers

    if interview.positive:
        verdict = answers.interview_verdict(kb, interview, region, complete=False)
        return _Outcome(verdict, interrupted=interrupted)
    error = None
    if not interrupted:
        question = interview.answered + 1
        error = UsageError(
            _(
                "the input ended before question {number} of {total} was answered; "
                "nothing was judged."
            ).format(number=question, total=interview.total),
            hint=_(
                "Give one answer per line (y, n or ?), or pass --sign ID, --minutes N or "
                "--none instead."
            ),
        )
    return _Outcome(answers.not_assessed(kb, interview), interrupted=interrupted, error=error)


@app.command(epilog=examples("cramp lookalikes", "cramp lookalikes --format markdown"))
def lookalikes(
    as_json: JsonOption = False, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """List conditions that can be mistaken for a cramp."""
    from cramp_cli import answers

    emit(answers.lookalikes(current_kb()), as_json, fmt, no_color)
