"""`cramp report --for-doctor` as plain text and as Markdown: one page to print or paste.

Both views walk the same sections in the same order (those of DoctorReport); each returns
the whole text, the disclaimer in the header. Nothing here tells the reader to run a cramp
command: the page is for a clinician.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from cramp_cli.diary.models import Entry, format_minutes
from cramp_cli.diary.results import (
    DoctorReport,
    HelpLine,
    MedicineLine,
    Period,
    Share,
    SignMet,
    SymptomLine,
    WeekNights,
)
from cramp_cli.knowledge.models import NO_ADDRESS
from cramp_cli.render.markdown_text import counted, esc, table

TITLE = "Night-time leg cramps: diary summary for a clinician"
BAR_WIDTH = 28


def day(value: date) -> str:
    """6 Dec 2026 (English month names whatever the locale)."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_day(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def minutes(value: float | None) -> str:
    return "not timed" if value is None else f"{format_minutes(value)} min"


def percent(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def shares(items: tuple[Share, ...]) -> str:
    return ", ".join(
        f"{item.name or item.id} {item.count} ({percent(item.share)})" for item in items
    )


def period_line(period: Period) -> str:
    nights = "night" if period.nights == 1 else "nights"
    cramps = "cramp" if period.cramps == 1 else "cramps"
    return (
        f"{short_day(period.first_night)} to {day(period.last_night)} "
        f"({counted(period.days, 'night')}): "
        f"{period.nights} {nights} with cramps ({period.nights_per_week:g} a week), "
        f"{period.cramps} {cramps}, median {minutes(period.median_minutes)}"
    )


def nights_list(nights: tuple[date, ...], most: int = 12) -> str:
    shown = [day(night) for night in nights[:most]]
    more = len(nights) - most
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def header_lines(report: DoctorReport) -> list[tuple[str, str]]:
    header = report.header
    return [
        (
            "Period",
            f"{day(header.first_night)} to {day(header.last_night)} "
            f"({counted(header.days, 'night')})",
        ),
        (
            "Nights with a cramp",
            f"{header.nights_with_cramps} ({counted(header.cramps, 'cramp')} in all)",
        ),
        ("Printed", day(header.printed)),
    ]


def summary_lines(report: DoctorReport) -> list[tuple[str, str]]:
    summary = report.summary
    rows = [
        (
            "How often",
            f"{summary.nights_per_week:g} nights with cramps a week, {summary.cramps_per_week:g} "
            f"cramps a week, over {summary.weeks:g} weeks",
        ),
        (
            "How long",
            f"median {minutes(summary.median_minutes)}, longest "
            f"{minutes(summary.longest_minutes)} ({summary.timed_cramps} of "
            f"{counted(report.header.cramps, 'cramp')} timed)",
        ),
        ("Muscles", shares(summary.muscles) or "-"),
        ("Sides", shares(summary.sides) or "-"),
        (
            "Woke them",
            f"{summary.woke} of {counted(report.header.cramps, 'cramp')} "
            f"({percent(summary.woke_share)})",
        ),
        ("Time of night", shares(summary.times) or "-"),
    ]
    return rows


def week_label(week: WeekNights) -> str:
    label = f"{short_day(week.start)} - {short_day(week.end)}"
    return label


def week_note(week: WeekNights) -> str:
    if not week.partial:
        return ""
    length = (week.end - week.start).days + 1
    return f" (partial: {length} of 7 nights)"


def bar(nights: int) -> str:
    """Four marks a night: a full week of cramp nights is BAR_WIDTH wide."""
    return "#" * (min(nights, 7) * BAR_WIDTH // 7)


def medicine_lines(line: MedicineLine) -> Iterator[str]:
    dates = f"since {day(line.since)}" if line.since else "start date not given"
    if line.stopped:
        dates += f", stopped {day(line.stopped)}"
    head = f"{line.name}: {dates}."
    if line.class_title:
        head += f" Class: {line.class_title}"
        if line.linked:
            head += f", may be linked to cramps (sources: {', '.join(line.sources)})"
        head += "."
    if line.note:
        head += f" Note: {line.note}"
    yield head
    if line.comparison:
        yield line.comparison
    yield line.caution


def symptom_line(line: SymptomLine) -> str:
    times = "once" if line.count == 1 else f"{line.count} times"
    text = f"{line.label}: logged {times} ({nights_list(line.nights)})."
    if line.lookalike_title:
        text += f" May suggest: {line.lookalike_title}"
        if line.points_to:
            text += f" ({line.points_to.rstrip('.')})"
        text += f". Sources: {', '.join(line.sources)}."
    return text


def sign_line(line: SignMet) -> str:
    return f"{line.title} [{line.level}]: {nights_list(line.nights)}."


def _advised(sign: SignMet) -> str:
    return "Advised then" if sign.logged else "cramp's advice for this sign"


def help_line(line: HelpLine) -> str:
    uses = "1 cramp" if line.uses == 1 else f"{line.uses} cramps"
    text = f"{line.title or line.id}: used for {uses}"
    if line.timed:
        text += (
            f"; those timed lasted a median of {minutes(line.median_minutes)}, longest "
            f"{minutes(line.longest_minutes)}"
        )
    if line.uses < 5:
        text += " (too few to compare)"
    return text + "."


def entry_cells(entry: Entry) -> list[str]:
    return [
        entry.local_time,
        entry.muscle,
        entry.side or "-",
        format_minutes(entry.minutes),
        "-" if entry.severity is None else str(entry.severity),
        "yes" if entry.woke else "no",
        entry.relief or "-",
        ", ".join(entry.symptoms) or "-",
        " ".join(entry.note.split()),
    ]


def entry_words(entry: Entry) -> str:
    """One entry as a line of words: '2025-03-04 03:20  calf, left, 2 min, severity 5,
    woke; relief: ...; symptoms: ...; note: ...'."""
    facts = [entry.muscle, entry.side or "side not given", minutes(entry.minutes)]
    if entry.severity is not None:
        facts.append(f"severity {entry.severity}")
    facts.append("woke" if entry.woke else "did not wake")
    text = f"{entry.local_time}  {', '.join(facts)}"
    if entry.relief:
        text += f"; relief: {entry.relief}"
    if entry.symptoms:
        text += f"; symptoms: {', '.join(entry.symptoms)}"
    note = " ".join(entry.note.split())
    return text + (f"; note: {note}" if note else "")


ENTRY_HEADERS = [
    "When",
    "Muscle",
    "Side",
    "Minutes",
    "Severity",
    "Woke",
    "Relief",
    "Symptoms",
    "Note",
]


# ---------------------------------------------------------------- plain


def render_doctor_plain(report: DoctorReport) -> str:
    return "\n".join(_plain(report)) + "\n"


def _plain(report: DoctorReport) -> Iterator[str]:
    yield TITLE
    yield "=" * len(TITLE)
    for label, value in header_lines(report):
        yield f"{label}: {value}"
    yield f"Disclaimer: {report.disclaimer}"
    yield ""
    yield "Summary"
    yield "-------"
    for label, value in summary_lines(report):
        yield f"{label}: {value}"
    yield ""
    yield "Nights with cramps per week (counted from the first entry)"
    for week in report.weekly:
        yield (
            f"  {week_label(week):<16} {bar(week.nights):<{BAR_WIDTH}} "
            f"{week.nights}{week_note(week)}"
        ).rstrip()
    yield ""
    yield "Then and now"
    yield "------------"
    yield from _then_and_now(report)
    yield ""
    yield "Medicines"
    yield "---------"
    if not report.medicines:
        yield "None recorded in the diary."
    for line in report.medicines:
        first, *rest = medicine_lines(line)
        yield f"- {first}"
        for text in rest:
            yield f"  {text}"
    yield report.medicine_note
    yield ""
    yield "Signs that point elsewhere"
    yield "--------------------------"
    if not report.elsewhere:
        yield "None logged."
    for symptom in report.elsewhere:
        yield f"- {symptom_line(symptom)}"
    yield ""
    yield "Warning signs met"
    yield "-----------------"
    if not report.warning_signs:
        yield "None in the diary."
    for sign in report.warning_signs:
        yield f"- {sign_line(sign)}"
        for advice in sign.advised:
            yield f"  {_advised(sign)}: {advice}"
    yield ""
    yield "What helped, in their own words"
    yield "-------------------------------"
    if not report.what_helped:
        yield "No relief recorded."
    for relief in report.what_helped:
        yield f"- {help_line(relief)}"
        for words in relief.words:
            yield f'  "{words}"'
    if report.what_helped_note:
        yield report.what_helped_note
    yield ""
    yield "Questions to ask the doctor"
    yield "---------------------------"
    for question in report.questions:
        yield f"- {question.text} (sources: {', '.join(question.sources)})"
    if report.sources:
        yield ""
        yield "Sources"
        yield "-------"
        for source in report.sources:
            where = f" {source.url}" if source.url and source.url != NO_ADDRESS else ""
            yield f"- {source.id}: {source.title}. {source.publisher}, {source.year}.{where}"
    if report.entries:
        yield ""
        yield "Every entry"
        yield "-----------"
        yield "\t".join(ENTRY_HEADERS)
        for entry in report.entries:
            yield "\t".join(entry_cells(entry))


def _then_and_now(report: DoctorReport) -> Iterator[str]:
    compared = report.then_and_now
    if compared.then is None or compared.now is None:
        yield "The diary is too short to compare."
        return
    if compared.split == "four-weeks":
        yield "The first 4 weeks of the diary against the last 4:"
    else:
        yield "The first half of the diary against the second:"
    yield f"- Then: {period_line(compared.then)}"
    yield f"- Now: {period_line(compared.now)}"
    if compared.caveat:
        yield compared.caveat


# ---------------------------------------------------------------- markdown


def render_doctor_markdown(report: DoctorReport) -> str:
    return "\n".join(_markdown(report)) + "\n"


def _markdown(report: DoctorReport) -> Iterator[str]:
    yield f"# {TITLE}"
    yield ""
    for label, value in header_lines(report):
        yield f"- **{label}:** {esc(value)}"
    yield ""
    yield f"*{esc(report.disclaimer)}*"
    yield ""
    yield "## Summary"
    yield ""
    for label, value in summary_lines(report):
        yield f"- **{label}:** {esc(value)}"
    yield ""
    yield "### Nights with cramps per week"
    yield ""
    yield "Counted from the first entry; a partial week is marked."
    yield ""
    yield from table(
        ["Week", "Nights with cramps", "Cramps"],
        (
            [week_label(week) + week_note(week), str(week.nights), str(week.cramps)]
            for week in report.weekly
        ),
    )
    yield "## Then and now"
    yield ""
    for line in _then_and_now(report):
        yield esc(line) if not line.startswith("- ") else "- " + esc(line[2:])
    yield ""
    yield "## Medicines"
    yield ""
    if not report.medicines:
        yield "None recorded in the diary."
        yield ""
    for medicine in report.medicines:
        first, *rest = medicine_lines(medicine)
        yield f"- {esc(first)}"
        for text in rest:
            yield f"  {esc(text)}"
    if report.medicines:
        yield ""
    yield f"**{esc(report.medicine_note)}**"
    yield ""
    yield "## Signs that point elsewhere"
    yield ""
    if not report.elsewhere:
        yield "None logged."
    for symptom in report.elsewhere:
        yield f"- {esc(symptom_line(symptom))}"
    yield ""
    yield "## Warning signs met"
    yield ""
    if not report.warning_signs:
        yield "None in the diary."
    for sign in report.warning_signs:
        yield f"- **{esc(sign.title)}** ({sign.level}): {esc(nights_list(sign.nights))}."
        for advice in sign.advised:
            yield f"  {_advised(sign)}: {esc(advice)}"
    yield ""
    yield "## What helped, in their own words"
    yield ""
    if not report.what_helped:
        yield "No relief recorded."
    for relief in report.what_helped:
        yield f"- {esc(help_line(relief))}"
        for words in relief.words:
            yield f"  > {esc(words)}"
    if report.what_helped_note:
        yield ""
        yield esc(report.what_helped_note)
    yield ""
    yield "## Questions to ask the doctor"
    yield ""
    for question in report.questions:
        yield f"- {esc(question.text)} (sources: {esc(', '.join(question.sources))})"
    yield ""
    if report.sources:
        yield "## Sources"
        yield ""
        for source in report.sources:
            where = f" <{source.url}>" if source.url and source.url != NO_ADDRESS else ""
            yield (
                f"- `{source.id}`: {esc(source.title)}. {esc(source.publisher)}, "
                f"{esc(source.year)}.{where}"
            )
        yield ""
    if report.entries:
        yield "## Every entry"
        yield ""
        yield from table(ENTRY_HEADERS, (entry_cells(entry) for entry in report.entries))


# ---------------------------------------------------------------- rich (the terminal)


def rich_doctor(report: DoctorReport) -> list[Any]:
    """The same sections on a terminal, the chart as Rich bars; rich_view adds the
    disclaimer at the end, and the header carries it too."""
    from rich import box  # noqa: TID251
    from rich.table import Table  # noqa: TID251
    from rich.text import Text  # noqa: TID251

    from cramp_cli.render.rich_parts import Bar

    def grid(rows: list[tuple[str, str]]) -> Any:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for label, value in rows:
            table.add_row(label, Text(value))
        return table

    def section(title: str, lines: Iterator[str] | list[str]) -> Any:
        text = Text("\n")  # a blank line between sections
        text.append(title, style="bold underline")
        for line in lines:
            text.append(f"\n{line}", style="none")
        return text

    parts: list[Any] = [Text(TITLE, style="bold"), grid(header_lines(report))]
    parts.append(Text(report.disclaimer, style="italic"))
    parts.append(section("Summary", []))
    parts.append(grid(summary_lines(report)))
    chart = Table(
        title="Nights with cramps per week (from the first entry)",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
    )
    chart.add_column("Week", no_wrap=True)
    chart.add_column("Nights", justify="right", no_wrap=True)
    chart.add_column("")
    for week in report.weekly:
        label = week_label(week)
        if week.partial:  # on a line of its own: a narrow screen cuts nothing
            label += f"\npartial: {(week.end - week.start).days + 1} of 7 nights"
        chart.add_row(label, str(week.nights), Bar(week.nights / 7, BAR_WIDTH))
    parts.append(chart)
    parts.append(section("Then and now", list(_then_and_now(report))))
    medicines: list[str] = [] if report.medicines else ["None recorded in the diary."]
    for line in report.medicines:
        first, *rest = medicine_lines(line)
        medicines += [f"- {first}", *(f"  {text}" for text in rest)]
    parts.append(section("Medicines", [*medicines, report.medicine_note]))
    parts.append(
        section(
            "Signs that point elsewhere",
            [f"- {symptom_line(line)}" for line in report.elsewhere] or ["None logged."],
        )
    )
    signs: list[str] = [] if report.warning_signs else ["None in the diary."]
    for sign in report.warning_signs:
        signs += [f"- {sign_line(sign)}", *(f"  {_advised(sign)}: {text}" for text in sign.advised)]
    parts.append(section("Warning signs met", signs))
    helped: list[str] = [] if report.what_helped else ["No relief recorded."]
    for relief in report.what_helped:
        helped += [f"- {help_line(relief)}", *(f'  "{words}"' for words in relief.words)]
    if report.what_helped_note:
        helped.append(report.what_helped_note)
    parts.append(section("What helped, in their own words", helped))
    parts.append(
        section(
            "Questions to ask the doctor",
            [f"- {q.text} (sources: {', '.join(q.sources)})" for q in report.questions],
        )
    )
    if report.sources:
        parts.append(
            section(
                "Sources",
                [f"- {s.id}: {s.title}. {s.publisher}, {s.year}." for s in report.sources],
            )
        )
    if report.entries:  # lines, not a table: nine columns do not fit a narrow screen
        parts.append(
            section(
                "Every entry",
                [entry_words(entry) for entry in report.entries],
            )
        )
    return parts
