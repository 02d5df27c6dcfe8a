"""The loaded, validated knowledge base: plain lookups over the models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from cramp_cli import i18n
from cramp_cli.knowledge.models import (
    GRADES,
    LEVELS,
    Cause,
    GlossaryTerm,
    Grade,
    Level,
    Lookalike,
    Muscle,
    MuscleName,
    PatternRule,
    Prevention,
    Relief,
    Rule,
    Sign,
    Source,
    Symptom,
    Tag,
    Treatment,
    Triage,
)
from cramp_cli.names import normalise_name

Entry = Cause | Relief | Prevention | Treatment | Sign | Rule | Lookalike | Muscle | Source

ENTRY_KINDS: dict[type, str] = {
    Cause: "cause",
    Relief: "relief",
    Prevention: "prevention",
    Treatment: "treatment",
    Sign: "sign",
    Rule: "rule",
    Lookalike: "lookalike",
    Muscle: "muscle",
    Source: "source",
}


def kind_of(entry: Entry) -> str:
    return ENTRY_KINDS[type(entry)]


def title_of(entry: Entry) -> str:
    if isinstance(entry, Muscle):
        return entry.name
    if isinstance(entry, Rule):
        return f"Combination rule: {entry.reason}"
    return entry.title


def origin_key(entry: Entry) -> str:
    """The key of an entry in `KnowledgeBase.origins`.

    Ids are unique across the knowledge base except that a look-alike may share its id with
    the warning sign that points to it, so look-alikes are kept under their own prefix.
    """
    return f"lookalike:{entry.id}" if isinstance(entry, Lookalike) else entry.id


def grade_rank(grade: Grade) -> int:
    """0 for the strongest evidence; 'against' ranks lowest."""
    return GRADES.index(grade)


def level_rank(level: Level) -> int:
    """0 for the most urgent level."""
    return LEVELS.index(level)


def rule_fires(rule: Rule, given: set[str] | frozenset[str]) -> bool:
    """With every sign of `all` and, when `any` is not empty, at least one of `any`."""
    return all(sign_id in given for sign_id in rule.all) and (
        not rule.any or any(sign_id in given for sign_id in rule.any)
    )


class Origin(NamedTuple):
    """Where an entry was read: the file, the line its mapping starts on, and the layer.

    `overrides` lists what it replaced (nearest first), when a user file overrode an entry.
    """

    file: str
    line: int
    layer: str = "built-in"
    overrides: tuple[Origin, ...] = ()


if TYPE_CHECKING:
    from typing import Protocol

    class Sections(Protocol):
        """Where a knowledge base's entries come from: memory, or a compiled snapshot."""

        def section(self, name: str) -> tuple[Any, ...]: ...

        def entry(self, entry_id: str) -> Entry | None: ...

        def origin(self, key: str) -> Origin | None: ...

        def origins(self) -> dict[str, Origin]: ...

        def disabled(self) -> dict[str, Origin]: ...

        def files(self) -> tuple[tuple[str, str, int], ...]: ...

        def has_user_layers(self) -> bool: ...

        def citing(self, source_id: str) -> list[Entry]: ...

        def search_index(self) -> Any: ...


# The sections of a knowledge base, in the order `entries` lists them.
ENTRY_SECTIONS = (
    "causes",
    "relief",
    "prevention",
    "treatments",
    "signs",
    "rules",
    "lookalikes",
    "muscles",
    "sources",
)
# The sections without ids of their own.
OTHER_SECTIONS = ("who_tags", "when_tags", "triage", "patterns", "symptoms", "names", "glossary")


class KnowledgeBase:
    """The knowledge base an answer reads. Each section is read on first use, so an answer
    pays only for what it looks at."""

    def __init__(self, sections: Sections) -> None:
        self._sections = sections
        self._read: dict[tuple[str, str], tuple[Any, ...]] = {}

    def _section(self, name: str) -> tuple[Any, ...]:
        # Per language: a compiled knowledge base reads the entries in the run's language.
        key = (name, i18n.current())
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = self._sections.section(name)
        return found

    @property
    def sources(self) -> tuple[Source, ...]:
        return self._section("sources")

    @property
    def who_tags(self) -> tuple[Tag, ...]:
        return self._section("who_tags")

    @property
    def when_tags(self) -> tuple[Tag, ...]:
        return self._section("when_tags")

    @property
    def muscles(self) -> tuple[Muscle, ...]:
        return self._section("muscles")

    @property
    def causes(self) -> tuple[Cause, ...]:
        return self._section("causes")

    @property
    def relief(self) -> tuple[Relief, ...]:
        return self._section("relief")

    @property
    def prevention(self) -> tuple[Prevention, ...]:
        return self._section("prevention")

    @property
    def treatments(self) -> tuple[Treatment, ...]:
        return self._section("treatments")

    @property
    def signs(self) -> tuple[Sign, ...]:
        return self._section("signs")

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._section("rules")

    @property
    def lookalikes(self) -> tuple[Lookalike, ...]:
        return self._section("lookalikes")

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        """The words of `cramp log --with`, each mapped to a sign or a look-alike."""
        return self._section("symptoms")

    def symptom(self, word: str) -> Symptom | None:
        return next((item for item in self.symptoms if item.word == word), None)

    @property
    def patterns(self) -> tuple[PatternRule, ...]:
        return self._section("patterns")

    @property
    def names(self) -> tuple[MuscleName, ...]:
        """The muscles' names in other languages (data/i18n/<language>/muscles.yaml)."""
        return self._section("names")

    @property
    def glossary(self) -> tuple[GlossaryTerm, ...]:
        """One term per medical concept in other languages (data/i18n/<language>/glossary.yaml)."""
        return self._section("glossary")

    @property
    def triage(self) -> Triage:
        triage: Triage = self._section("triage")[0]
        return triage

    @property
    def origins(self) -> dict[str, Origin]:
        return self._sections.origins()

    @property
    def disabled(self) -> dict[str, Origin]:
        return self._sections.disabled()

    @property
    def files(self) -> tuple[tuple[str, str, int], ...]:
        return self._sections.files()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return all(
            self._section(name) == other._section(name)
            for name in (*ENTRY_SECTIONS, *OTHER_SECTIONS)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def items(self) -> tuple[Cause | Relief | Prevention | Treatment, ...]:
        """Every piece of advice, in a stable order."""
        return (*self.causes, *self.relief, *self.prevention, *self.treatments)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Everything with an id: advice, signs, look-alikes, muscles and sources."""
        return tuple(entry for name in ENTRY_SECTIONS for entry in self._section(name))

    def origin(self, entry: Entry) -> Origin | None:
        return self._sections.origin(origin_key(entry))

    def from_user(self, entry_id: str) -> bool:
        """Whether the entry was read from a user's file (--kb, CRAMP_KB, the user folder)."""
        if not self._sections.has_user_layers():
            return False
        origin = self._sections.origin(entry_id)
        return origin is not None and origin.layer != "built-in"

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id; a sign comes before a look-alike that shares its id."""
        return self._sections.entry(entry_id)

    def lookalike(self, lookalike_id: str) -> Lookalike | None:
        return next((item for item in self.lookalikes if item.id == lookalike_id), None)

    def source(self, source_id: str) -> Source:
        found = self._sections.entry(source_id)
        if isinstance(found, Source):
            return found
        return next(source for source in self.sources if source.id == source_id)

    def citing(self, source_id: str) -> list[Entry]:
        """The entries that name a source, in a stable order."""
        return self._sections.citing(source_id)

    def search_index(self) -> Any:
        """The search index over every entry (a search_index.SearchIndex)."""
        return self._sections.search_index()

    def muscle_names(self) -> dict[str, str]:
        """Every name a muscle answers to (normalised), mapped to the muscle's id."""
        names: dict[str, str] = {}
        for muscle in self.muscles:
            names[muscle.id] = muscle.id
            for alias in muscle.aliases:
                names[normalise_name(alias)] = muscle.id
        for other in self.names:
            if other.kind == "alias":
                names[normalise_name(other.name)] = other.muscles[0]
        return names

    def vague_names(self) -> dict[str, tuple[str, ...]]:
        """The names that are not a muscle's own (normalised): a vague word mapped to the one
        muscle it is taken to mean, or a shared word to every muscle that lists it."""
        vague: dict[str, tuple[str, ...]] = {}
        for muscle in self.muscles:
            for name in (*muscle.assumed_from, *muscle.shared_names):
                key = normalise_name(name)
                if muscle.id not in vague.get(key, ()):
                    vague[key] = (*vague.get(key, ()), muscle.id)
        for other in self.names:
            if other.kind != "alias":
                vague[normalise_name(other.name)] = other.muscles
        return vague

    def muscle(self, muscle_id: str) -> Muscle:
        return next(muscle for muscle in self.muscles if muscle.id == muscle_id)

    def relief_item(self, relief_id: str) -> Relief:
        found = self._sections.entry(relief_id)
        if isinstance(found, Relief):
            return found
        return next(item for item in self.relief if item.id == relief_id)


class MemorySections:
    """A knowledge base held in memory: as the loader merged it from YAML files."""

    def __init__(
        self,
        content: dict[str, tuple[Any, ...]],
        origin_table: dict[str, Origin] | None = None,
        disabled_table: dict[str, Origin] | None = None,
        file_list: tuple[tuple[str, str, int], ...] = (),
    ) -> None:
        self.content = content
        self.origin_table = origin_table or {}
        self.disabled_table = disabled_table or {}
        self.file_list = file_list
        # What search indexes of the translated entries (loader.search_translations), or a
        # function that gives it, set by the loader.
        self.translated: Any = None
        self._index: Any = None

    def section(self, name: str) -> tuple[Any, ...]:
        return self.content.get(name, ())

    def entry(self, entry_id: str) -> Entry | None:
        for name in ENTRY_SECTIONS:
            for entry in self.content.get(name, ()):
                if entry.id == entry_id:
                    return entry  # type: ignore[no-any-return]
        return None

    def origin(self, key: str) -> Origin | None:
        return self.origin_table.get(key)

    def origins(self) -> dict[str, Origin]:
        return self.origin_table

    def disabled(self) -> dict[str, Origin]:
        return self.disabled_table

    def files(self) -> tuple[tuple[str, str, int], ...]:
        return self.file_list

    def has_user_layers(self) -> bool:
        return any(layer != "built-in" for layer, _, _ in self.file_list) or any(
            origin.layer != "built-in" for origin in self.origin_table.values()
        )

    def citing(self, source_id: str) -> list[Entry]:
        return [
            entry
            for name in ENTRY_SECTIONS
            for entry in self.content.get(name, ())
            if source_id in getattr(entry, "sources", ())
        ]

    def search_index(self) -> Any:
        if self._index is None:
            from cramp_cli.knowledge.search_index import SearchIndex, documents_from_kb

            translated = self.translated() if callable(self.translated) else self.translated
            documents = documents_from_kb(KnowledgeBase(self), translated)
            self._index = SearchIndex(documents)
        return self._index


def in_memory(
    *,
    origins: dict[str, Origin] | None = None,
    disabled: dict[str, Origin] | None = None,
    files: tuple[tuple[str, str, int], ...] = (),
    triage: Triage,
    **sections: tuple[Any, ...],
) -> KnowledgeBase:
    """A knowledge base from sections already in memory (the loader's merge, the tests)."""
    content = {**sections, "triage": (triage,)}
    return KnowledgeBase(MemorySections(content, origins or {}, disabled or {}, files))
