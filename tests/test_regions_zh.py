"""Issue 16 item 6: the regions cn (120), hk (999) and tw (119) join gb, us, eu and au,
with the numbers' sources in data/sources.yaml; the default region names them too and does
not change with the language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run

DATA = Path(__file__).parent.parent / "data"
NUMBERS = {"gb": "999", "us": "911", "eu": "112", "au": "000", "cn": "120", "hk": "999"}
NUMBERS["tw"] = "119"


def _check(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run("check", *args, "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize(
    ("typed", "region", "number"),
    [
        ("cn", "cn", "120"),
        ("CN", "cn", "120"),
        ("china", "cn", "120"),
        ("mainland", "cn", "120"),
        ("hk", "hk", "999"),
        ("Hong Kong", "hk", "999"),
        ("hong-kong", "hk", "999"),
        ("tw", "tw", "119"),
        ("taiwan", "tw", "119"),
    ],
)
def test_chest_pain_names_the_region_ambulance_number(typed: str, region: str, number: str) -> None:
    document = _check("--sign", "chest-pain", "--region", typed)
    assert document["region"] == region
    assert document["level"] == "emergency"
    assert document["action"] == f"Call {number} now."
    others = set(NUMBERS.values()) - {number}
    assert not any(other in document["action"] for other in others)


@pytest.mark.parametrize(("region", "number"), [("cn", "120"), ("hk", "999"), ("tw", "119")])
def test_emergency_exit_code_and_plain_text(region: str, number: str) -> None:
    result = run("check", "--sign", "chest-pain", "--region", region, "--exit-code")
    assert result.exit_code == 5, result.stderr
    assert result.stderr == ""
    assert f"Call {number} now." in result.stdout
    plain = run("check", "--sign", "chest-pain", "--region", region)
    assert plain.exit_code == 0 and f"Call {number} now." in plain.stdout


@pytest.mark.parametrize(
    ("region", "service"),
    [
        ("cn", "hospital emergency department"),
        ("hk", "Accident and Emergency department (A&E)"),
        ("hk", "general out-patient clinic"),
        ("tw", "hospital emergency department"),
    ],
)
def test_urgent_advice_names_the_local_service(region: str, service: str) -> None:
    document = _check("--sign", "wound", "--region", region)
    assert document["level"] == "urgent" and document["region"] == region
    assert service in document["action"]
    assert "NHS" not in document["action"] and "GP" not in document["action"]


def test_the_region_comes_from_the_environment_too() -> None:
    document = _check("--sign", "chest-pain", env={"CRAMP_REGION": "tw"})
    assert document["region"] == "tw" and "119" in document["action"]


def test_no_region_names_every_number_with_its_place() -> None:
    action = _check("--sign", "chest-pain")["action"]
    for said in (
        "999 in the UK and Hong Kong",
        "120 in mainland China",
        "119 in Taiwan",
        "911 in the US",
        "112 in the EU",
        "000 in Australia",
    ):
        assert said in action, action


@pytest.mark.parametrize("lang", [{"CRAMP_LANG": "zh-Hans"}, {"LANG": "zh_CN.UTF-8"}])
def test_the_default_region_does_not_change_with_the_language(lang: dict[str, str]) -> None:
    document = _check("--sign", "chest-pain", env={"CRAMP_REGION": "", **lang})
    assert document["region"] == "any"
    assert "120" in document["action"] and "999" in document["action"]


def test_an_unknown_region_lists_the_new_ones() -> None:
    result = run("check", "--none", "--region", "cnn")
    assert result.exit_code == 2
    assert "gb, us, eu, au, cn, hk, tw" in result.stderr
    assert "'cn'" in result.stderr


def test_the_numbers_have_official_sources_in_the_source_list() -> None:
    sources = {
        source["id"]: source
        for source in yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    }
    expected = {
        "region-cn-beijing-120": ("120", "gov.cn"),
        "region-hk-fsd-ambulance": ("999", "hkfsd.gov.hk"),
        "region-tw-hsinchu-119": ("119", "gov.tw"),
        "region-tw-kaohsiung-119": ("119", "gov.tw"),
    }
    for source_id, (number, host) in expected.items():
        source = sources[source_id]
        assert host in source["url"], source_id
        assert number in source["note"] + source["title"], source_id
        assert source["authority"] == "patient information"
    # The triage file says where its numbers come from.
    triage_text = (DATA / "triage.yaml").read_text(encoding="utf-8")
    assert "region-* entries in sources.yaml" in triage_text


def test_each_new_region_cites_the_pages_of_its_numbers() -> None:
    """The region entries themselves cite their sources, so `sources --check` sees them cited
    and `cramp sources ID` can say what the page backs."""
    triage = yaml.safe_load((DATA / "triage.yaml").read_text(encoding="utf-8"))["triage"]
    cited = {region["id"]: set(region.get("sources", ())) for region in triage["regions"]}
    assert cited["cn"] == {"region-cn-beijing-120"}
    assert {"region-hk-fsd-ambulance", "region-hk-ha-holiday-clinics"} <= cited["hk"]
    assert {"region-tw-hsinchu-119", "region-tw-kaohsiung-119"} <= cited["tw"]
    result = run("sources", "--check", "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["problems"] == []


def test_a_region_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    triage_file = data / "triage.yaml"
    text = triage_file.read_text(encoding="utf-8")
    triage_file.write_text(
        text.replace("sources: [region-cn-beijing-120]", "sources: [no-such-page]"),
        encoding="utf-8",
    )
    result = run("check", "--none", env={"CRAMP_DATA_DIR": str(data)})
    assert result.exit_code != 0
    assert "unknown source 'no-such-page'" in result.stderr
