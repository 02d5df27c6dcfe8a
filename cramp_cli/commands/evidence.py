"""Where the advice comes from: `cramp sources`, `show` and `search`."""

from typing import Annotated

import typer

from cramp_cli import completion
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    FormatOption,
    JsonOption,
    NoColorOption,
    current_kb,
    emit,
    examples,
)

app = typer.Typer()


@app.command(
    epilog=examples(
        "cramp sources",
        "cramp sources nhs-leg-cramps",
        "cramp sources --check",
        "cramp --kb my-notes.yaml sources --check --json",
    )
)
def sources(
    source_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help=N_("Show one source and what cites it."),
            autocompletion=completion.source_ids,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=N_(
                "Check the evidence trail offline: every source complete and cited, no claim "
                "resting only on press, low authority or an unverified copy (exit 1 if not)."
            ),
        ),
    ] = False,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List the sources behind the advice, or show one."""
    from cramp_cli import answers

    if check and source_id is not None:
        from cramp_cli.errors import UsageError

        raise UsageError(
            _("--check checks every source; give it without an ID."),
            hint=_("Run 'cramp sources --check', or 'cramp sources ID' for one source."),
        )
    kb = current_kb()
    if check:
        trail = answers.trail_check(kb)
        emit(trail, as_json, fmt, no_color)
        if not trail.ok:
            raise typer.Exit(1)
        return
    result = answers.source(kb, source_id) if source_id is not None else answers.sources(kb)
    emit(result, as_json, fmt, no_color)


@app.command(epilog=examples("cramp show magnesium", "cramp show magnesium --format markdown"))
def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=N_("Any id from another command."),
            autocompletion=completion.entry_ids,
        ),
    ],
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show any item in full, with its sources."""
    from cramp_cli import answers

    emit(answers.show(current_kb(), entry_id), as_json, fmt, no_color)


@app.command(epilog=examples("cramp search magnesium", "cramp search 'calf stretch' --limit 5"))
def search(
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help=N_("Words to look for; typos are fine."))
    ],
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, max=500, help=N_("At most N results."))
    ] = 20,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Search every item, sign, look-alike and source."""
    from cramp_cli import answers

    emit(answers.search(current_kb(), text, limit=limit), as_json, fmt, no_color)
