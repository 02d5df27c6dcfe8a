"""The wording safety rules (cramp_cli/knowledge/content_rules.py): what they catch, what
they let through, that the shipped knowledge base keeps them, and that a user file breaking
one is refused with file:line, exit 1 and one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cramp_cli.knowledge import content_rules
from cramp_cli.knowledge.content_rules import (
    check_entry,
    check_triage,
    find_dose,
    find_forceful,
    find_quinine_recommendation,
    find_stop_advice,
)
from cramp_cli.knowledge.loader import SECTIONS, _builtin_parsed, _entries, load_builtin
from tests.conftest import run, run_json

# ---------------------------------------------------------------- the finders

DOSES = [
    "Take 300 mg of magnesium before bed.",
    "2.5mg at night",
    "400 IU of vitamin E",
    "400 i.u. of vitamin E",
    "1,000 mcg a day",
    "200 µg",
    "200 μg",  # Greek mu
    "5 ml of the syrup",
    "10 units",
    "a 400-mg tablet",
    "two tablets",
    "1\u20132 tablets",
    "1 to 2 capsules",
    "½ teaspoon of salt in water",
    "a few drops of the oil",
    "take 2 puffs",
    "Take the magnesium twice a day.",
    "Take the supplement 3 times daily.",
    "One painkiller every 8 hours is enough.",
    "Take your tablets morning and night.",
]
NOT_DOSES = [
    "Stretch for 10 minutes.",
    "Hold it for 30 seconds.",
    "It can take 6 weeks to help.",
    "Between 15\u201387% of people get them.",
    "About one in three people over 60 get them.",
    "Type 2 diabetes",
    "Stretch three times a day.",  # a schedule, but not next to a medicine
    "Children aged 2 to 12",
    "the code G47.62",
    "a pillow or two under your legs",
    "after starting one of these tablets",
    "one and a half times as many people started a cramp treatment",
    "Stretch every night before bed.",
    "sore for up to 24 hours",
    "In 2012, a review of 4 trials",
]


@pytest.mark.parametrize("text", DOSES)
def test_a_dose_is_found(text: str) -> None:
    assert find_dose(text), text


@pytest.mark.parametrize("text", NOT_DOSES)
def test_numbers_that_are_not_doses_pass(text: str) -> None:
    assert find_dose(text) is None, (text, find_dose(text))


RECOMMENDS_QUININE = [
    "Take quinine at night.",
    "Try some quinine.",
    "Quinine helps.",
    "Quinine works well for most people.",
    "Quinine is safe.",
    "Quinine can help.",
    "Quinine, which helps many people, is cheap.",
    "Doctors recommend quinine.",
    "If cramps are bad, take quinine.",
    "Drink tonic water with quinine.",
    "Quinine is very effective.",
    "Ask your doctor before taking quinine.",
    "Keep taking quinine.",
    "Qualaquin works.",
    "Quinine stops cramps.",
    "Quinine can ease the pain.",
]
REPORTS_QUININE = [
    "Do you take quinine and have you noticed bruising?",
    "stop taking quinine and get medical help at once",
    "Quinine is not recommended for routine use.",
    "Are you taking quinine?",
    "If you take quinine and notice bleeding, get help.",
    "Never take quinine for cramps.",
    "Do not use quinine.",
    "Don't take quinine; don\u2019t take quinine.",
    "People who take quinine can bleed.",
    "Doctors no longer recommend quinine.",
    "Try stretching instead of quinine.",
    "Bruising while taking quinine needs a doctor.",
    "In trials that compared it with quinine, vitamin E did about as well.",
    "Regulators warn against using quinine.",
    "Quinine can stop your blood from clotting.",
    "You can get quinine side effects at any dose.",
]


@pytest.mark.parametrize("text", RECOMMENDS_QUININE)
def test_text_recommending_quinine_is_found(text: str) -> None:
    assert find_quinine_recommendation(text), text


@pytest.mark.parametrize("text", REPORTS_QUININE)
def test_text_that_only_reports_quinine_passes(text: str) -> None:
    assert find_quinine_recommendation(text) is None, text


STOPS = [
    "Stop taking your statin.",
    "Stop your tablets.",
    "Stop your blood pressure tablets if cramps start.",
    "Come off the medicine.",
    "Coming off statins often helps.",
    "Discontinue the diuretic.",
    "Do not take your next dose.",
    "Don\u2019t take your next dose.",
    "Skip a dose.",
    "Halve your dose.",
    "Stop using the inhaler at night.",
    "Quit taking it.",
]
NOT_STOPS = [
    "Never stop or alter a prescribed medicine on your own.",
    "Do not stop the medicine on your own; ask your doctor or pharmacist.",
    "Do not take your next dose until a doctor has advised you.",
    "If it hurts, stop and run 'cramp check'.",
    "Stop when the cramp has eased.",
    "Stop taking it and talk to your doctor.",
    "Ask your pharmacist before you stop your tablets.",
    "Heavy bleeding that will not stop is an emergency.",
    "Keep your legs covered and stop your muscles from getting cold.",
    "It eases within minutes of stopping.",
]


@pytest.mark.parametrize("text", STOPS)
def test_advice_to_stop_a_medicine_is_found(text: str) -> None:
    assert find_stop_advice(text), text


@pytest.mark.parametrize("text", NOT_STOPS)
def test_stopping_with_a_doctor_or_not_at_all_passes(text: str) -> None:
    assert find_stop_advice(text) is None, (text, find_stop_advice(text))


@pytest.mark.parametrize(
    "text",
    [
        "Pull your toes forcefully.",
        "A forceful stretch",
        "Exert force on the foot.",
        "Exert a lot of force.",
        "Push with force.",
        "Force the foot up.",
        "Press as hard as you can.",
        "Yank the toes back.",
    ],
)
def test_forceful_words_are_found(text: str) -> None:
    assert find_forceful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Press gently, never hard.",
        "The muscle goes hard.",
        "The muscle pulls harder than usual.",
        "Stretch gently until the cramp eases.",
        "Hard exercise is a trigger.",
    ],
)
def test_gentle_words_pass(text: str) -> None:
    assert find_forceful(text) is None, text


# ---------------------------------------------------------------- the shipped knowledge base


def test_every_shipped_entry_keeps_the_rules() -> None:
    checked = 0
    for parsed in _builtin_parsed():
        for section, _, entry in _entries(parsed):
            assert check_entry(section, entry) == [], (parsed.name, entry.id)
            checked += 1
    assert checked > 100
    assert check_triage(load_builtin().triage) == []


def test_the_rules_read_every_text_field_of_every_kind_of_entry() -> None:
    kb = load_builtin()
    seen = {
        section: {
            ".".join(str(part) for part in path if isinstance(part, str))
            for entry in getattr(kb, section)
            for path, _ in content_rules.text_fields(entry)
        }
        for section in SECTIONS
    }
    assert {"title", "summary", "details", "evidence.note", "steps", "hold"} <= seen["relief"]
    assert {"question", "wording", "note"} <= seen["signs"]
    assert seen["rules"] == {"reason"}
    assert {"summary", "differs", "points_to"} <= seen["lookalikes"]
    assert {"name", "description", "cramp_pulls", "aliases"} <= seen["muscles"]
    assert "ask_first" in seen["prevention"]
    assert seen["sources"], "sources have text, but check_entry leaves them alone"
    triage_fields = {path[0] for path, _ in content_rules.text_fields(kb.triage)}
    assert {"levels", "safety_net"} <= triage_fields
    for ids in ("id", "sources", "who", "ask_if", "all", "any", "level"):
        assert not any(ids in found for found in seen.values()), ids


# ---------------------------------------------------------------- user files through the CLI


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def _refused(path: Path, *args: str) -> str:
    result = run("--kb", str(path), *(args or ("why",)))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    error = result.stderr.strip()
    assert error.startswith(f"Error: {path}:"), error
    assert "\n" not in error and "Traceback" not in error, error
    return error


def _prevention(
    entry_id: str = "my-item",
    *,
    title: str = "My evening routine",
    summary: str = "Something I do before bed.",
    details: str = "It seems to help me.",
    grade: str = "weak",
    section: str = "prevention",
    extra: str = "",
) -> str:
    return (
        f"{section}:\n"
        f"  - id: {entry_id}\n"
        f"    title: {title}\n"
        f"    summary: {summary}\n"
        f"    details: {details}\n"
        "    who: [everyone]\n"
        "    sources: [nhs-leg-cramps]\n"
        f"    evidence: {{grade: {grade}, note: From my own notes.{_weak_reason(grade)}}}\n" + extra
    )


def _weak_reason(grade: str) -> str:
    """A weak grade names why it is weak (the model requires it)."""
    return ", weak_reason: health-advice" if grade == "weak" else ""


def _relief(step: str) -> str:
    return (
        "relief:\n"
        "  - id: my-relief\n"
        "    title: My calf trick\n"
        "    summary: What I do when my calf cramps.\n"
        "    details: It works for me, most nights.\n"
        "    who: [everyone]\n"
        "    sources: [nhs-leg-cramps]\n"
        "    evidence: {grade: weak, note: From my own notes., weak_reason: health-advice}\n"
        "    hold: Until the cramp eases.\n"
        "    steps:\n"
        f"      - {step}\n"
    )


def _sign(note: str, *, sign_id: str = "my-sign", override: bool = False) -> str:
    return (
        "signs:\n"
        f"  - id: {sign_id}\n"
        + ("    override: true\n" if override else "")
        + "    title: Bleeding while on tablets\n"
        "    question: Do you take quinine and have you noticed bruising or bleeding?\n"
        "    wording: Unusual bruising while taking quinine needs a doctor today.\n"
        "    level: urgent\n"
        "    sources: [mhra-quinine]\n"
        f"    note: {note}\n"
    )


def _rule(reason: str) -> str:
    return (
        "rules:\n"
        "  - id: my-rule\n"
        "    all: [pregnant]\n"
        "    any: [wound]\n"
        "    level: urgent\n"
        f"    reason: {reason}\n"
        "    sources: [nhs-leg-cramps]\n"
    )


def _lookalike(differs: str) -> str:
    return (
        "lookalikes:\n"
        "  - id: my-lookalike\n"
        "    title: Shin splints\n"
        "    summary: Pain along the shin after running.\n"
        f"    differs: {differs}\n"
        "    points_to: Pain along the shin bone.\n"
        "    sources: [nhs-leg-cramps]\n"
    )


def _muscle(description: str) -> str:
    return (
        "muscles:\n"
        "  - id: my-muscle\n"
        "    name: Second toe\n"
        f"    description: {description}\n"
        "    cramp_pulls: The second toe curls down.\n"
        "    aliases: [second toe]\n"
        "    relief: [relief-foot]\n"
    )


# (file text, the text on the offending line, the field, fragments of the message)
REFUSED: dict[str, tuple[str, str, str, list[str]]] = {
    "dose in a summary": (
        _prevention(summary="Take 300 mg of magnesium before bed."),
        "300 mg",
        "prevention[0].summary",
        ["no doses", "'300 mg'"],
    ),
    "dose schedule next to a supplement": (
        _prevention(details="I take the magnesium twice a day."),
        "twice a day",
        "prevention[0].details",
        ["no doses", "'twice a day'"],
    ),
    "dose in a relief step": (
        _relief("Take two tablets of ibuprofen."),
        "two tablets",
        "relief[0].steps[0]",
        ["no doses"],
    ),
    "dose in a sign's note": (
        _sign("Take 5 ml of the syrup."),
        "5 ml",
        "signs[0].note",
        ["no doses"],
    ),
    "dose in a rule's reason": (
        _rule("Together these need 400 IU of vitamin D."),
        "400 IU",
        "rules[0].reason",
        ["no doses"],
    ),
    "dose in a look-alike": (
        _lookalike("It eases with 2 tablets of paracetamol."),
        "2 tablets",
        "lookalikes[0].differs",
        ["no doses"],
    ),
    "dose in a muscle": (
        _muscle("Rub in 3 drops of oil."),
        "3 drops",
        "muscles[0].description",
        ["no doses"],
    ),
    "quinine recommended in advice": (
        _prevention(details="If stretching fails, take quinine."),
        "take quinine",
        "prevention[0].details",
        ["no text may recommend quinine", "'take quinine'"],
    ),
    "quinine said to help by a cause": (
        _prevention(
            section="causes", details="Low quinine; quinine helps.", extra="    group: belief\n"
        ),
        "quinine helps",
        "causes[0].details",
        ["no text may recommend quinine", "'quinine helps'"],
    ),
    "quinine said to be safe by a look-alike": (
        _lookalike("Quinine is safe for both."),
        "Quinine is safe",
        "lookalikes[0].differs",
        ["no text may recommend quinine"],
    ),
    "quinine recommended by a sign": (
        _sign("Quinine can help with the cramps."),
        "Quinine can help",
        "signs[0].note",
        ["no text may recommend quinine"],
    ),
    "treatment naming quinine graded above against": (
        _prevention(
            "my-quinine",
            section="treatments",
            title="Quinine (not recommended)",
            summary="Quinine is not recommended.",
            grade="weak",
            extra="    prescription: true\n",
        ),
        "grade: weak",
        "treatments[0].evidence.grade",
        ["must be graded 'against', not 'weak'", "in its title"],
    ),
    "quinine item not said to be not recommended": (
        _prevention(
            "my-quinine",
            section="treatments",
            title="Quinine",
            summary="A medicine a doctor may prescribe.",
            grade="against",
            extra="    prescription: true\n",
        ),
        "summary:",
        "treatments[0].summary",
        ["'not recommended'"],
    ),
    "quinine named in other advice without reporting research": (
        _prevention(details="My aunt swears by quinine."),
        "swears by quinine",
        "prevention[0].details",
        ["may name it only to report research"],
    ),
    "quinine in relief": (
        _relief("Drink a glass of tonic water, which contains quinine."),
        "tonic water",
        "relief[0].steps[0]",
        ["cannot appear in relief advice"],
    ),
    "stopping a statin": (
        _prevention(
            section="causes",
            details="Stop taking your statin if cramps start.",
            extra="    group: medicine\n",
        ),
        "Stop taking",
        "causes[0].details",
        ["never advise stopping a prescribed medicine alone", "'Stop taking'"],
    ),
    "coming off tablets in a sign": (
        _sign("Come off your tablets for a week."),
        "Come off",
        "signs[0].note",
        ["never advise stopping"],
    ),
    "discontinuing in a rule": (
        _rule("Discontinue the diuretic at once."),
        "Discontinue",
        "rules[0].reason",
        ["never advise stopping"],
    ),
    "stopping another medicine under the quinine exception": (
        _sign("Stop your statins at once.", sign_id="quinine-bleeding", override=True),
        "Stop your statins",
        "signs[0].note",
        ["never advise stopping"],
    ),
    "stopping 'it' outside the quinine signs": (
        _sign("Quinine can harm the blood. Stop taking it at once."),
        "Stop taking it",
        "signs[0].note",
        ["never advise stopping"],
    ),
    "stopping quinine outside a warning sign": (
        _lookalike("Stop taking quinine at once."),
        "Stop taking quinine",
        "lookalikes[0].differs",
        ["never advise stopping"],
    ),
    "stopping quinine and a statin in a sign": (
        _sign("Do not take any more quinine or statins."),
        "Do not take any more",
        "signs[0].note",
        ["never advise stopping"],
    ),
    "forceful stretch": (
        _relief("Pull your toes back forcefully."),
        "forcefully",
        "relief[0].steps[0]",
        ["must be gentle", "'forcefully'"],
    ),
    "exert force": (
        _relief("Exert force on the ball of the foot."),
        "Exert force",
        "relief[0].steps[0]",
        ["must be gentle"],
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_user_file_breaking_a_rule_is_refused_with_file_and_line(
    tmp_path: Path, case: str
) -> None:
    text, marker, field, fragments = REFUSED[case]
    mine = _write(tmp_path / "mine.yaml", text)
    error = _refused(mine)
    assert f"{mine}:{_line_of(mine, marker)}: " in error, error
    assert f": {field}: " in error, error
    assert "more problem" not in error, error
    for fragment in fragments:
        assert fragment in error, (fragment, error)


ALLOWED: dict[str, str] = {
    "a quinine treatment graded against": _prevention(
        "my-quinine",
        section="treatments",
        title="Quinine (not recommended)",
        summary="Quinine is not recommended because of serious side effects.",
        details="If you already take it, talk to your doctor about whether you still need it.",
        grade="against",
        extra="    prescription: true\n",
    ),
    "a sign about quinine's side effects": _sign("Get medical help at once."),
    "the quinine exception": _sign(
        "Stop taking quinine and get medical help at once.",
        sign_id="quinine-bleeding",
        override=True,
    ),
    "stopping 'it' in the other quinine sign": _sign(
        "Quinine can harm the blood. Stop taking it and get medical help at once.",
        sign_id="quinine-side-effects",
        override=True,
    ),
    "any warning sign may say to stop quinine by name": _sign(
        "Call your local emergency number now, and do not take any more quinine."
    ),
    "a cause that reports quinine": _prevention(
        section="causes",
        details="Some people report cramps after they stop quinine on a doctor's advice.",
        grade="none",
        extra="    group: medicine\n",
    ),
    "advice that reports a comparison with quinine": _prevention(
        details="In one trial it did about as well as quinine.", grade="none"
    ),
    "stopping with a doctor": _prevention(
        section="causes",
        details="Do not take your next dose until a doctor has advised you.",
        extra="    group: medicine\n",
    ),
    "times and percentages": _prevention(
        details="Stretch for 30 seconds, three times a day; after 6 weeks 15\u201387% felt better."
    ),
}


@pytest.mark.parametrize("case", ALLOWED, ids=list(ALLOWED))
def test_a_user_file_keeping_the_rules_is_accepted(tmp_path: Path, case: str) -> None:
    mine = _write(tmp_path / "mine.yaml", ALLOWED[case])
    result = run("--kb", str(mine), "kb", "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_kb_validate_lists_every_breach(tmp_path: Path) -> None:
    mine = _write(
        tmp_path / "mine.yaml",
        _prevention(
            summary="Take 300 mg of magnesium before bed.",
            details="Take quinine too. Stop your statin. Stretch forcefully.",
        ),
    )
    result = run("kb", "validate", str(mine), "--json")
    assert result.exit_code == 1
    document: dict[str, Any] = json.loads(result.stdout)
    found = sorted(
        (item["line"], item["field"], item["message"][:20]) for item in document["items"]
    )
    assert found == [
        (4, "prevention[0].summary", "no doses: '300 mg' g"),
        (5, "prevention[0].details", "never advise stoppin"),
        (5, "prevention[0].details", "no text may recommen"),
        (5, "prevention[0].details", "stretching advice mu"),
    ]


def test_a_rule_breach_gives_a_json_error(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _relief("Pull forcefully."))
    result = run("--kb", str(mine), "relieve", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "knowledge-base"
    assert f"{mine}:11:" in error["message"]


def test_an_accepted_user_file_is_answered_from(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", ALLOWED["a quinine treatment graded against"])
    treatments = run_json("--kb", str(mine), "prevent")["doctor_treatments"]
    assert "my-quinine" in {item["id"] for item in treatments}


# ---------------------------------------------------------------- hostile text


@pytest.mark.parametrize(
    "text",
    [
        "1" + " " * 200_000 + "x",  # optional spaces tried every which way
        "1," * 100_000 + " mg x",  # a run of digits read again from each digit
        "1." * 100_000 + "1 x mg",
        "Take 1" + "\t\n " * 50_000 + "mg",
    ],
    ids=["spaces", "commas", "dots", "white space"],
)
def test_long_runs_are_checked_in_linear_time(text: str) -> None:
    import time

    content_rules.text_breaches.cache_clear()
    started = time.monotonic()
    content_rules.text_breaches(text)
    assert time.monotonic() - started < 5
    assert find_dose("Take 1" + " \t\n" * 50_000 + "mg") == "1 mg"
