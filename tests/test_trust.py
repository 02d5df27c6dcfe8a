"""The evidence behind the advice, through the real entry point: sources, show, --min-evidence,
look-alikes and search, all against the shipped knowledge base."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from cramp_cli.knowledge import content_rules
from cramp_cli.knowledge.kb import title_of
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.models import GRADES, Item
from cramp_cli.knowledge.search_index import KIND_ORDER
from cramp_cli.wording import DISCLAIMER, RELIEF_SAFETY, grade_label
from tests.conftest import DATA, run, run_json, usage_error

KB = load_builtin()
SOURCE_IDS = [source.id for source in KB.sources]
SECTIONS = {
    "cause": KB.causes,
    "relief": KB.relief,
    "prevention": KB.prevention,
    "treatment": KB.treatments,
    "sign": KB.signs,
    "rule": KB.rules,
    "lookalike": KB.lookalikes,
    "muscle": KB.muscles,
    "source": KB.sources,
}
ENTRIES = [(kind, entry) for kind, entries in SECTIONS.items() for entry in entries]
ALL_IDS = {entry.id for _, entry in ENTRIES}


def _rank(grade: str) -> int:
    return GRADES.index(grade)  # type: ignore[arg-type]


def _citing(source_id: str) -> list[tuple[str, str]]:
    """(kind, id) of every entry that names the source, computed from the sections."""
    return [
        (kind, entry.id) for kind, entry in ENTRIES if source_id in getattr(entry, "sources", ())
    ]


def test_the_knowledge_base_has_every_section() -> None:
    for kind, entries in SECTIONS.items():
        assert entries, kind
    # Ids are unique across the knowledge base, except that a look-alike may share its id
    # with the warning sign that points to it.
    shared = {item.id for item in KB.lookalikes} & {sign.id for sign in KB.signs}
    assert shared == {"cellulitis", "compartment-syndrome"}
    assert len(ALL_IDS) == len(ENTRIES) - len(shared)


# ---------------------------------------------------------------- cramp sources


def test_sources_lists_every_source_of_the_file_with_its_count() -> None:
    shipped = yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    document = run_json("sources")
    assert document["command"] == "sources"
    assert document["disclaimer"] == DISCLAIMER
    assert [item["id"] for item in document["items"]] == [source["id"] for source in shipped]
    by_id = {source["id"]: source for source in shipped}
    for item in document["items"]:
        assert item["title"] == by_id[item["id"]]["title"]
        assert item["url"] == by_id[item["id"]]["url"]
        assert isinstance(item["cited_by"], int)
        assert item["cited_by"] == len(_citing(item["id"])), item["id"]


def test_every_cited_source_appears_as_cited() -> None:
    counts = {item["id"]: item["cited_by"] for item in run_json("sources")["items"]}
    cited = {source_id for _, entry in ENTRIES for source_id in getattr(entry, "sources", ())}
    assert cited
    for source_id in cited:
        assert source_id in counts, source_id
        assert counts[source_id] >= 1, source_id
    for item in KB.items:
        for source_id in item.sources:
            assert counts[source_id] >= 1


def test_sources_plain_is_one_tab_separated_line_per_source() -> None:
    result = run("sources")
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    assert [line.split("\t")[0] for line in lines[:-1]] == SOURCE_IDS
    for line in lines[:-1]:
        assert re.search(r"\tcited by \d+", line), line


def test_one_source_lists_the_causes_and_relief_citing_it() -> None:
    document = run_json("sources", "nhs-leg-cramps")
    assert [item["id"] for item in document["items"]] == ["nhs-leg-cramps"]
    cited_by = [(ref["kind"], ref["id"]) for ref in document["cited_by"]]
    expected = _citing("nhs-leg-cramps")
    assert cited_by == expected
    causes = [cause.id for cause in KB.causes if "nhs-leg-cramps" in cause.sources]
    relief = [item.id for item in KB.relief if "nhs-leg-cramps" in item.sources]
    assert causes and relief
    assert {("cause", cause_id) for cause_id in causes} <= set(cited_by)
    assert {("relief", relief_id) for relief_id in relief} <= set(cited_by)
    grades = {ref["id"]: ref["grade"] for ref in document["cited_by"]}
    for item in KB.items:
        if item.id in grades:
            assert grades[item.id] == item.evidence.grade


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_source_can_be_shown_with_its_citations(source_id: str) -> None:
    document = run_json("sources", source_id)
    assert document["items"][0]["id"] == source_id
    assert [(ref["kind"], ref["id"]) for ref in document["cited_by"]] == _citing(source_id)


@pytest.mark.parametrize(
    ("typed", "suggested"), [("nhs-leg-cramp", "nhs-leg-cramps"), ("nhs-dtv", "nhs-dvt")]
)
def test_unknown_source_exits_2_with_suggestion(typed: str, suggested: str) -> None:
    for extra in ([], ["--json"]):
        line = usage_error(run("sources", typed, *extra))
        assert f"unknown source '{typed}'" in line
        assert f"'{suggested}'" in line


# ---------------------------------------------------------------- cramp show


@pytest.mark.parametrize(("kind", "entry"), ENTRIES, ids=[entry.id for _, entry in ENTRIES])
def test_show_every_entry(kind: str, entry: Any) -> None:
    document = run_json("show", entry.id)
    assert document["command"] == "show"
    if kind == "lookalike" and entry.id in {sign.id for sign in KB.signs}:
        # The id it shares with a sign shows the sign, which names the look-alike.
        assert document["kind"] == "sign"
        assert ("lookalike", entry.id) in [(ref["kind"], ref["id"]) for ref in document["see_also"]]
        assert entry.title in run("show", entry.id).stdout
        return
    assert document["kind"] == kind
    assert len(document["items"]) == 1
    assert document["items"][0]["id"] == entry.id
    expected_sources = list(getattr(entry, "sources", ()))
    assert [source["id"] for source in document["sources"]] == expected_sources
    for source in document["sources"]:
        assert source["title"] == KB.source(source["id"]).title
    if isinstance(entry, Item):
        assert document["items"][0]["evidence"]["grade"] == entry.evidence.grade
    see_also = [ref["id"] for ref in document["see_also"]]
    if kind == "muscle":
        assert see_also == list(entry.relief)
    elif kind == "lookalike":
        assert set(see_also) == set(entry.signs)
    elif kind == "rule":
        assert set(see_also) == {*entry.all, *entry.any}
    elif kind == "sign":
        assert see_also == [item.id for item in KB.lookalikes if item.id == entry.id]
    elif kind == "source":
        assert [(ref["kind"], ref["id"]) for ref in document["see_also"]] == _citing(entry.id)

    plain = run("show", entry.id)
    assert plain.exit_code == 0
    title = title_of(entry)
    assert title in plain.stdout
    assert plain.stdout.splitlines()[0] == f"{kind}\t{entry.id}\t{title}"
    assert plain.stdout.rstrip("\n").splitlines()[-1] == f"Disclaimer: {DISCLAIMER}"


def test_show_matches_ids_loosely() -> None:
    assert run_json("show", "Doctor Quinine")["items"][0]["id"] == "doctor-quinine"
    assert run_json("show", "one_sided_swelling")["items"][0]["id"] == "one-sided-swelling"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("magnesiu", "magnesium"), ("back-calff", "back-calf"), ("claudicaton", "claudication")],
)
def test_show_unknown_id_exits_2_with_suggestion(typed: str, suggested: str) -> None:
    for extra in ([], ["--json"]):
        line = usage_error(run("show", typed, *extra))
        assert f"unknown id '{typed}'" in line
        assert f"'{suggested}'" in line


@pytest.mark.parametrize("bad", ["", "   ", "x" * 100_000, "magnesium\x00"])
def test_show_odd_ids_are_usage_errors(bad: str) -> None:
    assert len(usage_error(run("show", bad))) < 300


def test_show_magnesium_is_graded_against() -> None:
    document = run_json("show", "magnesium")
    assert document["kind"] == "prevention"
    assert document["items"][0]["evidence"]["grade"] == "against"
    result = run("show", "magnesium")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("Evidence: against (evidence against)") for line in lines)
    supplements = [line for line in lines if "supplements" in line.lower()]
    assert any(line.startswith("Summary: Magnesium supplements") for line in supplements)
    assert any(line.startswith("Ask first:") for line in lines)


# ---------------------------------------------------------------- --min-evidence


def _graded_items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [*document["items"], *document.get("doctor_treatments", [])]


def _expected_ids(command: str, grade: str) -> list[str]:
    pool: list[Item]
    if command == "why":
        pool = list(KB.causes)
    elif command == "prevent":
        pool = [*KB.prevention, *KB.treatments]
    else:
        pool = [item for item in KB.relief if item.muscle is None]
    return sorted(item.id for item in pool if _rank(item.evidence.grade) <= _rank(grade))


@pytest.mark.parametrize("grade", GRADES)
@pytest.mark.parametrize("command", ["why", "prevent", "relieve"])
def test_min_evidence_keeps_what_is_at_least_that_grade(command: str, grade: str) -> None:
    document = run_json(command, "--min-evidence", grade)
    assert document["filters"]["min_evidence"] == grade
    items = _graded_items(document)
    for item in items:
        assert _rank(item["evidence"]["grade"]) <= _rank(grade), item["id"]
    assert sorted(item["id"] for item in items) == _expected_ids(command, grade)
    if command == "relieve":
        assert document["safety"] == RELIEF_SAFETY


def test_min_evidence_against_keeps_everything() -> None:
    assert run_json("why", "--min-evidence", "against")["items"] == run_json("why")["items"]


@pytest.mark.parametrize("grade", GRADES)
def test_min_evidence_on_a_muscle_keeps_the_safety_note(grade: str) -> None:
    document = run_json("relieve", "--muscle", "front-calf", "--min-evidence", grade)
    assert document["muscle"]["id"] == "front-calf"
    assert document["safety"] == RELIEF_SAFETY
    for item in document["items"]:
        assert _rank(item["evidence"]["grade"]) <= _rank(grade)


def test_min_evidence_moderate_on_front_calf_keeps_the_safety_text() -> None:
    document = run_json("relieve", "--muscle", "front-calf", "--min-evidence", "moderate")
    assert document["safety"] == RELIEF_SAFETY
    assert "cramp check" in document["safety"]
    plain = run("relieve", "--muscle", "front-calf", "--min-evidence", "moderate").stdout
    assert f"Safety: {RELIEF_SAFETY}" in plain.splitlines()


def test_min_evidence_is_case_tolerant() -> None:
    assert run_json("why", "--min-evidence", "MODERATE")["filters"]["min_evidence"] == "moderate"


@pytest.mark.parametrize("command", ["why", "prevent", "relieve"])
@pytest.mark.parametrize(
    ("typed", "suggested"), [("strng", "strong"), ("moderat", "moderate"), ("weeak", "weak")]
)
def test_invalid_grade_exits_2_with_suggestion(command: str, typed: str, suggested: str) -> None:
    for extra in ([], ["--json"]):
        line = usage_error(run(command, "--min-evidence", typed, *extra))
        assert f"unknown evidence grade '{typed}'" in line
        assert f"'{suggested}'" in line


# ---------------------------------------------------------------- look-alikes


def test_lookalikes_lists_the_conditions_and_their_signs() -> None:
    document = run_json("lookalikes")
    assert document["command"] == "lookalikes"
    by_id = {item["id"]: item for item in document["items"]}
    for expected in (
        "restless-legs",
        "claudication",
        "dvt",
        "peripheral-neuropathy",
        "periodic-limb-movements",
        "growing-pains",
    ):
        assert expected in by_id, expected
    assert sorted(by_id) == sorted(item.id for item in KB.lookalikes)
    sign_ids = {sign.id for sign in KB.signs}
    for item in document["items"]:
        assert set(item["signs"]) <= sign_ids, item["id"]
        assert item["sources"], item["id"]
        assert item["differs"].strip() and item["points_to"].strip()
    assert "one-sided-swelling" in by_id["dvt"]["signs"]
    assert "walking-pain" in by_id["claudication"]["signs"]
    assert "cramp check" in document["note"]


def test_lookalikes_plain_points_to_cramp_check() -> None:
    lines = run("lookalikes").stdout.splitlines()
    dvt = lines.index(next(line for line in lines if line.startswith("dvt\t")))
    following = lines[dvt + 1 : dvt + 4]
    assert any(
        line.strip().startswith("Check: cramp check --sign") and "one-sided-swelling" in line
        for line in following
    )


def test_why_note_says_a_clot_is_not_a_cause() -> None:
    note = run_json("why")["note"]
    assert "clot" in note.lower()
    assert "not a cause" in note
    assert "cramp check" in note


# ---------------------------------------------------------------- search


def test_search_with_a_typo_finds_magnesium() -> None:
    document = run_json("search", "magnesum")
    assert document["command"] == "search"
    assert document["query"] == "magnesum"
    top = {item["id"]: item for item in document["items"][:3]}
    assert "magnesium" in top
    assert top["magnesium"]["grade"] == "against"
    assert top["magnesium"]["kind"] == "prevention"


def test_search_plain_lines_are_kind_id_grade_title() -> None:
    result = run("search", "calf")
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == f"Disclaimer: {DISCLAIMER}"
    titles = {entry.id: title_of(entry) for _, entry in ENTRIES}
    grades = {item.id: grade_label(item.evidence) for item in KB.items}
    ids = [item["id"] for item in run_json("search", "calf")["items"]]
    assert [line.split("\t")[1] for line in lines[:-1]] == ids
    for line in lines[:-1]:
        fields = line.split("\t")
        assert len(fields) == 4, line
        kind, entry_id, grade, title = fields
        assert kind in KIND_ORDER
        assert entry_id in ALL_IDS
        assert grade == grades.get(entry_id, "-")
        assert title == titles[entry_id]


@pytest.mark.parametrize("text", ["", "   ", "x" * 100_000, "calf\x00"], ids=repr)
def test_search_odd_text_is_ausage_error(text: str) -> None:
    for extra in ([], ["--json"]):
        assert len(usage_error(run("search", text, *extra))) < 300


def test_search_limit() -> None:
    document = run_json("search", "calf", "--limit", "1")
    assert len(document["items"]) == 1
    assert document["items"][0] == run_json("search", "calf")["items"][0]
    assert run("search", "calf", "--limit", "0").exit_code == 2


def test_search_with_no_match_says_so() -> None:
    result = run("search", "zzzzqqqq")
    assert result.exit_code == 0
    assert "No match" in result.stdout
    assert run_json("search", "zzzzqqqq")["items"] == []


# ---------------------------------------------------------------- every item is graded and cited


@pytest.mark.parametrize("item", KB.items, ids=lambda item: item.id)
def test_every_item_has_sources_and_a_graded_note(item: Item) -> None:
    assert item.sources
    assert all(source_id in SOURCE_IDS for source_id in item.sources)
    assert item.evidence.grade in GRADES
    assert item.evidence.note.strip()


def test_no_item_recommends_quinine() -> None:
    """The loader refuses text recommending quinine (content_rules, which also covers signs,
    rules and look-alikes); this shows where the shipped items name it."""
    titled = [item.id for item in KB.items if "quinine" in item.title.lower()]
    assert titled == ["doctor-quinine"]
    quinine = next(item for item in KB.treatments if item.id == "doctor-quinine")
    assert quinine.evidence.grade == "against"
    assert "not recommended" in quinine.title.lower() + quinine.summary.lower()
    for item in KB.items:
        for _, text in content_rules.text_fields(item):
            assert not content_rules.find_quinine_recommendation(text), (item.id, text)
        if item.id != "doctor-quinine":
            assert "quinine" not in item.title.lower()
            assert "quinine" not in item.summary.lower()
            assert not any("quinine" in step.lower() for step in getattr(item, "steps", ()))


def test_quinine_is_only_offered_as_a_doctor_treatment_graded_against() -> None:
    document = run_json("prevent")
    assert not any("quinine" in item["id"] for item in document["items"])
    treatments = {item["id"]: item for item in document["doctor_treatments"]}
    assert treatments["doctor-quinine"]["evidence"]["grade"] == "against"
    relief = run_json("relieve")
    assert not any("quinine" in json.dumps(item).lower() for item in relief["items"])
