"""One pure function per command: knowledge base and arguments in, a result out.

No printing, no Typer, no Rich: the CLI layer calls these and hands the result to a renderer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from cramp_cli.errors import UnknownNameError, UsageError
from cramp_cli.knowledge.kb import KnowledgeBase, normalise_name
from cramp_cli.knowledge.models import Item, Muscle, Tag
from cramp_cli.results import (
    Filters,
    MusclesResult,
    PreventResult,
    ReliefResult,
    WhyResult,
)
from cramp_cli.wording import MEDICINE_SAFETY, PREVENT_NOTE, RELIEF_SAFETY, WHY_NOTE

CAUSE_GROUP_ORDER = ("mechanism", "trigger", "body", "condition", "medicine", "belief")
MAX_NAME_LENGTH = 100


def _clean_name(name: str, what: str) -> str:
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(f"the {what} name is too long ({len(name):,} characters).")
    if any(not char.isprintable() for char in name):
        raise UsageError(f"the {what} name contains control characters.")
    key = normalise_name(name)
    if not key:
        raise UsageError(f"the {what} name is empty.")
    return key


def _nearest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(name, sorted(set(choices)), n=n, cutoff=0.5)


def resolve_tag(tags: Sequence[Tag], name: str, field: str) -> str:
    """The canonical id of a who/when tag, or a usage error suggesting the nearest ones."""
    key = _clean_name(name, f"--{field} tag")
    known = [tag.id for tag in tags]
    if key in known:
        return key
    close = _nearest(key, known)
    hint = f"Did you mean {_quoted(close)}? " if close else ""
    raise UnknownNameError(
        f"unknown --{field} tag {name!r}.",
        hint=f"{hint}Known tags: {', '.join(known)}.",
    )


def resolve_muscle(kb: KnowledgeBase, name: str) -> Muscle:
    """A muscle by id or alias, matched loosely; otherwise a usage error naming the nearest."""
    key = _clean_name(name, "muscle")
    names = kb.muscle_names()
    if key in names:
        return kb.muscle(names[key])
    nearest: list[str] = []
    for close in _nearest(key, names, n=6):
        if names[close] not in nearest:
            nearest.append(names[close])
    for muscle in kb.muscles:  # "thigh" is part of two names: offer both
        if key in muscle.id.split("-") and muscle.id not in nearest:
            nearest.append(muscle.id)
    hint = f"Did you mean {_quoted(nearest[:3])}? " if nearest else ""
    raise UnknownNameError(
        f"unknown muscle {name!r}.",
        hint=f"{hint}Run 'cramp muscles' for every name.",
    )


def _quoted(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _for_who(items: Iterable[Item], who: str | None) -> list[Item]:
    return [item for item in items if who is None or who in item.who or "everyone" in item.who]


def _for_when(items: Iterable[Item], when: str | None) -> list[Item]:
    return [item for item in items if when is None or not item.when or when in item.when]


def why(kb: KnowledgeBase, who: str | None = None, when: str | None = None) -> WhyResult:
    """What can bring on night cramps, grouped from everyday triggers to unsupported beliefs."""
    who = resolve_tag(kb.who_tags, who, "who") if who is not None else None
    when = resolve_tag(kb.when_tags, when, "when") if when is not None else None
    chosen = {item.id for item in _for_when(_for_who(kb.causes, who), when)}
    items = sorted(
        (cause for cause in kb.causes if cause.id in chosen),
        key=lambda cause: CAUSE_GROUP_ORDER.index(cause.group),
    )
    return WhyResult(
        filters=Filters(who=who, when=when),
        note=WHY_NOTE,
        medicine_safety=MEDICINE_SAFETY,
        items=tuple(items),
    )


def relieve(kb: KnowledgeBase, muscle: str | None = None) -> ReliefResult:
    """Steps for the cramping muscle first, then the measures that help any cramp.

    Without a muscle, only the general measures: they help whichever muscle it is.
    """
    chosen = resolve_muscle(kb, muscle) if muscle is not None else None
    specific = [kb.relief_item(relief_id) for relief_id in chosen.relief] if chosen else []
    general = [item for item in kb.relief if item.muscle is None and item not in specific]
    return ReliefResult(muscle=chosen, safety=RELIEF_SAFETY, items=(*specific, *general))


def prevent(kb: KnowledgeBase, who: str | None = None) -> PreventResult:
    """What may make cramps less likely, and the treatments only a doctor can offer."""
    who = resolve_tag(kb.who_tags, who, "who") if who is not None else None
    chosen = {item.id for item in _for_who(kb.prevention, who)}
    treatments = {item.id for item in _for_who(kb.treatments, who)}
    return PreventResult(
        filters=Filters(who=who),
        note=PREVENT_NOTE,
        items=tuple(item for item in kb.prevention if item.id in chosen),
        doctor_treatments=tuple(item for item in kb.treatments if item.id in treatments),
    )


def muscles(kb: KnowledgeBase) -> MusclesResult:
    """Every muscle cramp knows, with the names it answers to."""
    return MusclesResult(items=kb.muscles)
