"""Can every claim be followed back to a source that stands on its own?

`audit(kb)` reads a whole knowledge base (the built-in one, or one with a user's files on top)
and reports problems and notes (`cramp sources --check`, tests/test_evidence_trail.py):

- problems: a source that leaves something out (completeness.source_gaps), a source that
  nothing cites, and an entry whose sources all fail to stand on their own;
- notes: an entry that rests on a single source (unless a guideline or systematic review),
  and an entry whose best source is more than OLD_AFTER_YEARS years old.

An entry graded `none` that cites only the seed article merely reports the article's claim:
it is exempt from both the problem and the single-source note.

Pure: no Typer, no Rich, no I/O; `today` can be given for tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar, Literal

from cramp_cli.knowledge.completeness import source_gaps
from cramp_cli.knowledge.kb import KnowledgeBase, kind_of
from cramp_cli.knowledge.models import AUTHORITIES, NO_ADDRESS, Item, Source
from cramp_cli.shapes import Shape

SEED_ARTICLE = "seed-article"
OLD_AFTER_YEARS = 15
# Authorities that cannot carry a claim alone.
WEAK_AUTHORITIES = frozenset({"press", "low"})
# Authorities that are enough on their own: no "single source" note.
SUMMARY_AUTHORITIES = frozenset({"guideline", "systematic review"})

FindingKind = Literal["incomplete", "not cited", "weak trail", "single source", "old source"]


class TrailFinding(Shape):
    """One problem or note: the entry or source it is about, what kind, and what to do."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "json_schema_serialization_defaults_required": True
    }

    id: str
    entry: str  # what the id names: source, cause, relief, sign, rule, lookalike, ...
    kind: FindingKind
    message: str


class Trail(Shape):
    problems: tuple[TrailFinding, ...]
    notes: tuple[TrailFinding, ...]
    sources: int
    entries: int


def stands_on_its_own(source: Source) -> bool:
    """Whether a source can carry a claim alone: not press or low authority (a missing one
    counts as low), and not a copy whose original was never seen ("no address" with only a
    copy address). A verified text read in a copy (a real address plus a copy) counts as its
    original."""
    if source.authority_level in WEAK_AUTHORITIES:
        return False
    return not (source.url == NO_ADDRESS and source.copy_url is not None)


def _why_not(source: Source) -> str:
    if source.authority is None:
        return f"{source.id} (no authority: counts as low)"
    if source.authority in WEAK_AUTHORITIES:
        return f"{source.id} ({source.authority})"
    return f"{source.id} (a copy; the original was never seen)"


def _citations(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Every place that cites sources: (id, what it is, the source ids)."""
    for entry in (*kb.items, *kb.signs, *kb.rules, *kb.lookalikes):
        yield entry.id, kind_of(entry), entry.sources
    for cause in kb.causes:
        if cause.names_source is not None:
            yield cause.id, "cause", (cause.names_source,)
    for pattern in kb.patterns:
        yield pattern.id, "pattern", pattern.sources
    triage = kb.triage
    for advice in triage.levels:
        yield advice.level, "level", advice.sources
    yield "safety-net", "triage", triage.safety_net_sources
    for question in triage.doctor_questions:
        yield "doctor-questions", "triage", question.sources
    for region in triage.regions:
        yield region.id, "region", region.sources


def _claims(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str, ...], Item | None]]:
    """The entries that make a claim on their sources: advice, signs, rules, look-alikes."""
    for entry in (*kb.items, *kb.signs, *kb.rules, *kb.lookalikes):
        yield entry.id, kind_of(entry), entry.sources, entry if isinstance(entry, Item) else None


def seed_only(item: Item | None, sources: tuple[str, ...]) -> bool:
    """An item graded `none` resting only on the seed article: it reports the article's claim."""
    return item is not None and item.evidence.grade == "none" and set(sources) == {SEED_ARTICLE}


def _year(source: Source) -> int | None:
    return int(source.year) if source.year.isdigit() else None


def best_source(sources: Iterable[Source]) -> Source:
    """The highest authority; among equals, the newest. An undated one ("no date", often a
    page kept up to date) is never old, so among equals it counts as the newest."""

    def rank(source: Source) -> tuple[int, int]:
        year = _year(source)
        return AUTHORITIES.index(source.authority_level), -(year if year is not None else 10_000)

    return min(sources, key=rank)


def audit(kb: KnowledgeBase, today: date | None = None) -> Trail:
    today = today or date.today()
    by_id = {source.id: source for source in kb.sources}
    problems: list[TrailFinding] = []
    notes: list[TrailFinding] = []

    for source in kb.sources:
        for gap in source_gaps(source):
            problems.append(
                TrailFinding(id=source.id, entry="source", kind="incomplete", message=gap)
            )

    cited = {source_id for _, _, ids in _citations(kb) for source_id in ids}
    for source in kb.sources:
        if source.id not in cited:
            problems.append(
                TrailFinding(
                    id=source.id,
                    entry="source",
                    kind="not cited",
                    message="nothing cites this source: cite it or remove it",
                )
            )

    count = 0
    for entry_id, kind, ids, item in _claims(kb):
        count += 1
        cites = [by_id[source_id] for source_id in ids if source_id in by_id]
        if not cites or seed_only(item, ids):
            continue
        if not any(stands_on_its_own(source) for source in cites):
            weak = ", ".join(_why_not(source) for source in cites)
            problems.append(
                TrailFinding(
                    id=entry_id,
                    entry=kind,
                    kind="weak trail",
                    message=f"rests only on press, low authority or an unverified copy: {weak}",
                )
            )
        if len(cites) == 1 and cites[0].authority_level not in SUMMARY_AUTHORITIES:
            notes.append(
                TrailFinding(
                    id=entry_id,
                    entry=kind,
                    kind="single source",
                    message=f"rests on a single source: {cites[0].id} ({cites[0].authority_level})",
                )
            )
        best = best_source(cites)
        year = _year(best)
        if year is not None and today.year - year > OLD_AFTER_YEARS:
            notes.append(
                TrailFinding(
                    id=entry_id,
                    entry=kind,
                    kind="old source",
                    message=(
                        f"its best source, {best.id} ({best.authority_level}), is from {year}, "
                        f"more than {OLD_AFTER_YEARS} years ago"
                    ),
                )
            )
    return Trail(
        problems=tuple(problems), notes=tuple(notes), sources=len(kb.sources), entries=count
    )
