"""`cramp sources`, `show`, `search` and `kb` in Chinese (issue 16 items 2, 3, 5 and 8):
translated titles in search and their ranking, Chinese labels in every format, the help of
the remaining commands, and the terminal views at 40, 60 and 80 columns."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pytest

from tests.conftest import run

ZH = ("--lang", "zh")
SGR = re.compile(r"\x1b\[[0-9;]*m")
LINK = re.compile(r"\x1b\]8;[^\x1b]*\x1b\\")


def _zh_json(*args: str) -> dict[str, Any]:
    result = run(*ZH, *args, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def _ranked(query: str, limit: int = 20) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _zh_json("search", query, "--limit", str(limit))["items"]
    return items


def _plain(*args: str) -> str:
    result = run(*ZH, *args, "--format", "plain")
    assert result.exit_code in (0, 1), result.stderr
    return str(result.stdout)


# ------------------------------------------------------------------------ search


def test_chinese_search_shows_the_translated_titles() -> None:
    ranked = _ranked("奎宁")
    assert ranked[0]["id"] == "doctor-quinine"
    hits = {item["id"]: item for item in ranked}
    assert hits["doctor-quinine"]["title"] == "奎宁（不推荐）"
    assert "奎宁（不推荐）" in _plain("search", "奎宁")
    # ids, kinds and grades stay the English ones; English titles in an English run
    english = {item["id"]: item for item in run_json_en("search", "quinine")}
    assert english["doctor-quinine"]["title"] == "Quinine (not recommended)"
    assert hits["doctor-quinine"]["grade"] == english["doctor-quinine"]["grade"]


def run_json_en(*args: str) -> list[dict[str, Any]]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, Any]] = json.loads(result.stdout)["items"]
    return items


def test_chouijin_finds_cramp_items_under_their_chinese_titles() -> None:
    hits = [item for item in _ranked("抽筋")[:10] if item["kind"] != "source"]
    assert {item["kind"] for item in hits} & {"cause", "relief", "prevention"}
    assert all(re.search("[\u4e00-\u9fff]", item["title"]) for item in hits)


@pytest.mark.parametrize("query", ["小腿抽筋", "半夜腿抽筋怎么办"])
def test_a_chinese_question_puts_what_to_do_above_source_records(query: str) -> None:
    hits = _ranked(query, limit=60)
    kinds = [item["kind"] for item in hits]
    first_relief = kinds.index("relief")
    assert first_relief < 10, kinds
    assert "source" not in kinds[: first_relief + 1], kinds


def test_calf_cramp_in_chinese_puts_the_calf_stretch_near_the_top() -> None:
    ids = [item["id"] for item in _ranked("小腿抽筋")[:5]]
    assert "relief-back-calf" in ids


def test_a_translated_title_earns_the_title_bonus() -> None:
    """A query that is an entry's whole translated title ranks it above an entry that says
    the same words as strongly but not in its title (without the bonus, a tie that the
    cause would win by kind)."""
    from cramp_cli.knowledge.search_index import (
        SUMMARY_WEIGHT,
        Document,
        SearchIndex,
    )

    titled = Document(
        kind="relief",
        id="calf",
        title="Calf stretch",
        grade=None,
        fields=(("Calf stretch", 3.0), ("拉伸小腿肚", SUMMARY_WEIGHT)),
        titles=(("zh-Hans", "拉伸小腿肚"),),
    )
    mentioned = Document(
        kind="cause",
        id="other",
        title="Other",
        grade=None,
        fields=(("拉伸小腿肚", SUMMARY_WEIGHT),),
    )
    hits = SearchIndex([mentioned, titled]).search("拉伸小腿肚")
    assert [hit.document.id for hit in hits] == ["calf", "other"]
    assert hits[0].document.title_in("zh-Hans") == "拉伸小腿肚"
    assert hits[0].document.title_in("en") == "Calf stretch"


def test_latin_search_keeps_its_typo_tolerance_in_a_chinese_run() -> None:
    first = _ranked("magnesum")[0]
    assert first["id"].startswith("magnesium")
    assert "镁" in first["title"]


# ------------------------------------------------------------------------ labels


def test_sources_list_and_one_source_in_chinese() -> None:
    listing = _plain("sources")
    assert "被引用" in listing and "cited by" not in listing
    one = _plain("sources", "nhs-leg-cramps")
    assert "权威性" in one and "被引用" in one
    assert "Authority" not in one and "Cited by" not in one
    # a source keeps the title it was published under
    assert "Leg cramps" in one
    # English is as before
    assert "cited by" in run("sources", "--format", "plain").stdout
    assert "Precedence: --kb, then CRAMP_KB" in run("kb", "paths", "--format", "plain").stdout


def test_sources_check_in_chinese() -> None:
    result = run(*ZH, "sources", "--check", "--format", "plain")
    assert result.exit_code in (0, 1)
    verdict = [line for line in result.stdout.splitlines() if "个来源" in line]
    assert verdict and "已检查" in verdict[0] and "checked" not in result.stdout
    markdown = run(*ZH, "sources", "--check", "--format", "markdown").stdout
    assert markdown.startswith("# 证据链")


def test_show_in_chinese_labels_its_fields() -> None:
    shown = _plain("show", "relief-back-calf")
    assert "证据：" in shown and "\n来源：\n" in shown and "\n步骤：\n" in shown
    assert "\n摘要：" in shown  # a full-width colon, no space, after Chinese words
    assert "Evidence" not in shown and "Sources:" not in shown
    markdown = run(*ZH, "show", "magnesium", "--format", "markdown").stdout
    assert "## 来源" in markdown and "| 编号 | 标题 | 发布者 | 年份 | 网址 |" in markdown


def test_search_views_in_chinese() -> None:
    assert run(*ZH, "search", "奎宁", "--format", "markdown").stdout.startswith("# 搜索：奎宁")
    nothing = run(*ZH, "search", "xyzzyq", "--format", "plain").stdout
    assert "没有找到" in nothing


def test_kb_views_in_chinese() -> None:
    paths = _plain("kb", "paths")
    assert "条记录" in paths and "优先顺序" in paths and "entries" not in paths
    checked = _plain("kb", "validate")
    assert "已检查" in checked
    assert run(*ZH, "kb", "show", "magnesium", "--format", "markdown").stdout.startswith(
        "# 来自哪里"
    )


def test_a_groups_list_of_subcommands_in_english_is_cut_as_before() -> None:
    listing = run("kb", "--help", env={"COLUMNS": "200"}).stdout
    assert "validate  Check knowledge-base files and report every problem (exit 1..." in listing


# ------------------------------------------------------------------------ help


@pytest.mark.parametrize(
    "command",
    [
        ["kb"],
        ["kb", "paths"],
        ["kb", "show"],
        ["kb", "validate"],
        ["schema"],
        ["sources"],
        ["meds"],
        ["meds", "stop"],
        ["log"],
    ],
)
def test_help_has_no_english_sentence_left(command: list[str]) -> None:
    result = run(*ZH, *command, "--help", env={"COLUMNS": "200"})
    english = run(*command, "--help", env={"COLUMNS": "200"})
    assert english.stdout != result.stdout
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        if "cramp " in line:
            continue  # examples and usage lines
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", line), line


# ------------------------------------------------------------------------ widths


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.mark.parametrize("width", [40, 60, 80])
@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["sources"], "来源"),
        (["sources", "nhs-leg-cramps"], "被引用"),
        (["sources", "--check"], "已检查"),
        (["show", "relief-back-calf"], "证据："),
        (["search", "小腿抽筋"], "搜索："),
        (["kb", "paths"], "优先顺序"),
        (["kb", "validate"], "已检查"),
    ],
)
def test_chinese_views_fit_the_terminal(args: list[str], label: str, width: int) -> None:
    result = run(*ZH, *args, "--format", "table", env={"FORCE_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.stderr
    screen = SGR.sub("", LINK.sub("", result.stdout))
    too_wide = [line for line in screen.splitlines() if _cells(line) > width]
    assert not too_wide, too_wide
    assert "…" not in screen
    assert label in screen.replace("\n", "")
