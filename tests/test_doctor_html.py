"""The doctor's report as a printable page: valid HTML5, self-contained, escaped, and printed
by headless Chromium to at most two pages of Letter or A4 that carry the key figures.

Chromium and poppler-utils (pdftotext, pdfinfo) are installed by .ci/run. Without them the
print tests fail, so that CI can never pass by skipping them; to run the suite on a machine
without them, set CRAMP_SKIP_PRINT_TESTS=1 and they are skipped with that reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cramp_cli.answers import medicine_class
from cramp_cli.cli import app
from cramp_cli.diary.models import Entry, Medicine, new_id, night_of
from cramp_cli.diary.results import DoctorHeader, DoctorSummary, ThenAndNow
from cramp_cli.diary.store import Diary
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.render.doctor_html import _NOT_IN_HTML, render_html, weekly_svg
from tests.doctor_sample import HOSTILE_MEDICINE, HOSTILE_NOTE, LAST, sample_report, weeks
from tests.fixtures import doctor_diary

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def parse(page: str) -> object:
    """html5lib's strict parser raises on the first parse error of the HTML5 spec."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page)


def text_of(element: object) -> str:
    """The words of an element, a space between its pieces, as a browser lays them out."""
    return " ".join(" ".join(element.itertext()).split())  # type: ignore[attr-defined]


# ------------------------------------------------------------------------ the page as HTML


def test_the_page_is_valid_html5_with_a_language_and_a_charset() -> None:
    for report in (sample_report(), sample_report(with_entries=True)):
        page = render_html(report)
        tree = parse(page)
        root: Any = tree
        assert root.get("lang") == "en"
        assert root.find(f"{XHTML}head/{XHTML}meta[@charset='utf-8']") is not None
        assert page.startswith("<!DOCTYPE html>")


def test_the_page_is_self_contained_no_scripts_fonts_or_links_to_fetch() -> None:
    page = render_html(sample_report(with_entries=True))
    tree = parse(page)
    tags = {element.tag.split("}")[-1] for element in tree.iter()}  # type: ignore[attr-defined]
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for element in tree.iter():  # type: ignore[attr-defined]
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
                assert value.startswith("#"), (element.tag, name, value)
    style = "".join(text_of(e) for e in tree.iter(f"{XHTML}style"))  # type: ignore[attr-defined]
    assert "@import" not in style and "@font-face" not in style
    assert re.findall(r"url\(([^)]*)\)", page) == ["#partial-hatch"] * len(
        re.findall(r"url\(", page)
    )


def test_user_text_is_escaped_and_shows_as_written() -> None:
    page = render_html(sample_report(with_entries=True))
    tree = parse(page)
    body = text_of(tree.find(f"{XHTML}body"))  # type: ignore[attr-defined]
    # The note and the medicine name are text on the page, exactly as the person typed them.
    assert HOSTILE_NOTE in body
    assert HOSTILE_MEDICINE in body
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in page


def test_no_meaning_rests_on_colour_alone_every_colour_is_a_grey() -> None:
    page = render_html(sample_report())
    colours = re.findall(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", page)
    assert colours
    for colour in colours:
        digits = colour if len(colour) == 3 else colour[0::2]
        pairs = [colour[i : i + 2] for i in range(0, 6, 2)] if len(colour) == 6 else list(digits)
        assert len(set(pairs)) == 1, f"#{colour} is not a grey"
    assert not re.search(r"\b(red|green|blue|orange|yellow|purple)\b", page.split("</style>")[0])


def test_the_page_carries_the_disclaimer_and_the_medicine_lines() -> None:
    report = sample_report()
    body = text_of(parse(render_html(report)).find(f"{XHTML}body"))  # type: ignore[attr-defined]
    assert report.disclaimer in body
    assert report.medicine_note in body
    assert body.count(report.medicines[0].caution) == len(report.medicines)
    assert "cramp check" not in body


# ---------------------------------------------------------------------------- the chart


def test_the_chart_has_a_title_a_description_and_a_number_on_every_bar() -> None:
    report = sample_report()
    page = render_html(report)
    tree = parse(page)
    svg = tree.find(f".//{SVG}svg")  # type: ignore[attr-defined]
    assert svg is not None and svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert text_of(title) == "Nights with a cramp, week by week"
    labelled = svg.get("aria-labelledby").split()
    assert labelled == [title.get("id"), desc.get("id")]
    words = text_of(desc)
    for week in report.weekly:
        assert f"{week.start.day} " in words
    assert "week of 3 Sep 2026: 1 night;" in words
    assert "week of 3 Dec 2026: 1 night (partial week)." in words
    numbers = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert numbers == [str(w.nights) + ("*" if w.partial else "") for w in report.weekly]
    # A partial week is hatched, a full one solid: told apart without colour.
    bars = list(svg.iter(f"{SVG}rect"))[1:]  # the first rect is the hatch pattern's ground
    fills = [bar.get("fill") for bar in bars]
    assert fills == ["#444"] * 13 + ["url(#partial-hatch)"]


def test_the_chart_takes_tuples_and_an_empty_diary() -> None:
    rows = [(w.start, w.nights, w.partial) for w in weeks()]
    assert weekly_svg(rows) == weekly_svg(weeks())
    empty = weekly_svg([])
    parse(f"<!DOCTYPE html><html lang=en><title>t</title>{empty}</html>")
    assert "No weeks in the diary yet." in empty
    # The hatch is explained only when a bar is hatched.
    assert "Hatched bar, *: a partial week" in weekly_svg(rows)
    assert "Hatched" not in weekly_svg(rows[:-1]) and "Hatched" not in empty


def test_a_year_of_weeks_labels_fewer_weeks_and_every_bar_still_counts() -> None:
    rows = [(w.start, 7, False) for w in weeks()] * 4  # 56 bars
    svg = weekly_svg(rows)
    tree = parse(f"<!DOCTYPE html><html lang=en><title>t</title>{svg}</html>")
    labels = [
        t
        for t in tree.iter(f"{SVG}text")  # type: ignore[attr-defined]
        if t.get("font-size") == "10" and "Week" not in text_of(t)
    ]
    assert 0 < len(labels) < 56
    assert len(list(tree.iter(f"{SVG}rect"))) == 56 + 1  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- printed to PDF


def _tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("chromium", "pdftotext", "pdfinfo")}
    if found["chromium"] is None:
        found["chromium"] = shutil.which("chromium-browser") or shutil.which("google-chrome")
    missing = [name for name, path in found.items() if path is None]
    if missing:
        if os.environ.get("CRAMP_SKIP_PRINT_TESTS") == "1":
            pytest.skip(f"CRAMP_SKIP_PRINT_TESTS=1 and {', '.join(missing)} not installed")
        pytest.fail(
            f"{', '.join(missing)} not found: .ci/run installs chromium and poppler-utils; "
            "set CRAMP_SKIP_PRINT_TESTS=1 to skip the print tests on this machine"
        )
    return {name: str(path) for name, path in found.items()}


def print_to_pdf(page: str, folder: Path, paper: str | None = None) -> Path:
    """Print the page as a person would from Chromium, on its default paper (Letter) or, with
    `paper`, on that size (the same rule a printer dialog sets)."""
    tools = _tools()
    if paper:
        page = page.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1)
    source = folder / f"report-{paper or 'default'}.html"
    source.write_text(page, encoding="utf-8")
    pdf = source.with_suffix(".pdf")
    subprocess.run(
        [
            tools["chromium"],
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'chromium-profile'}",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert pdf.stat().st_size > 0
    return pdf


def pages(pdf: Path) -> int:
    info = subprocess.run(
        [_tools()["pdfinfo"], str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def pdf_text(pdf: Path, page: int | None = None, layout: bool = True) -> str:
    """The text of the PDF (or one page), spaces collapsed. `layout` reads each printed line
    from left to right, across the columns of the figures."""
    command = [_tools()["pdftotext"], *(["-layout"] if layout else [])]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    out = subprocess.run(
        [*command, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_three_months_print_on_two_pages_with_the_summary_on_page_1(
    tmp_path: Path, paper: str
) -> None:
    report = sample_report()
    pdf = print_to_pdf(render_html(report), tmp_path, paper)
    assert pages(pdf) == 2
    first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
    # Page 1: the header, the warning signs and the summary with its chart.
    for words in (
        "Period: 3 Sep 2026 to 6 Dec 2026 (95 nights)",
        "Nights with a cramp: 36 of 95",
        "Cramps logged: 40",
        "Printed: 6 Dec 2026",
        report.disclaimer,
        "Warning signs met: 2",
        "Nights with a cramp per week 2.7",
        "Median duration 4.5 min",
        "Longest 12 min",
        "Woke the person 27 of 40 (68%)",
        "calf 75%",
        "1*",  # the partial last week, starred on its bar
        "Page 1 of 2",
    ):
        assert words in first, words
    # Then and now fits below the chart (on A4 the medicines too); the rest is on page 2.
    assert "Then and now" in first
    assert "First 4 weeks 3 Sep to 30 Sep 6 7 1.5 3 min" in first
    assert "Questions to ask the doctor" in second
    both = f"{first} {second}"
    for words in (
        HOSTILE_MEDICINE,
        "cramp nights went from 1.5 to 3.3 a week",
        "do not stop it on your own",
        report.medicine_note,
        "Restless legs syndrome",
        "Questions to ask the doctor",
        "kidney function, calcium, magnesium",
        "Sources",
        "Page 2 of 2",
    ):
        assert words in both, words


def test_entries_start_on_a_page_of_their_own(tmp_path: Path) -> None:
    pdf = print_to_pdf(render_html(sample_report(with_entries=True)), tmp_path)
    count = pages(pdf)
    assert count >= 3
    assert pdf_text(pdf, 3).startswith("Every entry (40)")
    assert HOSTILE_NOTE in pdf_text(pdf, layout=False)


# ------------------------------------------------------------- any text, any empty report


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()),
    note=st.text(max_size=60),
)
def test_any_name_or_note_stays_text_and_the_page_stays_valid(name: str, note: str) -> None:
    report = sample_report()
    medicine = report.medicines[1]
    fields = {f: getattr(medicine, f) for f in medicine._field_names}
    changed = sample_report(
        medicines=(type(medicine)(**{**fields, "name": name, "note": note}),),
    )
    tree = parse(render_html(changed))
    medicines = [
        text_of(li)
        for section in tree.iter(f"{XHTML}section")  # type: ignore[attr-defined]
        if section.get("class") == "medicines"
        for li in section.iter(f"{XHTML}li")
    ]
    assert len(medicines) == 1

    def shown(text: str) -> str:  # as the page shows it: odd characters as U+FFFD
        return " ".join(_NOT_IN_HTML.sub("\ufffd", text.replace("\r", "\n")).split())

    assert medicines[0].startswith(shown(name) + " (since 2 Nov 2026")
    assert shown(note) in medicines[0]
    # Nothing the person typed became an element: the tags are the renderer's own.
    tags = {e.tag.split("}")[-1] for e in tree.iter()}  # type: ignore[attr-defined]
    assert tags <= _TAGS


_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "h1", "h2", "h3", "p",
    "b", "i", "span", "div", "section", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "th", "td", "svg", "desc", "defs", "pattern", "rect", "line", "text",
}  # fmt: skip


def test_an_empty_diary_still_makes_a_valid_page_that_says_so() -> None:
    report = sample_report(
        header=DoctorHeader(
            first_night=LAST, last_night=LAST, days=1, cramps=0, nights_with_cramps=0,
            printed=LAST,
        ),
        summary=DoctorSummary(
            weeks=0.1, nights_per_week=0.0, cramps_per_week=0.0, median_minutes=None,
            longest_minutes=None, timed_cramps=0, muscles=(), sides=(), woke=0,
            woke_share=None, times=(),
        ),
        then_and_now=ThenAndNow(split="halves", then=None, now=None, caveat=None),
        medicines=(), elsewhere=(), warning_signs=(), what_helped=(), what_helped_note=None,
        questions=(), weekly=(), sources=(),
    )  # fmt: skip
    tree = parse(render_html(report))
    body = text_of(tree.find(f"{XHTML}body"))  # type: ignore[attr-defined]
    for words in (
        "Nights with a cramp: 0 of 1",
        "No warning sign was logged or met in this diary.",
        "Median duration not timed",
        "First half not enough nights to compare",
        "No medicines recorded in the diary.",
        "No other symptom was logged with the cramps.",
        "No relief was logged.",
        "No weeks in the diary yet.",
        report.disclaimer,
        report.medicine_note,
    ):
        assert words in body, words


# ------------------------------------------- the real command: diary -> --output FILE.html

# The report's clock: Sunday 6 Dec 2026, 21:00 here (the diary's 3 months end that night).
NOW = datetime(2026, 12, 6, 21, 0).astimezone()


def _three_month_diary(db: Path) -> None:
    """About 40 cramps over 13 weeks, some with symptoms, and a statin started mid-way."""
    kb = load_builtin()
    entries = []
    for number in range(42):
        nights_ago = 90 - (number * 90) // 42
        day = night_of(NOW) - timedelta(days=nights_ago)
        at = datetime(day.year, day.month, day.day, 23, 30).astimezone() + timedelta(
            hours=number % 5
        )
        symptoms: tuple[str, ...] = ()
        if number in (9, 20, 33):
            symptoms = ("urge-to-move",)
        if number == 38:
            symptoms = ("swelling", "tingling")
        entries.append(
            Entry(
                id=f"{number:010x}",
                at=at,
                night=night_of(at),
                muscle="back-calf" if number % 4 else "sole",
                side="left" if number % 3 else "right",
                minutes=float(1 + number % 9) + (8 if number == 30 else 0),
                severity=3 + number % 6,
                woke=number % 3 != 2,
                relief="calf-stretch" if number % 2 else None,
                note="<script>alert(1)</script> stood on the cold floor" if number == 7 else "",
                symptoms=symptoms,
            )
        )
    statin = medicine_class(kb, "Simvastatin 40 mg")
    assert statin is not None
    with Diary.open(db) as diary:  # type: ignore[union-attr]
        diary.add_many(entries)
        diary.add_medicine(
            Medicine(
                id=new_id(),
                name="Simvastatin 40 mg",
                class_id=statin.id,
                since=night_of(NOW) - timedelta(days=45),
            )
        )
        diary.add_medicine(Medicine(id=new_id(), name="Vitamin <D>", note="1 a day"))


def _report(db: Path, *args: str) -> Any:
    return CliRunner().invoke(
        app,
        ["report", "--for-doctor", "--db", str(db), *args],
        obj={"now": NOW},
        catch_exceptions=False,
    )


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_real_3_month_diary_prints_its_figures_on_two_pages(tmp_path: Path, paper: str) -> None:
    db = tmp_path / "diary.sqlite3"
    _three_month_diary(db)
    page_file = tmp_path / "cramps.html"
    result = _report(db, "--output", str(page_file))
    assert result.exit_code == 0, result.stderr
    page = page_file.read_text(encoding="utf-8")
    parse(page)  # valid HTML5
    assert "<script>" not in page
    figures = json.loads(_report(db, "--json").stdout)
    head, summary = figures["header"], figures["summary"]
    pdf = print_to_pdf(page, tmp_path, paper)
    assert pages(pdf) <= 2
    first, everything = pdf_text(pdf, 1), pdf_text(pdf)
    assert f"Nights with a cramp: {head['nights_with_cramps']} of {head['days']}" in first
    assert f"Cramps logged: {head['cramps']}" in first
    assert f"Nights with a cramp per week {summary['nights_per_week']:.1f}" in first
    assert f"Longest {summary['longest_minutes']:.0f} min" in first
    assert "Printed: 6 Dec 2026" in first
    assert "Warning signs met" in first
    for words in (
        "Simvastatin 40 mg",
        "Vitamin <D>",
        "May be linked to cramps",
        "do not stop it on your own",
        "Questions to ask the doctor",
    ):
        assert words in everything, words


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_fixture_diary_prints_on_two_pages(tmp_path: Path, paper: str) -> None:
    """The made-up 3-month diary of tests/fixtures (about 40 cramps, a statin started
    mid-way), as `--format html` prints it."""
    db = doctor_diary.build(tmp_path / "diary.sqlite3")

    def report(fmt: str) -> str:
        result = CliRunner().invoke(
            app,
            ["report", "--for-doctor", "--db", str(db), "--format", fmt],
            obj={"now": doctor_diary.NOW},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        return str(result.stdout)

    page = report("html")
    parse(page)
    head = json.loads(report("json"))["header"]
    pdf = print_to_pdf(page, tmp_path, paper)
    assert pages(pdf) <= 2
    first, everything = pdf_text(pdf, 1), pdf_text(pdf)
    assert "Period: 3 Mar 2025 to 1 Jun 2025" in first
    assert f"Cramps logged: {head['cramps']}" in first
    assert f"Nights with a cramp: {head['nights_with_cramps']} of {head['days']}" in first
    assert "Nights with a cramp, week by week" in first
    for words in ("Atorvastatin", "May be linked to cramps", "Restless legs", "Sources"):
        assert words in everything, words
