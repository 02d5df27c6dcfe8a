"""The validated knowledge base as JSON, so a new question needs no YAML parsing.

Stored beside the answer cache under a key made of the content hash of every loaded file,
the cramp version and its code (cramp_cli.cache.kb_key). Reading it back validates every
entry again with the strict models (a few milliseconds), so a tampered or truncated file is
a miss, never trusted.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel

from cramp_cli import cache
from cramp_cli.knowledge.kb import KnowledgeBase, Origin
from cramp_cli.knowledge.loader import SECTION_MODELS, _Checker
from cramp_cli.knowledge.models import (
    Tag,
    Triage,
)

# The KnowledgeBase fields that hold entries: the loader's sections plus the tag vocabularies.
_SECTIONS: dict[str, type[BaseModel]] = {"who_tags": Tag, "when_tags": Tag, **SECTION_MODELS}


def _origin_out(origin: Origin) -> list[Any]:
    return [origin.file, origin.line, origin.layer, [_origin_out(old) for old in origin.overrides]]


def _origin_in(data: list[Any]) -> Origin:
    file, line, layer, overrides = data
    return Origin(str(file), int(line), str(layer), tuple(_origin_in(old) for old in overrides))


def to_json(kb: KnowledgeBase) -> dict[str, Any]:
    document: dict[str, Any] = {
        name: [entry.model_dump(mode="json") for entry in getattr(kb, name)] for name in _SECTIONS
    }
    document["triage"] = kb.triage.model_dump(mode="json")
    document["origins"] = {key: _origin_out(value) for key, value in kb.origins.items()}
    document["disabled"] = {key: _origin_out(value) for key, value in kb.disabled.items()}
    document["files"] = [list(file) for file in kb.files]
    return document


def from_json(document: dict[str, Any]) -> KnowledgeBase:
    sections = {
        name: tuple(model.model_validate(entry) for entry in document[name])
        for name, model in _SECTIONS.items()
    }
    return KnowledgeBase(
        **sections,  # type: ignore[arg-type]
        triage=Triage.model_validate(document["triage"]),
        origins={key: _origin_in(value) for key, value in document["origins"].items()},
        disabled={key: _origin_in(value) for key, value in document["disabled"].items()},
        files=tuple((str(a), str(b), int(c)) for a, b, c in document["files"]),
    )


class _Recheck(_Checker):
    """The loader's checks of a merged knowledge base, run again on a cached copy: entries that
    are each valid can still name a source, sign, tag or muscle that is not there, and crash a
    command later. The first problem raises."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__([])
        nowhere: Any = None  # a problem raises at once: no file or line is ever needed
        self.where = dict.fromkeys((entry.id for entry in kb.entries), nowhere)
        self.where_lookalikes = dict.fromkeys((item.id for item in kb.lookalikes), nowhere)

    def fail(self, message: str, at: Any, *field: int | str) -> None:
        raise ValueError(message)

    def _fail_triage(self, message: str, *field: int | str) -> None:
        raise ValueError(message)


def _check_references(kb: KnowledgeBase) -> None:
    checker = _Recheck(kb)
    checker._check_tags(kb)
    checker._check_sources(kb)
    checker._check_muscles(kb)
    checker._check_triage(kb)


def load(key: str) -> KnowledgeBase | None:
    path = os.path.join(cache.cache_dir(), f"kb-{key}.json")
    document = cache._load_json(path)  # regular files only; None if unreadable or not JSON
    if not isinstance(document, dict):
        return None
    try:
        kb = from_json(document)
        _check_references(kb)
    except Exception:  # any other shape or content: a miss, never fatal
        return None
    return kb


def store(key: str, kb: KnowledgeBase) -> None:
    cache.write_atomically(cache.cache_dir(), f"kb-{key}.json", to_json(kb))
