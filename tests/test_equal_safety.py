"""The same safety in every language (issue 16, item 7).

`cramp check` gives the same verdict in English and in Chinese: the same level, exit code
(--exit-code), matched sign ids, fired rule ids and region, for every sign alone, every
combination rule (with each sign it may need), and combinations generated the way
tests/test_triage_properties.py generates them (with --minutes and every region). The Chinese
text of an emergency or urgent verdict names the same numbers to call as the English, and has
text on every line where the English has text.

The many cases run in process (tests/conftest.py::run); a few run the installed `cramp` in real
processes, choosing Chinese by --lang, CRAMP_LANG and LANG. The interactive check gives the
same verdict to the same answers typed as y/n/? or 是/否/不确定. A fuzz of the real command line
in Chinese ends, like the English one (tests/test_fuzz_cli.py), in a documented exit code with
at most one error line, never a traceback or exit 70.

Examples: CRAMP_FUZZ_EXAMPLES=N runs N of each generated test instead of the fixed set.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.knowledge.loader import load_builtin
from tests import test_check_interview as interview
from tests import test_fuzz_cli as fuzz
from tests.conftest import run
from tests.test_triage_properties import BUILT_IN_SIGNS, _sign_sets, minutes_st

KB = load_builtin()
REGIONS = tuple(region.id for region in KB.triage.regions)
EMERGENCY_NUMBER = {region.id: region.emergency for region in KB.triage.regions}
# Every number a verdict may tell someone to call: the emergency numbers, and the numbers in
# the urgent services (NHS 111).
NUMBERS = frozenset(
    [*EMERGENCY_NUMBER.values()]
    + [n for region in KB.triage.regions for n in re.findall(r"\b\d{3}\b", region.urgent)]
)
EXIT_STATUS = {"self-care": 0, "see-doctor": 3, "urgent": 4, "emergency": 5}
ZH = ("--lang", "zh")

_FUZZ = int(os.environ.get("CRAMP_FUZZ_EXAMPLES", "0") or 0)
GENERATED = settings(
    max_examples=_FUZZ or 120,
    derandomize=not _FUZZ,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# ---------------------------------------------------------------- one verdict, two languages


def _args(signs: list[str], minutes: int | None, region: str | None) -> list[str]:
    args = ["check", "--exit-code"]
    if signs:
        args += ["--sign", ",".join(signs)]
    elif minutes is None:
        args.append("--none")
    if minutes is not None:
        args += ["--minutes", str(minutes)]
    if region is not None:
        args += ["--region", region]
    return args


def verdict(result: Any) -> dict[str, Any]:
    """What must not depend on the language: from a `check --json --exit-code` run."""
    assert "Traceback" not in result.stderr
    return verdict_of(result.stdout, result.exit_code)


def verdict_of(stdout: str, exit_code: int) -> dict[str, Any]:
    document = json.loads(stdout)
    return {
        "exit": exit_code,
        "level": document["level"],
        "signs": [item["id"] for item in document["items"]],
        "sign levels": [item["level"] for item in document["items"]],
        "fired": [(rule["rule"], rule["level"]) for rule in document["fired"]],
        "region": document["region"],
        "minutes": document["minutes"],
        "numbers": numbers(document["action"] + " " + document["details"]),
    }


def numbers(text: str) -> set[str]:
    return {number for number in re.findall(r"\d+", text) if number in NUMBERS}


def same_in_both(
    signs: list[str], minutes: int | None = None, region: str | None = None
) -> dict[str, Any]:
    """Check the JSON verdict and the plain text in English and Chinese; the verdict."""
    args = _args(signs, minutes, region)
    english = run(*args, "--json")
    chinese = run(*ZH, *args, "--json")
    assert english.exit_code in EXIT_STATUS.values(), english.stderr
    expected = verdict(english)
    assert verdict(chinese) == expected, args
    assert expected["exit"] == EXIT_STATUS[expected["level"]]
    assert json.loads(chinese.stdout)["lang"] == "zh-Hans"
    if expected["level"] in ("emergency", "urgent"):
        same_text_lines(args, expected["level"], region)
    return expected


def same_text_lines(args: list[str], level: str, region: str | None) -> None:
    """The plain verdict in Chinese: the numbers the English names (the region's emergency
    number for an emergency), and text wherever the English has text."""
    english = run(*args, "--format", "plain")
    chinese = run(*ZH, *args, "--format", "plain")
    assert chinese.exit_code == english.exit_code
    if level == "emergency":
        wanted = {EMERGENCY_NUMBER[region]} if region else set(EMERGENCY_NUMBER.values())
        assert wanted <= numbers(english.stdout), (args, english.stdout)
        assert wanted <= numbers(chinese.stdout), (args, chinese.stdout)
    assert numbers(english.stdout) <= numbers(chinese.stdout), (args, chinese.stdout)
    english_lines = english.stdout.splitlines()
    chinese_lines = chinese.stdout.splitlines()
    assert len(chinese_lines) == len(english_lines), (args, chinese.stdout)
    for number, (en, zh) in enumerate(zip(english_lines, chinese_lines, strict=True), 1):
        if en.strip():
            assert zh.strip(), f"{args}: line {number} is empty in Chinese: {en!r}"
            # a label with nothing after it is an empty line too
            assert not re.fullmatch(r"[^:：]*[:：]\s*", zh) or re.fullmatch(r"[^:]*:\s*", en), (
                f"{args}: line {number} has no text in Chinese: {zh!r} ({en!r})"
            )


@pytest.mark.parametrize("region", [None, *REGIONS])
@pytest.mark.parametrize("sign", BUILT_IN_SIGNS)
def test_every_sign_alone_in_every_region(sign: str, region: str | None) -> None:
    got = same_in_both([sign], region=region)
    assert got["signs"] == [sign]


def _rule_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for rule in KB.rules:
        for extra in rule.any or (None,):
            cases.append((rule.id, [*rule.all, *([extra] if extra else [])]))
    return cases


@pytest.mark.parametrize("region", [None, "cn", "gb"])
@pytest.mark.parametrize(("rule", "signs"), _rule_cases(), ids=lambda v: str(v))
def test_every_combination_rule_fires_in_both_languages(
    rule: str, signs: list[str], region: str | None
) -> None:
    got = same_in_both(signs, region=region)
    assert f"rule:{rule}" in [fired for fired, _ in got["fired"]], got


def test_the_rules_are_all_covered() -> None:
    assert KB.rules, "no combination rules: the rule cases above test nothing"
    assert {rule for rule, _ in _rule_cases()} == {rule.id for rule in KB.rules}


@pytest.mark.parametrize("minutes", [0, 9, 10, 11, 30])
def test_minutes_alone(minutes: int) -> None:
    same_in_both([], minutes=minutes, region="cn")


@GENERATED
@given(
    signs=_sign_sets(BUILT_IN_SIGNS),
    minutes=minutes_st,
    region=st.sampled_from([None, *REGIONS]),
)
def test_generated_combinations_give_the_same_verdict(
    signs: list[str], minutes: int | None, region: str | None
) -> None:
    same_in_both(signs, minutes, region)


# ---------------------------------------------------------------- how the language is chosen


@pytest.mark.parametrize(
    "env", [{"CRAMP_LANG": "zh"}, {"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8"}]
)
def test_the_environment_gives_the_same_verdict_as_the_option(env: dict[str, str]) -> None:
    args = _args(["one-sided-swelling", "breathless"], 12, "cn")
    by_option = run(*ZH, *args, "--json")
    by_environment = run(*args, "--json", env=env)
    assert by_environment.stdout == by_option.stdout
    assert by_environment.exit_code == by_option.exit_code == 5
    assert json.loads(by_environment.stdout)["lang"] == "zh-Hans"


REAL_CASES = [
    (["chest-pain"], None, "cn"),
    (["long-cramp"], 15, "hk"),
    (["pregnant", "leg-swelling"], None, "tw"),
    (["numbness"], None, None),
    ([], 3, "gb"),
]


def _real(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [interview.CRAMP, *args],
        env=interview._env(XDG_DATA_HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path), **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("signs", "minutes", "region"), REAL_CASES)
def test_real_processes_give_the_same_verdict(
    signs: list[str], minutes: int | None, region: str | None, tmp_path: Path
) -> None:
    args = [*_args(signs, minutes, region), "--json"]
    english = _real(args, {"LANG": "C.UTF-8"}, tmp_path)
    assert english.stderr == ""
    level = json.loads(english.stdout)["level"]
    assert english.returncode == EXIT_STATUS[level]
    ways = {
        "--lang": _real([*ZH, *args], {"LANG": "C.UTF-8"}, tmp_path),
        "CRAMP_LANG": _real(args, {"LANG": "C.UTF-8", "CRAMP_LANG": "zh"}, tmp_path),
        "LANG": _real(args, {"LANG": "zh_CN.UTF-8"}, tmp_path),
    }
    for way, chinese in ways.items():
        assert chinese.stderr == "", way
        assert chinese.stdout == ways["--lang"].stdout, way
        document = json.loads(chinese.stdout)
        assert document["lang"] == "zh-Hans", way
        assert chinese.returncode == english.returncode, way
        assert verdict_of(chinese.stdout, chinese.returncode) == verdict_of(
            english.stdout, english.returncode
        ), way


# ---------------------------------------------------------------- the interactive check

REPLIES = {"en": {"y": "y", "n": "n", "?": "?"}, "zh": {"y": "是", "n": "否", "?": "不确定"}}


def _ask(replies: list[str], lang: str) -> Any:
    typed = "".join(f"{REPLIES[lang][reply]}\n" for reply in replies)
    root = list(ZH) if lang == "zh" else []
    args = [*root, "check", "--ask", "--json", "--exit-code"]
    return CliRunner().invoke(app, args, input=typed, catch_exceptions=False)


def _interview_verdict(result: Any) -> dict[str, Any]:
    document = json.loads(result.stdout)
    return {
        "exit": result.exit_code,
        "assessed": document["assessed"],
        "level": document.get("level"),
        "signs": [item["id"] for item in document.get("items", [])],
        "not sure": document.get("not_sure"),
        "complete": document.get("complete"),
        "answered": document.get("answered"),
        "questions": document.get("questions"),
    }


@GENERATED
@given(replies=st.lists(st.sampled_from(["y", "n", "?"]), max_size=45))
def test_the_same_answers_in_chinese_give_the_same_verdict(replies: list[str]) -> None:
    """The answers go in order, whatever question each one meets: the questions asked depend
    on the answers only, so both languages meet the same questions."""
    english = _ask(replies, "en")
    chinese = _ask(replies, "zh")
    assert english.exit_code in (0, 2, 3, 4, 5), english.stderr
    assert _interview_verdict(chinese) == _interview_verdict(english)
    assert "Please answer" not in english.stderr


def _questions() -> dict[str, str]:
    """Each sign's question, in English and in Chinese, without spaces: its id."""
    found = {}
    for root in ((), ZH):
        listed = json.loads(run(*root, "check", "--list", "--json").stdout)
        found.update({"".join(item["question"].split()): item["id"] for item in listed["items"]})
    return found


@dataclass
class Talk:
    asked: list[str]
    document: dict[str, Any]
    returncode: int


def converse(reply: Callable[[str], str], env: dict[str, str], cwd: Path) -> Talk:
    """Run the installed `cramp check --ask --json --exit-code` and answer each question as
    it appears on stderr (the last line, up to its hint in brackets, is the question),
    whatever the language of the prompts."""
    questions = _questions()
    process = subprocess.Popen(
        [interview.CRAMP, "check", "--ask", "--json", "--exit-code"],
        cwd=cwd,
        env=interview._env(COLUMNS="10000", XDG_DATA_HOME=str(cwd), XDG_CACHE_HOME=str(cwd), **env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stderr is not None
    decoder = codecs.getincrementaldecoder("utf-8")()
    asked: list[str] = []
    seen = ""
    while len(asked) <= 2 * len(questions):
        piece = process.stderr.read1(65536)  # type: ignore[attr-defined]
        if not piece:
            break
        seen += decoder.decode(piece)
        if not seen.rstrip().endswith("]:"):
            continue
        line = seen.rstrip().splitlines()[-1]
        question = "".join(line[: line.rfind("[")].split())
        if question not in questions:  # never wait for an answer that will not come
            process.kill()
            process.communicate()
            raise AssertionError(f"not a question cramp has: {line!r}")
        asked.append(questions[question])
        seen = ""
        process.stdin.write(f"{reply(asked[-1])}\n".encode())
        process.stdin.flush()
    process.stdin.close()
    process.stdin = None
    out, _err = process.communicate(timeout=60)
    document = json.loads(out.decode())
    assert isinstance(document, dict)
    return Talk(asked, document, process.returncode)


@pytest.mark.parametrize(
    ("yes", "unsure"),
    [
        (set(), set()),
        ({"pregnant"}, {"leg-swelling"}),
        ({"long-cramp"}, set()),
        (set(), {"chest-pain"}),
        ({"child", "numbness"}, {"frequent"}),
    ],
    ids=["no to all", "pregnant", "long cramp", "not sure of chest pain", "child"],
)
def test_a_real_conversation_in_chinese_meets_the_same_questions(
    yes: set[str], unsure: set[str], tmp_path: Path
) -> None:
    """A person answers each question as it appears: y/n/? to the English questions, and
    是/否/不确定 to the Chinese ones."""

    def letters(sign_id: str) -> str:
        return "y" if sign_id in yes else "?" if sign_id in unsure else "n"

    def chinese(sign_id: str) -> str:
        return REPLIES["zh"][letters(sign_id)]

    in_english = converse(letters, {"LANG": "C.UTF-8"}, tmp_path)
    in_chinese = converse(chinese, {"LANG": "C.UTF-8", "CRAMP_LANG": "zh"}, tmp_path)
    assert in_english.asked, "no question was read"
    assert in_chinese.asked == in_english.asked
    assert in_chinese.returncode == in_english.returncode
    zh, en = in_chinese.document, in_english.document
    assert (zh["lang"], en["lang"]) == ("zh-Hans", "en")
    assert (zh["level"], zh["not_sure"]) == (en["level"], en["not_sure"])
    assert [i["id"] for i in zh["items"]] == [i["id"] for i in en["items"]]


# ---------------------------------------------------------------- a fuzz of the CLI in Chinese

CHINESE_ERROR = "错误："


def _in_chinese(outcome: fuzz.Outcome) -> fuzz.Outcome:
    """The outcome with Chinese error lines read as English ones, for fuzz.problem()."""
    stderr = "\n".join(
        "Error: " + line[len(CHINESE_ERROR) :] if line.startswith(CHINESE_ERROR) else line
        for line in outcome.stderr.splitlines()
    )
    return fuzz.Outcome(
        outcome.args,
        outcome.exit_code,
        outcome.stdout,
        stderr,
        outcome.exception,
        outcome.traceback,
        outcome.hung,
    )


@st.composite
def chinese_scenarios(draw: st.DrawFn) -> fuzz.Scenario:
    scenario = draw(fuzz.scenarios())
    how = draw(st.sampled_from(["option first", "option last", "CRAMP_LANG", "LANG"]))
    if how == "option first":
        scenario.steps = [[*ZH, *step] for step in scenario.steps]
    elif how == "option last":
        scenario.steps = [[*step, *ZH] for step in scenario.steps]
    elif how == "CRAMP_LANG":
        scenario.env = {**scenario.env, "CRAMP_LANG": draw(st.sampled_from(["zh", "zh-Hans"]))}
    else:
        scenario.env = {**scenario.env, "LANG": "zh_CN.UTF-8"}
    return scenario


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and signals (POSIX)")
@settings(
    max_examples=_FUZZ or 60,
    derandomize=not _FUZZ,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)
@given(scenario=chinese_scenarios())
def test_the_cli_in_chinese_survives_a_hostile_world(scenario: fuzz.Scenario) -> None:
    outcomes = [_in_chinese(outcome) for outcome in fuzz.run_scenario(scenario)]
    found = fuzz.problems(scenario, outcomes)
    assert not found, fuzz.explain(scenario, found)
