"""Each matched sign explains itself in the default output: why it matters and what to do,
and a combination rule that raised the level says why. Nothing shown for a sign that raised
the level may call it harmless."""

from __future__ import annotations

import itertools

import pytest

from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.models import Rule, Sign
from tests.conftest import run

KB = load_builtin()
# Words that would undo a warning if shown beside a sign that raised the level.
SOFTENERS = ("not a warning sign", "not urgent", "not an emergency")


def _plain(*signs: str) -> str:
    result = run("check", "--sign", ",".join(signs))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_every_sign_says_why_it_matters_and_what_to_do(sign: Sign) -> None:
    assert sign.advice, f"{sign.id} has no advice of its own"
    for fmt in ("plain", "markdown", "table"):
        result = run("check", "--sign", sign.id, "--format", fmt, env={"COLUMNS": "100"})
        text = _squash(result.stdout.replace("│", " ").replace("┃", " "))
        assert _squash(sign.wording)[:60] in text, (fmt, sign.id)
        assert _squash(sign.advice)[:60] in text, (fmt, sign.id)


@pytest.mark.parametrize("rule", KB.rules, ids=lambda rule: rule.id)
def test_a_rule_that_raised_the_level_says_why_in_every_format(rule: Rule) -> None:
    signs = [*rule.all, *rule.any[:1]]
    plain = _plain(*signs)
    assert f"Level: {rule.level}" in plain
    assert f"Together: {rule.reason} ({rule.level})" in plain
    markdown = run("check", "--sign", ",".join(signs), "--format", "markdown").stdout
    assert "## Together, these raise the level" in markdown and rule.reason in markdown
    table = run("check", "--sign", ",".join(signs), "--format", "table").stdout
    assert "Together, these raise the level" in table


def test_pregnancy_with_swelling_names_pre_eclampsia_or_a_clot() -> None:
    text = _plain("pregnant", "leg-swelling")
    together = next(line for line in text.splitlines() if line.startswith("Together:"))
    assert "pre-eclampsia" in together and "clot" in together


@pytest.mark.parametrize(
    "signs",
    [
        [*rule.all, extra]
        for rule in KB.rules
        for extra in (rule.any or ("none-needed",))
        if extra != "none-needed"
    ]
    + [[sign.id] for sign in KB.signs if sign.level != "self-care"],
    ids=lambda signs: "+".join(signs),
)
def test_nothing_shown_for_a_raising_sign_calls_it_harmless(signs: list[str]) -> None:
    text = _plain(*signs).lower()
    for softener in SOFTENERS:
        assert softener not in text, (signs, softener)


def test_an_urgent_sign_with_its_own_advice_leads_the_verdict() -> None:
    text = _plain("pregnancy-danger")
    lines = text.splitlines()
    first = next(index for index, line in enumerate(lines) if line.startswith("First, for "))
    assert lines[first - 1].startswith("Action: ")
    assert "maternity" in lines[first] and "day or night" in lines[first]


def test_advice_is_shown_once_per_sign() -> None:
    for a, b in itertools.combinations(["one-sided-swelling", "numbness", "wound"], 2):
        text = _plain(a, b)
        for sign in KB.signs:
            if sign.id in (a, b) and sign.advice:
                assert text.count(sign.advice) == 1, (a, b, sign.id)


@pytest.mark.parametrize(("sign", "word"), [("cold-pale-leg", "EMERGENCY"), ("wound", "URGENT")])
def test_on_a_terminal_a_serious_verdict_is_said_again_at_the_end(sign: str, word: str) -> None:
    """On 80x24 the verdict panel scrolls away: the last lines repeat what to do."""
    result = run("check", "--sign", sign, "--format", "table", env={"COLUMNS": "80"})
    before_disclaimer = result.stdout.rstrip().split("This is general information")[0]
    tail = "\n".join(before_disclaimer.rstrip().splitlines()[-3:])
    assert word in tail and "Safety net" not in tail
    assert len(result.stdout.rstrip().splitlines()) - len(before_disclaimer.splitlines()) < 8
    closing = run("check", "--sign", "numbness", "--format", "table", env={"COLUMNS": "80"})
    closing_text = closing.stdout.rstrip().split("This is general information")[0]
    assert "SEE-DOCTOR" not in "\n".join(closing_text.rstrip().splitlines()[-3:])


@pytest.mark.parametrize("columns", ["40", "60", "80", "120"])
def test_sign_ids_and_levels_are_never_cut_on_a_terminal(columns: str) -> None:
    signs = ["pregnancy-danger", "pregnant", "leg-swelling", "compartment-syndrome"]
    result = run("check", "--sign", ",".join(signs), "--format", "table", env={"COLUMNS": columns})
    assert "…" not in result.stdout
    lines = result.stdout.splitlines()
    for sign_id in signs:
        assert any(sign_id in line for line in lines), (columns, sign_id)
    for level in ("emergency", "urgent", "see-doctor", "self-care"):
        assert any(level in line for line in lines), (columns, level)
    assert all(len(line) <= int(columns) for line in lines)


@pytest.mark.parametrize("columns", ["40", "80"])
def test_the_list_of_signs_never_cuts_an_id_or_level(columns: str) -> None:
    result = run("check", "--list", "--format", "table", env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    lines = result.stdout.splitlines()
    for sign in KB.signs:
        heading = next(line for line in lines if line.startswith(f"{sign.id} "))
        assert sign.level in heading, (columns, sign.id)
        if sign.ask_if:
            assert f"Asked if: {', '.join(sign.ask_if)}" in result.stdout
