"""`cramp check` through the real entry point: levels, rules, answers, regions and prompts.

Everything runs against the shipped knowledge base; the expected values come from it too, so a
new sign or rule is tested as soon as it is added to data/triage.yaml.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.interview import gate_ids, question_order, serious_ids
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.models import LEVELS, Rule, Sign
from cramp_cli.wording import DISCLAIMER
from tests.conftest import run, run_json, usage_error

KB = load_builtin()
SIGNS = {sign.id: sign for sign in KB.signs}
EXIT_STATUS = {"self-care": 0, "see-doctor": 3, "urgent": 4, "emergency": 5}
# The order the questions are asked in: gates, then most urgent first, file order within.
ASKED = question_order(KB)
GATES = gate_ids(KB.signs)
# Answers of "no" to the gates, which come first.
NO_TO_GATES = "n\n" * len(GATES)
UNGATED = [s for s in ASKED if not s.ask_if]
FIRST_EMERGENCY = next(s for s in UNGATED if s.level == "emergency" and s.id not in GATES)
EMERGENCY_QUESTIONS = [s for s in ASKED if s.level == "emergency" and not s.ask_if]
FIRST_URGENT = next(sign for sign in UNGATED if sign.level == "urgent")
PROMPT_MARK = "[y/n/?]"

SCRIPTS = Path(sys.executable).parent
CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(SCRIPTS / "cramp")


@pytest.fixture(autouse=True)
def no_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CRAMP_REGION in the developer's shell must not change the expected wording."""
    monkeypatch.delenv("CRAMP_REGION", raising=False)


def _rank(level: str) -> int:
    return LEVELS.index(level)  # type: ignore[arg-type]


def _check_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run("check", *args, "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def _fired(document: dict[str, Any]) -> list[str]:
    return [fired["rule"] for fired in document["fired"]]


def _item_ids(document: dict[str, Any]) -> list[str]:
    return [item["id"] for item in document["items"]]


# ---------------------------------------------------------------- every sign alone


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_every_sign_alone_gives_its_level(sign: Sign) -> None:
    document = _check_json("--sign", sign.id)
    assert document["command"] == "check"
    assert document["schema_version"] == 1
    assert document["level"] == sign.level
    assert _item_ids(document) == [sign.id]
    item = document["items"][0]
    assert item["wording"] == sign.wording
    assert item["level"] == sign.level
    assert item["not_sure"] is False
    assert [source["id"] for source in item["sources"]] == list(sign.sources)
    for source in item["sources"]:
        assert source["title"] == KB.source(source["id"]).title
        assert source["title"].strip()
    assert document["disclaimer"] == DISCLAIMER
    assert document["safety_net"] == list(KB.triage.safety_net)
    assert all(line.strip() for line in document["safety_net"])
    assert f"sign:{sign.id}" in _fired(document)
    assert not any(rule.startswith("rule:") for rule in _fired(document))


@pytest.mark.parametrize("sign", KB.signs, ids=lambda sign: sign.id)
def test_exit_code_is_the_level_and_stdout_is_still_the_json(sign: Sign) -> None:
    plain = run("check", "--sign", sign.id, "--json")
    result = run("check", "--sign", sign.id, "--json", "--exit-code")
    assert result.exit_code == EXIT_STATUS[sign.level]
    assert result.stderr == ""
    assert result.stdout == plain.stdout
    assert json.loads(result.stdout)["level"] == sign.level


def test_exit_code_without_json_keeps_the_plain_output() -> None:
    result = run("check", "--sign", "numbness", "--exit-code")
    assert result.exit_code == 3
    assert result.stdout.startswith("Level: see-doctor\n")
    assert result.stdout.rstrip("\n").splitlines()[-1] == f"Disclaimer: {DISCLAIMER}"
    assert run("check", "--none", "--exit-code").exit_code == 0
    assert run("check", "--none").exit_code == 0
    assert run("check", "--sign", "chest-pain").exit_code == 0  # the level only with --exit-code


# ---------------------------------------------------------------- combination rules


def _rule_combinations(rule: Rule) -> list[tuple[str, ...]]:
    if not rule.any:
        return [tuple(rule.all)]
    return [(*rule.all, extra) for extra in rule.any]


RULE_CASES = [
    pytest.param(rule, combination, id=f"{rule.id}:{'+'.join(combination)}")
    for rule in KB.rules
    for combination in _rule_combinations(rule)
]


def test_there_are_rules_to_test() -> None:
    assert KB.rules
    assert RULE_CASES


@pytest.mark.parametrize(("rule", "combination"), RULE_CASES)
def test_each_rule_fires_for_every_choice_of_its_signs(
    rule: Rule, combination: tuple[str, ...]
) -> None:
    document = _check_json("--sign", ",".join(combination))
    assert _rank(document["level"]) <= _rank(rule.level)
    assert f"rule:{rule.id}" in _fired(document)
    fired = next(item for item in document["fired"] if item["rule"] == f"rule:{rule.id}")
    assert fired["level"] == rule.level
    assert fired["reason"] == rule.reason
    assert set(_item_ids(document)) == set(combination)


@pytest.mark.parametrize("rule", [rule for rule in KB.rules if rule.any], ids=lambda r: r.id)
def test_a_rule_does_not_fire_with_only_its_all_signs(rule: Rule) -> None:
    document = _check_json("--sign", ",".join(rule.all))
    assert f"rule:{rule.id}" not in _fired(document)
    expected = min((SIGNS[sign_id].level for sign_id in rule.all), key=_rank)
    assert document["level"] == expected


@pytest.mark.parametrize(
    ("signs", "level"),
    [
        ("pregnant", "self-care"),
        ("pregnant,leg-swelling", "urgent"),
        ("pregnant,one-sided-swelling", "urgent"),
        ("leg-swelling", "see-doctor"),
    ],
)
def test_pregnancy_with_swelling_is_urgent(signs: str, level: str) -> None:
    document = _check_json("--sign", signs)
    assert document["level"] == level
    assert ("rule:pregnant-with-swelling" in _fired(document)) == (level == "urgent")


def test_swelling_with_chest_pain_is_an_emergency() -> None:
    document = _check_json("--sign", "one-sided-swelling", "--sign", "chest-pain")
    assert document["level"] == "emergency"
    assert "rule:swelling-with-breathing-trouble" in _fired(document)


# ---------------------------------------------------------------- levels fixed by the reference
# Written out here, not read from the data, so that lowering a sign or rule in data/triage.yaml
# fails a test (section 8 of the medical reference; data/hazards.yaml names these tests).

MEDICAL_SIGN_LEVELS = {
    "chest-pain": "emergency",
    "breathless": "emergency",
    "coughing-blood": "emergency",
    "cold-pale-leg": "emergency",
    "sudden-weakness": "emergency",
    "tetanus-spasms": "emergency",
    "heatstroke": "emergency",
    "dark-urine": "emergency",
    "compartment-syndrome": "emergency",
    "sepsis": "emergency",
    "cauda-equina": "emergency",
    "quinine-emergency": "emergency",
    "pregnancy-emergency": "emergency",
    "child-very-unwell": "emergency",
    "sickle-cell-crisis": "emergency",
    "cellulitis-spreading": "emergency",
    "heavy-bleeding": "emergency",
    "rest-pain-worse": "emergency",
    "one-sided-swelling": "urgent",
    "long-cramp": "urgent",
    "quinine-bleeding": "urgent",
    "pregnancy-danger": "urgent",
    "quinine-side-effects": "urgent",
    "cellulitis": "urgent",
    "rest-pain": "urgent",
    "child-limp-fever": "urgent",
}
MEDICAL_RULE_LEVELS = {
    "pregnant-with-swelling": (("pregnant", "leg-swelling"), "urgent"),
    "swelling-with-breathing-trouble": (("one-sided-swelling", "breathless"), "emergency"),
}


@pytest.mark.parametrize(
    ("sign_id", "level"), [pytest.param(*case, id=case[0]) for case in MEDICAL_SIGN_LEVELS.items()]
)
def test_sign_keeps_its_medical_level(sign_id: str, level: str) -> None:
    document = _check_json("--sign", sign_id)
    assert document["level"] == level
    assert document["items"][0]["level"] == level


@pytest.mark.parametrize(
    ("rule_id", "case"), [pytest.param(*case, id=case[0]) for case in MEDICAL_RULE_LEVELS.items()]
)
def test_rule_keeps_its_medical_level(rule_id: str, case: tuple[tuple[str, ...], str]) -> None:
    signs, level = case
    document = _check_json("--sign", ",".join(signs))
    fired = {entry["rule"]: entry["level"] for entry in document["fired"]}
    assert fired.get(f"rule:{rule_id}") == level
    assert _rank(document["level"]) <= _rank(level)


# ---------------------------------------------------------------- minutes


def test_ten_minutes_is_still_self_care() -> None:
    document = _check_json("--minutes", "10")
    assert document["level"] == "self-care"
    assert document["minutes"] == 10
    assert "long-cramp" not in _item_ids(document)
    assert not any(rule.startswith("minutes") for rule in _fired(document))


def test_eleven_minutes_is_a_long_cramp() -> None:
    document = _check_json("--minutes", "11")
    assert document["level"] == "urgent"
    assert document["minutes"] == 11
    assert _item_ids(document) == ["long-cramp"]
    assert "minutes>10" in _fired(document)
    assert "sign:long-cramp" in _fired(document)


def test_long_minutes_and_the_long_cramp_sign_match_once() -> None:
    document = _check_json("--minutes", "30", "--sign", "long-cramp")
    assert _item_ids(document) == ["long-cramp"]
    assert document["level"] == "urgent"


def test_zero_minutes_is_fine() -> None:
    document = _check_json("--minutes", "0")
    assert document["level"] == "self-care"
    assert document["minutes"] == 0
    assert document["items"] == []


@pytest.mark.parametrize("value", ["-1", "ten", "1.5", ""])
def test_bad_minutes_exit_2(value: str) -> None:
    result = run("check", "--minutes", value, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--minutes" in result.stderr


# ---------------------------------------------------------------- how signs are given


def test_comma_separated_and_repeated_signs() -> None:
    document = _check_json("--sign", "numbness,weakness", "--sign", "wasting")
    assert set(_item_ids(document)) == {"numbness", "weakness", "wasting"}
    assert document["level"] == "see-doctor"


def test_short_option_s() -> None:
    assert _item_ids(_check_json("-s", "numbness")) == ["numbness"]


def test_duplicate_signs_collapse() -> None:
    document = _check_json("--sign", "numbness,numbness", "--sign", "Numbness", "-s", "numbness")
    assert _item_ids(document) == ["numbness"]
    assert _fired(document).count("sign:numbness") == 1


def test_matched_signs_are_listed_most_urgent_first() -> None:
    document = _check_json("--sign", "pregnant,numbness,wound,breathless")
    assert _item_ids(document) == ["breathless", "wound", "numbness", "pregnant"]


@pytest.mark.parametrize(
    ("typed", "sign_id"),
    [
        ("ONE-SIDED-SWELLING", "one-sided-swelling"),
        ("One Sided Swelling", "one-sided-swelling"),
        ("one_sided_swelling", "one-sided-swelling"),
        ("  chest pain  ", "chest-pain"),
        ("Chest_Pain", "chest-pain"),
        ("LEG swelling", "leg-swelling"),
    ],
)
def test_sign_names_match_loosely(typed: str, sign_id: str) -> None:
    assert _item_ids(_check_json("--sign", typed)) == [sign_id]


def test_spaces_around_commas_are_ignored() -> None:
    document = _check_json("--sign", "numbness , chest pain")
    assert set(_item_ids(document)) == {"numbness", "chest-pain"}


@pytest.mark.parametrize(
    ("args", "typed", "suggested"),
    [
        (["--sign", "numbnes"], "numbnes", "numbness"),
        (["--sign", "numbness,chest-pian"], "chest-pian", "chest-pain"),
        (["--sign", "pregnant", "--sign", "breathles"], "breathles", "breathless"),
    ],
)
def test_unknown_sign_exits_2_suggesting_the_nearest(
    args: list[str], typed: str, suggested: str
) -> None:
    for extra in ([], ["--json"], ["--exit-code"]):
        line = usage_error(run("check", *args, *extra))
        assert line.startswith(f"Error: unknown sign '{typed}'")
        assert f"'{suggested}'" in line
        assert "cramp check --list" in line


@pytest.mark.parametrize("bad", ["", "   ", "numbness,", "x" * 100_000, "numbness\x00"])
def test_odd_sign_names_are_usage_errors(bad: str) -> None:
    line = usage_error(run("check", "--sign", bad))
    assert len(line) < 300


# ---------------------------------------------------------------- --none


def test_none_is_self_care_with_pointers() -> None:
    document = _check_json("--none")
    assert document["level"] == "self-care"
    assert document["items"] == []
    assert _fired(document) == ["no-signs"]
    pointers = " ".join(document["pointers"])
    assert "cramp relieve" in pointers
    assert "cramp prevent" in pointers
    plain = run("check", "--none").stdout
    assert "cramp relieve" in plain and "cramp prevent" in plain


def test_pointers_only_for_self_care() -> None:
    assert _check_json("--sign", "pregnant")["pointers"]
    assert _check_json("--sign", "numbness")["pointers"] == []
    assert _check_json("--sign", "chest-pain")["pointers"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["--none", "--sign", "numbness"],
        ["--sign", "pregnant", "--none"],
        ["--none", "--minutes", "3"],
        ["--none", "--sign", "numbness", "--json"],
    ],
)
def test_none_with_answers_exits_2(args: list[str]) -> None:
    line = usage_error(run("check", *args))
    assert "--none" in line


# ---------------------------------------------------------------- most urgent level wins


def test_most_urgent_level_wins() -> None:
    document = _check_json("--sign", "numbness,chest-pain")
    assert document["level"] == "emergency"
    assert set(_item_ids(document)) == {"numbness", "chest-pain"}
    assert {"sign:numbness", "sign:chest-pain"} <= set(_fired(document))


def test_explain_lists_the_rules_in_plain_output() -> None:
    explained = run("check", "--sign", "numbness,chest-pain", "--explain")
    assert explained.exit_code == 0
    rule_lines = [line for line in explained.stdout.splitlines() if line.startswith("Rule:")]
    assert any("sign:chest-pain" in line and "emergency" in line for line in rule_lines)
    assert any("sign:numbness" in line and "see-doctor" in line for line in rule_lines)
    quiet = run("check", "--sign", "numbness,chest-pain")
    assert quiet.exit_code == 0
    assert not any(line.startswith("Rule:") for line in quiet.stdout.splitlines())
    assert "Level: emergency" in quiet.stdout


def test_explain_shows_a_combination_rule() -> None:
    out = run("check", "--sign", "pregnant,leg-swelling", "--explain").stdout
    assert "Rule: rule:pregnant-with-swelling -> urgent" in out


def test_json_always_has_fired_with_or_without_explain() -> None:
    quiet = _check_json("--sign", "numbness")
    explained = _check_json("--sign", "numbness", "--explain")
    assert quiet["fired"] and quiet["fired"] == explained["fired"]
    assert quiet == explained
    assert "explain" not in quiet


def test_rich_check_on_a_terminal_works_and_ends_with_the_disclaimer() -> None:
    result = run("check", "--sign", "pregnant,leg-swelling", "--explain", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    shown = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert " ".join(shown.split()).endswith(DISCLAIMER)


# ---------------------------------------------------------------- regions


@pytest.mark.parametrize(
    ("region", "number"), [("gb", "999"), ("us", "911"), ("eu", "112"), ("au", "000")]
)
def test_region_names_its_emergency_number(region: str, number: str) -> None:
    document = _check_json("--sign", "chest-pain", "--region", region)
    assert document["region"] == region
    assert number in document["action"]
    others = {"999", "911", "112", "000"} - {number}
    assert not any(other in document["action"] for other in others)
    assert _check_json("--sign", "chest-pain", "--region", region.upper())["region"] == region


def test_no_region_names_every_emergency_number() -> None:
    document = _check_json("--sign", "chest-pain")
    assert document["region"] == KB.triage.default_region.id
    for number in ("999", "911", "112", "000"):
        assert number in document["action"]


def test_region_from_the_environment() -> None:
    document = _check_json("--sign", "chest-pain", env={"CRAMP_REGION": "us"})
    assert document["region"] == "us"
    assert "911" in document["action"]
    assert "999" not in document["action"]
    # the option wins over the environment
    chosen = _check_json("--sign", "chest-pain", "--region", "gb", env={"CRAMP_REGION": "us"})
    assert chosen["region"] == "gb"


def test_empty_region_in_the_environment_is_no_region() -> None:
    document = _check_json("--sign", "chest-pain", env={"CRAMP_REGION": ""})
    assert document["region"] == KB.triage.default_region.id


@pytest.mark.parametrize(("typed", "suggested"), [("uss", "us"), ("ue", "eu"), ("aus", "au")])
def test_unknown_region_exits_2_with_suggestions(typed: str, suggested: str) -> None:
    line = usage_error(run("check", "--none", "--region", typed))
    assert line.startswith(f"Error: unknown region '{typed}'")
    assert f"'{suggested}'" in line
    assert "gb, us, eu, au" in line


def test_unknown_region_from_the_environment_exits_2() -> None:
    line = usage_error(run("check", "--none", env={"CRAMP_REGION": "mars"}))
    assert "unknown region 'mars'" in line


LEVEL_EXAMPLES = {"emergency": "chest-pain", "urgent": "wound", "see-doctor": "numbness"}
REGIONS = [None, *(region.id for region in KB.triage.regions)]


@pytest.mark.parametrize("region", REGIONS, ids=lambda region: region or "no-region")
@pytest.mark.parametrize("level", LEVELS)
def test_no_placeholder_braces_in_any_advice(level: str, region: str | None) -> None:
    args = ["--sign", LEVEL_EXAMPLES[level]] if level in LEVEL_EXAMPLES else ["--none"]
    if region is not None:
        args += ["--region", region]
    document = _check_json(*args)
    assert document["level"] == level
    for field in ("title", "action", "details"):
        assert "{" not in document[field] and "}" not in document[field], field


def test_urgent_advice_names_the_region_service() -> None:
    for region in KB.triage.regions:
        document = _check_json("--sign", "wound", "--region", region.id)
        assert region.urgent in document["action"]


# ---------------------------------------------------------------- the safety net comes last


@pytest.mark.parametrize(
    "args",
    [
        ["--none"],
        ["--sign", "pregnant"],
        ["--sign", "numbness"],
        ["--sign", "one-sided-swelling", "--explain"],
        ["--sign", "chest-pain,numbness", "--explain", "--region", "gb"],
        ["--minutes", "20"],
    ],
    ids=" ".join,
)
def test_safety_net_is_last_before_the_disclaimer(args: list[str]) -> None:
    result = run("check", *args)
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    assert lines[-2].startswith("Safety net:")
    net = len(KB.triage.safety_net)
    assert lines[-1 - net : -1] == [f"Safety net: {line}" for line in KB.triage.safety_net]
    assert not lines[-2 - net].startswith("Safety net:")
    assert lines[0].startswith("Level: ")


# ---------------------------------------------------------------- no answers, no terminal


def _subprocess_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        env.pop(name, None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _assert_no_answers_error(code: int, stdout: str, stderr: str) -> None:
    assert code == 2, stderr
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "--sign" in lines[0] and "--none" in lines[0]
    assert "no answers" in lines[0]
    assert "Traceback" not in stderr


def test_no_answers_with_stdin_from_dev_null_exits_2_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [CRAMP, "check"],
        cwd=tmp_path,
        env=_subprocess_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
    )
    _assert_no_answers_error(done.returncode, done.stdout, done.stderr)
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("extra", [[], ["--json"], ["--explain", "--region", "gb"]], ids=str)
def test_no_answers_with_an_idle_pipe_never_waits(tmp_path: Path, extra: list[str]) -> None:
    process = subprocess.Popen(
        [CRAMP, "check", *extra],
        cwd=tmp_path,
        env=_subprocess_env(),
        stdin=subprocess.PIPE,  # open, and never written to or closed while it runs
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("cramp check waited for an answer on an idle pipe")
    finally:
        process.stdin.close()
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    _assert_no_answers_error(code, stdout, stderr)


@pytest.mark.parametrize("extra", [[], ["--json"], ["--exit-code"], ["--region", "gb"]], ids=str)
def test_no_answers_through_the_runner_exits_2(extra: list[str]) -> None:
    result = run("check", *extra)
    _assert_no_answers_error(result.exit_code, result.stdout, result.stderr)


def test_ask_in_a_subprocess_keeps_stdout_for_the_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [CRAMP, "check", "--ask", "--json"],
        cwd=tmp_path,
        env=_subprocess_env(),
        input="n\n" * len(ASKED),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{"), "prompts must not leak onto stdout"
    assert json.loads(done.stdout)["level"] == "self-care"
    assert done.stderr.count(PROMPT_MARK) == len(UNGATED)


# ---------------------------------------------------------------- asking the questions


def _ask(*args: str, input: str) -> Any:
    return CliRunner().invoke(app, ["check", "--ask", *args], input=input, catch_exceptions=False)


def _ask_json(answers: str) -> tuple[dict[str, Any], Any]:
    result = _ask("--json", input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{"), result.stdout[:200]
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document, result


@pytest.mark.parametrize("given", [0, 1, 5])
def test_answers_that_end_early_give_no_verdict_and_exit_2(given: int) -> None:
    result = _ask(input="n\n" * given)
    assert result.exit_code == 2
    assert result.stdout.startswith("Level: not assessed\n"), "no level from half the answers"
    error = result.stderr.strip().splitlines()[-1]
    expected = f"Error: the input ended before question {given + 1} of \\d+ was answered"
    assert re.match(expected, error)
    assert "--sign" in error and "Aborted" not in result.stderr


def test_answers_that_end_early_with_json_give_a_json_error() -> None:
    result = _ask("--json", input="n\n")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["assessed"] is False
    error = json.loads(result.stderr.strip().splitlines()[-1])["error"]
    assert error["code"] == "usage"
    assert error["message"].startswith("the input ended before question 2 of")


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_at_a_question_exits_130(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [CRAMP, "check", "--ask"],
        cwd=tmp_path,
        env=_subprocess_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A job started in the background by a shell (as CI may be) inherits SIGINT ignored,
        # and Python then never turns it into KeyboardInterrupt: give the child the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None and process.stdin is not None
    seen = b""
    while PROMPT_MARK.encode() not in seen:  # wait for the first question
        piece = process.stderr.read1(4096)  # type: ignore[attr-defined]
        assert piece, "cramp ended before asking anything"
        seen += piece
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, (out, err)
    assert out.startswith(b"Level: not assessed\n")
    assert b"Traceback" not in err and b"Aborted" not in err


def test_ask_no_to_everything_asks_every_ungated_question_and_is_self_care() -> None:
    document, result = _ask_json("n\n" * len(ASKED))
    assert document["level"] == "self-care"
    assert document["items"] == []
    assert document["not_sure"] == []
    ungated = [sign for sign in ASKED if not sign.ask_if]
    assert result.stderr.count(PROMPT_MARK) == len(ungated)
    asked = _squash(result.stderr)
    for sign in ungated:
        assert _squash(sign.question) in asked, sign.id
    positions = [asked.index(_squash(sign.question)) for sign in ungated]
    assert positions == sorted(positions), "questions come in the order of the data"


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_ask_accepts_yes_and_no_in_words() -> None:
    before = len(GATES) + len(EMERGENCY_QUESTIONS)
    document, _ = _ask_json("No\n" * before + "YES\n" + "no\n" * len(ASKED))
    assert document["level"] == "urgent"
    assert _item_ids(document) == [UNGATED[before].id]


def test_ask_yes_to_the_first_question_stops_at_once() -> None:
    document, result = _ask_json(NO_TO_GATES + "y\n" + "n\n" * len(ASKED))
    assert result.stderr.count(PROMPT_MARK) == len(GATES) + 1
    assert document["level"] == "emergency"
    assert _item_ids(document) == [FIRST_EMERGENCY.id]
    assert document["not_sure"] == []


def test_ask_not_sure_to_an_emergency_question_stops_at_emergency() -> None:
    document, result = _ask_json(NO_TO_GATES + "?\n" + "n\n" * len(ASKED))
    assert result.stderr.count(PROMPT_MARK) == len(GATES) + 1
    assert document["level"] == "emergency"
    assert document["not_sure"] == [FIRST_EMERGENCY.id]


def _unsure_about_first_urgent() -> str:
    before = len(GATES) + len(EMERGENCY_QUESTIONS)
    return "n\n" * before + "?\n" + "n\n" * (len(ASKED) - before - 1)


def test_ask_not_sure_to_an_urgent_question_counts_as_yes() -> None:
    assert UNGATED[len(GATES) + len(EMERGENCY_QUESTIONS)] == FIRST_URGENT
    document, result = _ask_json(_unsure_about_first_urgent())
    serious = [s for s in ASKED if s.level in ("emergency", "urgent") and not s.ask_if]
    asked = len(GATES) + len(serious)
    assert result.stderr.count(PROMPT_MARK) == asked, "then only urgent questions"
    assert document["level"] == "urgent"
    assert document["not_sure"] == [FIRST_URGENT.id]
    assert _item_ids(document) == [FIRST_URGENT.id]
    assert document["items"][0]["not_sure"] is True


def test_ask_not_sure_is_explained_in_plain_output() -> None:
    result = _ask(input=_unsure_about_first_urgent())
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Level: urgent\n")
    assert "'not sure'" in result.stdout
    assert "counted as yes" in result.stdout
    sign_line = next(line for line in result.stdout.splitlines() if line.startswith("Sign:"))
    assert FIRST_URGENT.id in sign_line and "not sure" in sign_line
    assert PROMPT_MARK not in result.stdout


def test_ask_an_invalid_answer_asks_again() -> None:
    document, result = _ask_json("perhaps\n" + "n\n" * len(ASKED))
    assert result.stderr.count(PROMPT_MARK) == len([s for s in ASKED if not s.ask_if]) + 1
    assert _squash(result.stderr).count(_squash(ASKED[0].question)) == 2
    assert "Please answer y (yes), n (no) or ? (not sure)." in result.stderr
    assert document["level"] == "self-care"


def test_ask_not_sure_to_a_see_doctor_question_counts_as_no() -> None:
    serious = serious_ids(KB)
    answers = "".join(
        "?\n" if sign.level == "see-doctor" and sign.id not in serious else "n\n" for sign in ASKED
    )
    document, result = _ask_json(answers)
    assert result.stderr.count(PROMPT_MARK) == len([s for s in ASKED if not s.ask_if])
    assert document["level"] == "self-care"
    assert document["items"] == []
    assert document["not_sure"] == []


def test_ask_with_exit_code() -> None:
    result = _ask("--json", "--exit-code", input=NO_TO_GATES + "y\n")
    assert result.exit_code == 5
    assert json.loads(result.stdout)["level"] == "emergency"


def test_ask_with_answers_given_does_not_ask() -> None:
    result = _ask("--sign", "numbness", "--json", input="y\n" * len(ASKED))
    assert result.exit_code == 0
    assert PROMPT_MARK not in result.stderr
    assert json.loads(result.stdout)["level"] == "see-doctor"


# ---------------------------------------------------------------- --list


def test_list_json_gives_every_sign_most_urgent_first() -> None:
    document = run_json("check", "--list")
    assert document["command"] == "check"
    assert document["disclaimer"] == DISCLAIMER
    ids = _item_ids(document)
    assert sorted(ids) == sorted(SIGNS)
    assert len(ids) == len(SIGNS)
    ranks = [_rank(item["level"]) for item in document["items"] if item["id"] not in GATES]
    assert ranks == sorted(ranks)
    assert ids == [sign.id for sign in ASKED]
    for item in document["items"]:
        assert item["question"] == SIGNS[item["id"]].question


def test_list_plain_gives_every_sign_most_urgent_first() -> None:
    result = run("check", "--list")
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(row) == 4 for row in rows)
    assert [row[0] for row in rows] == [sign.id for sign in ASKED]
    ranks = [_rank(row[1]) for row in rows if row[0] not in GATES]
    assert ranks == sorted(ranks)
    assert {row[0] for row in rows} == set(SIGNS)
