"""Words of Typer and Click that cramp's catalogue translates: listed here only so that
`pybabel extract` puts them in cramp.pot. Never imported.

Typer asks gettext for the first group itself (cramp_cli.i18n.text.bind routes those calls
to cramp's catalogue). Click, as Typer vendors it, does not use gettext: cramp shows the
second group through its own help formatter (cramp_cli.cli._HelpFormatter), and its own
handling of usage errors (cramp_cli.cli._usage_message) puts Click's messages in its words.
"""

from cramp_cli.i18n.text import N_

TYPER = (
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Aborted!"),
)

CLICK = (
    N_("Usage: "),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
