"""Reading a compiled knowledge base: an SQLite file written by cramp_cli.knowledge.compile.

The built-in one ships inside the package (snapshot.sqlite3), compiled from data/ and kept
in step with it by a test. A user's own files are compiled into a store file of the same
form (cramp_cli.knowledge.load). Standard library only: an answer reads just the rows it
needs, so a knowledge base a hundred times larger costs little more for most questions.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramp_cli import i18n
from cramp_cli.knowledge.kb import ENTRY_SECTIONS, Entry, KnowledgeBase, Origin
from cramp_cli.knowledge.models import (
    ENTRY_SHAPES,
    GlossaryTerm,
    MuscleName,
    PatternRule,
    Symptom,
    Tag,
    Triage,
)
from cramp_cli.shapes import build, json_of

if TYPE_CHECKING:
    from cramp_cli.knowledge.search_index import Document

# Bump when the tables change: an older store is then compiled again.
FORMAT = "2"
BUILT_IN_PATH = Path(__file__).with_name("snapshot.sqlite3")

SECTION_SHAPES: dict[str, type[Any]] = {
    **ENTRY_SHAPES,
    "who_tags": Tag,
    "when_tags": Tag,
    "triage": Triage,
    "patterns": PatternRule,
    "symptoms": Symptom,
    "names": MuscleName,
    "glossary": GlossaryTerm,
}


class SnapshotError(Exception):
    """A compiled file that cannot be read: missing, damaged, or of another format."""


def origin_from(data: list[Any]) -> Origin:
    file, line, layer, overrides = data
    return Origin(str(file), int(line), str(layer), tuple(origin_from(old) for old in overrides))


def connect(path: Path) -> sqlite3.Connection:
    """Open a compiled file read-only; it never changes once written (immutable)."""
    # A file: URI: only "%", "?" and "#" need escaping in its path.
    text = str(path.absolute())
    if sys.platform == "win32":
        text = "/" + text.replace("\\", "/")
    escaped = text.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    uri = f"file:{escaped}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        found = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.Error as err:
        raise SnapshotError(f"cannot read {path} ({err})") from None
    if found is None or found[0] != FORMAT:
        conn.close()
        raise SnapshotError(f"{path} is not a compiled knowledge base of format {FORMAT}")
    return conn


class SnapshotSections:
    """A knowledge base's sections, read from a compiled file on demand.

    `check` (for a user's store) is run on every entry as it is read, with its stored
    JSON: the content rules hold for whatever an answer shows, whoever last wrote the file.
    """

    def __init__(
        self, conn: sqlite3.Connection, check: Callable[[str, Any, str], None] | None = None
    ) -> None:
        self._conn = conn
        self._check = check
        self._meta: dict[str, str] | None = None
        self._origins: dict[str, Origin] | None = None
        self._index: Any = None

    def texts(self, section: str) -> frozenset[str]:
        """The stored JSON of every entry of a section."""
        return frozenset(data for _, data in self.rows(section))

    def rows(self, section: str) -> list[tuple[str, str]]:
        """(id, stored JSON) of each entry of a section, in order."""
        rows = self._conn.execute(
            "SELECT id, data FROM entries WHERE section = ? ORDER BY position", (section,)
        )
        return list(rows)

    def meta(self, key: str) -> str | None:
        if self._meta is None:
            self._meta = dict(self._conn.execute("SELECT key, value FROM meta"))
        return self._meta.get(key)

    def _built(self, section: str, data: str, translated: dict[str, str] | None = None) -> Any:
        lang = i18n.current()
        if lang != i18n.ENGLISH:
            if translated is not None:
                data = translated.get(data, data)
            else:
                data = translation(lang, section, data) or data
        entry = build(SECTION_SHAPES[section], json.loads(data))
        if self._check is not None:
            self._check(section, entry, data)
        return entry

    def section(self, name: str) -> tuple[Any, ...]:
        lang = i18n.current()
        translated = None if lang == i18n.ENGLISH else translations(lang, name)
        return tuple(self._built(name, data, translated) for _, data in self.rows(name))

    def entry(self, entry_id: str) -> Entry | None:
        rows = self._conn.execute("SELECT section, data FROM entries WHERE id = ?", (entry_id,))
        found = {section: data for section, data in rows if section in ENTRY_SECTIONS}
        for section in ENTRY_SECTIONS:
            if section in found:
                entry: Entry = self._built(section, found[section])
                return entry
        return None

    def origin(self, key: str) -> Origin | None:
        if self._origins is not None:
            return self._origins.get(key)
        row = self._conn.execute("SELECT data FROM origins WHERE key = ?", (key,)).fetchone()
        return origin_from(json.loads(row[0])) if row else None

    def origins(self) -> dict[str, Origin]:
        if self._origins is None:
            rows = self._conn.execute("SELECT key, data FROM origins ORDER BY rowid")
            self._origins = {key: origin_from(json.loads(data)) for key, data in rows}
        return self._origins

    def disabled(self) -> dict[str, Origin]:
        rows = self._conn.execute("SELECT key, data FROM disabled ORDER BY rowid")
        return {key: origin_from(json.loads(data)) for key, data in rows}

    def files(self) -> tuple[tuple[str, str, int], ...]:
        listed = json.loads(self.meta("files") or "[]")
        return tuple((str(layer), str(name), int(count)) for layer, name, count in listed)

    def has_user_layers(self) -> bool:
        return self.meta("user_layers") == "1"

    def citing(self, source_id: str) -> list[Entry]:
        rows = self._conn.execute(
            "SELECT e.section, e.position, e.data FROM cites c JOIN entries e "
            "ON e.section = c.section AND e.position = c.position WHERE c.source = ?",
            (source_id,),
        )
        # In the order of `KnowledgeBase.entries`: by section, then position.
        found = sorted(rows, key=lambda row: (ENTRY_SECTIONS.index(row[0]), row[1]))
        return [self._built(section, data) for section, _, data in found]

    def search_index(self) -> Any:
        if self._index is None:
            from cramp_cli.knowledge.search_index import SearchIndex

            self._index = SearchIndex(SnapshotIndex(self._conn))
        return self._index


class SnapshotIndex:
    """The search index's tables, read a word at a time (search_index.IndexData)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._documents: dict[int, tuple[Document, tuple[tuple[str, ...], ...]]] = {}

    def __len__(self) -> int:
        row = self._conn.execute("SELECT count(*) FROM documents").fetchone()
        return int(row[0])

    @property
    def documents(self) -> tuple[Document, ...]:
        rows = self._conn.execute("SELECT position FROM documents ORDER BY position")
        return tuple(self.document(position) for (position,) in rows)

    def has_word(self, word: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone()
        return row is not None

    def postings(self, word: str) -> dict[int, float]:
        rows = self._conn.execute("SELECT position, weight FROM postings WHERE word = ?", (word,))
        return dict(rows)

    def words_starting(self, prefix: str) -> list[str]:
        # Every word that starts with `prefix` sorts after it and before prefix + U+10FFFF.
        rows = self._conn.execute(
            "SELECT word FROM words WHERE word > ? AND word < ? ORDER BY word",
            (prefix, prefix + "\U0010ffff"),
        )
        return [word for (word,) in rows if word.startswith(prefix)]

    def words_of_lengths(self, lengths: Iterable[int], with_numbers: bool = True) -> list[str]:
        wanted = list(lengths)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        # GLOB '*[^0-9]*': the word has a character that is not a digit.
        letters = "" if with_numbers else " AND word GLOB '*[^0-9]*'"
        rows = self._conn.execute(
            f"SELECT word FROM words WHERE length IN ({marks}){letters} ORDER BY length, word",
            wanted,
        )
        return [word for (word,) in rows]

    def word_lengths(self) -> list[int]:
        rows = self._conn.execute("SELECT DISTINCT length FROM words ORDER BY length")
        return [length for (length,) in rows]

    def _read(self, position: int) -> tuple[Document, tuple[tuple[str, ...], ...]]:
        found = self._documents.get(position)
        if found is None:
            row = self._conn.execute(
                "SELECT data FROM documents WHERE position = ?", (position,)
            ).fetchone()
            from cramp_cli.knowledge.search_index import Document

            # A snapshot from before `applies_to` has six fields, from before translated
            # titles seven.
            kind, entry_id, title, grade, weak_reason, title_words, *rest = json.loads(row[0])
            translated = rest[1] if len(rest) > 1 else []
            document = Document(
                kind=kind,
                id=entry_id,
                title=title,
                grade=grade,
                fields=(),
                weak_reason=weak_reason,
                applies_to=rest[0] if rest else None,
                titles=tuple((str(lang), str(text)) for lang, text, _ in translated),
            )
            words = (tuple(title_words), *(tuple(more) for _, _, more in translated))
            found = self._documents[position] = (document, words)
        return found

    def document(self, position: int) -> Document:
        return self._read(position)[0]

    def title_words(self, position: int) -> tuple[str, ...]:
        return self._read(position)[1][0]

    def all_title_words(self, position: int) -> tuple[tuple[str, ...], ...]:
        return self._read(position)[1]


def open_kb(path: Path, check: Callable[[str, Any, str], None] | None = None) -> KnowledgeBase:
    """The knowledge base in a compiled file; SnapshotError if it cannot be read."""
    return KnowledgeBase(SnapshotSections(connect(path), check))


@functools.cache
def _translations() -> sqlite3.Connection | None:
    try:
        return connect(BUILT_IN_PATH)
    except SnapshotError:
        return None


def translation(lang: str, section: str, english: str) -> str | None:
    """The stored JSON of a built-in entry in `lang`, laid over the English entry whose JSON
    is `english` (cramp_cli.i18n.overlay); None for an entry a user's file wrote or changed,
    which is shown as written."""
    conn = _translations()
    if conn is None:
        return None
    try:
        row = conn.execute(
            "SELECT t.data FROM translations t JOIN entries e "
            "ON e.section = t.section AND e.position = t.position "
            "WHERE t.lang = ? AND t.section = ? AND t.size = ? AND e.data = ?",
            (lang, section, len(english), english),
        ).fetchone()
    except sqlite3.Error:  # a snapshot from before translations
        return None
    return str(row[0]) if row else None


def stored_json(value: Any) -> str:
    """The JSON a compiled file stores for an entry (compile writes it, translations are
    found by it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def built_in_translations(kb: KnowledgeBase) -> Iterator[tuple[str, str, Any]]:
    """(language, section, translated entry) for each entry of `kb` the built-in snapshot
    holds word for word: the translation overlay's entries, as the answers show them."""
    for lang in i18n.AVAILABLE:
        if lang == i18n.ENGLISH:
            continue
        for name in ENTRY_SECTIONS:
            table = translations(lang, name)
            for entry in getattr(kb, name) if table else ():
                found = table.get(stored_json(json_of(entry)))
                if found is not None:
                    yield lang, name, json.loads(found)


def translations(lang: str, section: str) -> dict[str, str]:
    """{English JSON: JSON in `lang`} for every built-in entry of a section, in one query."""
    conn = _translations()
    if conn is None:
        return {}
    try:
        rows = conn.execute(
            "SELECT e.data, t.data FROM translations t JOIN entries e "
            "ON e.section = t.section AND e.position = t.position "
            "WHERE t.lang = ? AND t.section = ?",
            (lang, section),
        )
        return dict(rows)
    except sqlite3.Error:  # a snapshot from before translations
        return {}


@functools.cache
def built_in() -> KnowledgeBase:
    """The shipped knowledge base, opened once per process."""
    return open_kb(BUILT_IN_PATH)
