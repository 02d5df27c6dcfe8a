"""The Python API returns the models the JSON comes from; shell completion uses the real KB."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import cramp_cli
from cramp_cli import check, load_kb, prevent, relieve, search, show, why
from cramp_cli.errors import UnknownNameError
from cramp_cli.results import CheckResult, ReliefResult, WhyResult
from tests.conftest import run
from tests.test_installed import CRAMP


def test_the_api_gives_the_same_document_as_the_json() -> None:
    kb = load_kb()
    result = why(kb, who="pregnancy")
    assert isinstance(result, WhyResult)
    assert result.model_dump(mode="json") == json.loads(
        run("why", "--who", "pregnancy", "--json").stdout
    )
    calf = relieve(kb, "calf")
    assert isinstance(calf, ReliefResult) and calf.muscle is not None
    assert calf.muscle.id == "back-calf"
    verdict = check(kb, ["one-sided-swelling"], region="gb")
    assert isinstance(verdict, CheckResult)
    assert verdict.level == "urgent"
    assert "NHS 111" in verdict.action
    assert prevent(kb).items
    assert search(kb, "magnesum").items[0].id.startswith("magnesium")
    assert show(kb, "cold").items[0].id == "cold"


def test_the_api_raises_cramp_errors() -> None:
    with pytest.raises(UnknownNameError, match="bak-calf"):
        relieve(load_kb(), "bak-calf")


def test_the_api_loads_extra_files(tmp_path) -> None:
    extra = tmp_path / "notes.yaml"
    extra.write_text(
        "prevention:\n"
        "  - id: my-routine\n"
        "    title: My routine\n"
        "    summary: Gentle stretches before bed.\n"
        "    details: From my physio.\n"
        "    who: [everyone]\n"
        "    sources: [hallegraeff-2012-stretching]\n"
        "    evidence: {grade: weak, weak_reason: studies-disagree, note: Studies disagree.}\n",
        encoding="utf-8",
    )
    assert "my-routine" in [item.id for item in prevent(load_kb([extra])).items]


def test_unknown_attribute_and_lazy_import() -> None:
    with pytest.raises(AttributeError):
        _ = cramp_cli.nonexistent  # type: ignore[attr-defined]
    code = "import sys, cramp_cli; print('cramp_cli.api' in sys.modules, 'pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_CRAMP_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    done = subprocess.run([CRAMP], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("cramp relieve --muscle ham", {"hamstring", "hamstrings"}),
        ("cramp relieve --muscle back-", {"back-calf", "back-thigh"}),
        ("cramp check --sign chest", {"chest-pain"}),
        ("cramp show magnes", {"magnesium", "magnesium-pregnancy"}),
        ("cramp sources nhs-leg", {"nhs-leg-cramps", "nhs-leg-cramps-2017"}),
        ("cramp why --who preg", {"pregnancy"}),
        ("cramp check --region u", {"uk", "us"}),
        ("cramp log --muscle sh", {"shin"}),
        ("cramp log --side l", {"left"}),
        ("cramp log --relief relief-back", {"relief-back-calf", "relief-back-thigh"}),
        ("cramp log edit 1 --muscle qua", {"quad", "quads", "quadriceps"}),
        ("cramp history --muscle back-", {"back-calf", "back-thigh"}),
    ],
)
def test_completion_offers_names_from_the_kb(words: str, expected: set[str]) -> None:
    assert expected <= set(_complete(words))


def test_completion_of_a_broken_kb_is_silent(tmp_path) -> None:
    (tmp_path / "tags.yaml").write_text("- broken\n", encoding="utf-8")
    env = {
        **os.environ,
        "_CRAMP_COMPLETE": "complete_bash",
        "COMP_WORDS": "cramp relieve --muscle ca",
        "COMP_CWORD": "3",
        "CRAMP_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run([CRAMP], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == ""
    assert "Traceback" not in done.stderr


def test_show_completion_prints_a_script() -> None:
    # Typer finds the shell from the process tree: run it from bash, as a person would (from
    # a parent that is no shell, such as `timeout`, it cannot tell). The second command keeps
    # bash from replacing itself with cramp.
    done = subprocess.run(
        ["bash", "-c", '"$0" --show-completion bash; exit $?', CRAMP],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "_cramp_completion" in done.stdout
