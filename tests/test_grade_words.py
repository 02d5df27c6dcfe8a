"""Honest grade words: a weak item says why it is weak, --min-evidence takes the words the
screen shows, every advice command ends with the full disclaimer, and what a user's own file
says is shown as the user's claim, never in the words of cramp's own evidence."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from cramp_cli.knowledge.kb import grade_rank
from cramp_cli.knowledge.load import load_kb
from cramp_cli.knowledge.models import GRADES, WEAK_REASONS, Evidence, Item
from cramp_cli.knowledge.validation import as_shape
from cramp_cli.render.markdown import esc
from cramp_cli.wording import (
    BELIEF_LABELS,
    DISCLAIMER,
    GRADE_LABELS,
    USER_CLAIM,
    WEAK_REASON_LABELS,
    grade_label,
    user_claim_label,
)
from tests.conftest import run, run_json, usage_error

KB = load_kb()
HUMAN_FORMATS = ("plain", "markdown", "table")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _out(*args: str, columns: str = "100") -> str:
    result = run(*args, env={"COLUMNS": columns})
    assert result.exit_code == 0, (args, result.stderr)
    return ANSI.sub("", result.stdout)


def _flat(text: str) -> str:
    """Runs of whitespace as one space: Rich wraps lines wherever the width says."""
    return " ".join(text.split())


def _list_commands() -> list[list[str]]:
    return [
        ["why"],
        ["prevent"],
        ["relieve"],
        *(["relieve", "--muscle", muscle.id] for muscle in KB.muscles),
    ]


# ---------------------------------------------------------------- the data


def test_every_weak_builtin_item_has_a_reason_and_no_other_item_has_one() -> None:
    weak = [item for item in KB.items if item.evidence.grade == "weak"]
    assert weak
    for item in KB.items:
        if item.evidence.grade == "weak":
            assert item.evidence.weak_reason in WEAK_REASONS, item.id
        else:
            assert item.evidence.weak_reason is None, item.id
    # Each reason is in use, so each one's words are seen somewhere.
    assert {item.evidence.weak_reason for item in weak} == set(WEAK_REASONS)


@pytest.mark.parametrize("reason", WEAK_REASONS)
def test_a_weak_grade_takes_any_of_the_three_reasons(reason: str) -> None:
    evidence = Evidence(grade="weak", weak_reason=reason, note="A note.")  # type: ignore[arg-type]
    assert grade_label(evidence) == WEAK_REASON_LABELS[reason]


def test_a_weak_grade_without_a_reason_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="weak_reason is required"):
        as_shape(Evidence, {"grade": "weak", "note": "A note."})


@pytest.mark.parametrize("grade", [grade for grade in GRADES if grade != "weak"])
def test_a_reason_with_any_other_grade_is_refused_naming_the_field(grade: str) -> None:
    with pytest.raises(ValidationError, match="weak_reason is only for grade 'weak'"):
        as_shape(Evidence, {"grade": grade, "weak_reason": "studies-disagree", "note": "A note."})


def test_an_unknown_reason_is_refused() -> None:
    with pytest.raises(ValidationError, match="weak_reason"):
        as_shape(Evidence, {"grade": "weak", "weak_reason": "untested", "note": "A note."})


USER_WEAK_WITHOUT_REASON = """prevention:
  - id: my-routine
    title: My routine
    summary: Gentle stretches before bed.
    details: From my physio.
    who: [everyone]
    sources: [hallegraeff-2012-stretching]
    evidence:
      grade: weak
      note: My physio says so.
"""


def test_a_user_file_with_a_weak_item_without_a_reason_fails_at_file_and_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_WEAK_WITHOUT_REASON, encoding="utf-8")
    result = run("--kb", str(path), "why")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = result.stderr.strip()
    assert "\n" not in error
    assert f"{path}:8:" in error  # the line of `evidence:`
    assert "my-routine" in error
    assert "weak_reason is required" in error
    validate = run("kb", "validate", str(path))
    assert validate.exit_code == 1
    assert f"{path}:8: my-routine: prevention[0].evidence: weak_reason" in validate.stdout


def test_a_user_file_with_a_reason_on_a_strong_item_fails(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = USER_WEAK_WITHOUT_REASON.replace("grade: weak", "grade: strong").replace(
        "      note:", "      weak_reason: small-studies\n      note:"
    )
    path.write_text(text, encoding="utf-8")
    result = run("--kb", str(path), "prevent")
    assert result.exit_code == 1
    assert f"{path}:8:" in result.stderr
    assert "weak_reason is only for grade 'weak', not 'strong'" in result.stderr


# ---------------------------------------------------------------- the words on screen


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
@pytest.mark.parametrize("args", _list_commands(), ids=" ".join)
def test_no_list_says_untested(args: list[str], fmt: str) -> None:
    assert "untested" not in _out(*args, "--format", fmt).lower()


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_no_show_of_any_item_says_untested(fmt: str) -> None:
    for item in KB.items:
        assert "untested" not in _out("show", item.id, "--format", fmt).lower(), item.id


def _plain_grades() -> dict[str, str]:
    """The evidence field of every plain list row, by id."""
    grades: dict[str, str] = {}
    for args in _list_commands():
        for line in _out(*args, "--format", "plain").splitlines():
            fields = line.split("\t")
            if len(fields) >= 4:
                grades[fields[0]] = fields[1]
    return grades


def test_every_item_shows_the_words_of_its_grade_or_weak_reason_in_plain_lists() -> None:
    grades = _plain_grades()
    for item in KB.items:
        assert grades[item.id] == grade_label(item.evidence), item.id
        if item.evidence.grade == "weak":
            assert item.evidence.weak_reason is not None
            assert grades[item.id] == WEAK_REASON_LABELS[item.evidence.weak_reason], item.id
        elif item.evidence.applies_to == "claim":
            # An old belief: the grade is the belief's, and the words say so.
            assert grades[item.id] == BELIEF_LABELS[item.evidence.grade], item.id
        else:
            assert grades[item.id] == GRADE_LABELS[item.evidence.grade], item.id


def _one_item_per_reason() -> list[Item]:
    chosen: dict[str, Item] = {}
    for item in KB.items:
        reason = item.evidence.weak_reason
        if reason is not None and reason not in chosen:
            chosen[reason] = item
    return [chosen[reason] for reason in WEAK_REASONS]


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
@pytest.mark.parametrize("item", _one_item_per_reason(), ids=lambda item: item.id)
def test_show_gives_the_words_of_the_weak_reason(item: Item, fmt: str) -> None:
    assert item.evidence.weak_reason is not None
    words = WEAK_REASON_LABELS[item.evidence.weak_reason]
    assert words in _flat(_out("show", item.id, "--format", fmt))


@pytest.mark.parametrize("item", _one_item_per_reason(), ids=lambda item: item.id)
def test_lists_of_entries_give_the_weak_reason_too(item: Item) -> None:
    """`sources ID` and `search` only know a reference, which carries the reason."""
    assert item.evidence.weak_reason is not None
    words = WEAK_REASON_LABELS[item.evidence.weak_reason]
    source = item.sources[0]
    cited = run_json("sources", source)["cited_by"]
    ref = next(ref for ref in cited if ref["id"] == item.id)
    assert ref["grade"] == "weak"
    assert ref["weak_reason"] == item.evidence.weak_reason
    assert ref["user_claim"] is False
    line = next(
        line
        for line in _out("sources", source, "--format", "plain").splitlines()
        if f"\t{item.id}\t" in line
    )
    assert line.split("\t")[2] == words


def test_search_hits_carry_the_weak_reason() -> None:
    hits = run_json("search", "stretch before bed")["items"]
    hit = next(hit for hit in hits if hit["id"] == "stretch-before-bed")
    assert hit["weak_reason"] == "studies-disagree"
    plain = _out("search", "stretch before bed", "--format", "plain")
    line = next(line for line in plain.splitlines() if "\tstretch-before-bed\t" in line)
    assert line.split("\t")[2] == "studies disagree"


# ---------------------------------------------------------------- --min-evidence words

ACCEPTED = [
    ("strong", "strong"),
    ("good", "strong"),
    ("good evidence", "strong"),
    ("GOOD-EVIDENCE", "strong"),
    ("moderate", "moderate"),
    ("some", "moderate"),
    ("some evidence", "moderate"),
    ("Some-Evidence", "moderate"),
    ("weak", "weak"),
    ("none", "none"),
    ("no evidence", "none"),
    ("no evidence found", "none"),
    ("No-Evidence-Found", "none"),
    ("against", "against"),
    ("evidence against", "against"),
    ("evidence-against", "against"),
    ("evidence says it does not help", "against"),
]


def _ids(document: dict[str, Any]) -> list[str]:
    return [item["id"] for item in (*document["items"], *document.get("doctor_treatments", []))]


@pytest.mark.parametrize(("typed", "grade"), ACCEPTED)
@pytest.mark.parametrize("command", ["why", "prevent", "relieve"])
def test_every_accepted_word_filters_like_its_grade(command: str, typed: str, grade: str) -> None:
    document = run_json(command, "--min-evidence", typed)
    assert document["filters"]["min_evidence"] == grade
    assert _ids(document) == _ids(run_json(command, "--min-evidence", grade))
    items = [*document["items"], *document.get("doctor_treatments", [])]
    for item in items:
        assert grade_rank(item["evidence"]["grade"]) <= grade_rank(grade)  # type: ignore[arg-type]


def test_the_screen_words_of_each_grade_are_accepted() -> None:
    for grade, words in GRADE_LABELS.items():
        assert run_json("why", "--min-evidence", words)["filters"]["min_evidence"] == grade


REASON_WORDS = [
    *WEAK_REASONS,
    *WEAK_REASON_LABELS.values(),
    "Studies Disagree",
    "studies-disagree",
    "small studies only",
    "untested advice",
]


@pytest.mark.parametrize("typed", REASON_WORDS)
@pytest.mark.parametrize("command", ["why", "prevent", "relieve"])
def test_a_weak_reason_is_not_a_grade(command: str, typed: str) -> None:
    for extra in ([], ["--json"]):
        line = usage_error(run(command, "--min-evidence", typed, *extra))
        assert "not an evidence grade" in line
        assert "--min-evidence weak" in line


def test_an_unknown_grade_lists_every_accepted_word() -> None:
    line = usage_error(run("why", "--min-evidence", "goood"))
    assert "unknown evidence grade 'goood'" in line
    assert "'good'" in line
    for words in ("strong", "good evidence", "some evidence", "weak", "no evidence found"):
        assert words in line
    assert "evidence against" in line


def test_the_option_help_lists_the_accepted_words() -> None:
    for command in ("why", "relieve", "prevent"):
        help_text = _flat(_out(command, "--help", columns="200"))
        for words in ("good evidence", "some evidence", "no evidence found", "evidence against"):
            assert words in help_text, (command, words)


# ---------------------------------------------------------------- the full disclaimer

ADVICE = [["why"], ["relieve"], ["relieve", "--muscle", "calf"], ["prevent"], ["check", "--none"]]


@pytest.mark.parametrize("args", ADVICE, ids=" ".join)
def test_plain_ends_with_the_full_disclaimer(args: list[str]) -> None:
    lines = _out(*args, "--format", "plain").rstrip("\n").splitlines()
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"


@pytest.mark.parametrize("args", ADVICE, ids=" ".join)
def test_markdown_ends_with_the_full_disclaimer(args: list[str]) -> None:
    lines = _out(*args, "--format", "markdown").rstrip("\n").splitlines()
    assert lines[-1] == f"*{esc(DISCLAIMER)}*"


@pytest.mark.parametrize("columns", ["40", "80", "200"])
@pytest.mark.parametrize("args", ADVICE, ids=" ".join)
def test_table_ends_with_the_full_disclaimer_wrapped(args: list[str], columns: str) -> None:
    out = _out(*args, "--format", "table", columns=columns)
    assert _flat(out).endswith(DISCLAIMER)
    assert "In an emergency, call your local emergency number." in _flat(out)
    for line in out.splitlines():
        assert len(line) <= int(columns)


# ---------------------------------------------------------------- the user's own claims

MY_ITEMS = """prevention:
  - id: physio-calf-routine
    title: My physio's calf routine
    summary: Three gentle calf stretches against the wall before bed.
    details: From my physiotherapist.
    who: [everyone]
    when: [before-bed]
    sources: [hallegraeff-2012-stretching]
    evidence: {grade: strong, note: My physio says it works.}
  - id: magnesium
    override: true
    title: Magnesium
    summary: I think magnesium helps me.
    details: My own experience.
    who: [everyone]
    sources: [cochrane-2020-magnesium]
    evidence: {grade: weak, weak_reason: small-studies, note: My own notes.}
causes:
  - id: long-drives
    group: trigger
    title: Long drives
    summary: Cramps after long drives.
    details: I noticed it myself.
    who: [everyone]
    sources: [hallegraeff-2012-stretching]
    evidence: {grade: moderate, note: My diary.}
"""

GOOD_CLAIM = user_claim_label("good evidence")


@pytest.fixture
def my_kb(tmp_path: Path) -> str:
    path = tmp_path / "mine.yaml"
    path.write_text(MY_ITEMS, encoding="utf-8")
    return str(path)


def test_user_items_are_listed_as_user_claims_in_json(my_kb: str) -> None:
    prevent = run_json("--kb", my_kb, "prevent")
    assert sorted(prevent["user_claims"]) == ["magnesium", "physio-calf-routine"]
    why = run_json("--kb", my_kb, "why")
    assert why["user_claims"] == ["long-drives"]
    assert run_json("--kb", my_kb, "relieve")["user_claims"] == []
    assert run_json("--kb", my_kb, "show", "physio-calf-routine")["user_claims"] == [
        "physio-calf-routine"
    ]
    assert run_json("--kb", my_kb, "show", "stretch-before-bed")["user_claims"] == []
    # Without a user file nothing is a claim.
    assert run_json("prevent")["user_claims"] == []
    cited = run_json("--kb", my_kb, "sources", "hallegraeff-2012-stretching")["cited_by"]
    flags = {ref["id"]: ref["user_claim"] for ref in cited}
    assert flags["physio-calf-routine"] is True
    assert flags["long-drives"] is True
    assert flags["stretch-before-bed"] is False
    hits = run_json("--kb", my_kb, "search", "physio calf routine")["items"]
    assert next(hit for hit in hits if hit["id"] == "physio-calf-routine")["user_claim"] is True


def test_user_items_in_plain(my_kb: str) -> None:
    rows = {
        line.split("\t")[0]: line.split("\t")
        for line in _out("--kb", my_kb, "prevent", "--format", "plain").splitlines()
    }
    assert rows["physio-calf-routine"][1] == GOOD_CLAIM
    assert rows["magnesium"][1] == user_claim_label(WEAK_REASON_LABELS["small-studies"])
    assert rows["stretch-before-bed"][1] == "studies disagree"
    why = _out("--kb", my_kb, "why", "--format", "plain")
    assert f"long-drives\t{user_claim_label('some evidence')}\t" in why
    show = _out("--kb", my_kb, "show", "physio-calf-routine", "--format", "plain").splitlines()
    assert f"Evidence ({USER_CLAIM}): strong (good evidence): My physio says it works." in show
    assert f"Sources ({USER_CLAIM}):" in show
    assert "Sources:" not in show
    cited = _out("--kb", my_kb, "sources", "hallegraeff-2012-stretching", "--format", "plain")
    assert f"prevention\tphysio-calf-routine\t{GOOD_CLAIM}\t" in cited


def test_user_items_in_markdown(my_kb: str) -> None:
    prevent = _out("--kb", my_kb, "prevent", "--format", "markdown")
    assert f"| physio-calf-routine | My physio's calf routine | {GOOD_CLAIM} |" in prevent
    show = _out("--kb", my_kb, "show", "physio-calf-routine", "--format", "markdown")
    assert f"**Evidence ({USER_CLAIM}):** good evidence: My physio says it works." in show
    assert f"## Sources ({USER_CLAIM})" in show.splitlines()


def test_user_items_in_a_table(my_kb: str) -> None:
    prevent = _out("--kb", my_kb, "prevent", "--format", "table", columns="400")
    row = next(line for line in prevent.splitlines() if "My physio's calf routine" in line)
    assert GOOD_CLAIM in _flat(row)
    show = _flat(_out("--kb", my_kb, "show", "physio-calf-routine", "--format", "table"))
    assert f"Evidence ({USER_CLAIM}): good evidence - My physio says it works." in show
    assert f"Sources ({USER_CLAIM})" in show


def test_user_relief_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "relief.yaml"
    path.write_text(
        """relief:
  - id: my-pickle-juice
    title: Pickle juice
    summary: A sip of pickle juice.
    details: It works for me.
    who: [everyone]
    sources: [nhs-leg-cramps]
    evidence: {grade: strong, note: My own experience.}
    hold: Until it eases.
    steps: [Take a sip.]
""",
        encoding="utf-8",
    )
    assert run_json("--kb", str(path), "relieve")["user_claims"] == ["my-pickle-juice"]
    plain = _out("--kb", str(path), "relieve", "--format", "plain")
    assert f"my-pickle-juice\t{GOOD_CLAIM}\t" in plain
    markdown = _out("--kb", str(path), "relieve", "--format", "markdown")
    assert f"Pickle juice (`my-pickle-juice`): {GOOD_CLAIM}" in markdown
    markdown = _out("--kb", str(path), "relieve", "--details", "--format", "markdown")
    assert f"**Evidence ({USER_CLAIM}):** good evidence: My own experience." in markdown
    table = _out("--kb", str(path), "relieve", "--format", "table", columns="400")
    row = next(line for line in table.splitlines() if "Pickle juice" in line)
    assert GOOD_CLAIM in _flat(row)


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_built_in_items_never_read_as_a_user_claim(fmt: str) -> None:
    for args in (["why"], ["prevent"], ["relieve"], ["show", "stretch-before-bed"]):
        out = _out(*args, "--format", fmt)
        assert "your file says" not in out
        assert "not checked by cramp" not in out


def test_user_items_in_json_lines(my_kb: str) -> None:
    lines = _out("--kb", my_kb, "prevent", "--format", "jsonl").splitlines()
    flags = {item["id"]: item["user_claim"] for item in map(json.loads, lines)}
    assert flags["physio-calf-routine"] is True
    assert flags["magnesium"] is True
    assert flags["stretch-before-bed"] is False
