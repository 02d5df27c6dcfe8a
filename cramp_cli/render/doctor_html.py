"""The doctor's report as one printable HTML page (`cramp report --for-doctor --format html`).

The page is self-contained: no scripts, no web fonts, no links to fetch, so it opens the same
offline, from an e-mail or a USB stick. Its print stylesheet suits A4 and Letter alike (the
paper size is the printer's; the margins fit both), and nothing is told by colour alone: the
chart marks partial weeks with a hatch and a star, and warning signs with a heavy frame and
words. Every string that came from the person (notes, medicine names, relief words) or from a
knowledge base file goes through html.escape, so `<script>` in a note prints as text.

Page 1 holds the header, any warning signs met and the summary with its chart; the other
sections start on page 2. `--entries` appends the list of entries from page 3 on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from typing import Any

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(day: date) -> str:
    """`2 Mar`: the same in every locale (strftime's %b follows the C library's)."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def long_date(day: date) -> str:
    return f"{day_month(day)} {day.year}"


def _week(week: Any) -> tuple[date, int, bool]:
    """A week of the chart: (week_start, nights, partial), as a tuple or a shape."""
    if isinstance(week, tuple):
        start, nights, partial = week
    else:
        start = week.week_start if hasattr(week, "week_start") else week.start
        nights, partial = week.nights, week.partial
    return start, int(nights), bool(partial)


# The chart's frame, in SVG user units (the SVG scales to the width of the page).
_WIDTH = 640
_HEIGHT = 190
_LEFT = 34  # room for the axis numbers
_RIGHT = 8
_TOP = 16  # room for the number over a full bar
_BOTTOM = 36  # room for the week labels and the legend
_MAX_NIGHTS = 7


def weekly_svg(weeks: Sequence[Any]) -> str:
    """Cramp nights per week as an inline SVG bar chart, with a text alternative.

    Each bar carries its number, so the figures survive a black-and-white copy and can be read
    from the PDF's text; a partial week (the diary began or ended inside it) is hatched and its
    number starred. <title> and <desc> give the same figures to a screen reader.
    """
    rows = [_week(week) for week in weeks]
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    base = _TOP + plot_h
    slot = plot_w / max(len(rows), 1)
    bar = max(min(slot * 0.7, 40.0), 1.0)
    # Label every week while they fit, else every 2nd, 4th... (the bars keep their numbers).
    every = 1
    while slot * every < 34:
        every *= 2
    numbers = slot >= 14

    def y(nights: float) -> float:
        return base - plot_h * min(nights, _MAX_NIGHTS) / _MAX_NIGHTS

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="11">',
        '<title id="chart-title">Nights with a cramp, week by week</title>',
        f'<desc id="chart-desc">{escape(_chart_words(rows))}</desc>',
        "<defs>"
        '<pattern id="partial-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="2"/>'
        "</pattern></defs>",
    ]
    for nights in range(0, _MAX_NIGHTS + 1):
        if nights % 7 and nights % 2:
            continue
        line_y = y(nights)
        style = 'stroke="#000"' if nights == 0 else 'stroke="#999" stroke-dasharray="2 3"'
        parts.append(
            f'<line x1="{_LEFT}" y1="{line_y:.1f}" x2="{_WIDTH - _RIGHT}" y2="{line_y:.1f}" '
            f'{style} stroke-width="0.8"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 6}" y="{line_y + 4:.1f}" text-anchor="end">{nights}</text>'
        )
    for index, (start, nights, partial) in enumerate(rows):
        centre = _LEFT + slot * (index + 0.5)
        top = y(nights)
        fill = 'fill="url(#partial-hatch)"' if partial else 'fill="#444"'
        if nights:
            parts.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{top:.1f}" width="{bar:.1f}" '
                f'height="{base - top:.1f}" {fill} stroke="#000" stroke-width="1"/>'
            )
        if numbers:
            mark = "*" if partial else ""
            parts.append(
                f'<text x="{centre:.1f}" y="{top - 4:.1f}" text-anchor="middle" '
                f'font-weight="bold">{nights}{mark}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 14}" text-anchor="middle" '
                f'font-size="10">{day_month(start)}</text>'
            )
    parts.append(
        f'<text x="{_LEFT}" y="{_HEIGHT - 4}" font-size="10">Week starting (Monday). '
        "Hatched bar, *: partial week, the diary began or ended inside it.</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _chart_words(rows: Iterable[tuple[date, int, bool]]) -> str:
    words = [
        f"week of {long_date(start)}: {nights} night{'' if nights == 1 else 's'}"
        + (" (partial week)" if partial else "")
        for start, nights, partial in rows
    ]
    if not words:
        return "No weeks in the diary yet."
    return "Nights with a cramp per week, " + "; ".join(words) + "."


# One stylesheet for the screen and for print. Print: 10 pt type, margins that suit A4
# (210 x 297 mm) and Letter (216 x 279 mm), a page break before page 2 and before the
# entries, and no section split across pages when it can be helped.
STYLE = """
@page { size: auto; margin: 13mm 14mm 14mm 14mm; }
:root { color: #000; background: #fff; }
body { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  font-size: 10.5pt; line-height: 1.35; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 16pt; margin: 0 0 .2rem; }
h2 { font-size: 12pt; margin: .9rem 0 .3rem; border-bottom: 1.5px solid #000; }
h3 { font-size: 10.5pt; margin: .6rem 0 .2rem; }
p, ul, ol { margin: .25rem 0; }
ul, ol { padding-left: 1.2rem; }
li { margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0; }
th, td { border: 1px solid #000; padding: .15rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; }
.meta { margin: .2rem 0; }
.disclaimer { font-size: 9pt; border: 1px solid #000; padding: .3rem .5rem; margin: .4rem 0; }
.caution { font-weight: bold; }
.caveat, .source, .small { font-size: 9pt; }
.warning { border: 3px double #000; padding: .2rem .6rem .4rem; margin: .5rem 0; }
.warning h2 { border: 0; margin-top: .2rem; }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.2rem; }
.figures div { display: flex; justify-content: space-between; border-bottom: 1px dotted #777;
  padding: .1rem 0; }
.figures b { white-space: nowrap; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .3rem 0; }
section { break-inside: avoid; }
.page-2 { break-before: page; }
.entries { break-before: page; }
.entries table { font-size: 8.5pt; }
.entries tr { break-inside: avoid; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  a { color: #000; text-decoration: none; }
}
"""
