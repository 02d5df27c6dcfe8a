"""Fixed wording that no knowledge-base file can change: the disclaimer and safety lines.

The constants are the English words, and the msgids of cramp's catalogue: show them with
`_()` (or the functions below, which do) where they are used, so that they follow the
language of the run. English JSON and English views are the constants themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from cramp_cli import i18n
from cramp_cli.i18n.text import N_, _

if TYPE_CHECKING:
    from cramp_cli.knowledge.models import Evidence

DISCLAIMER: Final = N_(
    "This is general information about night-time leg cramps, not a diagnosis or a personal "
    "medical assessment. If you are worried, your cramps are frequent or severe, or you have "
    "any warning sign, see a doctor or other qualified clinician. In an emergency, call your "
    "local emergency number."
)

# A short form that drops the emergency sentence: no view uses it any more, every human
# answer ends with the full DISCLAIMER. Kept only so that older imports still work.
DISCLAIMER_LINE: Final = N_(
    "General information, not a diagnosis. If you are worried, see a doctor."
)

RELIEF_SAFETY: Final = N_(
    "Stop and run 'cramp check' if the calf or thigh on one side is swollen, warm, red or "
    "darkened, or if the pain has not eased after 10 minutes of gentle stretching: "
    "that may not be a cramp. Stop stretching if it makes the pain much worse, and run "
    "'cramp check': a tense, swollen muscle that stretching hurts more needs help at once."
)

# `cramp relieve` without a muscle: the stretch comes before the general measures.
STRETCH_FIRST: Final = N_(
    "Stretching is the main thing to do. Gently stretch the cramping muscle the opposite way "
    "to the pull, and keep it stretched until the cramp eases. The steps for each muscle:"
)

MEDICINE_SAFETY: Final = N_(
    "Some medicines may be linked with cramps. Never stop or change a prescribed medicine on "
    "your own: ask your doctor or pharmacist, who can check whether a change is safe."
)

WHY_NOTE: Final = N_(
    "Most night cramps have no cause that can be found. A blood clot (DVT) is not a cause of "
    "cramps but a look-alike and a warning sign: see 'cramp check'."
)

PREVENT_NOTE: Final = N_(
    "No measure is certain to stop cramps. Ask a doctor or pharmacist (or your midwife, if you "
    "are pregnant) before taking any supplement or medicine."
)

# The words for each grade on screen. `weak` has none of its own: grade_label() shows the
# reason it is weak (Evidence.weak_reason), so weak advice is never called "untested" when
# the reason is that studies disagree.
GRADE_LABELS: Final = {
    "strong": N_("good evidence"),
    "moderate": N_("some evidence"),
    "none": N_("no evidence found"),
    "against": N_("evidence against"),
}

WEAK_REASON_LABELS: Final = {
    "health-advice": N_("advice from health services, not tested in trials"),
    "studies-disagree": N_("studies disagree"),
    "small-studies": N_("small or observational studies only"),
}

# A weak grade whose reason is not known (an old JSON document, a bare grade): never "untested".
WEAK_LABEL: Final = N_("weak evidence")


def grade_words(grade: str, weak_reason: str | None = None) -> str:
    """The plain words for a grade; for `weak`, the words for the reason it is weak."""
    if grade == "weak":
        return _(WEAK_REASON_LABELS.get(weak_reason or "", WEAK_LABEL))
    return _(GRADE_LABELS[grade])


# A belief item (evidence `applies_to: claim`): the grade belongs to the old claim, so the
# words say so, and never sit beside the item's statement as if that had no evidence.
BELIEF_LABELS: Final = {
    "none": N_("an old belief: no evidence supports it"),
    "against": N_("an old belief: the evidence is against it"),
}
BELIEF_MEANING: Final = N_(
    "The grade is the old claim's (from the original article); what the item says is what "
    "the sources say."
)
# The same in a count ("7 old beliefs no evidence supports").
BELIEF_COUNTS: Final = {
    "none": N_("old beliefs no evidence supports"),
    "against": N_("old beliefs the evidence is against"),
}


def grade_words_for(
    grade: str, weak_reason: str | None = None, applies_to: str | None = None
) -> str:
    """grade_words, or the belief words when the grade applies to an old claim."""
    if applies_to == "claim" and grade in BELIEF_LABELS:
        return _(BELIEF_LABELS[grade])
    return grade_words(grade, weak_reason)


def grade_label(evidence: Evidence) -> str:
    """The words every view shows for an item's evidence."""
    return grade_words_for(evidence.grade, evidence.weak_reason, evidence.applies_to)


# An item from the user's own knowledge-base file: its grade and sources are the user's claim.
USER_CLAIM: Final = N_("your file says, not checked by cramp")


def user_claim_label(label: str) -> str:
    """'your file says: good evidence (not checked by cramp)'."""
    return _("your file says: {label} (not checked by cramp)").format(label=label)


def shown_grade(label: str, user_claim: bool) -> str:
    return user_claim_label(label) if user_claim else label


# Who can help with a treatment in `cramp prevent`: only a prescription needs a doctor.
DOCTOR_ONLY: Final = N_("only a doctor can offer this")
ASK_DOCTOR_OR_PHARMACIST: Final = N_("ask a doctor or pharmacist")
ASK_MIDWIFE_OR_DOCTOR: Final = N_("ask a midwife or doctor")
ASK_EITHER: Final = N_("ask a doctor or pharmacist; in pregnancy, a midwife or doctor")


def who_can_help(prescription: bool, who: tuple[str, ...]) -> str:
    """The label beside a treatment, from its data: `prescription: true` means only a doctor;
    an item for pregnancy alone (`who: [pregnancy]`) points to a midwife or doctor."""
    if prescription:
        return _(DOCTOR_ONLY)
    if set(who) == {"pregnancy"}:
        return _(ASK_MIDWIFE_OR_DOCTOR)
    words = ASK_EITHER if "pregnancy" in who else ASK_DOCTOR_OR_PHARMACIST
    return _(words)


GRADE_MEANINGS: Final = {
    "strong": N_("A guideline or systematic review supports it."),
    "moderate": N_("A good trial, or agreeing guidelines, support it."),
    "weak": N_(
        "Advice from health services not tested in trials, studies that disagree, "
        "or only small or observational studies."
    ),
    "none": N_("No supporting evidence was found."),
    "against": N_("Evidence says it does not help, or it is not safe to use for cramps."),
}

LOOKALIKES_NOTE: Final = N_(
    "A cramp comes on suddenly, makes the muscle hard and knotted, lasts seconds to minutes, "
    "and eases when the muscle is stretched. If stretching does not help, or the pain is "
    "different, it may be something else: run 'cramp check'."
)

SELF_CARE_POINTERS: Final = (
    N_("For what to do now: cramp relieve --muscle NAME"),
    N_("To make cramps less likely: cramp prevent"),
)

PARTIAL_VERDICT: Final = N_(
    "Based on {answered} of {total} questions; unanswered questions could make it more urgent."
)

NOT_ASSESSED: Final = N_(
    "Not assessed: the check stopped after {answered} of {total} questions, before any answer "
    "pointed to a warning sign. If any of these emergency signs applies, call your local "
    "emergency number now."
)

# How a muscle name that is not a muscle's own was read (answers.match_muscle).
ASSUMED_MUSCLE: Final = N_(
    "Taking '{name}' to mean the {muscle}, where most night cramps are; for another muscle, "
    "see 'cramp muscles'."
)
SHARED_MUSCLE: Final = N_("'{name}' could mean {choices}: each is shown.")

# `cramp now`: the one screen for the moment of a cramp.
NOW_DEFAULT_MUSCLE: Final = N_(
    "Taking the back of the calf, where most night cramps are. "
    "Another muscle: cramp now shin, foot or thigh."
)
NOW_WARNING: Final = N_(
    "Stop and run 'cramp check' if one leg is swollen, warm, red or darker than the other, if "
    "stretching makes it much worse, or if it has not eased in {minutes} minutes: it may not "
    "be a cramp."
)
NOW_SHARED_NAME: Final = N_("'{name}' could mean either muscle: the stretch for each is below.")


def disclaimer() -> str:
    """The disclaimer every answer carries, in the language of the run."""
    return _(DISCLAIMER)


# The four levels as people read them in a language other than English (the plan's labels).
# English views show the level id (or its capitals) as they always have; JSON keeps the ids.
LEVEL_LABELS: Final = {
    "emergency": N_("Emergency: call an ambulance now"),
    "urgent": N_("Urgent: see a doctor today"),
    "see-doctor": N_("See a doctor: make an appointment"),
    "self-care": N_("Self-care"),
}


def level_label(level: str, english: str | None = None) -> str:
    """A level for people: `english` (by default the level id) in an English run, the
    level's label in any other language."""
    if i18n.current() == i18n.ENGLISH:
        return level if english is None else english
    return _(LEVEL_LABELS[level])


def level_with_id(level: str) -> str:
    """A level in plain output: the id, and in another language the label beside it."""
    if i18n.current() == i18n.ENGLISH:
        return level
    return _("{level} ({label})").format(level=level, label=_(LEVEL_LABELS[level]))
