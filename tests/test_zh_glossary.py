"""The zh-Hans glossary (data/i18n/zh-Hans/glossary.yaml, issue 16): complete entries, the
issue's example terms, and translations that use the glossary's terms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge.glossary import load_glossary, missing_terms
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.models import GlossarySource, GlossaryTerm
from cramp_cli.knowledge.snapshot import built_in
from cramp_cli.shapes import json_of

from .conftest import run

ZH = Path(__file__).resolve().parents[1] / "data" / "i18n" / "zh-Hans"
TRANSLATIONS = sorted(path for path in ZH.glob("*.yaml") if path.name != "glossary.yaml")

# The examples issue 16 names, with a synonym it names.
EXAMPLES = {
    "夜间腿抽筋": "夜间小腿痉挛",
    "深静脉血栓": None,
    "不宁腿综合征": None,
    "间歇性跛行": None,
    "周围神经病变": None,
    "子痫前期": None,
    "横纹肌溶解": None,
    "奎宁": None,
}


def _terms() -> dict[str, GlossaryTerm]:
    return {term.term: term for term in load_glossary()}


def test_the_glossary_is_read_with_the_knowledge_base_and_compiled() -> None:
    assert load_builtin().glossary == load_glossary()
    assert built_in().glossary == load_glossary()  # in the snapshot: no YAML to answer


def test_every_entry_is_complete() -> None:
    terms = load_glossary()
    assert len(terms) >= 50
    for term in terms:
        assert term.lang == "zh-Hans"
        assert term.english and term.term.strip(), term.id
        assert term.source.authority in ("official", "professional", "low", "none-found")
        if term.source.authority != "none-found":
            assert term.source.title, term.id
        if term.source.authority in ("official", "professional"):
            assert term.source.address and term.source.address.startswith("http"), term.id


@pytest.mark.parametrize(("term", "synonym"), EXAMPLES.items())
def test_the_issues_examples_are_there(term: str, synonym: str | None) -> None:
    found = _terms()[term]
    assert found.source.authority != "none-found"
    if synonym is not None:
        assert synonym in found.synonyms


def test_one_term_per_concept() -> None:
    terms = load_glossary()
    preferred = [term.term for term in terms]
    assert len(preferred) == len(set(preferred))
    for term in terms:
        # a synonym is a search word, never another concept's term
        clash = [other.id for other in terms if other is not term and other.term in term.synonyms]
        assert not clash, (term.id, clash)


def test_the_plan_decisions() -> None:
    terms = {term.id: term for term in load_glossary()}
    assert terms["pad"].term == "周围动脉疾病" and "外周动脉疾病" in terms["pad"].synonyms
    assert terms["plm"].term == "周期性肢体运动"
    assert terms["pharmacist"].term == "药师"
    # the diagnosis and the myth are never mixed up
    assert terms["hypocalcaemia"].term == "低钙血症"
    assert "缺钙" not in (*terms["hypocalcaemia"].synonyms, *terms["hypocalcaemia"].also_accepted)
    assert terms["calcium-deficiency"].term == "缺钙"
    # cramp's everyday words are search synonyms; a fit (抽搐, 惊厥) is not a cramp
    cramp = terms["muscle-cramp"]
    assert {"抽筋", "痉挛", "腿抽筋"} <= {cramp.term, *cramp.synonyms}
    assert not {"抽搐", "惊厥"} & {word for term in terms.values() for word in term.synonyms}


def test_the_rows_without_a_proper_source_are_listed() -> None:
    """Not a failure: the rows a clinician must still find a source for (the draft's
    NONE FOUND and low rows), so they are easy to see."""
    weak = sorted(
        term.id for term in load_glossary() if term.source.authority in ("low", "none-found")
    )
    assert "tibialis-anterior" in weak and "pharmacist" in weak
    assert "dvt" not in weak


def test_a_broken_glossary_is_one_error_naming_the_file(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = kb_copy / "i18n" / "zh-Hans" / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("authority: professional", "authority: famous", 1), "utf-8")
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("search", "抽筋")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = result.stderr.strip()
    assert "\n" not in error and "Traceback" not in error
    assert str(path) in error and "authority" in error


def test_a_source_of_authority_needs_an_address() -> None:
    with pytest.raises(ValueError, match="address"):
        GlossarySource(authority="official", title="a page")
    assert GlossarySource(authority="none-found").title is None


# ---------------------------------------------------------------- translations use the terms

_FIXTURE_TERMS = (
    GlossaryTerm(
        id="dvt",
        english=("deep vein thrombosis",),
        term="深静脉血栓",
        patterns=(r"\bdeep vein thrombosis\b", r"\bDVT\b"),
        source=GlossarySource(authority="none-found"),
    ),
    GlossaryTerm(
        id="night-leg-cramps",
        english=("night leg cramps",),
        term="夜间腿抽筋",
        also_accepted=("夜间腿部痛性痉挛",),
        patterns=(r"\bnight leg cramps?\b",),
        source=GlossarySource(authority="none-found"),
    ),
)


@pytest.mark.parametrize(
    ("english", "translated", "missing"),
    [
        ("A clot (DVT) in a leg vein.", "腿部静脉里的血栓即深静脉血栓。", []),
        ("A clot (DVT) in a leg vein.", "腿部静脉里的血块。", ["dvt"]),
        ("Night leg cramps are common.", "夜间腿部痛性痉挛很常见。", []),
        ("Night leg cramps are common.", "夜里抽筋很常见。", ["night-leg-cramps"]),
        ("Stretch the calf.", "轻轻拉伸小腿肚。", []),
    ],
)
def test_a_translation_must_use_the_glossarys_term(
    english: str, translated: str, missing: list[str]
) -> None:
    assert [term.id for term in missing_terms(english, translated, _FIXTURE_TERMS)] == missing


def _english_sections() -> dict[str, Any]:
    """The English knowledge base as plain data, section by section."""
    kb = load_builtin()
    sections: dict[str, Any] = {
        name: [json_of(entry) for entry in getattr(kb, name)]
        for name in ("causes", "relief", "prevention", "treatments", "signs", "rules")
    }
    sections.update(
        lookalikes=[json_of(entry) for entry in kb.lookalikes],
        muscles=[json_of(entry) for entry in kb.muscles],
        sources=[json_of(entry) for entry in kb.sources],
        symptoms=[json_of(entry) for entry in kb.symptoms],
        triage=json_of(kb.triage),
    )
    return sections


_KEYS = ("id", "level", "word")


def _pairs(english: Any, translated: Any, where: str) -> Iterator[tuple[str, str, str]]:
    """(where, English text, translated text) for each text the translation mirrors."""
    if isinstance(translated, str):
        if isinstance(english, str):
            yield where, english, translated
        elif isinstance(english, list):
            yield where, " ".join(str(part) for part in english), translated
    elif isinstance(translated, dict) and isinstance(english, dict):
        for key, value in translated.items():
            if key in english and key not in ("from", *_KEYS):
                yield from _pairs(english[key], value, f"{where}.{key}")
    elif isinstance(translated, list) and isinstance(english, list):
        key = next(
            (
                key
                for key in _KEYS
                if translated and all(isinstance(item, dict) and key in item for item in translated)
            ),
            None,
        )
        if key is not None:
            by_key = {item.get(key): item for item in english if isinstance(item, dict)}
            for item in translated:
                yield from _pairs(by_key.get(item[key]), item, f"{where}[{item[key]}]")
        elif len(translated) == len(english):
            for index, (mine, theirs) in enumerate(zip(english, translated, strict=True)):
                yield from _pairs(mine, theirs, f"{where}[{index}]")
        else:
            yield where, " ".join(map(str, english)), " ".join(map(str, translated))


@pytest.mark.parametrize("path", TRANSLATIONS, ids=[path.name for path in TRANSLATIONS])
def test_translations_use_the_glossarys_terms(path: Path) -> None:
    terms = load_glossary()
    english = _english_sections()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "tags" in data:  # tags.yaml: who and when tags
        english["tags"] = {
            "who": [json_of(tag) for tag in load_builtin().who_tags],
            "when": [json_of(tag) for tag in load_builtin().when_tags],
        }
    problems = [
        f"{path.name}:{where}: use {', '.join(term.term for term in missing)}"
        for section, value in data.items()
        if section in english
        for where, source, text in _pairs(english[section], value, str(section))
        for missing in [missing_terms(source, text, terms)]
        if missing
    ]
    assert not problems, "\n".join(problems)


def test_the_translation_check_sees_the_muscles_file() -> None:
    assert ZH / "muscles.yaml" in TRANSLATIONS
    data = yaml.safe_load((ZH / "muscles.yaml").read_text(encoding="utf-8"))
    english = _english_sections()
    pairs = list(_pairs(english["muscles"], data["muscles"], "muscles"))
    assert any("gastrocnemius" in source and "腓肠肌" in text for _, source, text in pairs)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("- id: sleep-related-leg-cramps", "- id: night-leg-cramps", "duplicate id"),
        ("- \\bsoleus\\b", "- '[soleus'", "bad pattern"),
    ],
)
def test_a_duplicate_id_or_a_bad_pattern_is_refused(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    path = kb_copy / "i18n" / "zh-Hans" / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    with pytest.raises(KnowledgeBaseError, match=message):
        load_glossary()
