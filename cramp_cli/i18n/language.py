"""Which language cramp speaks: a pure function of the command line and the environment.

The order follows the tldr clients and gettext: `--lang` (a root option; also `--lang=zh`),
then CRAMP_LANG, then LANGUAGE (a colon-separated list: its first entry cramp has; English
when it has none, as with gettext), LC_ALL, LC_MESSAGES and LANG. `C`, `C.UTF-8`, `POSIX` and
empty values say nothing about a language: the next variable decides. Chinese for mainland
China and Singapore (zh, zh_CN, zh_SG, zh-Hans) is "zh-Hans"; Traditional Chinese (zh_TW,
zh_HK, zh_MO, zh-Hant) uses "zh-Hans" too, with a note, until a zh-Hant translation exists;
everything else is English.

Standard library only, and cheap: it runs on every start, before Typer is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

ENGLISH = "en"
CHINESE = "zh-Hans"
# What `--lang` accepts, as the usage error lists it.
OFFERED = ("en", "zh")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_NOT_A_LANGUAGE = frozenset({"", "c", "posix"})
_TRADITIONAL = frozenset({"tw", "hk", "mo", "hant"})

TRADITIONAL_NOTE = (
    "提示：cramp 还没有繁体中文版，下面使用简体中文。"
    " / Note: cramp has no Traditional Chinese yet; using Simplified Chinese."
)


class Choice:
    """The language chosen, and what to say about the choice.

    `error` is set when `--lang` names a language cramp lacks (a usage error, exit 2);
    `warning` when CRAMP_LANG does (English, with the warning on stderr); `note` when a
    Traditional Chinese locale gets Simplified Chinese. (A plain class: a NamedTuple costs
    a millisecond to declare, on every start.)"""

    __slots__ = ("code", "error", "note", "warning")

    def __init__(
        self,
        code: str,
        note: str | None = None,
        warning: str | None = None,
        error: str | None = None,
    ) -> None:
        self.code = code
        self.note = note
        self.warning = warning
        self.error = error

    def __repr__(self) -> str:
        return (
            f"Choice({self.code!r}, note={self.note!r}, warning={self.warning!r}, "
            f"error={self.error!r})"
        )


def _parts(value: str) -> list[str]:
    """'zh_CN.UTF-8@euro' -> ['zh', 'cn']; 'zh-Hant-TW' -> ['zh', 'hant', 'tw']."""
    value = value.split("@", 1)[0].split(".", 1)[0].strip().lower()
    return [part for part in value.replace("-", "_").split("_") if part]


def is_silent(value: str) -> bool:
    """C, C.UTF-8, POSIX and empty values name no language."""
    return value.split(".", 1)[0].strip().lower() in _NOT_A_LANGUAGE


def read(value: str) -> tuple[str | None, bool]:
    """(code, traditional) for one locale name or language tag; code None when cramp lacks it."""
    parts = _parts(value)
    if not parts:
        return None, False
    if parts[0] == "en":
        return ENGLISH, False
    if parts[0] == "zh":
        return CHINESE, any(part in _TRADITIONAL for part in parts[1:])
    return None, False


def given_lang(argv: Sequence[str]) -> str | None:
    """The value of the last `--lang` on the command line (before `--`), if any."""
    given = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang":
            given = argv[index + 1] if index + 1 < len(argv) else ""
        elif arg.startswith("--lang="):
            given = arg.split("=", 1)[1]
    return given


def _shown(value: str) -> str:
    """The value as one printable line: control characters escaped, long ones cut."""
    printable = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
    return printable if len(printable) <= 40 else printable[:37] + "..."


def unknown_lang(value: str) -> str:
    """The usage error for `--lang` with a language cramp does not have."""
    shown = _shown(value)
    return f"cramp has no language '{shown}' (--lang); the languages it has: {', '.join(OFFERED)}."


def _from_code(code: str, traditional: bool) -> Choice:
    return Choice(code, note=TRADITIONAL_NOTE if traditional else None)


def choose(argv: Sequence[str], environ: Mapping[str, str]) -> Choice:
    """The language of this run, from the command line (without the program name) and the
    environment."""
    given = given_lang(argv)
    if given is not None:
        code, traditional = read(given)
        if code is None:
            return Choice(ENGLISH, error=unknown_lang(given))
        return _from_code(code, traditional)
    wanted = environ.get("CRAMP_LANG", "")
    if not is_silent(wanted):
        code, traditional = read(wanted)
        if code is None:
            shown = _shown(wanted)
            return Choice(
                ENGLISH,
                warning=f"Warning: cramp has no language '{shown}' (CRAMP_LANG); using English. "
                f"The languages it has: {', '.join(OFFERED)}.",
            )
        return _from_code(code, traditional)
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if name == "LANGUAGE":
            entries = [entry for entry in value.split(":") if not is_silent(entry)]
            for entry in entries:
                code, traditional = read(entry)
                if code is not None:
                    return _from_code(code, traditional)
            if entries:  # a list of languages cramp lacks: English, as gettext does
                return Choice(ENGLISH)
            continue
        if not is_silent(value):
            code, traditional = read(value)
            return _from_code(code or ENGLISH, traditional)
    return Choice(ENGLISH)
