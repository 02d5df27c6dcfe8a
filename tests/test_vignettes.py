"""Every patient story of tests/vignettes/ through the real `cramp check`, in process.

Each vignette's expected level was set from sections 8 and 8a of the medical reference
before cramp was run on it. Two checks per story: safety (cramp's level is never less urgent
than expected) and accuracy (it is exactly the expected level); the exit code of
--exit-code must match the level. See tests/vignettes/README.md for the schema.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cramp_cli import answers
from cramp_cli.knowledge.loader import load_builtin
from tests.conftest import run
from tests.vignette_set import (
    CATEGORY,
    EXIT_STATUS,
    SEMIGRAN_CASES,
    Vignette,
    load,
    rank,
    verdict,
)

VIGNETTES = load()
BY_ID = {vignette.id: vignette for vignette in VIGNETTES}

# Section 8a of the reference: the 3 gates and 18 new signs, ids exactly as there.
SECTION_8A_GATES = ("pregnant", "child", "sickle-cell")
SECTION_8A_SIGNS = (
    "cold-pale-leg",
    "sudden-weakness",
    "tetanus-spasms",
    "heatstroke",
    "dark-urine",
    "compartment-syndrome",
    "sepsis",
    "cauda-equina",
    "quinine-emergency",
    "pregnancy-emergency",
    "child-very-unwell",
    "sickle-cell-crisis",
    "pregnancy-danger",
    "quinine-side-effects",
    "cellulitis",
    "rest-pain",
    "child-limp-fever",
    "twitching",
)
# Each conditional sign of 8a with the gate that opens it.
GATED = (
    ("pregnant", "pregnancy-emergency"),
    ("pregnant", "pregnancy-danger"),
    ("child", "child-very-unwell"),
    ("child", "child-limp-fever"),
    ("sickle-cell", "sickle-cell-crisis"),
)


@functools.cache
def _check(vignette: Vignette) -> tuple[int, dict[str, Any]]:
    """Run the vignette's answers through the CLI: its exit status and its JSON answer.

    Kept per vignette, so that the safety, accuracy and safe-rate tests read one run: each
    run in a fresh test folder parses the YAML again, which is most of its time.
    """
    result = run(*vignette.check_args(), "--json", "--exit-code")
    assert result.exit_code in EXIT_STATUS.values(), (
        f"{vignette.id}: cramp check failed with exit {result.exit_code}: {result.stderr}"
    )
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return result.exit_code, document


def _all_given(vignette: Vignette) -> set[str]:
    given = {*vignette.signs, *vignette.not_sure}
    if vignette.minutes is not None and vignette.minutes > 10:
        given.add("long-cramp")
    return given


# ---------------------------------------------------------------- the set itself


def test_the_set_has_at_least_40_vignettes_and_15_emergencies_or_urgent() -> None:
    levels = Counter(vignette.expected for vignette in VIGNETTES)
    assert len(VIGNETTES) >= 40, levels
    assert levels["emergency"] + levels["urgent"] >= 15, levels
    assert levels["see-doctor"] >= 5, levels
    assert levels["self-care"] >= 5, levels


def test_categories_follow_the_semigran_mapping() -> None:
    for vignette in VIGNETTES:
        assert vignette.category == CATEGORY[vignette.expected], vignette.id


def test_the_four_semigran_leg_cases_are_present() -> None:
    found = {vignette.semigran: vignette for vignette in VIGNETTES if vignette.semigran}
    assert sorted(found) == sorted(SEMIGRAN_CASES)
    assert sum(1 for vignette in VIGNETTES if vignette.semigran) == len(SEMIGRAN_CASES)
    # Emergent in Semigran's set, and so in ours: a clot, a lung clot, tetanus.
    assert found["pulmonary-embolism"].expected == "emergency"
    assert found["tetanus"].expected == "emergency"
    assert found["deep-vein-thrombosis"].expected in ("emergency", "urgent")
    # Section 8a makes spreading cellulitis same-day care.
    assert found["cellulitis"].expected == "urgent"


def test_every_section_8a_sign_and_gate_has_a_vignette() -> None:
    named = {sign for vignette in VIGNETTES for sign in (*vignette.signs, *vignette.not_sure)}
    missing = [sign for sign in (*SECTION_8A_GATES, *SECTION_8A_SIGNS) if sign not in named]
    assert not missing


def test_every_gated_sign_appears_with_its_gate() -> None:
    for gate, sign in GATED:
        assert any(gate in vignette.signs and sign in vignette.signs for vignette in VIGNETTES), (
            gate,
            sign,
        )


def test_every_sign_a_vignette_names_is_a_built_in_sign() -> None:
    known = {sign.id for sign in load_builtin().signs}
    unknown = sorted(
        {
            f"{vignette.id}: {sign}"
            for vignette in VIGNETTES
            for sign in (*vignette.signs, *vignette.not_sure)
            if sign not in known
        }
    )
    assert not unknown, "signs missing from data/triage.yaml:\n" + "\n".join(unknown)


def test_every_built_in_sign_has_a_vignette() -> None:
    named = set().union(*(_all_given(vignette) for vignette in VIGNETTES))
    missing = [sign.id for sign in load_builtin().signs if sign.id not in named]
    assert not missing, f"no vignette answers yes to {missing}"


def test_a_conditional_sign_comes_with_one_of_its_gates() -> None:
    """A story answers a gated question only if the person would have been asked it."""
    kb = load_builtin()
    for vignette in VIGNETTES:
        given = {*vignette.signs, *vignette.not_sure}
        for sign in kb.signs:
            if sign.id in given and sign.ask_if:
                assert given & set(sign.ask_if), (vignette.id, sign.id, sign.ask_if)


def test_every_combination_rule_fires_in_some_vignette() -> None:
    kb = load_builtin()
    fired: set[str] = set()
    for vignette in VIGNETTES:
        if not set(vignette.signs + vignette.not_sure) <= {sign.id for sign in kb.signs}:
            continue  # reported by test_every_sign_a_vignette_names_is_a_built_in_sign
        result = answers.check(
            kb, vignette.signs, minutes=vignette.minutes, not_sure=vignette.not_sure
        )
        fired |= {entry.rule for entry in result.fired}
    missing = [rule.id for rule in kb.rules if f"rule:{rule.id}" not in fired]
    assert not missing, f"no vignette fires {missing}"
    assert "minutes>10" in fired


def test_the_combination_rules_have_their_own_stories() -> None:
    """Rule 2 (pregnant + swelling) and the clot-in-the-lungs rule, each without a sign
    that would give the level by itself."""
    pregnant_swelling = BY_ID["pregnant-both-ankles-swollen"]
    assert set(pregnant_swelling.signs) == {"pregnant", "leg-swelling"}
    assert pregnant_swelling.expected == "urgent"
    assert BY_ID["postpartum-one-calf-swollen"].expected == "urgent"
    assert {"one-sided-swelling", "breathless"} <= set(
        BY_ID["swelling-and-breathless-no-chest-pain"].signs
    )


# ---------------------------------------------------------------- cramp on every story


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[vignette.id for vignette in VIGNETTES])
def test_vignette_is_safe(vignette: Vignette) -> None:
    """Never less urgent than the reference implies; the exit code says the same level."""
    status, document = _check(vignette)
    got = document["level"]
    assert status == EXIT_STATUS[got], (vignette.id, status, got)
    if rank(got) > rank(vignette.expected) and vignette.known_gap:
        pytest.xfail(f"UNDER, known gap: {vignette.known_gap}")
    assert rank(got) <= rank(vignette.expected), (
        f"UNDER-TRIAGE {vignette.id}: expected {vignette.expected}, cramp said {got}. "
        f"{vignette.reasoning}"
    )


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[vignette.id for vignette in VIGNETTES])
def test_vignette_is_accurate(vignette: Vignette) -> None:
    status, document = _check(vignette)
    got = document["level"]
    if got != vignette.expected and vignette.known_gap:
        pytest.xfail(f"known gap: {vignette.known_gap}")
    assert got == vignette.expected, (
        f"{vignette.id}: expected {vignette.expected}, cramp said {got} "
        f"({verdict(vignette.expected, got)}). {vignette.reasoning}"
    )
    assert status == EXIT_STATUS[vignette.expected]
    matched = {item["id"] for item in document["items"]}
    assert _all_given(vignette) <= matched, (vignette.id, matched)


NOT_SURE = [vignette for vignette in VIGNETTES if vignette.not_sure]


@pytest.mark.parametrize("vignette", NOT_SURE, ids=[vignette.id for vignette in NOT_SURE])
def test_not_sure_answers_count_like_the_cli_run(vignette: Vignette) -> None:
    """The CLI runs pass "not sure" as --sign; answers.check with not_sure= must agree."""
    result = answers.check(
        load_builtin(), vignette.signs, minutes=vignette.minutes, not_sure=vignette.not_sure
    )
    _, document = _check(vignette)
    assert result.level == document["level"]
    assert rank(result.level) <= rank(vignette.expected)
    assert set(result.not_sure) == set(vignette.not_sure)


def test_the_safe_rate_is_100_percent() -> None:
    """Over every vignette whose reference reading is settled (no known_gap). The known
    gaps are reported by their own xfail and by benchmarks/triage.py."""
    settled = [vignette for vignette in VIGNETTES if not vignette.known_gap]
    under = []
    for vignette in settled:
        got = _check(vignette)[1]["level"]
        if verdict(vignette.expected, got) == "UNDER":
            under.append(f"{vignette.id}: expected {vignette.expected}, got {got}")
    safe = 100 * (len(settled) - len(under)) / len(settled)
    assert not under, f"safe rate {safe:.1f}%, under-triaged:\n" + "\n".join(under)


def test_known_gaps_are_few_and_explained() -> None:
    gaps = [vignette for vignette in VIGNETTES if vignette.known_gap]
    assert len(gaps) <= len(VIGNETTES) // 10, [vignette.id for vignette in gaps]
    for vignette in gaps:
        assert len(vignette.known_gap or "") > 40, vignette.id


def test_the_triage_benchmark_prints_its_table_and_rates(tmp_path: Path) -> None:
    """benchmarks/triage.py on two stories that need only the signs of section 8."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "triage.py"
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--cold",
            "--only",
            "cramp-eleven-minutes",
            "pregnant-ordinary-cramps",
        ],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vignette" in done.stdout and "expected" in done.stdout and "got" in done.stdout
    assert "cramp-eleven-minutes" in done.stdout
    assert "100.0% (2/2)" in done.stdout
    assert "FAIL" not in done.stdout
    assert "PASS" in done.stdout
