"""The loaded, validated knowledge base: plain lookups over the models."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cramp_cli.knowledge.models import (
    Cause,
    Item,
    Muscle,
    Prevention,
    Relief,
    Source,
    Tag,
    Treatment,
)

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_name(name: str) -> str:
    """Lower-case, with runs of spaces, underscores and hyphens turned into one hyphen."""
    return _SEPARATORS.sub("-", name.strip().lower()).strip("-")


@dataclass(frozen=True)
class Origin:
    """Where an entry was read: the file and the line its mapping starts on."""

    file: str
    line: int


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
    origins: dict[str, Origin] = field(default_factory=dict, compare=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every piece of advice, in a stable order."""
        return (*self.causes, *self.relief, *self.prevention, *self.treatments)

    def source(self, source_id: str) -> Source:
        return self._sources_by_id[source_id]

    @property
    def _sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

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
