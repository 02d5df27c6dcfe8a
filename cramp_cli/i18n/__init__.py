"""The language cramp speaks in this process: chosen once at start-up, read everywhere else.

Codes are BCP 47 tags of the languages cramp has: "en" (the knowledge base's own language)
and "zh-Hans". How the language is chosen (--lang, CRAMP_LANG, the locale variables) lives
in cramp_cli.i18n.language; this module only holds the answer, so that any layer can ask
for it without importing the CLI.
"""

from __future__ import annotations

from typing import Final

ENGLISH: Final = "en"
AVAILABLE: Final = (ENGLISH, "zh-Hans")

_current = ENGLISH


def current() -> str:
    """The language of this run: "en" unless start-up chose another."""
    return _current


def set_current(code: str) -> None:
    """Set the language of this run (start-up only; tests may reset it)."""
    global _current
    if code not in AVAILABLE:
        raise ValueError(f"no such language: {code!r}")
    _current = code
