"""The commands, one module per group, each only parsing arguments and calling an answer.

Each module holds a `typer.Typer` named `app` with its commands (and command groups such as
`kb` and `log`). Nothing here registers itself: cramp_cli.cli lists every command in its
registry and imports a module only to build the one command that runs.
"""
