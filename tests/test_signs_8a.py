"""The signs and look-alikes added after two medical reviews (medical-facts.md 8a and 9a).

The expected ids, levels, questions and sources are copied here from the reference, so that
a change to the data that breaks the contract fails a test. Nothing is read from the shared
reference at test time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge.loader import load_builtin, load_folder
from cramp_cli.knowledge.models import LEVELS, SourceKind
from cramp_cli.wording import RELIEF_SAFETY
from tests.conftest import run, run_json

KB = load_builtin()
SIGNS = {sign.id: sign for sign in KB.signs}
SOURCES = {source.id: source for source in KB.sources}

# id: (level, question, sources), exactly as in section 8a.
NEW_SIGNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cold-pale-leg": (
        "emergency",
        (
            "Is one foot or leg pale or white, blue-grey or blotchy, or clearly "
            "colder than the other, or can you not feel or move your foot or toes, "
            "and the pain is not easing with stretching?"
        ),
        ("healthinfo-nz-ali", "devon-nhs-ali", "rcem-ali"),
    ),
    "sudden-weakness": (
        "emergency",
        (
            "Has one side of your body (face, arm or leg) suddenly become weak or "
            "numb, or is your face drooping or your speech slurred? (Not a leg that "
            "went numb from lying on it and recovers within a few minutes of moving.)"
        ),
        ("bcuhb-stroke", "nwas-stroke"),
    ),
    "tetanus-spasms": (
        "emergency",
        (
            "Since a cut, burn, bite or other wound in the last 3 weeks, do you have "
            "a stiff jaw (hard to open your mouth), stiffness or spasms in your neck,"
            " back or belly, or spasms that make swallowing or breathing hard?"
        ),
        ("nhs-tetanus",),
    ),
    "heatstroke": (
        "emergency",
        (
            "In hot weather or after hard exercise in the heat, are you confused, "
            "have you had a fit or fainted, is your skin hot and no longer sweating, "
            "are you breathing fast, or do you still feel unwell (dizzy, sick, very "
            "hot or weak) after 30 minutes resting somewhere cool, being cooled and "
            "drinking water?"
        ),
        ("nhs-heatstroke", "phw-heat", "healthinfo-nz-heat"),
    ),
    "dark-urine": (
        "emergency",
        (
            "Is your urine brown, red-brown, tea- or cola-coloured (not just dark "
            "yellow), with muscle pain far worse than a normal cramp, or weakness, "
            "lasting hours?"
        ),
        ("mayo-statin-rhabdo", "myositis-org-rhabdo"),
    ),
    "compartment-syndrome": (
        "emergency",
        (
            "Is there constant, severe pain in a tense, swollen muscle after an "
            "injury, a tight cast or bandage, lying on the limb for hours, or extreme"
            " exercise, and does stretching the muscle make the pain worse?"
        ),
        ("nhs-compartment",),
    ),
    "sepsis": (
        "emergency",
        (
            "Do you have an infection (or feel you might) and also slurred speech or "
            "confusion, extreme shivering or muscle pain, no urine all day, severe "
            "breathlessness, or blotchy or mottled skin?"
        ),
        ("patient-info-sepsis",),
    ),
    "cauda-equina": (
        "emergency",
        (
            "With back or leg pain, do you have numbness between your legs or around "
            "your bottom, new trouble passing or holding urine or stools, or weakness"
            " in both legs?"
        ),
        ("royal-free-ces", "ouh-ces"),
    ),
    "quinine-emergency": (
        "emergency",
        (
            "Do you take quinine and have fainted, have chest pain, have suddenly "
            "lost your sight, or have taken more than prescribed?"
        ),
        ("mhra-quinine", "gponline-quinine-2010"),
    ),
    "pregnancy-emergency": (
        "emergency",
        "Have you had a fit, collapsed, or suddenly lost your sight?",
        ("mayo-preeclampsia", "nhs-pre-eclampsia"),
    ),
    "child-very-unwell": (
        "emergency",
        (
            "Is the child pale, blotchy or cold to touch, having a fit, very drowsy "
            "or hard to wake, or do they have a rash that does not fade when a glass "
            "is pressed on it?"
        ),
        ("swl-limp",),
    ),
    "sickle-cell-crisis": (
        "emergency",
        (
            "Is the pain like a sickle cell crisis, or not controlled by your usual "
            "painkillers, or does it come with fever, chest pain or breathlessness?"
        ),
        ("nice-cg143-sickle",),
    ),
    "pregnancy-danger": (
        "urgent",
        (
            "Do you have a severe headache, problems with your eyesight (blurring, "
            "flashing lights), severe pain just below the ribs, sudden swelling of "
            "your face, hands or feet, feel very unwell, or (from 20 weeks, or after "
            "the birth) are you vomiting?"
        ),
        ("nhs-pre-eclampsia", "action-pre-eclampsia", "mayo-preeclampsia"),
    ),
    "quinine-side-effects": (
        "urgent",
        (
            "Do you take quinine and have ringing in the ears, hearing loss, blurred "
            "or disturbed vision, confusion, or a racing, pounding or irregular "
            "heartbeat?"
        ),
        ("mhra-quinine", "gponline-quinine-2010", "mims-quinine-qt"),
    ),
    "cellulitis": (
        "urgent",
        (
            "Is the skin of one leg red (or darker than usual), hot, swollen and "
            "painful, and is it spreading?"
        ),
        ("nhs-cellulitis",),
    ),
    "rest-pain": (
        "urgent",
        (
            "Do you have a burning or aching pain in your foot or toes at night that "
            "eases when you hang your leg out of bed, or a sore or black area on your"
            " foot that is not healing?"
        ),
        ("nhs-pad-symptoms", "devon-nhs-ali"),
    ),
    "child-limp-fever": (
        "urgent",
        (
            "Can the child not put weight on the leg, or do they have a fever as well"
            " as a limp or leg pain?"
        ),
        ("swl-limp", "nhs-ggc-nocturnal-leg-pain"),
    ),
    "twitching": (
        "see-doctor",
        (
            "Do you see fine twitching under the skin of your muscles "
            "(fasciculations) together with weakness or muscles getting thinner, or "
            "twitching in several places or for more than 2 weeks?"
        ),
        ("nhs-twitching", "nice-cks-leg-cramps"),
    ),
}

# The gates: self-care on their own; they open the questions that name them in ask_if.
GATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pregnant": (
        "Are you pregnant, or have you given birth in the last 6 weeks?",
        ("nhs-leg-cramps", "bmj-bp-leg-cramps", "mayo-night-leg-cramps-causes"),
    ),
    "child": (
        "Is this about a child under 16?",
        ("leung-1999-children", "nhs-ggc-nocturnal-leg-pain", "swl-limp"),
    ),
    "sickle-cell": ("Do you have sickle cell disease?", ("nice-cg143-sickle",)),
}

ASK_IF = {
    "pregnancy-emergency": ("pregnant",),
    "pregnancy-danger": ("pregnant",),
    "child-very-unwell": ("child",),
    "child-limp-fever": ("child",),
    "sickle-cell-crisis": ("sickle-cell",),
}

EXIT_CODES = {"self-care": 0, "see-doctor": 3, "urgent": 4, "emergency": 5}

# `cramp lookalikes`: most dangerous first, file order within a level.
LOOKALIKE_ORDER = [
    ("acute-limb-ischaemia", "emergency"),
    ("compartment-syndrome", "emergency"),
    ("heat-illness", "emergency"),
    ("rhabdomyolysis", "emergency"),
    ("dvt", "urgent"),
    ("ischaemic-rest-pain", "urgent"),
    ("cellulitis", "urgent"),
    ("restless-legs", "see-doctor"),
    ("claudication", "see-doctor"),
    ("peripheral-neuropathy", "see-doctor"),
    ("myositis", "see-doctor"),
    ("periodic-limb-movements", "self-care"),
    ("growing-pains", "self-care"),
]

FORBIDDEN = ("not urgent", "not an emergency", "not a warning sign")


def _sign_texts(sign: Any) -> str:
    return " ".join(str(part) for part in (sign.question, sign.wording, sign.advice, sign.note))


# ---------------------------------------------------------------- the data


def test_every_new_sign_is_there() -> None:
    assert len(NEW_SIGNS) == 18
    assert set(NEW_SIGNS) <= set(SIGNS)


@pytest.mark.parametrize("sign_id", NEW_SIGNS)
def test_new_sign_has_exactly_its_level_question_and_sources(sign_id: str) -> None:
    level, question, sources = NEW_SIGNS[sign_id]
    sign = SIGNS[sign_id]
    assert sign.level == level
    assert sign.question == question
    assert sign.sources == sources
    assert sign.title and sign.wording


@pytest.mark.parametrize("gate_id", GATES)
def test_gates_are_self_care_with_their_question(gate_id: str) -> None:
    question, sources = GATES[gate_id]
    gate = SIGNS[gate_id]
    assert gate.level == "self-care"
    assert gate.question == question
    assert set(sources) <= set(gate.sources)
    assert gate.ask_if == ()


@pytest.mark.parametrize("sign_id", NEW_SIGNS)
def test_conditional_signs_name_their_gate(sign_id: str) -> None:
    assert SIGNS[sign_id].ask_if == ASK_IF.get(sign_id, ())


# Urgent signs whose notes in 8 and 8a name an emergency (fever or fast spread; bleeding that
# will not stop; a sudden worsening): each opens one more urgent follow-up question.
FOLLOW_UP_OPENERS = {"cellulitis", "quinine-bleeding", "rest-pain"}


def test_ask_if_names_only_gates_and_follow_up_openers() -> None:
    by_id = {sign.id: sign for sign in KB.signs}
    for sign in KB.signs:
        for opener in sign.ask_if:
            assert opener in GATES or opener in FOLLOW_UP_OPENERS, (sign.id, opener)
            if opener in FOLLOW_UP_OPENERS:
                assert LEVELS.index(sign.level) < LEVELS.index(by_id[opener].level)
    openers = {opener for sign in KB.signs for opener in sign.ask_if}
    assert openers == set(GATES) | FOLLOW_UP_OPENERS


def test_new_signs_sit_under_their_level_heading() -> None:
    levels = [sign.level for sign in KB.signs]
    assert levels == sorted(levels, key=LEVELS.index), "triage.yaml lists signs by level"


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_every_built_in_sign_has_advice(sign: Any) -> None:
    assert sign.advice and sign.advice.strip()


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_no_sign_plays_down_what_it_asks(sign: Any) -> None:
    text = _sign_texts(sign).lower()
    for phrase in FORBIDDEN:
        assert phrase not in text, (sign.id, phrase)


def test_no_level_rule_or_lookalike_text_plays_it_down() -> None:
    texts = [
        *(f"{advice.title} {advice.action} {advice.details}" for advice in KB.triage.levels),
        *(rule.reason for rule in KB.rules),
        *(f"{item.summary} {item.differs} {item.points_to}" for item in KB.lookalikes),
        RELIEF_SAFETY,
    ]
    for text in texts:
        for phrase in FORBIDDEN:
            assert phrase not in text.lower(), (phrase, text)


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_no_doses_in_sign_text(sign: Any) -> None:
    text = _sign_texts(sign)
    assert not re.search(r"\d+\s*(mg|mcg|µg|g|iu|ml|units?|tablets?)\b", text, re.I), text


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_emergency_advice_calls_for_help_and_forbids_driving(sign: Any) -> None:
    if sign.level != "emergency":
        return
    advice = sign.advice or ""
    assert "emergency number" in advice or "emergency department" in advice, sign.id
    assert "do not drive" in advice.lower(), sign.id


def test_see_doctor_level_says_book_soon() -> None:
    advice = next(item for item in KB.triage.levels if item.level == "see-doctor")
    text = f"{advice.action} {advice.details}"
    assert "soon" in text
    assert "next week or two" not in text


@pytest.mark.parametrize("sign_id", ["weakness", "numbness", "wasting"])
def test_gradual_changes_say_so_and_book_soon(sign_id: str) -> None:
    sign = SIGNS[sign_id]
    assert "gradually" in sign.question
    assert "weeks or months" in sign.question
    assert "Book an appointment with your doctor soon" in (sign.advice or "")


def test_wound_points_to_tetanus_spasms() -> None:
    advice = SIGNS["wound"].advice or ""
    for part in ("jaw", "neck, back or belly", "swallow", "breathe", "emergency number"):
        assert part in advice, part


def test_new_medicine_and_statins_point_to_dark_urine() -> None:
    assert "cola-coloured" in (SIGNS["new-medicine"].advice or "")
    assert "cola-coloured" in SIGNS["new-medicine"].wording
    statin = next(cause for cause in KB.causes if cause.id == "medicine-statins")
    assert "cola-coloured" in statin.details
    assert "emergency" in statin.details


def test_pregnancy_gate_covers_the_weeks_after_birth() -> None:
    gate = SIGNS["pregnant"]
    assert "6 weeks" in gate.wording
    assert "midwife or doctor" in (gate.advice or "")
    rule = next(rule for rule in KB.rules if rule.id == "pregnant-with-swelling")
    assert rule.all == ("pregnant",) and rule.level == "urgent"


def test_particular_advice_of_the_notes() -> None:
    dark = SIGNS["dark-urine"].advice or ""
    assert "emergency department" in dark and "statin" in dark and "next dose" in dark
    assert "confused" in dark and "little urine" in dark
    danger = SIGNS["pregnancy-danger"].advice or ""
    for part in ("maternity unit", "midwife", "day or night", "NHS 111", "emergency department"):
        assert part in danger, part
    assert "midwife or doctor" in danger
    quinine = SIGNS["quinine-side-effects"].advice or ""
    assert "Do not take another dose" in quinine and "today" in quinine
    twitching = f"{SIGNS['twitching'].wording} {SIGNS['twitching'].advice}"
    assert "harmless" in twitching and "weakness" in twitching and "soon" in twitching


def test_gates_never_say_they_are_harmless() -> None:
    for gate_id in GATES:
        assert "not a warning sign" not in _sign_texts(SIGNS[gate_id]).lower()


def test_every_source_of_the_reviews_is_registered() -> None:
    cited = {source for _, _, sources in NEW_SIGNS.values() for source in sources}
    cited |= {source for _, sources in GATES.values() for source in sources}
    cited |= {source for item in KB.lookalikes for source in item.sources}
    kinds = get_args(SourceKind)
    for source_id in cited:
        assert source_id in SOURCES, source_id
        assert SOURCES[source_id].kind in kinds
    for press in ("gponline-quinine-2010", "mims-quinine-qt"):
        assert SOURCES[press].low_authority
    for sign_id, (_, _, sources) in NEW_SIGNS.items():
        assert any(not SOURCES[source].low_authority for source in sources), sign_id


# ---------------------------------------------------------------- cramp check


@pytest.mark.parametrize("sign_id", [*NEW_SIGNS, *GATES])
def test_check_gives_the_level_and_exit_code(sign_id: str) -> None:
    level = NEW_SIGNS[sign_id][0] if sign_id in NEW_SIGNS else "self-care"
    result = run("check", "--sign", sign_id, "--json", "--exit-code")
    assert result.exit_code == EXIT_CODES[level], result.stderr
    document = json.loads(result.stdout)
    assert document["level"] == level
    assert [item["id"] for item in document["items"]] == [sign_id]


def test_a_conditional_sign_works_without_its_gate() -> None:
    document = run_json("check", "--sign", "pregnancy-danger")
    assert document["level"] == "urgent"
    assert [item["id"] for item in document["items"]] == ["pregnancy-danger"]
    result = run("check", "--sign", "pregnancy-danger", "--exit-code")
    assert result.exit_code == 4


@pytest.mark.parametrize("swelling", ["leg-swelling", "one-sided-swelling"])
def test_the_wider_pregnancy_gate_still_raises_swelling(swelling: str) -> None:
    document = run_json("check", "--sign", f"pregnant,{swelling}")
    assert document["level"] == "urgent"


# ---------------------------------------------------------------- look-alikes


def test_lookalikes_come_most_dangerous_first() -> None:
    document = run_json("lookalikes")
    assert [(item["id"], item["level"]) for item in document["items"]] == LOOKALIKE_ORDER
    assert len(document["items"]) == len(KB.lookalikes)


def test_every_lookalike_has_a_level_and_known_signs() -> None:
    for item in KB.lookalikes:
        assert item.level in LEVELS, item.id
        assert set(item.signs) <= set(SIGNS), item.id


def test_lookalikes_without_a_level_come_last(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "lookalikes:\n"
        "  - id: unsorted-thing\n"
        "    title: Something without a level\n"
        "    summary: A made-up condition.\n"
        "    differs: It is made up.\n"
        "    points_to: Nothing.\n"
        "    sources: [nhs-leg-cramps]\n",
        encoding="utf-8",
    )
    document = run_json("--kb", str(mine), "lookalikes")
    ids = [item["id"] for item in document["items"]]
    assert ids[-1] == "unsorted-thing"
    assert ids[:-1] == [item_id for item_id, _ in LOOKALIKE_ORDER]


def test_show_of_a_shared_id_shows_the_sign_and_names_the_lookalike() -> None:
    for shared in ("cellulitis", "compartment-syndrome"):
        document = run_json("show", shared)
        assert document["kind"] == "sign"
        assert document["items"][0]["question"] == NEW_SIGNS[shared][1]
        refs = [(ref["kind"], ref["id"]) for ref in document["see_also"]]
        assert refs == [("lookalike", shared)]
        origins = run_json("kb", "show", shared)["items"]
        assert [origin["kind"] for origin in origins] == ["sign", "lookalike"]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_shared_ids_and_a_new_lookalike_load(kb_copy: Path) -> None:
    load_folder(kb_copy)  # the shipped sign and look-alike pairs load
    _append(
        kb_copy / "lookalikes.yaml",
        "\n  - id: rhabdo-cause\n"
        "    title: A look-alike named like nothing else\n"
        "    summary: Fine.\n"
        "    differs: Fine.\n"
        "    points_to: Fine.\n"
        "    sources: [nhs-leg-cramps]\n",
    )
    load_folder(kb_copy)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("causes.yaml", "id: fatigue-overexertion", "id: rhabdomyolysis"),
        ("lookalikes.yaml", "id: heat-illness", "id: fatigue-overexertion"),
        ("lookalikes.yaml", "id: heat-illness", "id: nhs-leg-cramps"),
    ],
)
def test_a_lookalike_id_still_clashes_with_anything_but_a_sign(
    kb_copy: Path, file: str, old: str, new: str
) -> None:
    path = kb_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="duplicate id"):
        load_folder(kb_copy)


# ---------------------------------------------------------------- relief


def test_relief_says_stop_stretching_if_it_hurts_more() -> None:
    assert "Stop stretching if it makes the pain much worse" in RELIEF_SAFETY
    assert "'cramp check'" in RELIEF_SAFETY
    out = run("relieve", "--muscle", "calf").stdout
    assert RELIEF_SAFETY in out
    assert run_json("relieve", "--muscle", "calf")["safety"] == RELIEF_SAFETY
