"""The answer of `cramp now`: the main stretch for one muscle in a few short steps, what to
do once it eases, and when it may not be a cramp. Built from the knowledge base alone."""

from __future__ import annotations

from cramp_cli.answers import match_muscle
from cramp_cli.i18n.text import _
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.models import Muscle, Relief, Sign
from cramp_cli.results import NowResult, Stretch
from cramp_cli.wording import NOW_DEFAULT_MUSCLE, NOW_SHARED_NAME, NOW_WARNING

DEFAULT_MUSCLE = "back-calf"
MAX_STEPS = 5


def main_stretch(kb: KnowledgeBase, muscle: Muscle) -> Stretch | None:
    """The muscle's first stretch, in its short form (or its first steps, for an item from a
    user's file that has no short form)."""
    for relief_id in muscle.relief:
        item: Relief = kb.relief_item(relief_id)
        if item.muscle == muscle.id:
            return Stretch(
                muscle=muscle,
                relief_id=item.id,
                title=item.title,
                steps=item.short_steps or item.steps[:MAX_STEPS],
                after=item.after,
                evidence=item.evidence,
                user_claim=kb.from_user(item.id),
            )
    return None


def long_cramp_sign(kb: KnowledgeBase) -> Sign:
    """The warning sign a cramp becomes when it lasts too long (its level is in the data)."""
    wanted = kb.triage.minutes.sign
    return next(sign for sign in kb.signs if sign.id == wanted)


def now(kb: KnowledgeBase, muscle: str | None = None) -> NowResult:
    notes: list[str] = []
    if muscle is None:
        chosen = [kb.muscle(DEFAULT_MUSCLE)]
        notes.append(_(NOW_DEFAULT_MUSCLE))
    else:  # "leg" is the back of the calf, "thigh" both thighs: each with a note saying so
        match = match_muscle(kb, muscle)
        chosen = list(match.muscles)
        if len(chosen) > 1:  # one short line, so that both stretches fit the screen
            notes.append(_(NOW_SHARED_NAME).format(name=" ".join(muscle.split())))
        elif match.note:
            notes.append(match.note)
    stretches = tuple(
        stretch for stretch in (main_stretch(kb, item) for item in chosen) if stretch is not None
    )
    limit = kb.triage.minutes.more_than
    return NowResult(
        notes=tuple(notes),
        stretches=stretches,
        warning=_(NOW_WARNING).format(minutes=limit),
        long_cramp_minutes=limit,
        long_cramp=long_cramp_sign(kb),
    )
