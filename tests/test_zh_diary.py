"""The diary and the doctor's report in Chinese (issue 16, items 2 and 8).

Through the real entry point (`--lang zh`): the doctor's report in plain text, Markdown
(syrupy goldens beside the English ones) and HTML (valid HTML5, lang="zh-Hans", CJK fonts,
printed by Chromium with a CJK font embedded), and the diary commands; no English label is
left, and the English output does not change.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from cramp_cli.cli import app
from tests.fixtures import doctor_diary
from tests.test_doctor_html import pages, parse, pdf_text, print_to_pdf

# English words of the report's labels: none may be left in a Chinese report (source titles,
# ids, medicine names and what the person wrote are kept as they are, and left out of the check).
ENGLISH_LABELS = re.compile(
    r"\b(Period|Printed|Summary|Nights?|Cramps?|Muscles?|Sides?|Medicines?|Sources?|Week|"
    r"Then|Now|How often|How long|Woke|Time of night|Warning|Questions|Relief|Severity|"
    r"Symptoms|Note|When|Minutes|None|Disclaimer|median|longest|min|timed|partial|left|right|"
    r"both|since|stopped|logged|once|times|yes|no|before midnight|after|am)\b"
)


def run(*args: str) -> Any:
    return CliRunner().invoke(
        app, list(args), obj={"now": doctor_diary.NOW}, catch_exceptions=False
    )


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    return doctor_diary.build(tmp_path / "diary.sqlite3")


def doctor(diary: Path, *args: str, lang: str = "zh") -> str:
    result = run("--lang", lang, "report", "--for-doctor", "--db", str(diary), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return str(result.stdout)


def labels_of(text: str) -> str:
    """The report without what is not a label: the sources section, source ids and URLs,
    the person's own words (quoted or in the note column), medicine names and the advice
    cramp gave in English when an entry was logged."""
    text = re.split(r"\n来源\n|\n## 来源\n", text)[0] + "\n" + text.split("全部记录")[-1]
    text = re.sub(r"（来源：[^）]*）|来源：[^。]*。|https?://\S+", "", text)
    text = re.sub(r"“[^”]*”|> .*|当时的建议：.*", "", text)
    text = re.sub(r"Vitamin D|Ibuprofen|Atorvastatin|for a sore knee", "", text)
    text = re.sub(r"\t[^\t\n]*$", "", text, flags=re.MULTILINE)  # the note column
    return text


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_the_doctors_report_is_in_chinese_with_chinese_dates(diary: Path, fmt: str) -> None:
    text = doctor(diary, "--format", fmt, "--entries")
    for words in (
        "夜间腿部痛性痉挛",  # the clinical term, as the glossary decides for the doctor's report
        "记录期",
        "2025年3月3日至2025年6月1日（91 晚）",
        "打印日期",
        "2025年6月2日",
        "不要自行停药",
        "请先咨询医生或药师",
        "可以问医生的问题",
        "抽筋超过 10 分钟",
        "尽快：今天就医",
    ):
        assert words in text, words
    assert "Jun" not in text and "Mar" not in text
    left = ENGLISH_LABELS.findall(labels_of(text))
    assert not left, left


def test_the_plain_chinese_chart_lines_up_in_columns(diary: Path) -> None:
    from cramp_cli.diary.day_words import cells

    text = doctor(diary, "--format", "plain")
    bars = [line for line in text.splitlines() if line.startswith("  ") and "#" in line]
    assert len(bars) == 13
    assert len({cells(line.split("#")[0]) for line in bars}) == 1  # every bar starts together
    headings = text.splitlines()
    for index, line in enumerate(headings):
        if line and set(line) <= {"-", "="} and index:
            assert len(line) == cells(headings[index - 1]), headings[index - 1]


def test_the_chinese_markdown_report_is_golden(diary: Path, snapshot: SnapshotAssertion) -> None:
    assert doctor(diary, "--format", "markdown") == snapshot


def test_the_chinese_plain_report_is_golden(diary: Path, snapshot: SnapshotAssertion) -> None:
    assert doctor(diary, "--format", "plain") == snapshot


def test_the_json_report_keeps_its_ids_and_numbers_in_chinese(diary: Path) -> None:
    english = json.loads(doctor(diary, "--json", lang="en"))
    chinese = json.loads(doctor(diary, "--json"))
    assert chinese["header"] == english["header"]  # ISO dates and counts
    assert [s["id"] for s in chinese["summary"]["sides"]] == [
        s["id"] for s in english["summary"]["sides"]
    ]
    assert [s["level"] for s in chinese["warning_signs"]] == [
        s["level"] for s in english["warning_signs"]
    ]
    assert chinese["medicine_note"] == "不要自行停用或更改医生开的药：请先咨询医生或药师。"


def test_the_english_report_does_not_change_with_the_catalogue(diary: Path) -> None:
    text = doctor(diary, "--format", "plain", lang="en")
    assert text.startswith("Night-time leg cramps: diary summary for a clinician\n")
    assert "Period: 3 Mar 2025 to 1 Jun 2025 (91 nights)" in text
    assert "Summary\n-------\n" in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


# ------------------------------------------------------------------------ the page in HTML


def test_the_chinese_page_is_valid_html5_in_chinese_with_cjk_fonts(diary: Path) -> None:
    page = doctor(diary, "--format", "html", "--entries")
    root: Any = parse(page)
    assert root.get("lang") == "zh-Hans"
    style = re.search(r"<style>(.*)</style>", page, re.DOTALL)
    assert style is not None
    fonts = re.search(r"body \{ font-family: ([^;]*);", style.group(1))
    assert fonts is not None
    assert fonts.group(1).startswith('"Noto Sans CJK SC", "Noto Sans SC"')
    assert "sans-serif" in fonts.group(1)
    for words in (
        "夜间腿部痛性痉挛",
        "<b>记录期：</b>2025年3月3日至2025年6月1日",
        "符合的警示症状",
    ):
        assert words in page, words
    visible = re.sub(r"<style>.*</style>|<[^>]+>", " ", page, flags=re.DOTALL)
    visible = re.sub(r"\[[^\]]*\]|https?://\S+|“[^”]*”", "", visible)
    body = visible.split("来源")[0]
    assert not re.search(r"\b(Period|Summary|Nights|Medicines|Warning|Printed|min)\b", body)


def test_the_english_page_keeps_its_language_and_fonts(diary: Path) -> None:
    page = doctor(diary, "--format", "html", lang="en")
    assert '<html lang="en">' in page
    assert "CJK" not in page
    assert "<b>Period:</b> 3 Mar 2025 to 1 Jun 2025 (91 nights)." in page


def _font_tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("pdffonts", "pdftotext")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: .ci/run installs poppler-utils")
    return {name: str(path) for name, path in found.items()}


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_chinese_page_prints_on_two_pages_with_a_cjk_font(
    diary: Path, tmp_path: Path, paper: str
) -> None:
    page = doctor(diary, "--format", "html")
    figures = json.loads(doctor(diary, "--json"))
    head = figures["header"]
    pdf = print_to_pdf(page, tmp_path, paper)
    assert pages(pdf) <= 2
    fonts = subprocess.run(
        [_font_tools()["pdffonts"], str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    # Chromium embeds its fonts as unnamed Type 3 subsets: pdffonts cannot name the CJK one,
    # so the test checks that every font is embedded, that the first family of the page's
    # stack is a CJK font on this machine (fonts-noto-cjk, installed by .ci/run), and below
    # that the Chinese text reads back from the PDF.
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts
    first_family = subprocess.run(
        ["fc-match", "-f", "%{family}", "Noto Sans CJK SC"], capture_output=True, text=True
    ).stdout
    assert "CJK" in first_family, f"fonts-noto-cjk is missing ({first_family})"
    first, everything = pdf_text(pdf, 1), pdf_text(pdf)
    compact = first.replace(" ", "")
    assert "夜间腿部痛性痉挛" in compact
    assert f"有抽筋的夜晚：{head['days']}晚中的{head['nights_with_cramps']}晚" in compact
    assert "2025年6月2日" in compact
    assert "不要自行停药" in everything.replace(" ", "")
