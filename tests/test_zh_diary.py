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


# ------------------------------------------------------------------- the diary commands


def zh(*args: str, env: dict[str, str] | None = None) -> Any:
    """A diary command in Chinese, through the real entry point."""
    return CliRunner().invoke(app, ["--lang", "zh", *args], env=env, catch_exceptions=False)


def en(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "diary.sqlite3")


def test_log_takes_chinese_words_and_answers_in_chinese(db: str) -> None:
    result = zh("log", "小腿", "left", "3m", "--severity", "6", "--db", db, "--format", "plain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "已添加：记录" in out and "修改：cramp log edit" in out
    assert "\t左腿\t3 分钟\t严重程度 6\t" in out
    assert "back-calf" in out  # the id stays the id
    for english in ("Added:", "Change it", "severity", "night of", " min\t"):
        assert english not in out, english


def test_log_of_a_long_cramp_warns_in_chinese(db: str) -> None:
    result = zh("log", "腿肚子", "12m", "--db", db, "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert "警告：抽筋超过 10 分钟是警示症状：请运行 cramp check --minutes 12。" in result.stdout


def test_history_in_chinese_plain_and_on_a_terminal(db: str) -> None:
    assert zh("log", "calf", "both", "2m", "--woke", "--db", db).exit_code == 0
    assert zh("log", "脚底", "--db", db).exit_code == 0
    plain = zh("history", "--db", db, "--format", "plain").stdout
    assert "显示：共 2 条中的 2 条，最新的在前。" in plain
    assert "\t双腿\t2 分钟\t" in plain and "\t醒来\t" in plain
    assert "Shown" not in plain and "newest" not in plain
    for width in (40, 60, 80):
        screen = zh("history", "--db", db, "--format", "table", env={"COLUMNS": str(width)}).stdout
        assert "抽筋日记：共 2 条记录，显示 2 条，最新的在前" in screen.replace("\n", "")
        assert "小腿肚（小腿后侧）" in screen.replace("\n", "").replace(" ", "")
        assert "Cramp diary" not in screen and "newest" not in screen
        from rich.cells import cell_len

        assert max(cell_len(line) for line in screen.splitlines()) <= width
    assert en("history", "--db", db, "--format", "plain").stdout.count("Shown: 2 of 2") == 1


def test_the_report_in_chinese_keeps_the_level_and_the_numbers(db: str) -> None:
    assert zh("log", "小腿", "left", "12m", "--db", db).exit_code == 0
    result = zh("report", "--db", db, "--format", "plain", "--region", "cn")
    english = en("report", "--db", db, "--format", "plain", "--region", "cn")
    assert result.exit_code == english.exit_code
    out = result.stdout
    for words in (
        "报告：",
        "的 30 晚",
        "抽筋次数：",
        "持续时间：",
        "您的日记中：long-cramp（尽快：今天就医）",
    ):
        assert words in out, words
    assert "日记只能显示规律" in out
    for label in ("Report:", "Cramps:", "Woken:", "Duration:", "In your diary", "What to do"):
        assert label not in out, label
    for width in (40, 60, 80):
        screen = zh(
            "report",
            "--db",
            db,
            "--format",
            "table",
            "--region",
            "cn",
            env={"COLUMNS": str(width)},
        ).stdout
        from rich.cells import cell_len

        assert max(cell_len(line) for line in screen.splitlines()) <= width
        assert "抽筋日记：最近 30 晚" in screen
        assert "Cramp diary" not in screen and "Cramps per week" not in screen


def test_meds_add_list_and_stop_in_chinese(db: str) -> None:
    added = zh(
        "meds", "add", "atorvastatin", "--since", "2025-03-02", "--db", db, "--format", "plain"
    )
    assert added.exit_code == 0, added.stderr
    assert "已添加：atorvastatin（编号 " in added.stdout
    assert "\t正在使用\t自2025年3月2日起\t" in added.stdout
    assert "可能与抽筋有关" in added.stdout
    assert "重要：" in added.stdout
    listed = zh("meds", "list", "--db", db, "--format", "markdown").stdout
    assert "# 您的药物" in listed and "| 药物 | 现在 | 日期 | 是否与抽筋有关 | 备注 |" in listed
    stopped = zh(
        "meds", "stop", "atorvastatin", "--on", "2025-04-01", "--db", db, "--format", "plain"
    )
    assert stopped.exit_code == 0, stopped.stderr
    assert "已停用：atorvastatin，2025年4月1日。" in stopped.stdout
    for out in (added.stdout, listed, stopped.stdout):
        assert not re.search(r"\b(Added|Stopped|taking|since|Important|Your medicines)\b", out)
    english = en("meds", "list", "--db", db, "--format", "plain").stdout
    assert "\tstopped\tsince 2025-03-02, stopped 2025-04-01\t" in english


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("log",), 2, "请说明哪块肌肉抽筋"),
        (("log", "小腿", "left", "right"), 2, "给出了两个腿侧：'left' 和 'right'"),
        (("log", "delete", "zz"), 2, "编号必须是记录编号的十六进制数字"),
        (("meds", "stop", "nothing-here"), 2, "您的药物清单中没有 'nothing-here'"),
    ],
)
def test_diary_errors_are_one_chinese_line(
    db: str, args: tuple[str, ...], code: int, words: str
) -> None:
    result = zh(*args, "--db", db)
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("错误：") and words in result.stderr
