"""Where the advice comes from: `cramp sources`, `show` and `search`."""

from typing import Annotated

import typer

from cramp_cli import completion
from cramp_cli.i18n.text import N_
from cramp_cli.options import (
    FormatOption,
    JsonOption,
    NoColorOption,
    current_kb,
    emit,
    examples,
)

app = typer.Typer()


@app.command(epilog=examples("cramp sources", "cramp sources nhs-leg-cramps"))
def sources(
    source_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help=N_("Show one source and what cites it."),
            autocompletion=completion.source_ids,
        ),
    ] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List the sources behind the advice, or show one."""
    from cramp_cli import answers

    kb = current_kb()
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
