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

Chinese is written without spaces: a run of Han characters is indexed, and searched, as its
overlapping pairs of characters (腿抽筋: 腿抽, 抽筋), so a word is found inside any text that
holds it; a single character also finds the pairs that start with it. Pairs are matched
exactly (no typo tolerance: one wrong character is another word). Other languages' names and
terms reach the English entries through the glossary and the muscles' names
(cramp_cli.knowledge.glossary), and translated text through documents_from_kb's
`translated` argument.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, cast

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
# The words of a Chinese question (how, why, what, and the particles that end one): stop
# words of a query, never of a document.
_HAN_QUESTION = "怎么办|怎么样|怎么|怎样|如何|为什么|为何|是什么|什么|[吗呢吧啊呀]+(?=\\W|$)"
# Han characters (the CJK blocks and their extensions): written without spaces between words.
_HAN_RUN = r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)"


@functools.cache
def _han() -> re.Pattern[str]:
    # Compiled on first use, and only for text that is not plain ASCII: the character class
    # takes milliseconds to compile, a cost an English question should not pay at start-up.
    return re.compile(_HAN_RUN)


def tokenise(text: str) -> list[str]:
    """The words of a text, case-folded, split on anything that is not a letter or digit;
    a run of Han characters gives its overlapping pairs (one character alone stays one)."""
    words: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word.isascii() or not _han().search(word):
            words.append(word)
            continue
        for part in _han().split(word):
            if not part:
                continue
            if not _han().fullmatch(part) or len(part) == 1:
                words.append(part)
            else:
                words.extend(part[start : start + 2] for start in range(len(part) - 1))
    return words


def is_han(word: str) -> bool:
    """Whether a word is all Han characters (the pairs and single characters of tokenise)."""
    return not word.isascii() and _han().fullmatch(word) is not None


def content_words(text: str) -> list[str]:
    """The words of a text without the stop words."""
    return [word for word in tokenise(text) if word not in STOP_WORDS]


class Document(NamedTuple):
    """One searchable entry of the knowledge base."""

    kind: str
    id: str
    title: str
    grade: str | None
    fields: tuple[tuple[str, float], ...]
    weak_reason: str | None = None
    applies_to: str | None = None
    # (language, title) for each language the entry is translated into.
    titles: tuple[tuple[str, str], ...] = ()

    def title_in(self, language: str) -> str:
        """The entry's title in `language`, or the English one when it has none there."""
        return next((title for lang, title in self.titles if lang == language), self.title)


class Hit(NamedTuple):
    document: Document
    score: float
    matched: tuple[str, ...]


class _Candidate(NamedTuple):
    """A vocabulary word a query word matches, how well, and how to report it."""

    word: str
    quality: float
    shown: str


class MemoryIndex:
    """An inverted index over documents, built in memory (a knowledge base read from YAML;
    cramp_cli.knowledge.compile stores the same tables in the compiled snapshot)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = tuple(documents)
        # word -> {document position: highest weight of a field holding the word}
        self.postings_table: dict[str, dict[int, float]] = {}
        self.titles: list[tuple[str, ...]] = []
        self.other_titles: list[tuple[tuple[str, ...], ...]] = []
        for position, document in enumerate(self.documents):
            for text, weight in document.fields:
                for word in tokenise(text):
                    postings = self.postings_table.setdefault(word, {})
                    if postings.get(position, 0.0) < weight:
                        postings[position] = weight
            self.titles.append(tuple(content_words(document.title)))
            self.other_titles.append(
                tuple(tuple(content_words(title)) for _, title in document.titles)
            )
        self.vocabulary = sorted(self.postings_table)
        self.by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self.by_length.setdefault(len(word), []).append(word)

    def __len__(self) -> int:
        return len(self.documents)

    def has_word(self, word: str) -> bool:
        return word in self.postings_table

    def postings(self, word: str) -> dict[int, float]:
        return self.postings_table.get(word, {})

    def words_starting(self, prefix: str) -> list[str]:
        """The vocabulary words that start with `prefix` and are longer than it, in order."""
        start = bisect.bisect_right(self.vocabulary, prefix)
        found = []
        for other in self.vocabulary[start:]:
            if not other.startswith(prefix):
                break
            found.append(other)
        return found

    def words_of_lengths(self, lengths: Iterable[int], with_numbers: bool = True) -> list[str]:
        return [
            word
            for length in lengths
            for word in self.by_length.get(length, ())
            if with_numbers or not word.isdigit()
        ]

    def word_lengths(self) -> list[int]:
        return sorted(self.by_length)

    def document(self, position: int) -> Document:
        return self.documents[position]

    def title_words(self, position: int) -> tuple[str, ...]:
        return self.titles[position]

    def all_title_words(self, position: int) -> tuple[tuple[str, ...], ...]:
        return (self.titles[position], *self.other_titles[position])


class IndexData(Protocol):
    """What a search reads: the memory index above, or the compiled snapshot's tables."""

    def has_word(self, word: str) -> bool: ...

    def postings(self, word: str) -> dict[int, float]: ...

    def words_starting(self, prefix: str) -> list[str]: ...

    def words_of_lengths(self, lengths: Iterable[int], with_numbers: bool = True) -> list[str]: ...

    def word_lengths(self) -> list[int]: ...

    def document(self, position: int) -> Document: ...

    def title_words(self, position: int) -> tuple[str, ...]: ...

    def all_title_words(self, position: int) -> tuple[tuple[str, ...], ...]:
        """The words of the English title, then of each translated one."""
        ...


def sort_key(document: Document) -> tuple[int, str, str]:
    """Ties are broken by kind (advice first), then id."""
    return (_KIND_RANK.get(document.kind, len(KIND_ORDER)), document.kind, document.id)


class SearchIndex:
    """Ranked, typo-tolerant search over an index's data."""

    def __init__(self, documents: Iterable[Document] | IndexData) -> None:
        self._data: IndexData = (
            cast(IndexData, documents) if hasattr(documents, "postings") else MemoryIndex(documents)
        )
        self._candidates_cache: dict[str, tuple[_Candidate, ...]] = {}

    def __len__(self) -> int:
        return len(self._data)  # type: ignore[arg-type]

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._data.documents  # type: ignore[attr-defined, no-any-return]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The documents matching the query, best first; ValueError for an empty query."""
        if not query.strip():
            raise ValueError("the search query is empty")
        if limit < 1:
            raise ValueError(f"the limit must be at least 1 (got {limit})")
        words = _query_words(query)
        # A pair of Chinese characters found nowhere is a seam between two words (筋怎 in
        # 腿抽筋怎么办), not a word the documents could have: it is left out, so the words
        # either side of it can still earn the bonuses. A Latin word found nowhere counts.
        words = [word for word in words if not is_han(word) or self._candidates(word)]
        if not words:
            return []
        # per document: for each query word, its best (score, quality, shown form)
        best: dict[int, dict[int, tuple[float, float, str]]] = {}
        accepted: list[frozenset[str]] = []
        for index, word in enumerate(words):
            candidates = self._candidates(word)
            accepted.append(frozenset(candidate.word for candidate in candidates))
            for candidate in candidates:
                for position, weight in self._data.postings(candidate.word).items():
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
        # Only the best scores need their documents read, to break ties by kind and id.
        hits.sort(key=lambda hit: -hit[0])
        if len(hits) > limit:
            cutoff = hits[limit - 1][0]
            hits = [hit for hit in hits if hit[0] >= cutoff]
        ranked = sorted(
            ((score, self._data.document(position), matched) for score, position, matched in hits),
            key=lambda hit: (-hit[0], sort_key(hit[1])),
        )
        return [
            Hit(document=document, score=round(score, 4), matched=matched)
            for score, document, matched in ranked[:limit]
        ]

    def _bonus(self, position: int, accepted: list[frozenset[str]]) -> float:
        """The bonus of a document that matched every query word: its title's bonus, in
        the language whose title the query fits best (a translated title is a title)."""
        return ALL_WORDS_BONUS + max(
            self._title_bonus(title, accepted) for title in self._data.all_title_words(position)
        )

    @staticmethod
    def _title_bonus(title: tuple[str, ...], accepted: list[frozenset[str]]) -> float:
        bonus = 0.0
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
        if self._data.has_word(word):
            found[word] = _Candidate(word, EXACT, word)
        if len(word) >= PREFIX_MIN or (len(word) == 1 and is_han(word)):
            for other in self._data.words_starting(word):
                found[other] = _Candidate(other, PREFIX, word)
        if len(word) >= FUZZY_MIN and not is_han(word):
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
        The same holds for numbers (ids such as 000123) when the query word has no digit.
        """
        size = len(word)
        lengths = []
        for length in self._data.word_lengths():
            shorter, longer = min(size, length), max(size, length)
            if 2 * shorter >= FUZZY_CUTOFF * (shorter + longer):
                lengths.append(length)
        # A word of digits shares no character with a query word without any: its ratio is 0.
        with_numbers = any(char.isdigit() for char in word)
        pool = self._data.words_of_lengths(lengths, with_numbers)
        # difflib's own quick bound, computed cheaper: the letters two words can match are
        # at most, letter by letter, as many as the query word has of those it shares.
        letters = set(word)
        counts = {letter: word.count(letter) for letter in letters}
        return [
            other
            for other in pool
            if 2 * sum(counts[letter] for letter in letters.intersection(other))
            >= FUZZY_CUTOFF * (size + len(other))
        ]


def _query_words(query: str) -> list[str]:
    """The query's words, without stop words (unless it is only stop words), each once.
    A Chinese question's words (怎么办, 为什么 ...) are stop words too: they are taken out
    before the text is cut into pairs, so 半夜腿抽筋怎么办 searches as 半夜腿抽筋."""
    asked = query if query.isascii() else re.sub(_HAN_QUESTION, " ", query)
    words = tokenise(asked) if asked.strip() else tokenise(query)
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


# (kind, id) -> the entry's translated texts, each with its weight (translated_fields).
Translated = Mapping[tuple[str, str], Sequence[tuple[str, float]]]


def section_kind(section: str) -> str | None:
    """The kind of document a knowledge-base section gives ("causes": "cause"), or None."""
    return next((kind for kind, name, _, _ in _SECTIONS if name == section), None)


def translated_fields(section: str, entry: Mapping[str, Any]) -> list[tuple[str, float]]:
    """The texts of one translated entry (a mapping of field to text, as in a translation
    file), each weighted as the English field of the same name; nested texts (an evidence
    note) and fields the English section does not index weigh least."""
    weights = next((dict(weighted) for _, name, _, weighted in _SECTIONS if name == section), {})
    fields: list[tuple[str, float]] = []

    def walk(value: Any, weight: float) -> None:
        if isinstance(value, str):
            if value.strip():
                fields.append((value, weight))
        elif isinstance(value, Mapping):
            for inner in value.values():
                walk(inner, OTHER_WEIGHT)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner, weight)

    for name, value in entry.items():
        if name not in ("id", "from", "level"):
            walk(value, weights.get(name, OTHER_WEIGHT))
    return fields


def _glossary_matchers(kb: Any) -> list[tuple[re.Pattern[str], str]]:
    """For each glossary term: what finds its English words, and the words it adds."""
    matchers = []
    for term in getattr(kb, "glossary", ()) or ():
        english = [rf"\b{re.escape(phrase)}(?:s|es)?\b" for phrase in term.english]
        pattern = re.compile("|".join([*english, *term.patterns]), re.IGNORECASE)
        words = " ".join(dict.fromkeys((term.term, *term.also_accepted, *term.synonyms)))
        matchers.append((pattern, words))
    return matchers


def _other_names(kb: Any) -> dict[str, list[str]]:
    """Muscle id -> its names in other languages."""
    names: dict[str, list[str]] = {}
    for name in getattr(kb, "names", ()) or ():
        for muscle_id in name.muscles:
            names.setdefault(muscle_id, []).append(name.name)
    return names


class Translations(NamedTuple):
    """What search indexes of the translated entries, by (kind, id): their weighted texts,
    and their titles as (language, title)."""

    texts: Translated
    titles: Mapping[tuple[str, str], Sequence[tuple[str, str]]]


def translations_from(entries: Iterable[tuple[str, str, Mapping[str, Any]]]) -> Translations:
    """The Translations of (language, section, translated entry) triples: the entries the
    translation overlay lays over the English ones (cramp_cli.i18n.overlay). Only their
    text fields are read, and a text the overlay marks as English (no translation yet) is
    left out: the English entry is indexed already."""
    from cramp_cli.i18n.overlay import MARK, text_of

    texts: dict[tuple[str, str], list[tuple[str, float]]] = {}
    titles: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for language, section, entry in entries:
        kind = section_kind(section)
        entry_id = entry.get("id")
        if kind is None or not isinstance(entry_id, str):
            continue
        fields = [
            (text, weight)
            for text, weight in translated_fields(section, text_of(dict(entry)))
            if not text.startswith(MARK)
        ]
        if fields:
            texts.setdefault((kind, entry_id), []).extend(fields)
        title = entry.get("name" if section == "muscles" else "title")
        if isinstance(title, str) and title.strip() and not title.startswith(MARK):
            titles.setdefault((kind, entry_id), []).append((language, title))
    return Translations(texts, titles)


def documents_from_kb(
    kb: Any, translated: Translations | Translated | None = None
) -> list[Document]:
    """Every entry of a knowledge base as a document; sections it lacks are skipped.

    Duck-typed: any object with the sections as attributes will do, so a knowledge base with
    or without warning signs and lookalikes gives the documents it has. Beside each entry's
    own text, a document holds the glossary's words for the concepts its English text names
    (at the weight of the field naming them), a muscle's names in other languages, and the
    entry's translated texts and titles when `translated` has them.
    """
    titles: Mapping[tuple[str, str], Sequence[tuple[str, str]]] = {}
    texts: Translated | None = None
    if isinstance(translated, Translations):
        texts, titles = translated.texts, translated.titles
    elif translated is not None:
        texts = translated
    matchers = _glossary_matchers(kb)
    other_names = _other_names(kb)
    documents: list[Document] = []
    for kind, section, title_attribute, weighted in _SECTIONS:
        for entry in getattr(kb, section, ()) or ():
            evidence = getattr(entry, "evidence", None)
            grade = getattr(evidence, "grade", None)
            weak_reason = getattr(evidence, "weak_reason", None)
            applies_to = getattr(evidence, "applies_to", None)
            fields = [(_id_text(entry.id), TITLE_WEIGHT), *_texts(entry, weighted)]
            fields.extend((name, TITLE_WEIGHT) for name in other_names.get(entry.id, ()))
            if texts is not None:
                fields.extend(texts.get((kind, entry.id), ()))
            terms: dict[str, float] = {}
            for text, weight in fields:
                # A glossary's words say what an entry is about, not what it is called: they
                # weigh at most as a summary, so an entry whose (translated) title says what
                # was asked ranks above one whose English title only names the concept.
                # A source's title is its publication's, in its language: a concept found
                # there is a hint, never what a Chinese query looks for first.
                weight = min(weight, OTHER_WEIGHT if kind == "source" else SUMMARY_WEIGHT)
                for pattern, words in matchers:
                    if weight > terms.get(words, 0.0) and pattern.search(text):
                        terms[words] = weight
            fields.extend(terms.items())
            documents.append(
                Document(
                    kind=kind,
                    id=entry.id,
                    title=str(getattr(entry, title_attribute)),
                    grade=grade if isinstance(grade, str) else None,
                    fields=tuple(fields),
                    weak_reason=weak_reason if isinstance(weak_reason, str) else None,
                    applies_to=applies_to if isinstance(applies_to, str) else None,
                    titles=tuple(titles.get((kind, entry.id), ())),
                )
            )
    return documents
