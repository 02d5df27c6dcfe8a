"""Plain text for pipes and scripts: no colour, no box drawing, no wrapping.

Lists are one record per line with tab-separated fields, so `cut -f1` gives the ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cramp_cli.knowledge.models import Item
from cramp_cli.results import MusclesResult, PreventResult, ReliefResult, Result, WhyResult
from cramp_cli.wording import DISCLAIMER_LINE, GRADE_LABELS


def _row(item: Item) -> str:
    grade = GRADE_LABELS[item.evidence.grade]
    return f"{item.id}\t{grade}\t{item.title}\t{item.summary}"


def _why(result: WhyResult) -> Iterator[str]:
    for item in result.items:
        yield _row(item)
    yield f"Note: {result.note}"
    yield f"Medicines: {result.medicine_safety}"


def _relieve(result: ReliefResult) -> Iterator[str]:
    if result.muscle is not None:
        yield f"Muscle: {result.muscle.id} ({result.muscle.name}). {result.muscle.cramp_pulls}"
    for item in result.items:
        label = GRADE_LABELS[item.evidence.grade]
        yield f"{item.id}\t{label}\t{item.title}\t{item.summary}"
        if item.direction:
            yield f"  Stretch: {item.direction}"
        for number, step in enumerate(item.steps, start=1):
            yield f"  {number}. {step}"
        yield f"  Hold: {item.hold}"
    yield f"Safety: {result.safety}"


def _prevent(result: PreventResult) -> Iterator[str]:
    for item in result.items:
        yield _row(item)
    for treatment in result.doctor_treatments:
        yield f"{_row(treatment)}\t(only a doctor can offer this)"
    yield f"Note: {result.note}"


def _muscles(result: MusclesResult) -> Iterator[str]:
    # One id per line and nothing else, for `for m in $(cramp muscles | cat)` loops and
    # completion: a list of names carries no advice, so it needs no disclaimer line.
    for muscle in result.items:
        yield muscle.id


_RENDERERS: dict[type[Any], Callable[[Any], Iterator[str]]] = {
    WhyResult: _why,
    ReliefResult: _relieve,
    PreventResult: _prevent,
    MusclesResult: _muscles,
}


def render_plain(result: Result) -> str:
    lines = list(_RENDERERS[type(result)](result))
    if not isinstance(result, MusclesResult):
        lines.append(f"Disclaimer: {DISCLAIMER_LINE}")
    return "\n".join(lines) + "\n"
