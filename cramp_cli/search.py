"""Full-text search over the knowledge base, tolerant of typos.

Pure and standard-library only: the knowledge base (or any documents) in, ranked hits out.
Everything expensive (tokenising, the inverted index, the vocabulary) is done once when a
SearchIndex is built; a search looks up each query word in the vocabulary and scores only the
documents that contain a matching word.

How a query word matches a document word, best first:

- exactly (quality 1.0);
- as a prefix of it, for query words of 3 or more characters (0.8);
- fuzzily, for query words of 4 or more characters: the close words difflib finds in the
  vocabulary (ratio >= 0.75, at most 5), quality ratio * 0.7.

A document scores, for each query word, its best quality * field weight over its fields, plus
bonuses: when every query word matched, when the query is a phrase of the title, when it is
the whole title, and for the share of the title's words the query matched (so the shortest
title that says what was asked comes first).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

TITLE_WEIGHT = 3.0
SUMMARY_WEIGHT = 2.0
OTHER_WEIGHT = 1.0

EXACT = 1.0
PREFIX = 0.8
FUZZY = 0.7
PREFIX_MIN = 3
FUZZY_MIN = 4
FUZZY_CUTOFF = 0.75
FUZZY_MATCHES = 5

ALL_WORDS_BONUS = 1.0
PHRASE_BONUS = 1.5
WHOLE_TITLE_BONUS = 1.5
TITLE_COVERAGE_BONUS = 1.0

KIND_ORDER = ("cause", "relief", "prevention", "treatment", "sign", "lookalike", "muscle", "source")
_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}

STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "for",
        "from",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "s",
        "t",
        "the",
        "to",
        "with",
    }
)

_WORD = re.compile(r"[^\W_]+")


def tokenise(text: str) -> list[str]:
    """The words of a text, case-folded, split on anything that is not a letter or digit."""
    return _WORD.findall(text.casefold())


def content_words(text: str) -> list[str]:
    """The words of a text without the stop words."""
    return [word for word in tokenise(text) if word not in STOP_WORDS]


@dataclass(frozen=True)
class Document:
    """One searchable entry of the knowledge base."""

    kind: str
    id: str
    title: str
    grade: str | None
    fields: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    """A vocabulary word a query word matches, how well, and how to report it."""

    word: str
    quality: float
    shown: str


class SearchIndex:
    """An inverted index over documents, built once, searched many times."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents = tuple(documents)
        # word -> {document position: highest weight of a field holding the word}
        self._postings: dict[str, dict[int, float]] = {}
        self._titles: list[tuple[str, ...]] = []
        for position, document in enumerate(self._documents):
            for text, weight in document.fields:
                for word in tokenise(text):
                    postings = self._postings.setdefault(word, {})
                    if postings.get(position, 0.0) < weight:
                        postings[position] = weight
            self._titles.append(tuple(content_words(document.title)))
        self._vocabulary = sorted(self._postings)
        self._by_length: dict[int, list[str]] = {}
        for word in self._vocabulary:
            self._by_length.setdefault(len(word), []).append(word)
        self._sort_keys = [
            (_KIND_RANK.get(document.kind, len(KIND_ORDER)), document.kind, document.id)
            for document in self._documents
        ]
        self._candidates_cache: dict[str, tuple[_Candidate, ...]] = {}

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._documents

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The documents matching the query, best first; ValueError for an empty query."""
        if not query.strip():
            raise ValueError("the search query is empty")
        if limit < 1:
            raise ValueError(f"the limit must be at least 1 (got {limit})")
        words = _query_words(query)
        if not words:
            return []
        # per document: for each query word, its best (score, quality, shown form)
        best: dict[int, dict[int, tuple[float, float, str]]] = {}
        accepted: list[frozenset[str]] = []
        for index, word in enumerate(words):
            candidates = self._candidates(word)
            accepted.append(frozenset(candidate.word for candidate in candidates))
            for candidate in candidates:
                for position, weight in self._postings[candidate.word].items():
                    score = candidate.quality * weight
                    per_word = best.setdefault(position, {})
                    if score > per_word.get(index, (0.0, 0.0, ""))[0]:
                        per_word[index] = (score, candidate.quality, candidate.shown)
        hits: list[tuple[float, int, tuple[str, ...]]] = []
        for position, per_word in best.items():
            score = sum(value for value, _, _ in per_word.values())
            if len(per_word) == len(words):
                # the bonuses count for as much as the weakest match: a phrase of typos
                # still wins over the same words found elsewhere, a near-miss word less so
                weakest = min(quality for _, quality, _ in per_word.values())
                score += weakest * self._bonus(position, accepted)
            shown: list[str] = []
            for index in sorted(per_word):
                if per_word[index][2] not in shown:
                    shown.append(per_word[index][2])
            hits.append((score, position, tuple(shown)))
        hits.sort(key=lambda hit: (-hit[0], self._sort_keys[hit[1]]))
        return [
            Hit(document=self._documents[position], score=round(score, 4), matched=matched)
            for score, position, matched in hits[:limit]
        ]

    def _bonus(self, position: int, accepted: list[frozenset[str]]) -> float:
        """The bonus of a document that matched every query word."""
        bonus = ALL_WORDS_BONUS
        title = self._titles[position]
        if not title:
            return bonus
        if _is_phrase(accepted, title):
            bonus += PHRASE_BONUS
            if len(title) == len(accepted):
                bonus += WHOLE_TITLE_BONUS
        union = frozenset().union(*accepted)
        covered = sum(1 for word in title if word in union)
        return bonus + TITLE_COVERAGE_BONUS * covered / len(title)

    def _candidates(self, word: str) -> tuple[_Candidate, ...]:
        cached = self._candidates_cache.get(word)
        if cached is None:
            cached = self._find_candidates(word)
            if len(self._candidates_cache) < 4096:
                self._candidates_cache[word] = cached
        return cached

    def _find_candidates(self, word: str) -> tuple[_Candidate, ...]:
        found: dict[str, _Candidate] = {}
        if word in self._postings:
            found[word] = _Candidate(word, EXACT, word)
        if len(word) >= PREFIX_MIN:
            start = bisect.bisect_right(self._vocabulary, word)
            for other in self._vocabulary[start:]:
                if not other.startswith(word):
                    break
                found[other] = _Candidate(other, PREFIX, word)
        if len(word) >= FUZZY_MIN:
            for other in difflib.get_close_matches(
                word, self._fuzzy_pool(word), n=FUZZY_MATCHES, cutoff=FUZZY_CUTOFF
            ):
                quality = difflib.SequenceMatcher(None, word, other).ratio() * FUZZY
                if other not in found or found[other].quality < quality:
                    found[other] = _Candidate(other, quality, other)
        return tuple(found[key] for key in sorted(found))

    def _fuzzy_pool(self, word: str) -> list[str]:
        """The vocabulary words long enough and short enough to reach the cutoff.

        A ratio is 2 * matches / (len(a) + len(b)) and matches <= the shorter length, so
        other lengths cannot reach it; leaving them out changes no result, only the time.
        """
        size = len(word)
        pool: list[str] = []
        for length in sorted(self._by_length):
            shorter, longer = min(size, length), max(size, length)
            if 2 * shorter >= FUZZY_CUTOFF * (shorter + longer):
                pool.extend(self._by_length[length])
        return pool


def _query_words(query: str) -> list[str]:
    """The query's words, without stop words (unless it is only stop words), each once."""
    words = tokenise(query)
    content = [word for word in words if word not in STOP_WORDS] or words
    return list(dict.fromkeys(content))


def _is_phrase(accepted: list[frozenset[str]], title: tuple[str, ...]) -> bool:
    """Whether the query words, in order, match consecutive words of the title."""
    size = len(accepted)
    return any(
        all(title[start + offset] in accepted[offset] for offset in range(size))
        for start in range(len(title) - size + 1)
    )


def _id_text(entry_id: str) -> str:
    return entry_id.replace("-", " ")


def _texts(entry: Any, weighted: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """The entry's text attributes that are present and not empty, each with its weight."""
    fields: list[tuple[str, float]] = []
    for name, weight in weighted:
        value = getattr(entry, name, None)
        if isinstance(value, str):
            values: tuple[Any, ...] = (value,)
        elif isinstance(value, tuple | list):
            values = tuple(value)
        else:
            continue
        fields.extend((text, weight) for text in values if isinstance(text, str) and text)
    return fields


_ITEM_FIELDS = (
    ("title", TITLE_WEIGHT),
    ("summary", SUMMARY_WEIGHT),
    ("details", OTHER_WEIGHT),
    ("steps", OTHER_WEIGHT),
    ("hold", OTHER_WEIGHT),
    ("direction", OTHER_WEIGHT),
    ("ask_first", OTHER_WEIGHT),
    ("article_claim", OTHER_WEIGHT),
)
_SECTIONS: tuple[tuple[str, str, str, tuple[tuple[str, float], ...]], ...] = (
    # (kind, knowledge-base attribute, title attribute, weighted text attributes)
    ("cause", "causes", "title", _ITEM_FIELDS),
    ("relief", "relief", "title", _ITEM_FIELDS),
    ("prevention", "prevention", "title", _ITEM_FIELDS),
    ("treatment", "treatments", "title", _ITEM_FIELDS),
    (
        "sign",
        "signs",
        "title",
        (
            ("title", TITLE_WEIGHT),
            ("question", SUMMARY_WEIGHT),
            ("wording", OTHER_WEIGHT),
            ("note", OTHER_WEIGHT),
        ),
    ),
    (
        "lookalike",
        "lookalikes",
        "title",
        (
            ("title", TITLE_WEIGHT),
            ("summary", SUMMARY_WEIGHT),
            ("differs", OTHER_WEIGHT),
            ("points_to", OTHER_WEIGHT),
        ),
    ),
    (
        "muscle",
        "muscles",
        "name",
        (
            ("name", TITLE_WEIGHT),
            ("aliases", TITLE_WEIGHT),
            ("description", SUMMARY_WEIGHT),
            ("cramp_pulls", OTHER_WEIGHT),
        ),
    ),
    (
        "source",
        "sources",
        "title",
        (
            ("title", TITLE_WEIGHT),
            ("publisher", SUMMARY_WEIGHT),
            ("note", OTHER_WEIGHT),
        ),
    ),
)


def documents_from_kb(kb: Any) -> list[Document]:
    """Every entry of a knowledge base as a document; sections it lacks are skipped.

    Duck-typed: any object with the sections as attributes will do, so a knowledge base with
    or without warning signs and lookalikes gives the documents it has.
    """
    documents: list[Document] = []
    for kind, section, title_attribute, weighted in _SECTIONS:
        for entry in getattr(kb, section, ()) or ():
            grade = getattr(getattr(entry, "evidence", None), "grade", None)
            fields = [(_id_text(entry.id), TITLE_WEIGHT), *_texts(entry, weighted)]
            documents.append(
                Document(
                    kind=kind,
                    id=entry.id,
                    title=str(getattr(entry, title_attribute)),
                    grade=grade if isinstance(grade, str) else None,
                    fields=tuple(fields),
                )
            )
    return documents
