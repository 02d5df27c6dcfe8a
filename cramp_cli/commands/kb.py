"""`cramp kb`: which knowledge-base files are loaded, where an entry came from, and checks."""

from pathlib import Path
from typing import Annotated

import typer

from cramp_cli import completion
from cramp_cli.i18n.text import N_
from cramp_cli.options import (
    SESSION,
    FormatOption,
    JsonOption,
    NoColorOption,
    current_kb,
    emit,
    examples,
)

PRECEDENCE = "--kb, then CRAMP_KB, then the user folder, then the built-in knowledge base"


app = typer.Typer()

kb_app = typer.Typer(
    name="kb",
    help=N_("Inspect and check knowledge-base files, your own included."),
    epilog=examples("cramp kb paths", "cramp kb validate my-notes.yaml"),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@kb_app.command(
    "paths",
    help=N_("Show which files are loaded, from where, highest precedence first."),
    epilog=examples("cramp kb paths", "cramp --kb my-notes.yaml kb paths"),
)
def paths(
    as_json: JsonOption = False, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """Show which files are loaded, from where, highest precedence first."""
    from cramp_cli.knowledge.layers import user_layers
    from cramp_cli.results import KbFile, KbLayer, KbPathsResult

    kb = current_kb()
    layers = [
        KbLayer(name=layer.name, source=layer.origin, paths=tuple(map(str, layer.paths)))
        for layer in reversed(user_layers(SESSION.kb_paths))
    ]
    layers.append(KbLayer(name="built-in", source="cramp_cli.data", paths=()))
    order = {"flag": 0, "environment": 1, "user": 2, "built-in": 3}
    files = sorted(kb.files, key=lambda file: order.get(file[0], 4))
    result = KbPathsResult(
        precedence=PRECEDENCE,
        layers=tuple(layers),
        items=tuple(KbFile(id=name, layer=layer, entries=count) for layer, name, count in files),
    )
    emit(result, as_json, fmt, no_color)


@kb_app.command(
    "show",
    help=N_("Show where an entry came from, and what it overrides."),
    epilog=examples("cramp kb show magnesium"),
)
def show(
    entry_id: Annotated[
        str,
        typer.Argument(metavar="ID", help=N_("Any entry id."), autocompletion=completion.entry_ids),
    ],
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show where an entry came from, and what it overrides."""
    from cramp_cli import answers

    emit(answers.kb_origin(current_kb(), entry_id), as_json, fmt, no_color)


@kb_app.command(
    "validate",
    help=N_("Check knowledge-base files and report every problem (exit 1 if any)."),
    epilog=examples("cramp kb validate", "cramp kb validate my-notes.yaml"),
)
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help=N_("Files or folders to check on top of what is loaded."),
        ),
    ] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check knowledge-base files and report every problem (exit 1 if any)."""
    from cramp_cli.knowledge.loader import validate as check_files
    from cramp_cli.results import KbProblem, KbValidateResult

    count, problems = check_files(files or (), SESSION.kb_paths)
    result = KbValidateResult(
        ok=not problems,
        files=count,
        items=tuple(
            KbProblem(
                id=f"{problem.file}:{problem.line}" if problem.line else problem.file,
                file=problem.file,
                line=problem.line,
                item=problem.item,
                field=problem.field,
                message=problem.bare_message,
            )
            for problem in problems
        ),
    )
    emit(result, as_json, fmt, no_color)
    if problems:
        raise typer.Exit(1)


app.add_typer(kb_app, name="kb")
