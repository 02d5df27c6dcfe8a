"""Fixed wording that no knowledge-base file can change: the disclaimer and safety lines."""

from __future__ import annotations

from typing import Final

DISCLAIMER: Final = (
    "This is general information about night-time leg cramps, not a diagnosis or a personal "
    "medical assessment. If you are worried, your cramps are frequent or severe, or you have "
    "any warning sign, see a doctor or other qualified clinician. In an emergency, call your "
    "local emergency number."
)

# The one-line form that ends every human answer.
DISCLAIMER_LINE: Final = "General information, not a diagnosis. If you are worried, see a doctor."

RELIEF_SAFETY: Final = (
    "Stop and run 'cramp check' if the calf or thigh on one side is swollen, warm, red or "
    "darkened, or if the pain has not eased after 10 minutes of gentle stretching: "
    "that may not be a cramp. Stop stretching if it makes the pain much worse, and run "
    "'cramp check': a tense, swollen muscle that stretching hurts more needs help at once."
)

MEDICINE_SAFETY: Final = (
    "Some medicines may be linked with cramps. Never stop or change a prescribed medicine on "
    "your own: ask your doctor or pharmacist, who can check whether a change is safe."
)

WHY_NOTE: Final = (
    "Most night cramps have no cause that can be found. A blood clot (DVT) is not a cause of "
    "cramps but a look-alike and a warning sign: see 'cramp check'."
)

PREVENT_NOTE: Final = (
    "No measure is certain to stop cramps. Ask a doctor or pharmacist (or your midwife, if you "
    "are pregnant) before taking any supplement or medicine."
)

GRADE_LABELS: Final = {
    "strong": "good evidence",
    "moderate": "some evidence",
    "weak": "untested advice",
    "none": "no evidence found",
    "against": "evidence against",
}

GRADE_MEANINGS: Final = {
    "strong": "A guideline or systematic review supports it.",
    "moderate": "A good trial, or agreeing guidelines, support it.",
    "weak": "Advice from health services, not tested in trials, or studies disagree.",
    "none": "No supporting evidence was found.",
    "against": "Evidence says it does not help, or it is not safe to use for cramps.",
}

LOOKALIKES_NOTE: Final = (
    "A cramp comes on suddenly, makes the muscle hard and knotted, lasts seconds to minutes, "
    "and eases when the muscle is stretched. If stretching does not help, or the pain is "
    "different, it may be something else: run 'cramp check'."
)

SELF_CARE_POINTERS: Final = (
    "For what to do now: cramp relieve --muscle NAME",
    "To make cramps less likely: cramp prevent",
)
