"""Compiling a validated knowledge base into the SQLite form cramp answers from.

    python -m cramp_cli.knowledge.compile      # refresh cramp_cli/knowledge/snapshot.sqlite3

The input is a knowledge base the loader has read from YAML and checked in full (Pydantic
models, references, content rules). The output holds each entry as the JSON of its shape,
where each entry is cited, where it was read, and the search index (search_index.py), so
that an answer needs neither YAML, nor Pydantic, nor rebuilding the index.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cramp_cli import __version__
from cramp_cli.knowledge.kb import (
    ENTRY_SECTIONS,
    OTHER_SECTIONS,
    KnowledgeBase,
    Origin,
    origin_key,
)
from cramp_cli.knowledge.search_index import MemoryIndex, documents_from_kb, translations_from
from cramp_cli.knowledge.snapshot import BUILT_IN_PATH, FORMAT, built_in_translations, stored_json
from cramp_cli.shapes import json_of

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entries (
    section TEXT NOT NULL, position INTEGER NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (section, position)
) WITHOUT ROWID;
CREATE INDEX entries_by_id ON entries (id);
CREATE TABLE origins (key TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE disabled (key TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE cites (
    source TEXT NOT NULL, section TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (source, section, position)
) WITHOUT ROWID;
CREATE TABLE documents (position INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, length INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX words_by_length ON words (length, word);
CREATE TABLE translations (
    lang TEXT NOT NULL, section TEXT NOT NULL, size INTEGER NOT NULL, position INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (lang, section, size, position)
) WITHOUT ROWID;
CREATE TABLE postings (
    word TEXT NOT NULL, position INTEGER NOT NULL, weight REAL NOT NULL,
    PRIMARY KEY (word, position)
) WITHOUT ROWID;
"""

# Every section a compiled file holds, entries first, in `KnowledgeBase.entries` order.
SECTIONS = (*ENTRY_SECTIONS, *OTHER_SECTIONS)


def _dumps(value: Any) -> str:
    return stored_json(value)


def origin_json(origin: Origin) -> list[Any]:
    return [origin.file, origin.line, origin.layer, [origin_json(old) for old in origin.overrides]]


def _section(kb: KnowledgeBase, name: str) -> tuple[Any, ...]:
    return (kb.triage,) if name == "triage" else tuple(getattr(kb, name))


def rows(
    kb: KnowledgeBase, translations: Iterable[tuple[str, str, int, Any]] = ()
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for everything a compiled file holds: the single source of its content,
    for writing it and for comparing two of them. `translations` are (language, section,
    position, translated JSON) of the built-in entries (cramp_cli.i18n.overlay_build); each
    is found by the exact English JSON it was laid over (its size, then the entry itself),
    so an entry a user's file wrote or changed never finds one."""
    user_layers = any(layer != "built-in" for layer, _, _ in kb.files)
    meta = {
        "format": FORMAT,
        "files": _dumps([list(file) for file in kb.files]),
        "user_layers": "1" if user_layers else "0",
    }
    for key, value in meta.items():
        yield "meta", (key, value)
    for name in SECTIONS:
        for position, entry in enumerate(_section(kb, name)):
            entry_id = getattr(entry, "id", "")
            yield "entries", (name, position, entry_id, _dumps(json_of(entry)))
            for source in getattr(entry, "sources", ()) if name in ENTRY_SECTIONS else ():
                yield "cites", (source, name, position)
            if name in ENTRY_SECTIONS:
                origin = kb.origins.get(origin_key(entry))
                if origin is not None:
                    yield "origins", (origin_key(entry), _dumps(origin_json(origin)))
    translations = list(translations)
    for lang, name, position, data in translations:
        english = _dumps(json_of(_section(kb, name)[position]))
        yield "translations", (lang, name, len(english), position, _dumps(data))
    for key, origin in kb.disabled.items():
        yield "disabled", (key, _dumps(origin_json(origin)))
    # Every entry, with its translated texts and titles: those laid over it above, or for a
    # user's store those the built-in snapshot lays over the entries it holds unchanged.
    given = [(lang, name, data) for lang, name, _, data in translations]
    if not given:
        given = list(built_in_translations(kb))
    index = MemoryIndex(documents_from_kb(kb, translations_from(given)))
    for position, document in enumerate(index.documents):
        data = [
            document.kind,
            document.id,
            document.title,
            document.grade,
            document.weak_reason,
            list(index.title_words(position)),
            document.applies_to,
            [
                [lang, title, list(words)]
                for (lang, title), words in zip(
                    document.titles, index.all_title_words(position)[1:], strict=True
                )
            ],
        ]
        yield "documents", (position, _dumps(data))
    for word in index.vocabulary:
        yield "words", (word, len(word))
        for position, weight in index.postings(word).items():
            yield "postings", (word, position, weight)


def write(
    kb: KnowledgeBase,
    path: Path,
    extra_meta: dict[str, str] | None = None,
    translations: Iterable[tuple[str, str, int, Any]] = (),
) -> None:
    """Compile `kb` into `path`, atomically: a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            conn.executescript(TABLES)
            with conn:
                batch: dict[str, list[tuple[Any, ...]]] = {}
                for table, row in rows(kb, translations):
                    batch.setdefault(table, []).append(row)
                for key, value in (extra_meta or {}).items():
                    batch["meta"].append((key, value))
                batch["meta"].append(("cramp", __version__))
                for table, values in batch.items():
                    marks = ",".join("?" * len(values[0]))
                    conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.chmod(temporary, 0o644 if path == BUILT_IN_PATH else 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def compile_builtin(path: Path = BUILT_IN_PATH) -> Path:
    """Compile the shipped data/ folder (read from YAML and checked in full) into `path`."""
    from cramp_cli.i18n import AVAILABLE, ENGLISH
    from cramp_cli.i18n.overlay_build import translated
    from cramp_cli.knowledge.loader import load_builtin

    kb = load_builtin()
    _require_complete_sources(kb)
    translations = [
        (lang, section, position, data)
        for lang in AVAILABLE
        if lang != ENGLISH
        for section, position, data in translated(kb, lang)
    ]
    write(kb, path, translations=translations)
    return path


def _require_complete_sources(kb: KnowledgeBase) -> None:
    """The shipped sources must be complete (a user's own may leave things out)."""
    from cramp_cli.errors import KnowledgeBaseError
    from cramp_cli.knowledge.completeness import source_gaps

    for source in kb.sources:
        gaps = source_gaps(source)
        if gaps:
            raise KnowledgeBaseError(
                f"incomplete source: {'; '.join(gaps)}", file="data/sources.yaml", item=source.id
            )


if __name__ == "__main__":
    print(compile_builtin())
