"""The Python API: the same answers as the commands, as the result shapes the JSON comes from.

    from cramp_cli import load_kb, why, relieve, check

    kb = load_kb()                            # built-in, plus your user folder and CRAMP_KB
    print([cause.id for cause in why(kb, who="pregnancy").items])
    print(relieve(kb, "calf").items[0].steps)
    print(check(kb, ["one-sided-swelling"]).level)     # "urgent"

Every function takes the knowledge base first; errors are cramp_cli.errors.CrampError
subclasses (UnknownNameError for an unknown muscle, sign or tag; KnowledgeBaseError for a
broken file). `result.model_dump(mode="json")` is exactly what `--json` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

from cramp_cli import answers
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.load import load_kb as _load_kb
from cramp_cli.results import (
    CheckResult,
    PreventResult,
    ReliefResult,
    SearchResult,
    ShowResult,
    WhyResult,
)

__all__ = ["KnowledgeBase", "check", "load_kb", "prevent", "relieve", "search", "show", "why"]


def load_kb(extra: Iterable[str | PathLike[str]] = ()) -> KnowledgeBase:
    """The knowledge base: built-in, user folder and CRAMP_KB, then `extra` files or folders."""
    return _load_kb(Path(path) for path in extra)


def why(
    kb: KnowledgeBase,
    who: str | None = None,
    when: str | None = None,
    min_evidence: str | None = None,
) -> WhyResult:
    """What can bring on night leg cramps (`cramp why`)."""
    return answers.why(kb, who=who, when=when, min_evidence=min_evidence)


def relieve(
    kb: KnowledgeBase, muscle: str | None = None, min_evidence: str | None = None
) -> ReliefResult:
    """What to do now for a muscle, by id or alias (`cramp relieve`)."""
    return answers.relieve(kb, muscle, min_evidence=min_evidence)


def prevent(
    kb: KnowledgeBase, who: str | None = None, min_evidence: str | None = None
) -> PreventResult:
    """How to make cramps less likely (`cramp prevent`)."""
    return answers.prevent(kb, who=who, min_evidence=min_evidence)


def check(
    kb: KnowledgeBase,
    signs: Sequence[str] = (),
    minutes: int | None = None,
    region: str | None = None,
) -> CheckResult:
    """Warning-sign triage (`cramp check`): the level, the action and the safety net."""
    return answers.check(kb, signs, minutes=minutes, region=region)


def search(kb: KnowledgeBase, text: str, limit: int = 20) -> SearchResult:
    """Free-text search over every entry (`cramp search`)."""
    return answers.search(kb, text, limit=limit)


def show(kb: KnowledgeBase, entry_id: str) -> ShowResult:
    """Any entry in full, with its sources (`cramp show`)."""
    return answers.show(kb, entry_id)
