"""Names and terms in other languages: data/i18n/<language>/glossary.yaml and the names of
the muscles in data/i18n/<language>/muscles.yaml.

Read with the knowledge base (loader, compile time), checked, and kept in two sections of it,
`names` and `glossary`, so that the compiled snapshot holds them and an answer needs neither
YAML nor Pydantic:

- a muscle's names (`aliases`, `assumed_from`, `shared_names`) work whatever the language of
  the run: `cramp relieve 小腿肚` in an English run too. A name may not be one the English
  file (or another muscle) already uses for something else;
- the glossary fixes the one term each translation uses for a medical concept, and lists the
  words people search by (search_index adds them to the entries whose English text names
  the concept).

Only the fields above are read here; the translated text of the muscles (name, description
...) is the translation overlay's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import yaml_io
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.models import GlossaryFile, GlossaryTerm, MuscleName, NameKind
from cramp_cli.knowledge.validation import ValidationError, as_shape
from cramp_cli.names import normalise_name

FOLDER = "i18n"
GLOSSARY_FILE = "glossary.yaml"
MUSCLES_FILE = "muscles.yaml"
# The fields of a translated muscle that hold names, and the kind of name each gives.
NAME_FIELDS: dict[str, NameKind] = {
    "aliases": "alias",
    "assumed_from": "assumed",
    "shared_names": "shared",
}


def _languages() -> tuple[str, ...]:
    from cramp_cli.i18n import AVAILABLE, ENGLISH

    return tuple(code for code in AVAILABLE if code != ENGLISH)


def _read(language: str, file_name: str) -> tuple[Any, str] | None:
    """The parsed file and its display name, or None when the language has none. With
    CRAMP_DATA_DIR set, its i18n folder is read instead of the shipped one."""
    from cramp_cli.knowledge.layers import data_dir, exists, read_bytes

    folder = data_dir()
    if folder is not None:
        path = Path(folder) / FOLDER / language / file_name
        if not exists(path):
            return None
        name = str(path)
        return yaml_io.parse(yaml_io.decode(read_bytes(path), name), name), name
    from importlib.resources import files

    entry = files("cramp_cli.data") / FOLDER / language / file_name
    if not entry.is_file():
        return None
    name = f"data/{FOLDER}/{language}/{file_name}"
    return yaml_io.parse(yaml_io.decode(entry.read_bytes(), name, shipped=True), name), name


def _fail(raw: Any, name: str, message: str, *where: str | int) -> KnowledgeBaseError:
    line, item = yaml_io.locate(raw, where)
    field = ".".join(str(part) for part in where) or None
    return KnowledgeBaseError(message, file=name, line=line, item=item, field=field)


def load_glossary() -> tuple[GlossaryTerm, ...]:
    """Every language's glossary, checked: shapes, unique ids, patterns that compile."""
    terms: list[GlossaryTerm] = []
    for language in _languages():
        found = _read(language, GLOSSARY_FILE)
        if found is None:
            continue
        raw, name = found
        try:
            glossary = as_shape(GlossaryFile, raw).glossary
        except ValidationError as err:
            first = err.errors(include_url=False)[0]
            loc = tuple(first["loc"])
            raise _fail(raw, name, str(first["msg"]), *loc) from None
        seen: set[str] = set()
        for index, term in enumerate(glossary):
            if term.id in seen:
                raise _fail(raw, name, f"duplicate id {term.id!r}", "glossary", index, "id")
            seen.add(term.id)
            if term.lang != language:
                raise _fail(raw, name, f"lang must be {language!r}", "glossary", index)
            for position, pattern in enumerate(term.patterns):
                try:
                    re.compile(pattern)
                except re.error as err:
                    raise _fail(
                        raw, name, f"bad pattern ({err})", "glossary", index, "patterns", position
                    ) from None
            terms.append(term)
    return tuple(terms)


def load_names(kb: KnowledgeBase) -> tuple[MuscleName, ...]:
    """The names of the muscles in every language, checked against the knowledge base."""
    names: list[MuscleName] = []
    for language in _languages():
        found = _read(language, MUSCLES_FILE)
        if found is not None:
            names.extend(_muscle_names(kb, language, *found))
    return tuple(names)


def _muscle_names(kb: KnowledgeBase, language: str, raw: Any, name: str) -> Iterator[MuscleName]:
    muscle_ids = {muscle.id for muscle in kb.muscles}
    # The English names and ids: a translation's name may not mean something else. (Read
    # from the muscles: the knowledge base's own lookups would cache the names unread.)
    english = {
        normalise_name(typed)
        for muscle in kb.muscles
        for typed in (muscle.id, *muscle.aliases, *muscle.assumed_from, *muscle.shared_names)
    }
    entries = raw.get("muscles") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise _fail(raw, name, "expected a list of muscles under 'muscles'", "muscles")
    user_layers = kb._sections.has_user_layers() or bool(kb.disabled)
    kinds: dict[str, NameKind] = {}
    owners: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    for index, entry in enumerate(entries):
        muscle_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(muscle_id, str) and muscle_id in kb.disabled:
            continue  # a user's file took the muscle away: its names go with it
        if muscle_id not in muscle_ids:
            raise _fail(raw, name, f"unknown muscle {muscle_id!r}", "muscles", index, "id")
        for field_name, kind in NAME_FIELDS.items():
            values = entry.get(field_name, [])
            if not isinstance(values, list):
                raise _fail(raw, name, "expected a list", "muscles", index, field_name)
            for position, value in enumerate(values):
                where = ("muscles", index, field_name, position)
                key = normalise_name(value) if isinstance(value, str) else ""
                if not key:
                    raise _fail(raw, name, "a name must be text", *where)
                if key in english:
                    if user_layers:
                        continue  # a user's file gave the name its own meaning: it wins
                    raise _fail(raw, name, f"{value!r} is already an English name", *where)
                if kinds.get(key, kind) != kind:
                    raise _fail(raw, name, f"{value!r} is already a name of another kind", *where)
                if muscle_id in owners.get(key, ()):
                    raise _fail(raw, name, f"{value!r} is listed twice", *where)
                if key in owners and kind != "shared":
                    raise _fail(
                        raw, name, f"{value!r} already names muscle {owners[key][0]!r}", *where
                    )
                kinds[key] = kind
                owners.setdefault(key, []).append(muscle_id)
                typed.setdefault(key, " ".join(value.split()))
    for key, muscle_list in owners.items():
        kind = kinds[key]
        if kind == "shared" and len(muscle_list) < 2:
            if not user_layers:
                raise _fail(raw, name, f"the shared name {typed[key]!r} names only one muscle")
            kind = "assumed"  # the others were taken away: it means the one left, as in English
        yield MuscleName(name=typed[key], lang=language, kind=kind, muscles=tuple(muscle_list))


def missing_terms(
    english: str, translated: str, terms: Iterable[GlossaryTerm]
) -> list[GlossaryTerm]:
    """The glossary terms a translation should use and does not: those whose `patterns`
    match the English text while the translation holds neither the term nor a form the
    glossary also accepts."""
    missing = []
    for term in terms:
        if not any(re.search(pattern, english, re.IGNORECASE) for pattern in term.patterns):
            continue
        if not any(form in translated for form in (term.term, *term.also_accepted)):
            missing.append(term)
    return missing
