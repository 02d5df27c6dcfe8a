"""What to do and why: `cramp why`, `relieve`, `prevent` and `muscles`."""

import sys
from typing import Annotated

import typer

from cramp_cli import completion
from cramp_cli.errors import UsageError
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    FormatOption,
    JsonOption,
    MinEvidenceOption,
    NoColorOption,
    WhoOption,
    current_kb,
    emit,
    examples,
    muscle_option,
)

app = typer.Typer()


@app.command(
    epilog=examples(
        "cramp why",
        "cramp why --who pregnancy",
        "cramp why --when night --min-evidence moderate",
    )
)
def why(
    who: WhoOption = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            metavar="TAG",
            help=N_("Only what applies at TAG (e.g. night, after-exercise)."),
            autocompletion=completion.when_tags,
        ),
    ] = None,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show what can bring on night leg cramps, and how sure we are."""
    from cramp_cli import answers

    emit(
        answers.why(current_kb(), who=who, when=when, min_evidence=min_evidence),
        as_json,
        fmt,
        no_color,
    )


@app.command(
    epilog=examples(
        "cramp relieve calf",
        "cramp relieve --muscle shin",
        "cramp relieve  # what helps any cramp",
        "cramp relieve --list",
    )
)
def relieve(
    named: Annotated[
        str | None,
        typer.Argument(
            metavar="[MUSCLE]",
            help=N_("The cramping muscle, as with --muscle: 'cramp relieve calf'."),
            autocompletion=completion.muscles,
            show_default=False,
        ),
    ] = None,
    muscle: Annotated[
        str | None,
        muscle_option(
            N_(
                "The cramping muscle: a name from 'cramp muscles' (calf, shin, foot, ...). "
                "Without it, the measures that help any cramp."
            )
        ),
    ] = None,
    list_names: Annotated[
        bool, typer.Option("--list", help=N_("Print the muscle ids, one per line, and exit."))
    ] = False,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help=N_("Also show every measure's steps, evidence, details and sources."),
        ),
    ] = False,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show what to do right now, step by step, for a cramping muscle."""
    from cramp_cli import answers

    if named is not None and muscle is not None and named != muscle:
        raise UsageError(
            _("two muscles given, {named} and --muscle {muscle}: give one of them.").format(
                named=repr(named), muscle=repr(muscle)
            )
        )
    muscle = muscle if muscle is not None else named
    kb = current_kb()
    if list_names:
        sys.stdout.write("".join(f"{item.id}\n" for item in kb.muscles))
        return
    emit(
        answers.relieve(kb, muscle, min_evidence=min_evidence, details=details),
        as_json,
        fmt,
        no_color,
    )


@app.command(
    epilog=examples(
        "cramp prevent",
        "cramp prevent --who older-adults",
        "cramp prevent --min-evidence moderate",
    )
)
def prevent(
    who: WhoOption = None,
    top: Annotated[
        bool,
        typer.Option(
            "--top",
            help=N_(
                "Only the three best-supported things you can do "
                "(strongest evidence, then most sources)."
            ),
        ),
    ] = False,
    min_evidence: MinEvidenceOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show how to make cramps less likely to come back."""
    from cramp_cli import answers

    emit(
        answers.prevent(current_kb(), who=who, min_evidence=min_evidence, top=top),
        as_json,
        fmt,
        no_color,
    )


@app.command(epilog=examples("cramp muscles", "cramp muscles --json | jq -r '.items[].id'"))
def muscles(
    as_json: JsonOption = False, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """List the muscles and the names they answer to."""
    from cramp_cli import answers

    emit(answers.muscles(current_kb()), as_json, fmt, no_color)
