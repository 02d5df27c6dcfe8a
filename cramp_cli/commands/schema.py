"""`cramp schema`: the JSON Schema of a command's --json output, as shipped in the package."""

import sys
from typing import Annotated

import typer

from cramp_cli.i18n.text import N_
from cramp_cli.options import examples

app = typer.Typer()


def _schema_names() -> list[str]:
    from importlib.resources import files

    folder = files("cramp_cli") / "schemas"
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json"))


@app.command(epilog=examples("cramp schema why > why.schema.json", "cramp schema 'kb validate'"))
def schema(
    command: Annotated[
        str,
        typer.Argument(
            metavar="COMMAND",
            help=N_(
                "The command whose --json output to describe ('kb validate' or kb-validate "
                "for a kb command, or 'error')."
            ),
        ),
    ],
) -> None:
    """Print the JSON Schema of a command's --json output."""
    from importlib.resources import files

    key = "-".join(command.strip().lower().split())  # "kb validate" names kb-validate.json
    names = _schema_names()
    if key not in names:
        from cramp_cli import answers

        raise answers.unknown_name(command, N_("command"), names)
    text = (files("cramp_cli") / "schemas" / f"{key}.json").read_text(encoding="utf-8")
    sys.stdout.write(text)
