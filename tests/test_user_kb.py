"""User knowledge bases through the real CLI: --kb, CRAMP_KB and the user folder add,
override and disable entries, but can never weaken a warning sign, a rule or the triage."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from platformdirs import user_data_dir

from cramp_cli.knowledge.loader import builtin_files
from tests.conftest import DATA, run, run_json

# ---------------------------------------------------------------- helpers


def _cause(
    entry_id: str, title: str, *, override: bool = False, source: str = "seed-article"
) -> str:
    return (
        f"  - id: {entry_id}\n"
        + ("    override: true\n" if override else "")
        + "    group: belief\n"
        f"    title: {title}\n"
        "    summary: Something I noticed myself.\n"
        "    details: It seems to happen after long drives.\n"
        "    who: [everyone]\n"
        "    when: [night]\n"
        f"    sources: [{source}]\n"
        "    evidence: {grade: none, note: Only my own notes.}\n"
    )


def _causes(*entries: str) -> str:
    return "causes:\n" + "".join(entries)


MY_SOURCE = """sources:
  - id: my-physio
    title: My physio's notes
    publisher: My physiotherapist
    year: "2024"
    kind: article
"""

MY_PREVENTION = """prevention:
  - id: physio-calf-routine
    title: My physio's calf routine
    summary: Three gentle calf stretches against the wall before bed.
    details: From my physiotherapist, March. Hold each gently; stop if it hurts.
    who: [everyone]
    when: [before-bed]
    sources: [hallegraeff-2012-stretching]
    evidence:
      grade: weak
      weak_reason: studies-disagree
      note: Studies of stretching before bed disagree.
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def _one_error_line(result: Any) -> str:
    assert result.stdout == ""
    error = result.stderr.strip()
    assert error.startswith("Error: "), error
    assert "\n" not in error, error
    assert "Traceback" not in error
    return error


def _ids(document: dict[str, Any], key: str = "items") -> list[str]:
    return [item["id"] for item in document[key]]


def _cold_title(*kb_args: str) -> str:
    document = run_json(*kb_args, "why")
    return next(item["title"] for item in document["items"] if item["id"] == "cold")


def _user_folder() -> Path:
    return Path(user_data_dir("cramp", appauthor=False)) / "kb"


BUILT_IN_COLD_LINE = _line_of(DATA / "causes.yaml", "- id: cold")


@pytest.fixture(autouse=True)
def built_in_data_untouched() -> Iterator[None]:
    """Nothing a user file does may write to the shipped knowledge base."""

    def snapshot() -> dict[str, bytes]:
        found = {path.name: path.read_bytes() for path in DATA.glob("*.yaml")}
        found.update({f"pkg:{entry.name}": entry.read_bytes() for entry in builtin_files()})
        return found

    before = snapshot()
    yield
    assert snapshot() == before


# ---------------------------------------------------------------- adding


def test_a_user_cause_appears_in_why(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _causes(_cause("long-drives", "Long drives")))
    document = run_json("--kb", str(mine), "why")
    item = next(item for item in document["items"] if item["id"] == "long-drives")
    assert item["title"] == "Long drives"
    assert item["evidence"]["grade"] == "none"
    assert "long-drives" not in _ids(run_json("why")), "only with --kb"


def test_a_user_prevention_item_appears_in_prevent(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", MY_PREVENTION)
    assert "physio-calf-routine" in _ids(run_json("--kb", str(mine), "prevent"))
    assert "physio-calf-routine" not in _ids(run_json("prevent"))
    plain = run("--kb", str(mine), "prevent")
    assert plain.exit_code == 0, plain.stderr
    assert "My physio's calf routine" in plain.stdout


def test_a_new_source_in_the_user_file_can_be_cited(tmp_path: Path) -> None:
    mine = _write(
        tmp_path / "mine.yaml",
        MY_SOURCE + _causes(_cause("long-drives", "Long drives", source="my-physio")),
    )
    why = run_json("--kb", str(mine), "why")
    item = next(item for item in why["items"] if item["id"] == "long-drives")
    assert item["sources"] == ["my-physio"]
    source = run_json("--kb", str(mine), "sources", "my-physio")
    assert _ids(source) == ["my-physio"]
    assert [cited["id"] for cited in source["cited_by"]] == ["long-drives"]


def test_citing_a_source_nobody_defines_is_an_error(tmp_path: Path) -> None:
    mine = _write(
        tmp_path / "mine.yaml", _causes(_cause("long-drives", "Long drives", source="my-physio"))
    )
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:" in error
    assert "unknown source 'my-physio'" in error


UNKNOWN_SOURCE_ENTRIES = {
    "cause": _causes(_cause("long-drives", "Long drives", source="my-physio")),
    "prevention": MY_PREVENTION.replace("[hallegraeff-2012-stretching]", "[my-physio]"),
    "sign": (
        "signs:\n"
        "  - id: my-sign\n"
        "    title: Both feet numb\n"
        "    question: Are both feet numb?\n"
        "    wording: Numb feet need a doctor.\n"
        "    level: see-doctor\n"
        "    sources: [my-physio]\n"
    ),
    "rule": (
        "rules:\n"
        "  - id: my-rule\n"
        "    all: [pregnant]\n"
        "    any: [wound]\n"
        "    level: urgent\n"
        "    reason: A wound in pregnancy needs a doctor today.\n"
        "    sources: [my-physio]\n"
    ),
    "lookalike": (
        "lookalikes:\n"
        "  - id: my-lookalike\n"
        "    title: Shin splints\n"
        "    summary: Pain along the shin after running.\n"
        "    differs: It aches with running and eases with rest.\n"
        "    points_to: Pain along the shin bone.\n"
        "    sources: [my-physio]\n"
    ),
}


@pytest.mark.parametrize("kind", UNKNOWN_SOURCE_ENTRIES)
def test_an_unknown_source_is_a_clean_error_for_every_kind_of_entry(
    tmp_path: Path, kind: str
) -> None:
    mine = _write(tmp_path / "mine.yaml", UNKNOWN_SOURCE_ENTRIES[kind])
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1, result.stderr
    error = _one_error_line(result)
    assert f"{mine}:{_line_of(mine, 'my-physio')}:" in error, error
    assert "unknown source 'my-physio'" in error
    assert ".sources[0]" in error


@pytest.mark.parametrize("grade", ["strong", "moderate", "weak", "none", "against"])
def test_an_unknown_source_is_a_clean_error_for_every_grade(tmp_path: Path, grade: str) -> None:
    """Graded advice is also checked for an authoritative source: that check must not
    look up the unknown one (it used to crash with an internal error, exit 70)."""
    for sources in ("[my-physio]", "[seed-article, my-physio]", "[nhs-leg-cramps, my-physio]"):
        text = MY_PREVENTION.replace("[hallegraeff-2012-stretching]", sources).replace(
            "grade: weak", f"grade: {grade}"
        )
        if grade != "weak":
            text = text.replace("      weak_reason: studies-disagree\n", "")
        mine = _write(tmp_path / "mine.yaml", text)
        result = run("--kb", str(mine), "prevent")
        assert result.exit_code == 1, (sources, result.stderr)
        error = _one_error_line(result)
        assert f"{mine}:{_line_of(mine, 'my-physio')}:" in error, error
        assert "physio-calf-routine" in error
        assert "unknown source 'my-physio'" in error
        assert "more problem" not in error, "the unknown source is the only problem"


def test_several_problems_show_the_first_and_point_to_kb_validate(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "causes:\n  - id: Bad-Id\n  - id: other\n")
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert error.startswith(f"Error: {mine}:2: Bad-Id: causes[0].id: ")
    more = re.search(r"\[and (\d+) more problem\(s\)\]", error)
    assert more, error
    assert "Run 'cramp kb validate' with the same --kb options" in error
    listed = run("--kb", str(mine), "kb", "validate")
    assert listed.exit_code == 1
    problems = [line for line in listed.stdout.splitlines() if line.startswith(f"{mine}:")]
    assert len(problems) == int(more.group(1)) + 1, listed.stdout


def test_several_problems_with_json_carry_the_hint(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "causes:\n  - id: Bad-Id\n")
    result = run("--kb", str(mine), "why", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "knowledge-base"
    assert error["hint"].startswith("Run 'cramp kb validate'")


# ---------------------------------------------------------------- overriding


def test_reusing_an_id_without_override_is_refused(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _causes(_cause("cold", "My cold")))
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:2:" in error, error
    assert "duplicate id 'cold'" in error
    assert f"data/causes.yaml:{BUILT_IN_COLD_LINE}" in error
    assert "override: true" in error


def test_override_true_replaces_the_entry(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _causes(_cause("cold", "My cold", override=True)))
    assert _cold_title("--kb", str(mine)) == "My cold"
    assert _cold_title() == "Cold legs or a cold room"
    why = run_json("--kb", str(mine), "why")
    assert _ids(why).count("cold") == 1


def test_kb_show_names_the_user_file_and_what_it_overrides(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _causes(_cause("cold", "My cold", override=True)))
    result = run("--kb", str(mine), "kb", "show", "cold")
    assert result.exit_code == 0, result.stderr
    assert f"{mine}:2" in result.stdout
    assert "flag" in result.stdout
    overrides = [line for line in result.stdout.splitlines() if line.startswith("overrides")]
    assert len(overrides) == 1
    assert f"data/causes.yaml:{BUILT_IN_COLD_LINE}" in overrides[0]
    assert "built-in" in overrides[0]

    document = run_json("--kb", str(mine), "kb", "show", "cold")
    assert document["items"] == [
        {"id": "cold", "kind": "cause", "file": str(mine), "line": 2, "layer": "flag"}
    ]
    assert document["overrides"] == [
        {"file": "data/causes.yaml", "line": BUILT_IN_COLD_LINE, "layer": "built-in"}
    ]
    assert document["disabled_by"] is None


def test_override_of_an_id_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", _causes(_cause("no-such-cause", "X", override=True)))
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:" in error
    assert "no entry 'no-such-cause' exists to override" in error


def test_override_must_stay_in_its_section(tmp_path: Path) -> None:
    text = MY_PREVENTION.replace("id: physio-calf-routine", "id: cold\n    override: true")
    mine = _write(tmp_path / "mine.yaml", text)
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    assert "must stay in section 'causes'" in _one_error_line(result)


# ---------------------------------------------------------------- disabling


def test_disabled_removes_an_item_from_prevent(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "disabled: [vitamin-d]\n")
    assert "vitamin-d" in _ids(run_json("prevent"))
    assert "vitamin-d" not in _ids(run_json("--kb", str(mine), "prevent"))


def test_kb_show_says_who_disabled_an_entry(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "# my notes\ndisabled: [vitamin-d]\n")
    result = run("--kb", str(mine), "kb", "show", "vitamin-d")
    assert result.exit_code == 0, result.stderr
    assert "disabled" in result.stdout
    assert f"{mine}:2" in result.stdout
    document = run_json("--kb", str(mine), "kb", "show", "vitamin-d")
    assert document["items"] == []
    assert document["disabled_by"] == {"file": str(mine), "line": 2, "layer": "flag"}


def test_disabling_an_unknown_id_fails_with_a_suggestion(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "disabled: [vitamin-dd]\n")
    result = run("--kb", str(mine), "prevent")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:1:" in error
    assert "'vitamin-dd'" in error
    assert "did you mean 'vitamin-d'?" in error


@pytest.mark.parametrize("entry_id", ["chest-pain", "one-sided-swelling", "pregnant-with-swelling"])
def test_signs_and_rules_cannot_be_disabled(tmp_path: Path, entry_id: str) -> None:
    mine = _write(tmp_path / "mine.yaml", f"disabled: [{entry_id}]\n")
    for args in (("prevent",), ("check", "--sign", "chest-pain")):
        result = run("--kb", str(mine), *args)
        assert result.exit_code == 1, args
        error = _one_error_line(result)
        assert f"{mine}:1:" in error
        assert "cannot be disabled" in error
        assert repr(entry_id) in error


# ---------------------------------------------------------------- warning signs and rules


def _sign(level: str) -> str:
    return (
        "signs:\n"
        "  - id: wound\n"
        "    override: true\n"
        "    title: Recent dirty wound\n"
        "    question: Do you have a recent cut or wound that got dirty?\n"
        "    wording: Stiff or cramping muscles after a dirty wound need help.\n"
        f"    level: {level}\n"
        "    sources: [nhs-leg-cramps]\n"
    )


def test_baseline_wound_is_urgent() -> None:
    assert run_json("check", "--sign", "wound")["level"] == "urgent"


@pytest.mark.parametrize("level", ["see-doctor", "self-care"])
def test_a_sign_cannot_be_lowered(tmp_path: Path, level: str) -> None:
    mine = _write(tmp_path / "mine.yaml", _sign(level))
    result = run("--kb", str(mine), "check", "--sign", "wound")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:7:" in error, error
    assert "cannot lower" in error
    assert "'wound'" in error


@pytest.mark.parametrize("level", ["urgent", "emergency"])
def test_a_sign_can_keep_or_raise_its_level(tmp_path: Path, level: str) -> None:
    mine = _write(tmp_path / "mine.yaml", _sign(level))
    document = run_json("--kb", str(mine), "check", "--sign", "wound")
    assert document["level"] == level
    assert document["items"][0]["id"] == "wound"
    assert document["items"][0]["level"] == level
    assert "dirty wound need help" in document["items"][0]["wording"]


def _rule(all_signs: str, any_signs: str, level: str = "urgent") -> str:
    return (
        "rules:\n"
        "  - id: pregnant-with-swelling\n"
        "    override: true\n"
        f"    all: [{all_signs}]\n"
        f"    any: [{any_signs}]\n"
        f"    level: {level}\n"
        "    reason: In pregnancy these need a doctor today.\n"
        "    sources: [nhs-pre-eclampsia]\n"
    )


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        (
            _rule("pregnant", "leg-swelling"),
            5,
            ["cannot drop signs from 'any'", "one-sided-swelling"],
        ),
        (
            _rule("pregnant, wound", "leg-swelling, one-sided-swelling"),
            4,
            ["add signs to 'all'", "wound"],
        ),
        (
            _rule("pregnant", "leg-swelling, one-sided-swelling", "see-doctor"),
            6,
            ["cannot lower rule", "'urgent'", "'see-doctor'"],
        ),
    ],
    ids=["drops-from-any", "adds-to-all", "lowers-level"],
)
def test_a_rule_cannot_be_narrowed(
    tmp_path: Path, text: str, line: int, fragments: list[str]
) -> None:
    mine = _write(tmp_path / "mine.yaml", text)
    result = run("--kb", str(mine), "check", "--sign", "pregnant", "--sign", "leg-swelling")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:{line}:" in error, error
    assert "pregnant-with-swelling" in error
    for fragment in fragments:
        assert fragment in error, (fragment, error)


def test_a_rule_can_be_widened_and_then_fires(tmp_path: Path) -> None:
    before = run_json("check", "--sign", "pregnant", "--sign", "sleep-disturbed")
    assert before["level"] == "see-doctor"
    mine = _write(
        tmp_path / "mine.yaml",
        _rule("pregnant", "leg-swelling, one-sided-swelling, sleep-disturbed"),
    )
    after = run_json("--kb", str(mine), "check", "--sign", "pregnant", "--sign", "sleep-disturbed")
    assert after["level"] == "urgent"
    fired = {entry["rule"]: entry for entry in after["fired"]}
    assert fired["rule:pregnant-with-swelling"]["level"] == "urgent"
    # the old members of 'any' still fire the widened rule
    still = run_json("--kb", str(mine), "check", "--sign", "pregnant", "--sign", "leg-swelling")
    assert still["level"] == "urgent"


def _any_rule(
    rule_id: str, all_signs: str, any_signs: str, level: str = "urgent", override: bool = False
) -> str:
    return (
        "rules:\n"
        f"  - id: {rule_id}\n"
        + ("    override: true\n" if override else "")
        + f"    all: [{all_signs}]\n"
        f"    any: [{any_signs}]\n"
        f"    level: {level}\n"
        "    reason: Together these need a doctor today.\n"
        "    sources: [nhs-leg-cramps]\n"
    )


@pytest.fixture
def env_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rule with no 'any' condition, added by the CRAMP_KB layer: a wound in pregnancy."""
    env = _write(tmp_path / "env.yaml", _any_rule("wound-in-pregnancy", "pregnant, wound", ""))
    monkeypatch.setenv("CRAMP_KB", str(env))
    return env


def test_a_rule_from_a_user_layer_fires(env_rule: Path) -> None:
    document = run_json("check", "--sign", "pregnant", "--sign", "wound")
    assert "rule:wound-in-pregnancy" in {entry["rule"] for entry in document["fired"]}


@pytest.mark.parametrize(
    ("all_signs", "any_signs", "level", "fragments"),
    [
        ("pregnant, wound", "leg-swelling", "urgent", ["cannot gain an 'any' condition"]),
        ("pregnant", "wound", "see-doctor", ["cannot lower rule", "'see-doctor'"]),
        ("pregnant, wound, leg-swelling", "", "urgent", ["add signs to 'all'", "leg-swelling"]),
    ],
    ids=["gains-any", "lowers-level", "adds-to-all"],
)
def test_a_higher_user_layer_cannot_narrow_a_rule_a_lower_one_added(
    env_rule: Path,
    tmp_path: Path,
    all_signs: str,
    any_signs: str,
    level: str,
    fragments: list[str],
) -> None:
    flag = _write(
        tmp_path / "flag.yaml",
        _any_rule("wound-in-pregnancy", all_signs, any_signs, level, override=True),
    )
    result = run("--kb", str(flag), "check", "--sign", "pregnant", "--sign", "wound")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    field = "level" if "lower" in fragments[0] else ("any" if any_signs else "all")
    assert f"{flag}:{_line_of(flag, f'    {field}:')}:" in error, error
    assert f"wound-in-pregnancy: rules[0].{field}:" in error, error
    for fragment in fragments:
        assert fragment in error, (fragment, error)


@pytest.mark.parametrize(
    ("all_signs", "any_signs"),
    [
        ("pregnant", "wound"),  # the same sets of signs, written the other way
        ("pregnant", "wound, leg-swelling"),  # and also with leg swelling
        ("wound", ""),  # a wound alone is enough
    ],
)
def test_a_higher_user_layer_can_widen_a_rule_a_lower_one_added(
    env_rule: Path, tmp_path: Path, all_signs: str, any_signs: str
) -> None:
    flag = _write(
        tmp_path / "flag.yaml",
        _any_rule("wound-in-pregnancy", all_signs, any_signs, "emergency", override=True),
    )
    document = run_json("--kb", str(flag), "check", "--sign", "pregnant", "--sign", "wound")
    assert document["level"] == "emergency"
    assert "rule:wound-in-pregnancy" in {entry["rule"] for entry in document["fired"]}


@pytest.mark.parametrize(
    ("all_signs", "any_signs", "field", "fragment"),
    [
        # it would no longer fire for a swollen leg with breathlessness
        ("one-sided-swelling, chest-pain", "", "all", "add signs to 'all' (chest-pain)"),
        ("one-sided-swelling", "chest-pain", "any", "drop signs from 'any' (breathless)"),
        ("one-sided-swelling, breathless", "chest-pain", "all", "(breathless)"),
    ],
)
def test_a_built_in_rule_cannot_be_narrowed_by_moving_signs(
    tmp_path: Path, all_signs: str, any_signs: str, field: str, fragment: str
) -> None:
    rule = _any_rule(
        "swelling-with-breathing-trouble", all_signs, any_signs, "emergency", override=True
    )
    mine = _write(tmp_path / "mine.yaml", rule)
    result = run("--kb", str(mine), "check", "--sign", "one-sided-swelling")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    assert f"{mine}:{_line_of(mine, f'    {field}:')}:" in error, error
    assert f"rules[0].{field}:" in error
    assert "can only widen rule 'swelling-with-breathing-trouble'" in error
    assert fragment in error, error


def test_a_built_in_rule_can_lose_its_any_condition(tmp_path: Path) -> None:
    """An empty 'any' is no condition at all: the rule then fires for more sets of signs."""
    assert run_json("check", "--sign", "one-sided-swelling")["level"] == "urgent"
    rule = _any_rule(
        "swelling-with-breathing-trouble", "one-sided-swelling", "", "emergency", override=True
    )
    mine = _write(tmp_path / "mine.yaml", rule)
    assert run_json("--kb", str(mine), "check", "--sign", "one-sided-swelling")["level"] == (
        "emergency"
    )


def test_rule_narrowing_is_exactly_firing_for_fewer_sets_of_signs() -> None:
    """The override check agrees with brute force, for every pair of rules over three signs
    and every set of those signs."""
    from itertools import combinations

    from cramp_cli.knowledge.floors import rule_fires, rule_narrowing
    from cramp_cli.knowledge.models import Rule

    names = ("a", "b", "c")
    subsets = [chosen for size in range(4) for chosen in combinations(names, size)]
    rules = [
        Rule(id="r", all=all_, any=any_, level="urgent", reason="x.", sources=("s",))
        for all_ in subsets
        if all_
        for any_ in subsets
    ]
    for old in rules:
        for new in rules:
            narrower = any(rule_fires(old, s) and not rule_fires(new, s) for s in subsets)
            assert (rule_narrowing(old, new) is not None) == narrower, (old, new)


# ---------------------------------------------------------------- gates (ask_if)


def _gated_sign(sign_id: str, ask_if: str, *, override: bool = False, level: str = "urgent") -> str:
    return (
        f"  - id: {sign_id}\n"
        + ("    override: true\n" if override else "")
        + f"    title: Sign {sign_id}\n"
        f"    question: Is {sign_id} there?\n"
        f"    wording: {sign_id} needs a doctor today.\n"
        f"    level: {level}\n"
        "    sources: [nhs-leg-cramps]\n"
        f"    ask_if: [{ask_if}]\n"
    )


def test_a_sign_override_cannot_add_a_gate_to_a_built_in_sign(tmp_path: Path) -> None:
    mine = _write(
        tmp_path / "mine.yaml", "signs:\n" + _gated_sign("wound", "pregnant", override=True)
    )
    result = run("--kb", str(mine), "check", "--sign", "wound")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    assert f"{mine}:{_line_of(mine, 'ask_if')}: wound: signs[0].ask_if[0]:" in error, error
    assert "may keep the gates of warning sign 'wound' or drop them all, not add any" in error
    assert "asked only after one of them is answered yes" in error
    assert "(new in 'ask_if': pregnant)" in error


@pytest.fixture
def env_gated_sign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    env = _write(tmp_path / "env.yaml", "signs:\n" + _gated_sign("my-sign", "pregnant, wound"))
    monkeypatch.setenv("CRAMP_KB", str(env))
    return env


def test_a_higher_layer_cannot_add_a_gate_a_lower_layer_did_not_have(
    env_gated_sign: Path, tmp_path: Path
) -> None:
    flag = _write(
        tmp_path / "flag.yaml",
        "signs:\n" + _gated_sign("my-sign", "pregnant, leg-swelling, wound", override=True),
    )
    result = run("--kb", str(flag), "check", "--sign", "my-sign")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    assert f"{flag}:{_line_of(flag, 'ask_if')}: my-sign: signs[0].ask_if[1]:" in error, error
    assert "(new in 'ask_if': leg-swelling)" in error


def test_a_higher_layer_cannot_drop_only_some_gates(env_gated_sign: Path, tmp_path: Path) -> None:
    """Its question is asked once any one gate is answered yes: without 'wound' it would no
    longer be asked after a yes to the wound question alone."""
    flag = _write(
        tmp_path / "flag.yaml", "signs:\n" + _gated_sign("my-sign", "pregnant", override=True)
    )
    result = run("--kb", str(flag), "check", "--sign", "my-sign")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    assert f"{flag}:{_line_of(flag, 'ask_if')}: my-sign: signs[0].ask_if:" in error, error
    assert "not drop only some" in error
    assert "without wound it would be asked less often" in error


@pytest.mark.parametrize("ask_if", ["", "wound, pregnant", "pregnant, wound, pregnant"])
def test_a_higher_layer_may_drop_every_gate_or_reorder_them(
    env_gated_sign: Path, tmp_path: Path, ask_if: str
) -> None:
    flag = _write(
        tmp_path / "flag.yaml",
        "signs:\n" + _gated_sign("my-sign", ask_if, override=True, level="emergency"),
    )
    assert run_json("--kb", str(flag), "check", "--sign", "my-sign")["level"] == "emergency"


@pytest.mark.parametrize(
    ("signs", "where", "fragments"),
    [
        (
            _gated_sign("my-sign", "pregnent"),
            "my-sign: signs[0].ask_if[0]",
            ["unknown sign 'pregnent' in 'ask_if'", "did you mean 'pregnant'?"],
        ),
        (
            _gated_sign("my-sign", "wound, my-sign"),
            "my-sign: signs[0].ask_if[1]",
            ["'my-sign' cannot be its own gate"],
        ),
        (
            _gated_sign("sign-a", "sign-b") + _gated_sign("sign-b", "sign-a"),
            "sign-a: signs[0].ask_if[0]",
            ["gates go round in a circle (sign-a -> sign-b -> sign-a)"],
        ),
        (
            _gated_sign("sign-a", "wound, sign-b")
            + _gated_sign("sign-b", "sign-c")
            + _gated_sign("sign-c", "sign-a"),
            "sign-a: signs[0].ask_if[1]",
            ["(sign-a -> sign-b -> sign-c -> sign-a)"],
        ),
    ],
    ids=["unknown", "itself", "two-cycle", "three-cycle"],
)
def test_gates_name_other_existing_signs_without_cycles(
    tmp_path: Path, signs: str, where: str, fragments: list[str]
) -> None:
    mine = _write(tmp_path / "mine.yaml", "signs:\n" + signs)
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1, result.stdout
    error = _one_error_line(result)
    assert f"{mine}:{_line_of(mine, 'ask_if')}: {where}:" in error, error
    assert "more problem" not in error, error
    for fragment in fragments:
        assert fragment in error, (fragment, error)


def test_a_cycle_across_layers_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _write(tmp_path / "env.yaml", "signs:\n" + _gated_sign("sign-a", "sign-b"))
    flag = _write(tmp_path / "flag.yaml", "signs:\n" + _gated_sign("sign-b", "sign-a"))
    monkeypatch.setenv("CRAMP_KB", str(env))
    listed = run("--kb", str(flag), "kb", "validate")
    assert listed.exit_code == 1
    problems = [line for line in listed.stdout.splitlines() if "circle" in line]
    assert problems == [
        f"{env}:{_line_of(env, 'ask_if')}: sign-a: signs[0].ask_if[0]: gates go round in a "
        "circle (sign-a -> sign-b -> sign-a): none of these questions would ever be asked"
    ], listed.stdout


def test_new_signs_may_be_gated_by_existing_ones(tmp_path: Path) -> None:
    mine = _write(
        tmp_path / "mine.yaml",
        "signs:\n" + _gated_sign("sign-a", "pregnant") + _gated_sign("sign-b", "sign-a, wound"),
    )
    result = run("--kb", str(mine), "kb", "validate")
    assert result.exit_code == 0, result.stdout


def test_a_full_triage_section_in_a_user_file_is_refused(tmp_path: Path) -> None:
    text = (DATA / "triage.yaml").read_text(encoding="utf-8")
    triage = text[text.index("\ntriage:") + 1 :]
    mine = _write(tmp_path / "mine.yaml", triage)
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{mine}:1:" in error
    assert "cannot change the triage" in error


def test_a_partial_triage_section_is_refused_too(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", "triage:\n  safety_net: [Call someone.]\n")
    result = run("--kb", str(mine), "check", "--none")
    assert result.exit_code == 1
    assert f"{mine}:" in _one_error_line(result)


# ---------------------------------------------------------------- precedence


@pytest.fixture
def three_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """'cold' overridden in the user folder, in CRAMP_KB and in a --kb file."""
    user = _write(
        _user_folder() / "user.yaml", _causes(_cause("cold", "User title", override=True))
    )
    env = _write(tmp_path / "env.yaml", _causes(_cause("cold", "Env title", override=True)))
    flag = _write(tmp_path / "flag.yaml", _causes(_cause("cold", "Flag title", override=True)))
    monkeypatch.setenv("CRAMP_KB", str(env))
    return {"user": user, "environment": env, "flag": flag}


def test_the_user_folder_is_under_xdg_data_home(tmp_path: Path) -> None:
    assert _user_folder().is_relative_to(tmp_path)


def test_flag_wins_over_environment_and_user_folder(three_layers: dict[str, Path]) -> None:
    assert _cold_title("--kb", str(three_layers["flag"])) == "Flag title"


def test_environment_wins_over_the_user_folder(three_layers: dict[str, Path]) -> None:
    assert _cold_title() == "Env title"


def test_the_user_folder_wins_over_the_built_in(
    three_layers: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRAMP_KB")
    assert _cold_title() == "User title"


def test_without_any_user_layer_the_built_in_answers() -> None:
    assert not _user_folder().exists()
    assert _cold_title() == "Cold legs or a cold room"


def test_kb_show_lists_every_layer_it_overrode(three_layers: dict[str, Path]) -> None:
    document = run_json("--kb", str(three_layers["flag"]), "kb", "show", "cold")
    assert document["items"][0]["layer"] == "flag"
    assert document["items"][0]["file"] == str(three_layers["flag"])
    assert [(old["layer"], old["file"]) for old in document["overrides"]] == [
        ("environment", str(three_layers["environment"])),
        ("user", str(three_layers["user"])),
        ("built-in", "data/causes.yaml"),
    ]


def test_kb_paths_lists_the_files_of_every_layer(three_layers: dict[str, Path]) -> None:
    document = run_json("--kb", str(three_layers["flag"]), "kb", "paths")
    layers = {item["id"]: item["layer"] for item in document["items"]}
    assert layers[str(three_layers["flag"])] == "flag"
    assert layers[str(three_layers["environment"])] == "environment"
    assert layers[str(three_layers["user"])] == "user"
    built_in = {name for name, layer in layers.items() if layer == "built-in"}
    shipped = {path.name for path in DATA.glob("*.yaml")} - {"hazards.yaml"}  # not loaded
    assert built_in == {f"data/{name}" for name in shipped}
    order = [item["layer"] for item in document["items"]]
    assert order == sorted(order, key=["flag", "environment", "user", "built-in"].index)
    assert [layer["name"] for layer in document["layers"]] == [
        "flag",
        "environment",
        "user",
        "built-in",
    ]
    sources = {layer["name"]: layer for layer in document["layers"]}
    assert sources["user"]["source"] == str(_user_folder())
    assert sources["environment"]["paths"] == [str(three_layers["environment"])]
    assert sources["flag"]["paths"] == [str(three_layers["flag"])]


def test_kb_paths_without_user_files_lists_only_the_built_in() -> None:
    document = run_json("kb", "paths")
    assert {item["layer"] for item in document["items"]} == {"built-in"}


def test_cramp_kb_with_two_paths_loads_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _write(tmp_path / "one" / "first.yaml", _causes(_cause("long-drives", "Long drives")))
    second = _write(tmp_path / "two" / "second.yaml", MY_PREVENTION)
    monkeypatch.setenv("CRAMP_KB", os.pathsep.join([str(first), str(second)]))
    assert "long-drives" in _ids(run_json("why"))
    assert "physio-calf-routine" in _ids(run_json("prevent"))
    layers = {item["id"]: item["layer"] for item in run_json("kb", "paths")["items"]}
    assert layers[str(first)] == layers[str(second)] == "environment"


def test_the_same_new_id_in_two_layers_needs_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _write(tmp_path / "env.yaml", _causes(_cause("long-drives", "Env")))
    flag = _write(tmp_path / "flag.yaml", _causes(_cause("long-drives", "Flag")))
    monkeypatch.setenv("CRAMP_KB", str(env))
    result = run("--kb", str(flag), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert f"{flag}:2:" in error
    assert f"{env}:2" in error
    _write(flag, _causes(_cause("long-drives", "Flag", override=True)))
    document = run_json("--kb", str(flag), "why")
    assert next(i["title"] for i in document["items"] if i["id"] == "long-drives") == "Flag"


# ---------------------------------------------------------------- folders and missing paths


def test_kb_folder_loads_yaml_and_yml_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    # a.yaml adds the entry; b.yml may only override it if a.yaml was read first
    _write(folder / "a.yaml", _causes(_cause("long-drives", "From a")))
    _write(folder / "b.yml", _causes(_cause("long-drives", "From b", override=True)))
    _write(folder / "c.yaml", "disabled: [vitamin-d]\n")
    _write(folder / "notes.txt", "not yaml: [\n")
    _write(folder / "README.md", "# not yaml\n")
    why = run_json("--kb", str(folder), "why")
    assert next(i["title"] for i in why["items"] if i["id"] == "long-drives") == "From b"
    assert "vitamin-d" not in _ids(run_json("--kb", str(folder), "prevent"))
    files = [
        item["id"]
        for item in run_json("--kb", str(folder), "kb", "paths")["items"]
        if item["layer"] == "flag"
    ]
    assert files == [str(folder / "a.yaml"), str(folder / "b.yml"), str(folder / "c.yaml")]


def test_kb_folder_in_the_wrong_order_fails(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    _write(folder / "a.yaml", _causes(_cause("long-drives", "From a", override=True)))
    _write(folder / "b.yaml", _causes(_cause("long-drives", "From b")))
    result = run("--kb", str(folder), "why")
    assert result.exit_code == 1
    assert f"{folder / 'a.yaml'}:" in _one_error_line(result)


def test_kb_missing_file_fails(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run("--kb", str(missing), "why")
    assert result.exit_code == 1
    error = _one_error_line(result)
    assert str(missing) in error
    assert "no such file or folder" in error


def test_cramp_kb_missing_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.yaml"
    monkeypatch.setenv("CRAMP_KB", str(missing))
    result = run("why")
    assert result.exit_code == 1
    assert "no such file or folder" in _one_error_line(result)


def test_empty_cramp_kb_entries_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMP_KB", os.pathsep * 3)
    assert _cold_title() == "Cold legs or a cold room"


# ---------------------------------------------------------------- kb validate

THREE_PROBLEMS = (
    "causes:\n"
    + _cause("long-drives", "Long drives").replace("    group:", "    titel: typo\n    group:")
    + _cause("hot-baths", "Hot baths", source="nhs-leg-cramp")
    + _cause("late-meals", "Late meals").replace("who: [everyone]", "who: [athlets]")
)


@pytest.fixture
def three_problems(tmp_path: Path) -> Path:
    return _write(tmp_path / "bad.yaml", THREE_PROBLEMS)


def test_kb_validate_reports_every_problem(three_problems: Path) -> None:
    result = run("kb", "validate", str(three_problems))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"{three_problems}:")]
    assert len(lines) == 3, result.stdout
    expected = {
        "unknown field 'titel'": _line_of(three_problems, "titel:"),
        "unknown source 'nhs-leg-cramp'": _line_of(three_problems, "nhs-leg-cramp]"),
        "unknown who tag 'athlets'": _line_of(three_problems, "athlets"),
    }
    for fragment, number in expected.items():
        matching = [line for line in lines if fragment in line]
        assert len(matching) == 1, (fragment, lines)
        assert re.match(rf"{re.escape(str(three_problems))}:{number}: ", matching[0]), matching
    assert "Traceback" not in result.stdout + result.stderr


def test_kb_validate_json(three_problems: Path) -> None:
    result = run("kb", "validate", str(three_problems), "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["command"] == "kb validate"
    assert document["ok"] is False
    assert len(document["items"]) == 3
    for item in document["items"]:
        assert item["file"] == str(three_problems)
        assert isinstance(item["line"], int)
        assert item["id"] == f"{three_problems}:{item['line']}"
        assert item["item"] in {"long-drives", "hot-baths", "late-meals"}
        assert item["field"]
        assert item["message"]
    assert {item["item"] for item in document["items"]} == {
        "long-drives",
        "hot-baths",
        "late-meals",
    }


def test_kb_validate_json_matches_its_schema(three_problems: Path) -> None:
    schema = run("schema", "kb validate")
    if schema.exit_code != 0:
        pytest.skip(
            "no JSON Schema for 'kb validate' yet (cramp schema knows only: "
            + schema.stderr.strip().rsplit(":", 1)[-1].strip()
            + ")"
        )
    jsonschema = pytest.importorskip("jsonschema")
    result = run("kb", "validate", str(three_problems), "--json")
    jsonschema.validate(json.loads(result.stdout), json.loads(schema.stdout))


def test_kb_validate_keeps_the_good_entries_of_a_broken_file(tmp_path: Path) -> None:
    """One bad entry must not make the sources its file defines look missing elsewhere."""
    broken = _write(
        tmp_path / "a.yaml",
        MY_SOURCE
        + _causes(
            _cause("long-drives", "Long drives", source="my-physio").replace(
                "    group:", "    titel: typo\n    group:"
            )
        ),
    )
    citing = _write(
        tmp_path / "b.yaml", _causes(_cause("hot-baths", "Hot baths", source="my-physio"))
    )
    document = json.loads(run("kb", "validate", str(broken), str(citing), "--json").stdout)
    assert document["ok"] is False
    assert [item["message"] for item in document["items"]] == [
        "unknown field 'titel' (did you mean 'title'?)"
    ]


def test_kb_validate_good_file(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.yaml", MY_SOURCE + MY_PREVENTION)
    result = run("kb", "validate", str(mine))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "ok" in result.stdout
    document = run_json("kb", "validate", str(mine))
    assert document["ok"] is True
    assert document["items"] == []


def test_kb_validate_with_nothing_extra_checks_the_built_in() -> None:
    result = run("kb", "validate")
    assert result.exit_code == 0, result.stdout
    assert "ok" in result.stdout


def test_kb_validate_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run("kb", "validate", str(missing))
    assert result.exit_code == 1
    assert f"{missing}: no such file or folder" in result.stdout


# ---------------------------------------------------------------- the installed command


def _installed(*args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    scripts = Path(sys.executable).parent
    command = os.environ.get("CRAMP_INSTALLED_BIN") or str(scripts / "cramp")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return subprocess.run(
        [command, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _installed_cold_title(*args: str, cwd: Path, **extra: str) -> str:
    done = _installed(*args, "why", "--json", cwd=cwd, **extra)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    return next(item["title"] for item in document["items"] if item["id"] == "cold")


def test_installed_command_layers_and_edits(tmp_path: Path) -> None:
    user = _write(
        _user_folder() / "user.yaml", _causes(_cause("cold", "User title", override=True))
    )
    env = _write(tmp_path / "env.yaml", _causes(_cause("cold", "Env title", override=True)))
    flag = _write(tmp_path / "flag.yaml", _causes(_cause("cold", "Flag title", override=True)))
    assert _installed_cold_title(cwd=tmp_path) == "User title"
    assert _installed_cold_title(cwd=tmp_path, CRAMP_KB=str(env)) == "Env title"
    assert _installed_cold_title("--kb", str(flag), cwd=tmp_path, CRAMP_KB=str(env)) == "Flag title"
    # an edited file is read again, not answered from a cache
    _write(flag, _causes(_cause("cold", "Flag title, edited", override=True)))
    assert _installed_cold_title("--kb", str(flag), cwd=tmp_path) == "Flag title, edited"
    user.unlink()
    assert _installed_cold_title(cwd=tmp_path) == "Cold legs or a cold room"
    # and a broken edit is reported, not hidden by an earlier answer
    _write(flag, _causes(_cause("cold", "No override")))
    done = _installed("--kb", str(flag), "why", "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "duplicate id 'cold'" in done.stderr
