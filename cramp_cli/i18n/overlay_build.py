"""Reading, checking and reporting translations of the knowledge base (compile time only).

    python -m cramp_cli.i18n.overlay_build [LANG]   # list missing, unstamped, stale entries

The translation files (data/i18n/<lang>/<stem>.yaml) are read here, checked against the
English knowledge base, and laid over it (cramp_cli.i18n.overlay) into the entries the
compiled snapshot holds for that language. Nothing on the answer path imports this module.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.i18n import overlay
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.lines import LineDict, LineList
from cramp_cli.shapes import json_of

DATA = Path(__file__).resolve().parents[2] / "data"
# The compiled sections each top-level key of a translation file speaks for.
LIST_SECTIONS = (
    "muscles",
    "causes",
    "relief",
    "prevention",
    "treatments",
    "signs",
    "rules",
    "lookalikes",
    "symptoms",
    "patterns",
)
# Sections that are never translated (a source's title is the title it was published under).
NOT_TRANSLATED = frozenset({"sources"})
# Fields a translation may carry that are not laid over: the names people type for a muscle
# in that language (aliases, vague words, words several muscles share), read by the names
# code whatever the language of the run.
EXTRA_FIELDS = {"muscles": frozenset({"aliases", "assumed_from", "shared_names"})}


def folder(lang: str, data: Path | None = None) -> Path:
    return (DATA if data is None else data) / "i18n" / lang


def english_sections(kb: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    """The JSON of every translatable entry, by compiled section."""
    found = {name: [json_of(entry) for entry in getattr(kb, name)] for name in LIST_SECTIONS}
    found["who_tags"] = [json_of(tag) for tag in kb.who_tags]
    found["when_tags"] = [json_of(tag) for tag in kb.when_tags]
    found["triage"] = [json_of(kb.triage)]
    return found


def _read(path: Path, shown_name: str) -> LineDict:
    from cramp_cli.knowledge.yaml_io import decode, parse

    data = parse(decode(path.read_bytes(), shown_name, shipped=True), shown_name)
    if not isinstance(data, dict):
        raise KnowledgeBaseError("a translation file must be a mapping", file=shown_name)
    return data


def read_translations(lang: str, data: Path | None = None) -> dict[str, tuple[str, Any]]:
    """(file name, translated part) for each compiled section, from every translation file."""
    found: dict[str, tuple[str, Any]] = {}
    where = folder(lang, data)
    if not where.is_dir():
        return found
    for path in sorted(where.glob("*.y*ml")):
        name = f"data/i18n/{lang}/{path.name}"
        if path.stem == "glossary":
            continue  # the glossary is a list of terms (names16), not a translation
        for key, value in _read(path, name).items():
            parts = value.items() if key == "tags" and isinstance(value, dict) else [(key, value)]
            for part, content in parts:
                section = f"{part}_tags" if key == "tags" else part
                if section in found:
                    raise KnowledgeBaseError(f"{key} is translated twice", file=name)
                found[section] = (name, content)
    return found


def _line(value: Any, key: str | None = None) -> int | None:
    if key is not None and isinstance(value, LineDict):
        return value.key_lines.get(key, value.line)
    return getattr(value, "line", None)


def _check(english: Any, given: Any, file: str, item: str, section: str, top: bool) -> None:
    """Raise KnowledgeBaseError unless `given` carries only text the English entry has."""
    if isinstance(english, dict):
        if not isinstance(given, dict):
            raise KnowledgeBaseError("expected a mapping", file=file, line=_line(given), item=item)
        for key, value in given.items():
            line = _line(given, key)
            if key == overlay.FROM:
                if not isinstance(value, str):
                    raise KnowledgeBaseError(
                        "from must be a string", file=file, line=line, item=item
                    )
                continue
            if top and key in EXTRA_FIELDS.get(section, ()):
                continue
            if key in overlay.MATCH_KEYS and key == overlay.match_key(english):
                if value != english[key]:
                    raise KnowledgeBaseError(
                        f"the {key} must be the English one ({english[key]})",
                        file=file,
                        line=line,
                        item=item,
                        field=key,
                    )
                continue
            if key not in english or english[key] is None:
                what = "no such field" if key not in english else "the English entry has no text"
                raise KnowledgeBaseError(what, file=file, line=line, item=item, field=key)
            mine = english[key]
            if overlay.is_text(key, mine):
                _check_text(mine, value, file, line, item, key)
            elif isinstance(mine, dict | list) and not overlay.is_text(key, mine):
                if isinstance(mine, list) and not all(isinstance(v, dict) for v in mine):
                    raise KnowledgeBaseError(
                        "not a text field: it comes from the English file",
                        file=file,
                        line=line,
                        item=item,
                        field=key,
                    )
                _check(mine, value, file, item, section, top=False)
            else:
                raise KnowledgeBaseError(
                    "not a text field: it comes from the English file",
                    file=file,
                    line=line,
                    item=item,
                    field=key,
                )
        return
    if isinstance(english, list):
        if not isinstance(given, list):
            raise KnowledgeBaseError("expected a list", file=file, line=_line(given), item=item)
        if english and overlay.match_key(english[0]) is not None:
            by_key = {entry[overlay.match_key(entry) or ""]: entry for entry in english}
            seen: set[str] = set()
            for n, entry in enumerate(given):
                line = given.item_lines[n] if isinstance(given, LineList) else None
                key = overlay.match_key(entry) if isinstance(entry, dict) else None
                name = entry.get(key) if isinstance(entry, dict) and key else None
                if not isinstance(name, str):
                    raise KnowledgeBaseError(
                        "an entry needs the id (or level, word) of its English entry",
                        file=file,
                        line=line,
                        item=item,
                    )
                if name not in by_key:
                    raise KnowledgeBaseError(
                        "no English entry has this id", file=file, line=line, item=name
                    )
                if name in seen:
                    raise KnowledgeBaseError("translated twice", file=file, line=line, item=name)
                seen.add(name)
                _check(by_key[name], entry, file, name, section, top=top or item == "")
        else:
            if len(given) > len(english):
                raise KnowledgeBaseError(
                    f"more entries than the English file's {len(english)}",
                    file=file,
                    line=_line(given),
                    item=item,
                )
            for mine, entry in zip(english, given, strict=False):
                _check(mine, entry, file, item, section, top=False)


def _check_text(english: Any, given: Any, file: str, line: int | None, item: str, key: str) -> None:
    def fail(message: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(message, file=file, line=line, item=item, field=key)

    if isinstance(english, list):
        if not isinstance(given, list) or not all(isinstance(v, str) for v in given):
            raise fail("expected a list of text")
        if len(given) != len(english):
            raise fail(f"expected {len(english)} lines, as in English, not {len(given)}")
        pairs = list(zip(english, given, strict=True))
    else:
        if not isinstance(given, str):
            raise fail("expected text")
        pairs = [(english, given)]
    for mine, theirs in pairs:
        if sorted(overlay.PLACEHOLDER.findall(mine)) != sorted(overlay.PLACEHOLDER.findall(theirs)):
            wanted = " ".join(overlay.PLACEHOLDER.findall(mine)) or "none"
            raise fail(f"the placeholders must be those of the English text ({wanted})")


def checked(kb: KnowledgeBase, lang: str, data: Path | None = None) -> dict[str, tuple[str, Any]]:
    """The translations of `lang`, checked against `kb`; KnowledgeBaseError if one is wrong."""
    sections = english_sections(kb)
    found = read_translations(lang, data)
    for section, (file, given) in found.items():
        if section in NOT_TRANSLATED or section not in sections:
            raise KnowledgeBaseError(f"{section} cannot be translated", file=file)
        english = sections[section]
        if section == "triage":
            _check(english[0], given, file, "triage", section, top=True)
        else:
            _check(english, given, file, "", section, top=False)
    return found


def _part(section: str, english: dict[str, Any], given: Any) -> Any:
    if section == "triage":
        return given
    key = overlay.match_key(english)
    for entry in given if isinstance(given, list) else ():
        if isinstance(entry, dict) and key and entry.get(key) == english[key]:
            return entry
    return None


def translated(
    kb: KnowledgeBase, lang: str, data: Path | None = None
) -> Iterator[tuple[str, int, Any]]:
    """(section, position, translated JSON) for every translatable entry of `kb`."""
    found = checked(kb, lang, data)
    for section, entries in english_sections(kb).items():
        given = found.get(section, ("", None))[1]
        for position, english in enumerate(entries):
            yield section, position, overlay.laid_over(english, _part(section, english, given))


@dataclass(frozen=True)
class Finding:
    """A translated entry that is missing, unstamped, stale or partly translated."""

    section: str
    item: str
    status: str  # "missing", "unstamped", "stale" or "partial"
    safety: bool

    def __str__(self) -> str:
        mark = " (safety text)" if self.safety else ""
        return f"{self.section}: {self.item}: {self.status}{mark}"


def _units(english: Any, given: Any, name: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(name, English entry, its translation or None) for the entry and those it holds."""
    yield name, english, given
    mine = given if isinstance(given, dict) else {}
    for key, value in english.items():
        if isinstance(value, dict) and overlay.match_key(value) is not None:
            yield from _units(value, mine.get(key), f"{name}.{key}")
        elif overlay.keyed_entries(value):
            found = mine.get(key)
            theirs: list[Any] = found if isinstance(found, list) else []
            for entry in value:
                match = overlay.match_key(entry) or ""
                part = next(
                    (t for t in theirs if isinstance(t, dict) and t.get(match) == entry[match]),
                    None,
                )
                yield from _units(entry, part, f"{name}.{key}.{entry[match]}")


def _complete(text: Any, given: Any) -> bool:
    if isinstance(text, dict):
        return isinstance(given, dict) and all(_complete(v, given.get(k)) for k, v in text.items())
    if isinstance(text, list) and text and isinstance(text[0], dict):
        return isinstance(given, list) and all(
            _complete(v, given[n] if n < len(given) else None) for n, v in enumerate(text)
        )
    if isinstance(text, list):
        return isinstance(given, list) and len(given) == len(text) and all(given)
    return isinstance(given, str) and bool(given)


def report(kb: KnowledgeBase, lang: str, data: Path | None = None) -> list[Finding]:
    """Every entry whose translation is missing, unstamped, stale or incomplete."""
    found = checked(kb, lang, data)
    findings: list[Finding] = []
    for section, entries in english_sections(kb).items():
        given = found.get(section, ("", None))[1]
        for english in entries:
            top = overlay.match_key(english)
            name = english[top] if top else section
            safety = overlay.is_safety(section, english)
            for item, unit, part in _units(english, _part(section, english, given), name):
                text = overlay.text_of(unit)
                if not text:
                    continue
                status = None
                if not isinstance(part, dict):
                    status = "missing"
                elif not part.get(overlay.FROM):
                    status = "unstamped"
                elif part[overlay.FROM] != overlay.english_hash(unit):
                    status = "stale"
                elif not _complete(text, part):
                    status = "partial"
                if status is not None:
                    findings.append(Finding(section, item, status, safety))
    return findings


def main(argv: list[str]) -> int:
    from cramp_cli.knowledge.loader import load_builtin

    lang = argv[0] if argv else "zh-Hans"
    findings = report(load_builtin(), lang)
    for finding in findings:
        print(finding)
    safety = sum(1 for finding in findings if finding.safety)
    print(f"{len(findings)} entries to translate or check, {safety} of them safety text")
    return 1 if safety else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
