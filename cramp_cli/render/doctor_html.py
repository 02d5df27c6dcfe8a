"""The doctor's report as one printable HTML page (`cramp report --for-doctor --format html`).

The page is self-contained: no scripts, no web fonts, no links to fetch, so it opens the same
offline, from an e-mail or a USB stick. Its print stylesheet suits A4 and Letter alike (the
paper size is the printer's; the margins fit both), and nothing is told by colour alone: the
chart marks partial weeks with a hatch and a star, and warning signs with a heavy frame and
words. Every string that came from the person (notes, medicine names, relief words) or from a
knowledge base file goes through html.escape, so `<script>` in a note prints as text.

Page 1 holds the header, any warning signs met and the summary with its chart; the other
sections follow in smaller type, breaking between their items where a page ends (no forced
page break: a forced one would leave page 1 part empty and push a full diary onto a third
page).
`--entries` appends the list of entries on pages of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from cramp_cli import i18n
from cramp_cli.diary import day_words
from cramp_cli.i18n.text import N_, _

if TYPE_CHECKING:
    from cramp_cli.diary.results import DoctorReport, Period, SignMet


def day_month(day: date) -> str:
    """`2 Mar` (the same in every locale: strftime's %b follows the C library's), or 3月2日."""
    return day_words.short_day(day)


def long_date(day: date) -> str:
    return day_words.day(day)


def _nights_word(count: int) -> str:
    return (_("{count} night") if count == 1 else _("{count} nights")).format(count=count)


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
_HEIGHT = 270
_LEFT = 34  # room for the axis numbers
_RIGHT = 8
_TOP = 16  # room for the number over a full bar
_BOTTOM = 36  # room for the week labels and the legend
_MAX_NIGHTS = 7


def weekly_svg(weeks: Sequence[Any]) -> str:
    """Cramp nights per week as an inline SVG bar chart, with a text alternative.

    Each bar carries its number, so the figures survive a black-and-white copy and can be read
    from the PDF's text; a partial week (fewer than 7 of its nights in the period) is hatched
    and its number starred. <title> and <desc> give the same figures to a screen reader.
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
        '<title id="chart-title">' + escape(_("Nights with a cramp, week by week")) + "</title>",
        f'<desc id="chart-desc">{escape(_chart_words(rows))}</desc>',
        "<defs>"
        '<pattern id="partial-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="2"/>'
        "</pattern></defs>",
    ]
    for nights in (0, 2, 4, _MAX_NIGHTS):  # 7: a cramp every night
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
    legend = _("Weeks counted from the first entry; the date is the week's first night.")
    if any(partial for _start, _nights, partial in rows):
        legend += _(" Hatched bar, *: a partial week (fewer than 7 nights in the period).")
    parts.append(f'<text x="{_LEFT}" y="{_HEIGHT - 4}" font-size="10">{escape(legend)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _chart_words(rows: Iterable[tuple[date, int, bool]]) -> str:
    words = [
        _("week of {date}: {nights}").format(date=long_date(start), nights=_nights_word(nights))
        + (_(" (partial week)") if partial else "")
        for start, nights, partial in rows
    ]
    if not words:
        return _("No weeks in the diary yet.")
    return _("Nights with a cramp per week, {weeks}.").format(weeks=_("; ").join(words))


# The Chinese page: the same stylesheet, CJK fonts first (Latin letters and numbers take the
# CJK font's own Latin glyphs), and the page numbers in Chinese.
_CJK_FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
_CJK_FONTS += '"Microsoft YaHei", '


def style() -> str:
    """The stylesheet for the language of this run."""
    if i18n.current() == i18n.ENGLISH:
        return STYLE
    return (
        STYLE.replace('"Noto Sans", ', _CJK_FONTS + '"Noto Sans", ')
        .replace('content: "Page " counter(page) " of " counter(pages);', PAGE_OF_ZH)
        .replace("line-height: 1.35;", "line-height: 1.5;")
    )


PAGE_OF_ZH = 'content: "第 " counter(page) " 页，共 " counter(pages) " 页";'

# One stylesheet for the screen and for print. Print: 10 pt type (9 pt after the summary),
# margins that suit A4 (210 x 297 mm) and Letter (216 x 279 mm), page numbers, a page break
# before the entries, and no section split across pages when it can be helped.
STYLE = """
@page { size: auto; margin: 11mm 13mm 12mm 13mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 8pt "Noto Sans", "DejaVu Sans", Arial, sans-serif; } }
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
/* After the summary, a long section may go on over the page, between its items: page 1
   fills up and page 2 keeps room. A heading stays with what follows it. */
.details section { break-inside: auto; }
h2, h3 { break-after: avoid; }
li, tr, p { break-inside: avoid; }
.entries { break-before: page; }
.helped td:last-child { width: 58%; }
.elsewhere td:last-child { width: 50%; }
.sources { break-inside: auto; }
.entries table { font-size: 8.5pt; }
.entries tr { break-inside: avoid; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  .details { font-size: 9pt; line-height: 1.25; }
  .details h2 { margin: .5rem 0 .2rem; }
  .details th, .details td { padding: .05rem .3rem; }
  .sources p { font-size: 7.5pt; line-height: 1.25; }
  a { color: #000; text-decoration: none; }
}
"""


_LEVEL_WORDS = {
    "emergency": N_("emergency"),
    "urgent": N_("urgent: get help the same day"),
    "see-doctor": N_("see a doctor"),
    "self-care": N_("self-care"),
}


# What HTML5 does not allow in a page: controls other than whitespace, lone surrogates and
# noncharacters. A note cannot hold them, but a name from an imported file might: each prints
# as U+FFFD, so the page stays valid and says that something was there.
_NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _e(text: object) -> str:
    """Text for the page: escaped (quotes too, for attributes), never markup."""
    return escape(_NOT_IN_HTML.sub("\ufffd", str(text)), quote=True)


def _minutes(value: float | None) -> str:
    if value is None:
        return _("not timed")
    if value < 10 and value != int(value):
        return _("{minutes} min").format(minutes=f"{value:.1f}")
    return _("{minutes} min").format(minutes=f"{value:.0f}")


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def _per_week(value: float) -> str:
    return f"{value:.1f}"


def _nights(days: Iterable[date], limit: int = 8) -> str:
    shown = sorted(days)
    words = _(", ").join(day_month(day) for day in shown[:limit])
    if len(shown) > limit:
        words = _("{listed} and {more} more").format(listed=words, more=len(shown) - limit)
    return words


class _Cites:
    """Source ids as [1], [2]: numbered in the order of the report's list of sources."""

    def __init__(self, report: DoctorReport) -> None:
        self.number = {source.id: index for index, source in enumerate(report.sources, 1)}

    def __call__(self, ids: Iterable[str]) -> str:
        marks = [str(self.number.get(source_id, source_id)) for source_id in dict.fromkeys(ids)]
        if not marks:
            return ""
        return f' <span class="source">[{_e(", ".join(marks))}]</span>'


def render_html(report: DoctorReport) -> str:
    """The whole report as one self-contained HTML page, ready to print."""
    cite = _Cites(report)
    head = report.header
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{i18n.current()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>"
        + _e(
            _("Night cramps diary: {first} to {last}").format(
                first=long_date(head.first_night), last=long_date(head.last_night)
            )
        )
        + "</title>",
        f"<style>{style()}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>" + _e(_("Night-time leg cramps: diary summary for the doctor")) + "</h1>",
        '<p class="meta">'
        + _(
            "<b>Period:</b> {first} to {last} ({days}). "
            "<b>Nights with a cramp:</b> {nights} of {all_days}. "
            "<b>Cramps logged:</b> {cramps}. "
            "<b>Printed:</b> {printed}."
        ).format(
            first=_e(long_date(head.first_night)),
            last=_e(long_date(head.last_night)),
            days=_e(_nights_word(head.days)),
            nights=head.nights_with_cramps,
            all_days=head.days,
            cramps=head.cramps,
            printed=_e(long_date(head.printed)),
        )
        + "</p>",
        f'<p class="disclaimer">{_e(report.disclaimer)}</p>',
        "</header>",
        "<main>",
    ]
    parts += _warning_signs(report, cite)
    parts += _summary(report)
    parts += ['<div class="details">']
    parts += _then_and_now(report)
    parts += _medicines(report, cite)
    parts += _elsewhere(report, cite)
    parts += _what_helped(report)
    parts += _questions(report, cite)
    parts += _sources(report)
    parts += ["</div>"]
    if report.entries:
        parts += _entries(report)
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _warning_signs(report: DoctorReport, cite: _Cites) -> list[str]:
    if not report.warning_signs:
        return [
            '<section class="signs">',
            "<h2>" + _e(_("Warning signs met")) + "</h2>",
            "<p>" + _e(_("No warning sign was logged or met in this diary.")) + "</p>",
            "</section>",
        ]
    out = [
        '<section class="signs warning">',
        "<h2>"
        + _e(_("Warning signs met: {count}").format(count=len(report.warning_signs)))
        + "</h2>",
        "<ul>",
    ]
    for sign in report.warning_signs:
        advised = " ".join(sign.advised)
        level = _(_LEVEL_WORDS[sign.level]) if sign.level in _LEVEL_WORDS else sign.level
        out.append(
            f"<li><b>{_e(sign.title)}</b> ({_e(level)})"
            + _("{cited}. Nights: {nights}.").format(
                cited=cite(sign.sources), nights=_e(_nights(sign.nights))
            )
            + (
                " "
                + _("<i>{advised}:</i> {advice}").format(advised=_advised(sign), advice=_e(advised))
                if advised
                else ""
            )
            + "</li>"
        )
    out += ["</ul>", "</section>"]
    return out


def _advised(sign: SignMet) -> str:
    """Whether the advice is what cramp said when the sign was logged, or the sign's own."""
    return _e(_("Advised then") if sign.logged else _("cramp's advice for this sign"))


def _shares(shares: Iterable[Any]) -> str:
    from cramp_cli.render.doctor_text import side_word

    words = [f"{share.name or side_word(share.id)} {_percent(share.share)}" for share in shares]
    return _(", ").join(words) or "-"


def _summary(report: DoctorReport) -> list[str]:
    summary = report.summary
    woke = (
        _("{woke} of {cramps} ({share})").format(
            woke=summary.woke, cramps=report.header.cramps, share=_percent(summary.woke_share)
        )
        if summary.woke_share is not None
        else "-"
    )
    figures = [
        (_("Nights with a cramp per week"), _per_week(summary.nights_per_week)),
        (_("Cramps per week"), _per_week(summary.cramps_per_week)),
        (_("Median duration"), _minutes(summary.median_minutes)),
        (_("Longest"), _minutes(summary.longest_minutes)),
        (
            _("Cramps timed"),
            _("{timed} of {cramps}").format(
                timed=summary.timed_cramps, cramps=report.header.cramps
            ),
        ),
        (_("Woke the person"), woke),
    ]
    out = [
        '<section class="summary">',
        "<h2>" + _e(_("Summary over {weeks} weeks").format(weeks=f"{summary.weeks:g}")) + "</h2>",
        '<div class="figures">',
    ]
    out += [f"<div><span>{_e(label)}</span><b>{_e(value)}</b></div>" for label, value in figures]
    out += [
        "</div>",
        _("<p><b>Muscles:</b> {shares}.</p>").format(shares=_e(_shares(summary.muscles))),
        _("<p><b>Sides:</b> {shares}.</p>").format(shares=_e(_shares(summary.sides))),
        _("<p><b>Time of night:</b> {shares}.</p>").format(shares=_e(_shares(summary.times))),
        "<h3>" + _e(_("Nights with a cramp, week by week")) + "</h3>",
        weekly_svg(report.weekly),
        "</section>",
    ]
    return out


def _period_row(label: str, period: Period | None) -> str:
    if period is None:
        return (
            f"<tr><th>{_e(label)}</th><td colspan=5>"
            + _e(_("not enough nights to compare"))
            + "</td></tr>"
        )
    span = _("{first} to {last}").format(
        first=day_month(period.first_night), last=day_month(period.last_night)
    )
    return (
        f"<tr><th>{_e(label)}</th>"
        f"<td>{_e(span)}</td>"
        f'<td class="num">{period.nights}</td><td class="num">{period.cramps}</td>'
        f'<td class="num">{_per_week(period.nights_per_week)}</td>'
        f'<td class="num">{_e(_minutes(period.median_minutes))}</td></tr>'
    )


def _then_and_now(report: DoctorReport) -> list[str]:
    compare = report.then_and_now
    first, last = (
        (_("First 4 weeks"), _("Last 4 weeks"))
        if compare.split == "four-weeks"
        else (_("First half"), _("Second half"))
    )
    out = [
        '<section class="then-now">',
        "<h2>" + _e(_("Then and now")) + "</h2>",
        "<table><thead><tr><th></th><th>" + _e(_("Nights")) + "</th>"
        '<th class="num">' + _e(_("Nights with a cramp")) + "</th>"
        '<th class="num">' + _e(_("Cramps")) + "</th>"
        '<th class="num">' + _e(_("Per week")) + "</th>"
        '<th class="num">' + _e(_("Median duration")) + "</th></tr></thead>",
        "<tbody>",
        _period_row(first, compare.then),
        _period_row(last, compare.now),
        "</tbody></table>",
    ]
    if compare.caveat:
        out.append(f'<p class="caveat">{_e(compare.caveat)}</p>')
    out.append("</section>")
    return out


def _medicines(report: DoctorReport, cite: _Cites) -> list[str]:
    out = ['<section class="medicines">', "<h2>" + _e(_("Medicines")) + "</h2>"]
    if not report.medicines:
        out.append("<p>" + _e(_("No medicines recorded in the diary.")) + "</p>")
    else:
        out.append("<ul>")
        for line in report.medicines:
            if line.since:
                dates = _("since {date}").format(date=long_date(line.since))
            else:
                dates = _("start date not recorded")
            if line.stopped:
                dates += _(", stopped {date}").format(date=long_date(line.stopped))
            text = _("<b>{name}</b> ({dates})").format(name=_e(line.name), dates=_e(dates))
            if line.note:
                text += _(": {note}").format(note=_e(line.note))
            if line.linked:
                kind = (
                    _(" ({title})").format(title=_e(line.class_title)) if line.class_title else ""
                )
                text += _(". <b>May be linked to cramps</b>{kind}{cited}").format(
                    kind=kind, cited=cite(line.sources)
                )
            elif line.class_title:
                text += _(" ({title})").format(title=_e(line.class_title))
            text += _(".")
            if line.comparison:
                text += f" {_e(line.comparison)}"
            text += f' <span class="caution">{_e(line.caution)}</span>'
            out.append(f"<li>{text}</li>")
        out.append("</ul>")
    out += [f'<p class="caution">{_e(report.medicine_note)}</p>', "</section>"]
    return out


def _elsewhere(report: DoctorReport, cite: _Cites) -> list[str]:
    out = ['<section class="elsewhere">', "<h2>" + _e(_("Signs that point elsewhere")) + "</h2>"]
    if not report.elsewhere:
        out += [
            "<p>" + _e(_("No other symptom was logged with the cramps.")) + "</p>",
            "</section>",
        ]
        return out
    out.append(
        "<table><thead><tr><th>" + _e(_("Logged symptom")) + "</th>"
        '<th class="num">' + _e(_("Cramps")) + "</th>"
        "<th>" + _e(_("Nights")) + "</th><th>" + _e(_("May point to")) + "</th></tr></thead><tbody>"
    )
    for line in report.elsewhere:
        points = line.lookalike_title or line.points_to or "-"
        if line.lookalike_title and line.points_to:
            points = _("{title}: {points_to}").format(
                title=line.lookalike_title, points_to=line.points_to
            )
        if line.sign:
            points = (
                _("{points}; also a warning sign (above)").format(points=points)
                if points != "-"
                else _("a warning sign: see Warning signs met")
            )
        out.append(
            f'<tr><td>{_e(line.label)}</td><td class="num">{line.count}</td>'
            f"<td>{_e(_nights(line.nights, 6))}</td>"
            f"<td>{_e(points)}{cite(line.sources)}</td></tr>"
        )
    out += ["</tbody></table>", "</section>"]
    return out


def _what_helped(report: DoctorReport) -> list[str]:
    title = _("What helped, in the person's own words")
    out = [
        '<section class="helped">',
        f"<h2>{_e(title)}</h2>",
    ]
    if not report.what_helped:
        out.append("<p>" + _e(_("No relief was logged.")) + "</p>")
    else:
        out.append(
            "<table><thead><tr><th>" + _e(_("Relief")) + "</th>"
            '<th class="num">' + _e(_("Used")) + "</th>"
            '<th class="num">'
            + _e(_("Median"))
            + '</th><th class="num">'
            + _e(_("Longest"))
            + "</th>"
            "<th>" + _e(_("Their notes")) + "</th></tr></thead><tbody>"
        )
        for line in report.what_helped:
            words = _("; ").join(f"\u201c{word}\u201d" for word in line.words) or "-"
            out.append(
                f'<tr><td>{_e(line.title or line.id)}</td><td class="num">{line.uses}</td>'
                f'<td class="num">{_e(_minutes(line.median_minutes))}</td>'
                f'<td class="num">{_e(_minutes(line.longest_minutes))}</td>'
                f"<td>{_e(words)}</td></tr>"
            )
        out.append("</tbody></table>")
    if report.what_helped_note:
        out.append(f'<p class="caveat">{_e(report.what_helped_note)}</p>')
    out.append("</section>")
    return out


def _questions(report: DoctorReport, cite: _Cites) -> list[str]:
    if not report.questions:
        return []
    out = [
        '<section class="questions">',
        "<h2>" + _e(_("Questions to ask the doctor")) + "</h2>",
        "<ol>",
    ]
    out += [
        f"<li>{_e(question.text)}{cite(question.sources)}</li>" for question in report.questions
    ]
    out += ["</ol>", "</section>"]
    return out


def _sources(report: DoctorReport) -> list[str]:
    """The sources as one run-in paragraph of small type: a list would cost page 2 a third
    of its length."""
    if not report.sources:
        return []
    from cramp_cli.knowledge.models import NO_ADDRESS

    cited = []
    for number, source in enumerate(report.sources, 1):
        where = ""
        if source.url and source.url != NO_ADDRESS:
            where = " " + source.url.removeprefix("https://").removeprefix("http://")
        cited.append(
            f"<b>[{number}]</b> {_e(source.title)}. {_e(source.publisher)}, "
            f"{_e(source.year)}.{_e(where)}"
        )
    return [
        '<section class="sources">',
        "<h2>" + _e(_("Sources")) + "</h2>",
        f"<p>{' '.join(cited)}</p>",
        "</section>",
    ]


def _entries(report: DoctorReport) -> list[str]:
    from cramp_cli.render.doctor_text import side_word

    names = {share.id: share.name for share in report.summary.muscles if share.name}
    reliefs = {line.id: line.title for line in report.what_helped if line.title}
    out = [
        '<section class="entries">',
        "<h2>" + _e(_("Every entry ({count})").format(count=len(report.entries))) + "</h2>",
        "<table><thead><tr>"
        "<th>"
        + _e(_("When"))
        + "</th><th>"
        + _e(_("Muscle"))
        + "</th><th>"
        + _e(_("Side"))
        + "</th>"
        '<th class="num">'
        + _e(_("Minutes"))
        + '</th><th class="num">'
        + _e(_("Severity"))
        + "</th>"
        "<th>"
        + _e(_("Woke"))
        + "</th><th>"
        + _e(_("Relief"))
        + "</th><th>"
        + _e(_("Symptoms"))
        + "</th>"
        "<th>" + _e(_("Note")) + "</th></tr></thead><tbody>",
    ]
    for entry in report.entries:
        minutes = "-" if entry.minutes is None else f"{entry.minutes:g}"
        severity = "-" if entry.severity is None else str(entry.severity)
        relief = reliefs.get(entry.relief, entry.relief) if entry.relief else "-"
        symptoms = ", ".join(getattr(entry, "symptoms", ())) or "-"
        out.append(
            f"<tr><td>{_e(entry.local_time)}</td><td>{_e(names.get(entry.muscle, entry.muscle))}"
            f"</td><td>{_e(side_word(entry.side) if entry.side else '-')}</td>"
            f'<td class="num">{_e(minutes)}</td>'
            f'<td class="num">{_e(severity)}</td><td>'
            + _e(_("yes") if entry.woke else _("no"))
            + f"</td>"
            f"<td>{_e(relief)}</td><td>{_e(symptoms)}</td><td>{_e(entry.note)}</td></tr>"
        )
    out += ["</tbody></table>", "</section>"]
    return out
