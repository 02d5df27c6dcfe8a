"""The shipped knowledge base: it loads, it keeps the safety rules, and every way of
breaking it gives one line naming the file, the line, the item and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import content_rules
from cramp_cli.knowledge.loader import builtin_files, load_builtin, load_folder
from cramp_cli.knowledge.models import GRADES
from cramp_cli.knowledge.yaml_io import DEFAULT_MAX_BYTES
from tests.conftest import DATA, run

KB = load_builtin()
ALL_ITEMS = KB.items


def _texts(item: object) -> str:
    return " ".join(
        str(value)
        for value in item.model_dump().values()  # type: ignore[attr-defined]
    )


def test_the_shipped_files_are_the_repo_data_folder() -> None:
    shipped = sorted(entry.name for entry in builtin_files())
    # The hazard log sits beside the knowledge base but is read only by kb validate.
    assert shipped == sorted(
        path.name for path in DATA.glob("*.yaml") if path.name != "hazards.yaml"
    )
    for entry in builtin_files():
        assert len(entry.read_bytes()) < DEFAULT_MAX_BYTES // 10


def test_ids_are_unique_across_the_whole_kb() -> None:
    ids = [entry.id for entry in (*KB.sources, *KB.muscles, *ALL_ITEMS)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.id)
def test_every_item_is_complete(item) -> None:
    assert item.sources
    assert item.evidence.grade in GRADES
    assert item.evidence.note
    assert item.who
    assert item.summary.count(". ") == 0 or item.summary.endswith((".", "?")), "one sentence"
    assert len(item.details) > len(item.summary) // 2


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.id)
def test_no_doses_and_gentle_wording(item) -> None:
    """The loader refuses these (content_rules); this shows the shipped items keep them."""
    for _, text in content_rules.text_fields(item):
        assert content_rules.find_dose(text) is None, text
        assert content_rules.find_forceful(text) is None, text
        assert "forcefully" not in text.lower()


def test_quinine_is_never_recommended() -> None:
    for item in ALL_ITEMS:
        texts = [text for _, text in content_rules.text_fields(item)]
        assert not any(content_rules.find_quinine_recommendation(text) for text in texts)
        if "quinine" in _texts(item).lower() and item.id == "doctor-quinine":
            assert item.evidence.grade == "against"
            assert "not recommended" in item.summary.lower()
    quinine_items = [item for item in ALL_ITEMS if "quinine" in item.title.lower()]
    assert [item.id for item in quinine_items] == ["doctor-quinine"]


def test_medicines_are_only_linked_and_never_to_be_stopped_alone() -> None:
    medicine_causes = [cause for cause in KB.causes if cause.group == "medicine"]
    assert len(medicine_causes) >= 3
    for cause in medicine_causes:
        text = _texts(cause).lower()
        assert "may be linked" in text or "linked" in text
        assert "pharmacist" in text, cause.id
    for entry in (*ALL_ITEMS, *KB.signs, *KB.rules, *KB.lookalikes):
        for _, text in content_rules.text_fields(entry):
            if content_rules.find_stop_advice(text):
                # The one exception: warning signs may say to stop quinine, by name.
                names_quinine = entry in KB.signs and "quinine" in text.lower()
                assert entry.id in content_rules.QUININE_STOP_SIGNS or names_quinine, (
                    entry.id,
                    text,
                )


def test_article_translation_artifacts_are_gone() -> None:
    everything = " ".join(_texts(item) for item in ALL_ITEMS)
    for artifact in ("three-leg", "⑧", "⑼", "①", "foods containing lactic acid", "Joke Collection"):
        assert artifact not in everything


@pytest.mark.parametrize(
    ("item_id", "grade"),
    [
        ("cold", "none"),
        ("lactic-acid", "none"),
        ("dvt-not-a-cause", "none"),
        ("magnesium", "against"),
        ("vitamin-e", "none"),
        ("calcium", "none"),
        ("doctor-quinine", "against"),
        ("relief-front-calf", "none"),
    ],
)
def test_honest_grades_for_the_article_claims(item_id: str, grade: str) -> None:
    item = next(item for item in ALL_ITEMS if item.id == item_id)
    assert item.evidence.grade == grade


def test_cold_says_cramps_are_more_common_in_summer() -> None:
    cold = next(item for item in KB.causes if item.id == "cold")
    assert "summer" in cold.evidence.note.lower()


def test_supplements_carry_the_ask_first_line() -> None:
    line = "Ask a doctor or pharmacist before taking supplements"
    for item_id in ("magnesium", "calcium", "vitamin-e", "vitamin-d"):
        item = next(item for item in ALL_ITEMS if item.id == item_id)
        assert line in item.details, item_id


def test_models_are_immutable() -> None:
    with pytest.raises(AttributeError):
        KB.causes[0].title = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------- broken knowledge bases

Edit = Callable[[Path], tuple[str, str]]  # breaks the copy; returns (file, marker on the line)


def _replace(name: str, old: str, new: str, marker: str | None = None) -> Edit:
    def edit(kb: Path) -> tuple[str, str]:
        path = kb / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return name, marker or new.strip().splitlines()[0]

    return edit


def _write(name: str, content: bytes, marker: str = "") -> Edit:
    def edit(kb: Path) -> tuple[str, str]:
        (kb / name).write_bytes(content)
        return name, marker

    return edit


BROKEN: dict[str, tuple[Edit, list[str]]] = {
    "unknown field": (
        _replace(
            "causes.yaml", "    group: trigger\n", "    group: trigger\n    titel: x\n", "titel"
        ),
        ["fatigue-overexertion", "causes[1].titel", "unknown field 'titel'", "'title'"],
    ),
    "missing field": (
        _replace(
            "causes.yaml",
            "    title: Tired, overworked muscles\n",
            "",
            "- id: fatigue-overexertion",
        ),
        ["fatigue-overexertion", "causes[1].title", "missing required field 'title'"],
    ),
    "bad grade": (
        _replace("causes.yaml", "grade: moderate", "grade: maybe"),
        ["how-cramps-start", "causes[0].evidence.grade"],
    ),
    "bad id": (
        _replace("causes.yaml", "id: fatigue-overexertion", "id: Fatigue_Overexertion"),
        ["causes[1].id"],
    ),
    "wrong type": (
        _replace("causes.yaml", "who: [everyone, athletes, walkers]", "who: everyone"),
        ["fatigue-overexertion", "causes[1].who"],
    ),
    "duplicate id across files": (
        _replace("prevention.yaml", "id: stretch-before-bed", "id: fatigue-overexertion"),
        ["fatigue-overexertion", "duplicate id", "causes.yaml"],
    ),
    "unknown source": (
        _replace(
            "causes.yaml",
            "      - afp-2012-nocturnal-leg-cramps\n",
            "      - afp-2012-nocturnal-leg-cramp\n",
        ),
        ["how-cramps-start", "sources[1]", "unknown source", "afp-2012-nocturnal-leg-cramps"],
    ),
    "unknown who tag": (
        _replace(
            "causes.yaml", "who: [everyone, athletes, walkers]", "who: [everyone, athlets, walkers]"
        ),
        ["fatigue-overexertion", "who[1]", "unknown who tag 'athlets'", "'athletes'"],
    ),
    "unknown when tag": (
        _replace(
            "causes.yaml",
            "when: [after-exercise, night, in-bed]",
            "when: [after-exercise, nights, in-bed]",
        ),
        ["fatigue-overexertion", "when[1]", "unknown when tag 'nights'"],
    ),
    "muscle names an unknown relief item": (
        _replace("muscles.yaml", "      - relief-back-calf\n", "      - relief-bak-calf\n"),
        ["back-calf", "relief[0]", "unknown relief item", "'relief-back-calf'"],
    ),
    "relief names an unknown muscle": (
        _replace("relief.yaml", "muscle: back-calf", "muscle: elbow"),
        ["relief-back-calf", "relief[0].muscle", "unknown muscle 'elbow'"],
    ),
    "alias used by two muscles": (
        _replace("muscles.yaml", "      - calves\n", "      - shin\n", "- shin#2"),
        ["alias 'shin'", "front-calf", "muscles[1].aliases[0]", "already names muscle 'back-calf'"],
    ),
    "graded advice resting only on the article": (
        _replace(
            "causes.yaml",
            "    sources:\n      - afp-2012-nocturnal-leg-cramps\n      - nhs-leg-cramps\n"
            "      - mayo-night-leg-cramps-causes\n      - seed-article\n",
            "    sources:\n      - seed-article\n",
            "sources:#2",
        ),
        ["fatigue-overexertion", "no authoritative source"],
    ),
    "a dose in the built-in text": (
        _replace(
            "relief.yaml",
            "      - Stop when the cramp has eased.\n",
            "      - Take 400 mg of ibuprofen.\n",
        ),
        ["heat-while-cramping", "steps[4]", "no doses", "'400 mg'"],
    ),
    "quinine recommended in the built-in text": (
        _replace(
            "prevention.yaml",
            "In trials that compared it with quinine",
            "If it fails, take quinine. In trials that compared it with quinine",
            "details:#16",
        ),
        ["vitamin-e", ".details", "no text may recommend quinine", "'take quinine'"],
    ),
    "advice to stop a medicine in the built-in triage": (
        _replace(
            "triage.yaml",
            "Do not stop any prescribed medicine on your\n        own; talk to your doctor or "
            "pharmacist first.",
            "Stop your water tablets.",
            "      details: >-#3",
        ),
        ["triage.levels[2].details", "never advise stopping", "'Stop your water tablets'"],
    ),
    "forceful stretching in the built-in text": (
        _replace("relief.yaml", "Press gently, never hard", "Press forcefully", "details:#3"),
        ["relief-front-calf", ".details", "must be gentle", "'forcefully'"],
    ),
    "invalid YAML": (
        # the parser notices the unclosed list on the next line
        _replace(
            "causes.yaml",
            "title: Tired, overworked muscles",
            "title: [Tired, overworked",
            "    summary: >-#2",
        ),
        ["invalid YAML"],
    ),
    "duplicate key": (
        _replace(
            "causes.yaml",
            "    group: trigger\n",
            "    group: trigger\n    group: body\n",
            "group: body",
        ),
        ["duplicate key 'group'"],
    ),
    "anchor and alias": (
        _replace(
            "causes.yaml",
            "who: [everyone, athletes, walkers]",
            "who: &people [everyone, athletes, walkers]\n    extra: *people",
            "who: &people",
        ),
        ["aliases are not allowed"],
    ),
    "python tag": (
        _replace(
            "causes.yaml",
            "title: Tired, overworked muscles",
            "title: !!python/object/apply:os.system ['echo owned']",
        ),
        ["python/object/apply:os.system"],
    ),
    "empty file": (_write("tags.yaml", b""), ["empty"]),
    "list at the top": (_write("tags.yaml", b"- who\n- when\n", "- who"), ["expected a mapping"]),
    "not UTF-8": (_write("tags.yaml", b"tags:\n  who: [caf\xe9]\n", "who"), ["not valid UTF-8"]),
    "binary": (_write("tags.yaml", b"\x89PNG\r\n\x1a\n\x00\x00"), ["binary"]),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_kb_names_file_line_item_and_field(
    case: str, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, fragments = BROKEN[case]
    name, marker = edit(kb_copy)
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("why")
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    error = result.stderr.strip()
    assert "\n" not in error, error
    assert "Traceback" not in error
    assert error.startswith(f"Error: {kb_copy / name}")
    for fragment in fragments:
        assert fragment in error, (fragment, error)
    if marker:
        lines = (kb_copy / name).read_bytes().decode("utf-8", "replace").splitlines()
        marker, _, occurrence = marker.partition("#")  # "text#2": the second line with text
        matching = [number for number, line in enumerate(lines, 1) if marker in line]
        expected = matching[int(occurrence or 1) - 1]
        assert f"{name}:{expected}:" in error, (expected, error)


def test_hostile_tag_never_runs(kb_copy: Path, tmp_path: Path, monkeypatch) -> None:
    canary = tmp_path / "owned"
    text = (kb_copy / "tags.yaml").read_text(encoding="utf-8")
    (kb_copy / "tags.yaml").write_text(
        text + f"extra: !!python/object/apply:os.system ['touch {canary}']\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError):
        load_folder(kb_copy)
    assert not canary.exists()


def test_billion_laughs_fails_fast(kb_copy: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (kb_copy / "tags.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="aliases are not allowed"):
        load_folder(kb_copy)


def test_oversized_file_is_refused_before_parsing(kb_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("CRAMP_MAX_KB_BYTES", "1000")
    with pytest.raises(KnowledgeBaseError, match="over the 1,000-byte limit"):
        load_folder(kb_copy)


def test_missing_data_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CRAMP_DATA_DIR", str(tmp_path / "nowhere"))
    result = run("why")
    assert result.exit_code == 1
    assert "no such folder" in result.stderr


def test_broken_kb_with_json_gives_a_json_error(kb_copy: Path, monkeypatch) -> None:
    import json

    (kb_copy / "tags.yaml").write_bytes(b"")
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("why", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "knowledge-base"
    assert "tags.yaml" in error["message"] and "empty" in error["message"]
