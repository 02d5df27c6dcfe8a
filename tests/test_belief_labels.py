"""Old beliefs (issue 15, item 3): their grade is the old claim's, never the statement's.

"A blood clot is not a cramp cause" is a safety statement; "no evidence found" beside it
would read as if that statement had no evidence. The data says which the grade is about
(`evidence.applies_to: claim`), and every view words it as the old belief's grade.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cramp_cli.knowledge.load import load_kb
from tests.conftest import run, run_json

BELIEF = "an old belief: no evidence supports it"


def test_every_shipped_belief_says_its_grade_is_the_old_claims() -> None:
    beliefs = [cause for cause in load_kb().causes if cause.group == "belief"]
    assert "dvt-not-a-cause" in {cause.id for cause in beliefs}
    for cause in beliefs:
        assert cause.evidence.applies_to == "claim", cause.id
        assert cause.article_claim, cause.id


def test_why_plain_words_a_belief_as_an_old_belief() -> None:
    out = run("why").stdout
    rows = {line.split("\t")[0]: line for line in out.splitlines() if "\t" in line}
    assert rows["dvt-not-a-cause"].split("\t")[1] == BELIEF
    assert rows["cold"].split("\t")[1] == BELIEF
    assert "no evidence found" not in rows["dvt-not-a-cause"]
    summary = out.splitlines()[0]
    assert "7 old beliefs no evidence supports" in summary


@pytest.mark.parametrize("fmt", ["plain", "markdown", "table"])
def test_show_never_puts_no_evidence_found_beside_the_clot_statement(fmt: str) -> None:
    out = run("show", "dvt-not-a-cause", "--format", fmt).stdout
    assert "A blood clot is not a cramp cause" in out
    assert BELIEF in " ".join(out.split())
    assert "no evidence found" not in out


@pytest.mark.parametrize("fmt", ["plain", "markdown", "table"])
def test_why_views_word_the_belief(fmt: str) -> None:
    out = " ".join(run("why", "--format", fmt).stdout.split())
    assert BELIEF in out


def test_search_words_the_belief_and_its_json_carries_the_field() -> None:
    out = run("search", "clot").stdout
    row = next(line for line in out.splitlines() if line.startswith("cause\tdvt-not-a-cause\t"))
    assert row.split("\t")[2] == BELIEF
    hit = next(i for i in run_json("search", "clot")["items"] if i["id"] == "dvt-not-a-cause")
    assert hit["applies_to"] == "claim" and hit["grade"] == "none"


def test_json_gains_applies_to_additively() -> None:
    causes = {item["id"]: item for item in run_json("why")["items"]}
    assert causes["dvt-not-a-cause"]["evidence"]["applies_to"] == "claim"
    assert causes["dvt-not-a-cause"]["evidence"]["grade"] == "none"
    assert all(
        item["evidence"]["applies_to"] == "statement"
        for item in causes.values()
        if item["group"] != "belief"
    )
    shown = run_json("show", "dvt-not-a-cause")
    assert "applies_to" in str(shown) and '"claim"' in str(shown).replace("'", '"')


def _user_cause(evidence: str, claim: bool = True) -> str:
    return (
        "causes:\n"
        "  - id: my-belief\n"
        "    group: trigger\n"
        "    title: My old belief\n"
        "    summary: Sitting cross-legged does not cause cramps.\n"
        "    details: Nothing links sitting cross-legged with cramps.\n"
        "    who: [everyone]\n"
        "    sources: [seed-article]\n"
        f"    evidence: {evidence}\n"
        + (
            "    article_claim: My aunt said sitting cross-legged brings on cramps.\n"
            if claim
            else ""
        )
    )


def test_the_label_follows_the_field_not_the_words(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(_user_cause("{grade: none, note: Nothing supports it., applies_to: claim}"))
    out = run("--kb", str(mine), "why").stdout
    row = next(line for line in out.splitlines() if line.startswith("my-belief\t"))
    assert "an old belief: no evidence supports it" in row.split("\t")[1]


@pytest.mark.parametrize(
    ("evidence", "claim", "message"),
    [
        ("{grade: none, note: Nothing supports it., applies_to: claim}", False, "article_claim"),
        (
            "{grade: weak, weak_reason: small-studies, note: One study., applies_to: claim}",
            True,
            "applies_to 'claim' is only for grade 'none' or 'against'",
        ),
    ],
)
def test_applies_to_claim_is_checked(
    tmp_path: Path, evidence: str, claim: bool, message: str
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(_user_cause(evidence, claim))
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    assert message in result.stderr and "mine.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
