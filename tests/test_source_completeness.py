"""Issue 15 (items 1 and 6): every shipped source is complete and typed, and the views and
JSON of `cramp show ID` and `cramp sources ID` carry the authority, year and identifiers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import run, run_json

SOURCES = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "sources.yaml").read_text(encoding="utf-8")
)["sources"]
AUTHORITIES = {
    "guideline",
    "systematic review",
    "trial",
    "cohort study",
    "patient information",
    "professional article",
    "press",
    "low",
}
ADDRESS = re.compile(r"^https?://\S+$")


@pytest.mark.parametrize("source", SOURCES, ids=[s["id"] for s in SOURCES])
def test_every_shipped_source_is_complete(source: dict[str, object]) -> None:
    assert source.get("authors") or source.get("publisher")
    year = str(source.get("year"))
    assert year == "no date" or re.fullmatch(r"(18|19|20)\d\d", year), year
    url = source.get("url")
    assert url == "no address" or ADDRESS.match(str(url)), url
    if source.get("copy_url") is not None:
        assert ADDRESS.match(str(source["copy_url"]))
    assert source.get("authority") in AUTHORITIES
    # A copy address lives in its own field, not buried in the note.
    assert "public copy:" not in str(source.get("note", ""))
    # The older flag must agree with the authority: the loader's "cites no authoritative
    # source" check still reads the flag, and `sources --check` reads the authority.
    assert bool(source.get("low_authority")) == (source["authority"] in {"press", "low"})


def test_the_gaps_named_in_the_issue_are_filled() -> None:
    by_id = {s["id"]: s for s in SOURCES}
    assert by_id["mhra-quinine"]["url"].startswith("https://www.gov.uk/drug-safety-update/")
    assert by_id["nice-cks-leg-cramps"]["url"] == "https://cks.nice.org.uk/topics/leg-cramps/"
    assert by_id["nice-cks-leg-cramps"]["year"] == "2012"
    assert "Hawke F" in by_id["cochrane-2021-non-drug"]["authors"]
    assert by_id["cochrane-2021-non-drug"]["doi"] == "10.1002/14651858.CD008496.pub3"
    assert by_id["seed-article"]["url"] == "no address"
    # Press and low-authority sources are typed as such.
    assert by_id["aan-2010-press"]["authority"] == "press"
    assert by_id["seed-article"]["authority"] == "low"
    for source in SOURCES:
        if source.get("low_authority"):
            assert source["authority"] in {"press", "low"}, source["id"]


def test_sources_id_json_carries_authority_and_identifiers() -> None:
    item = run_json("sources", "cochrane-2021-non-drug")["items"][0]
    assert item["authority"] == "systematic review"
    assert item["year"] == "2021"
    assert item["doi"] == "10.1002/14651858.CD008496.pub3"
    assert item["pmid"] == "33998664"
    assert item["authors"].startswith("Hawke F")


def test_show_id_json_carries_authority() -> None:
    item = run_json("show", "hallegraeff-2012-stretching")["items"][0]
    assert item["authority"] == "trial"
    assert item["pmid"] == "22341378"


@pytest.mark.parametrize("command", ["sources", "show"])
def test_plain_shows_authority_and_identifiers(command: str) -> None:
    result = run(command, "cochrane-2021-non-drug", "--format", "plain")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Authority: systematic review" in lines
    assert "PMID: 33998664" in lines
    assert "DOI: 10.1002/14651858.CD008496.pub3" in lines


def test_markdown_shows_authority_and_identifiers() -> None:
    result = run("sources", "hallegraeff-2012-stretching", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "- **Authority:** trial" in result.stdout
    assert "- **PMID:** 22341378" in result.stdout


def test_table_shows_authority_and_copy_address() -> None:
    result = run("sources", "nhs-leg-cramps", "--format", "table", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Authority: patient information" in result.stdout
    assert "Read in a copy: https://www.doctoori.net/" in result.stdout


def test_a_user_source_without_authority_counts_as_low(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "sources:\n"
        "  - id: my-physio-leaflet\n"
        "    title: Calf care\n"
        "    publisher: My physiotherapist\n"
        "    year: '2024'\n"
        "    kind: patient information\n",
        encoding="utf-8",
    )
    document = json.loads(run("--kb", str(mine), "sources", "my-physio-leaflet", "--json").stdout)
    assert document["items"][0]["authority"] is None
    plain = run("--kb", str(mine), "sources", "my-physio-leaflet", "--format", "plain")
    assert plain.exit_code == 0, plain.stderr
    assert "Authority: low (not given)" in plain.stdout.splitlines()


def test_an_unknown_authority_in_a_user_file_is_one_line_error(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "sources:\n"
        "  - id: my-blog\n"
        "    title: A blog\n"
        "    publisher: Someone\n"
        "    year: '2024'\n"
        "    kind: article\n"
        "    authority: gospel\n",
        encoding="utf-8",
    )
    result = run("--kb", str(mine), "sources", "my-blog")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "authority" in result.stderr
    # The message names the fixed list, so the user can pick one.
    assert "'cohort study'" in result.stderr and "'press'" in result.stderr


def test_compiling_the_shipped_kb_refuses_an_incomplete_source() -> None:
    from types import SimpleNamespace

    from cramp_cli.errors import KnowledgeBaseError
    from cramp_cli.knowledge.compile import _require_complete_sources
    from cramp_cli.knowledge.models import Source

    thin = Source(id="thin", title="T", publisher="P", year="year not shown", kind="article")
    with pytest.raises(KnowledgeBaseError) as caught:
        _require_complete_sources(SimpleNamespace(sources=(thin,)))  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith("data/sources.yaml: thin: incomplete source:")
    assert "no date" in message and "no authority" in message and "no address" in message


def test_plain_show_of_an_item_gives_each_sources_authority_last() -> None:
    """Issue 15 item 6: `cramp show ITEM --format plain` lists the item's sources one per line;
    the authority is the last column, after the ones scripts already read."""
    result = run("show", "low-blood-calcium", "--format", "plain")
    assert result.exit_code == 0, result.stderr
    rows = {
        line.split("\t")[0]: line.split("\t")
        for line in result.stdout.splitlines()
        if line.count("\t") >= 6
    }
    assert rows["aan-2010-press"][1] == "article"  # kind stays in its column
    assert rows["aan-2010-press"][-1] == "press"
    assert rows["nice-cks-leg-cramps"][-1] == "guideline"
