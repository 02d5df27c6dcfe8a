"""Search over the real, shipped knowledge base: every entry can be found by its title, even
with a letter missing, the typo examples work, and the order never changes between runs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.search_index import (
    KIND_ORDER,
    Document,
    SearchIndex,
    documents_from_kb,
    tokenise,
)

KB = load_builtin()
DOCUMENTS = documents_from_kb(KB)
INDEX = SearchIndex(DOCUMENTS)
TOP = 10


def _ids(query: str, limit: int = TOP) -> list[tuple[str, str]]:
    return [(hit.document.kind, hit.document.id) for hit in INDEX.search(query, limit=limit)]


def _label(document: Document) -> str:
    return f"{document.kind}:{document.id}"


def _without_one_letter(document: Document) -> list[str]:
    """The title with one letter dropped from its longest word, at every position in turn."""
    words = [word for word in tokenise(document.title) if len(word) >= 5]
    longest = max(words, key=len)
    title = document.title.casefold()
    return [
        title.replace(longest, longest[:at] + longest[at + 1 :], 1) for at in range(len(longest))
    ]


TYPO_DOCUMENTS = [
    document for document in DOCUMENTS if any(len(word) >= 5 for word in tokenise(document.title))
]


def test_every_kind_of_entry_is_a_document() -> None:
    kinds = {document.kind for document in DOCUMENTS}
    assert {"cause", "relief", "prevention", "treatment", "muscle", "source"} <= kinds
    assert kinds <= set(KIND_ORDER)
    labels = [_label(document) for document in DOCUMENTS]
    assert len(labels) == len(set(labels))
    assert len(DOCUMENTS) == sum(
        len(getattr(KB, section, ()))
        for section in (
            "causes",
            "relief",
            "prevention",
            "treatments",
            "signs",
            "lookalikes",
            "muscles",
            "sources",
        )
    )


def test_documents_carry_the_evidence_grade_of_advice_only() -> None:
    for document in DOCUMENTS:
        if document.kind in {"cause", "relief", "prevention", "treatment"}:
            assert document.grade is not None, document.id
        else:
            assert document.grade is None, document.id


def test_the_id_counts_as_title_text() -> None:
    quinine = next(document for document in DOCUMENTS if document.id == "doctor-quinine")
    assert ("doctor quinine", 3.0) in quinine.fields
    assert ("Quinine (not recommended)", 3.0) in quinine.fields


def test_a_knowledge_base_without_signs_or_lookalikes_still_gives_documents() -> None:
    older = SimpleNamespace(
        causes=KB.causes,
        relief=KB.relief,
        prevention=KB.prevention,
        treatments=KB.treatments,
        muscles=KB.muscles,
        sources=KB.sources,
    )
    documents = documents_from_kb(older)
    assert {document.kind for document in documents} == {
        "cause",
        "relief",
        "prevention",
        "treatment",
        "muscle",
        "source",
    }
    assert SearchIndex(documents).search("quinine")[0].document.id == "doctor-quinine"


@pytest.mark.parametrize("document", DOCUMENTS, ids=_label)
def test_every_entry_is_found_by_its_title(document: Document) -> None:
    found = _ids(document.title)
    assert (document.kind, document.id) in found, f"{document.title!r} gave {found}"


@pytest.mark.parametrize("document", TYPO_DOCUMENTS, ids=_label)
def test_every_entry_is_found_by_its_title_with_a_letter_missing(document: Document) -> None:
    for query in _without_one_letter(document):
        found = _ids(query)
        assert (document.kind, document.id) in found, f"{query!r} gave {found}"


def test_most_titles_have_a_word_to_misspell() -> None:
    assert len(TYPO_DOCUMENTS) >= 0.9 * len(DOCUMENTS)


def test_a_misspelt_magnesium_finds_the_magnesium_advice() -> None:
    assert ("prevention", "magnesium") in _ids("magnesum", limit=3)
    assert "magnesium" in INDEX.search("magnesum")[0].matched


def test_a_misspelt_hamstring_finds_the_back_of_the_thigh() -> None:
    hits = INDEX.search("hamstrng")
    assert ("muscle", "back-thigh") in _ids("hamstrng", limit=3)
    assert hits[0].matched == ("hamstring",)


def test_quinine_ranks_the_doctor_treatment_first() -> None:
    assert _ids("quinine")[0] == ("treatment", "doctor-quinine")


def test_calf_finds_the_muscle_and_its_stretch() -> None:
    found = _ids("calf")
    assert ("muscle", "back-calf") in found
    assert ("relief", "relief-back-calf") in found


def test_case_and_punctuation_do_not_matter() -> None:
    assert _ids("QUININE!") == _ids("quinine")
    assert _ids("  back-of-the  CALF ") == _ids("back of the calf")


def test_a_prefix_matches_longer_words() -> None:
    hits = INDEX.search("magnes")
    assert ("prevention", "magnesium") in [(hit.document.kind, hit.document.id) for hit in hits]
    assert hits[0].matched == ("magnes",)


def test_stop_words_are_ignored() -> None:
    assert _ids("the calf") == _ids("calf")
    assert _ids("stretch for my calf") == _ids("stretch calf")


def test_scores_go_down_and_ties_follow_the_kind_order_then_the_id() -> None:
    for query in ("leg cramps", "cramp", "calf", "stretch", "vitamin", "nhs"):
        hits = INDEX.search(query, limit=100)
        keys = [(-hit.score, KIND_ORDER.index(hit.document.kind), hit.document.id) for hit in hits]
        assert keys == sorted(keys), query


def test_the_order_is_the_same_every_time_and_in_a_fresh_index() -> None:
    fresh = SearchIndex(documents_from_kb(KB))
    backwards = SearchIndex(list(reversed(DOCUMENTS)))
    for query in ("leg cramps", "cramp", "magnesum", "stretch calf before bed", "water"):
        first = INDEX.search(query, limit=50)
        assert INDEX.search(query, limit=50) == first
        assert fresh.search(query, limit=50) == first
        assert backwards.search(query, limit=50) == first


def test_the_limit_is_kept() -> None:
    assert len(INDEX.search("cramps", limit=3)) == 3
    assert INDEX.search("cramps", limit=3) == INDEX.search("cramps", limit=50)[:3]
    with pytest.raises(ValueError):
        INDEX.search("cramps", limit=0)


@pytest.mark.parametrize("query", ["", " ", "\t\n  "])
def test_an_empty_query_is_an_error(query: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        INDEX.search(query)


def test_a_query_without_words_or_without_matches_finds_nothing() -> None:
    assert INDEX.search("?!-") == []
    assert INDEX.search("zzzzqqqq") == []


def test_a_query_of_stop_words_only_still_searches_them() -> None:
    # "it" is a stop word, but a query of nothing else searches for it rather than nothing
    assert INDEX.search("it") != []
