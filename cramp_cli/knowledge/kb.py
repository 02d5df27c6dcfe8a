"""The loaded, validated knowledge base: plain lookups over the models."""

from __future__ import annotations

from dataclasses import dataclass, field

from cramp_cli.knowledge.models import (
    GRADES,
    LEVELS,
    Cause,
    Grade,
    Level,
    Lookalike,
    Muscle,
    Prevention,
    Relief,
    Rule,
    Sign,
    Source,
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


@dataclass(frozen=True)
class Origin:
    """Where an entry was read: the file, the line its mapping starts on, and the layer.

    `overrides` lists what it replaced (nearest first), when a user file overrode an entry.
    """

    file: str
    line: int
    layer: str = "built-in"
    overrides: tuple[Origin, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    sources: tuple[Source, ...]
    who_tags: tuple[Tag, ...]
    when_tags: tuple[Tag, ...]
    muscles: tuple[Muscle, ...]
    causes: tuple[Cause, ...]
    relief: tuple[Relief, ...]
    prevention: tuple[Prevention, ...]
    treatments: tuple[Treatment, ...]
    signs: tuple[Sign, ...]
    rules: tuple[Rule, ...]
    triage: Triage
    lookalikes: tuple[Lookalike, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False)
    disabled: dict[str, Origin] = field(default_factory=dict, compare=False)
    files: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)

    @property
    def items(self) -> tuple[Cause | Relief | Prevention | Treatment, ...]:
        """Every piece of advice, in a stable order."""
        return (*self.causes, *self.relief, *self.prevention, *self.treatments)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Everything with an id: advice, signs, look-alikes, muscles and sources."""
        return (
            *self.items,
            *self.signs,
            *self.rules,
            *self.lookalikes,
            *self.muscles,
            *self.sources,
        )

    def from_user(self, entry_id: str) -> bool:
        """Whether the entry was read from a user's file (--kb, CRAMP_KB, the user folder)."""
        origin = self.origins.get(entry_id)
        return origin is not None and origin.layer != "built-in"

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id; a sign comes before a look-alike that shares its id."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def lookalike(self, lookalike_id: str) -> Lookalike | None:
        return next((item for item in self.lookalikes if item.id == lookalike_id), None)

    def source(self, source_id: str) -> Source:
        return next(source for source in self.sources if source.id == source_id)

    def citing(self, source_id: str) -> list[Entry]:
        """The entries that name a source, in a stable order."""
        return [entry for entry in self.entries if source_id in getattr(entry, "sources", ())]

    def muscle_names(self) -> dict[str, str]:
        """Every name a muscle answers to (normalised), mapped to the muscle's id."""
        names: dict[str, str] = {}
        for muscle in self.muscles:
            names[muscle.id] = muscle.id
            for alias in muscle.aliases:
                names[normalise_name(alias)] = muscle.id
        return names

    def muscle(self, muscle_id: str) -> Muscle:
        return next(muscle for muscle in self.muscles if muscle.id == muscle_id)

    def relief_item(self, relief_id: str) -> Relief:
        return next(item for item in self.relief if item.id == relief_id)
