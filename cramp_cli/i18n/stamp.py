"""Fill each empty `from: ""` of the translation files with the hash of the English text.

    python -m cramp_cli.i18n.stamp [LANG]

Only empty values are filled: a `from` that is already set is never changed, since a new
hash would hide that the English text changed after the translation was made (the report,
python -m cramp_cli.i18n.overlay_build, lists those as stale). The files are edited line by
line, so comments and layout stay as they were.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from cramp_cli.i18n import overlay
from cramp_cli.i18n.overlay_build import _read, _units, english_sections, folder
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.lines import LineDict

_EMPTY_FROM = re.compile(r"""^(\s*(?:-\s+)?from:\s*)(""|'')(\s*(?:#.*)?)$""")


def _lines_to_stamp(english: dict[str, list[dict[str, Any]]], content: Any) -> dict[int, str]:
    """{line of an empty `from`: the hash it should hold} for one translation file."""
    found: dict[int, str] = {}
    for key, value in content.items():
        parts = value.items() if key == "tags" and isinstance(value, dict) else [(key, value)]
        for part, given in parts:
            section = f"{part}_tags" if key == "tags" else part
            for entry in english.get(section, ()):
                top = overlay.match_key(entry)
                if section == "triage":
                    mine = given
                elif isinstance(given, list) and top:
                    mine = next(
                        (g for g in given if isinstance(g, dict) and g.get(top) == entry[top]), None
                    )
                else:
                    continue
                for _, unit, translation in _units(entry, mine, ""):
                    if isinstance(translation, LineDict) and translation.get(overlay.FROM) == "":
                        line = translation.key_lines[overlay.FROM]
                        found[line] = overlay.english_hash(unit)
    return found


def stamp_file(path: Path, english: dict[str, list[dict[str, Any]]], shown_name: str) -> int:
    """Stamp one file in place (atomically); the number of `from` values filled."""
    wanted = _lines_to_stamp(english, _read(path, shown_name))
    if not wanted:
        return 0
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    filled = 0
    for number, digest in wanted.items():
        text = lines[number - 1]
        ending = text[len(text.rstrip("\r\n")) :]
        match = _EMPTY_FROM.match(text.rstrip("\r\n"))
        if match is None:
            continue  # not the plain one-line form: left for a person to fill
        lines[number - 1] = f'{match.group(1)}"{digest}"{match.group(3)}{ending}'
        filled += 1
    handle, temporary = tempfile.mkstemp(prefix=".stamp-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write("".join(lines))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return filled


def stamp(kb: KnowledgeBase, lang: str, data: Path | None = None) -> dict[str, int]:
    """Stamp every translation file of `lang`: {file name: values filled}."""
    english = english_sections(kb)
    done: dict[str, int] = {}
    for path in sorted(folder(lang, data).glob("*.y*ml")):
        if path.stem == "glossary":
            continue
        done[path.name] = stamp_file(path, english, f"data/i18n/{lang}/{path.name}")
    return done


def main(argv: list[str]) -> int:
    from cramp_cli.knowledge.loader import load_builtin

    lang = argv[0] if argv else "zh-Hans"
    for name, filled in stamp(load_builtin(), lang).items():
        print(f"{name}: {filled} stamped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
