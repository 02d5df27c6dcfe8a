"""cramp's gettext catalogue: `_()` for cramp's own words, and Typer's words through it too.

The catalogue is the `cramp` domain, compiled with Babel from
cramp_cli/i18n/locale/<lang>/LC_MESSAGES/cramp.po into cramp.mo beside it, and read here with
the standard library's gettext alone (Babel is a tool of the developers, never of the
runtime). English is the msgids themselves: an English run reads no catalogue at all.

Typer calls `gettext.gettext` for some of its own words ("Options", "Commands", "Missing
command.", "default: ..."), bound at its import (`from gettext import gettext as _`), and it
reads a few of them into constants at import. bind(), called before Typer is imported, puts a
function of cramp's in gettext.gettext's place: in a run in Chinese it answers from cramp's
catalogue, and for anything the catalogue lacks, and in every English run, it asks the
standard function, so nothing else in the process sees a change. No environment variable is
set for gettext's sake: the pager and any other child process see the environment cramp got.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable

from cramp_cli import i18n

DOMAIN = "cramp"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

_loaded: dict[str, gettext.NullTranslations] = {}


def folder(code: str) -> str:
    """The catalogue folder of a language: "zh-Hans" -> "zh_Hans" (as Babel names it)."""
    return code.replace("-", "_")


def mo_path(code: str) -> str:
    return os.path.join(LOCALE_DIR, folder(code), "LC_MESSAGES", f"{DOMAIN}.mo")


def catalogue(code: str | None = None) -> gettext.NullTranslations:
    """The compiled catalogue of a language (of this run by default); English has none."""
    code = code or i18n.current()
    found = _loaded.get(code)
    if found is None:
        found = gettext.NullTranslations()
        if code != i18n.ENGLISH:
            try:
                with open(mo_path(code), "rb") as compiled:
                    found = gettext.GNUTranslations(compiled)
            except OSError:
                pass  # a broken install: English words, never a crash
        _loaded[code] = found
    return found


def _(message: str) -> str:
    """The words of `message` in the language of this run."""
    if i18n.current() == i18n.ENGLISH:
        return message
    return catalogue().gettext(message)


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; translate it with _() where used."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    if i18n.current() == i18n.ENGLISH:
        return singular if count == 1 else plural
    return catalogue().ngettext(singular, plural, count)


_standard: Callable[[str], str] | None = None


def _library_gettext(message: str) -> str:
    """gettext.gettext as Typer sees it after bind()."""
    assert _standard is not None
    if i18n.current() != i18n.ENGLISH:
        translated = catalogue().gettext(message)
        if translated is not message:
            return translated
    return _standard(message)


def bind() -> None:
    """Let Typer's gettext calls answer from cramp's catalogue (call before importing Typer;
    calling it again does nothing)."""
    global _standard
    if _standard is not None:
        return
    _standard = gettext.gettext
    gettext.gettext = _library_gettext
    import sys

    # Typer imported already (a test runner imported it first): its modules hold the
    # standard function under the name `_`.
    for name in ("typer.core", "typer.rich_utils"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "_", None) is _standard:
            module._ = _library_gettext  # type: ignore[attr-defined]
