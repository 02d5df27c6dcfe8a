"""`cramp report --for-doctor` as plain text and as Markdown: one page to print or paste.

Both views walk the same sections in the same order (those of DoctorReport); each returns
the whole text, the disclaimer in the header. Nothing here tells the reader to run a cramp
command: the page is for a clinician.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from cramp_cli.diary import day_words
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
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.models import NO_ADDRESS
from cramp_cli.render.markdown_text import esc, table

TITLE = N_("Night-time leg cramps: diary summary for a clinician")
BAR_WIDTH = 28
day = day_words.day
short_day = day_words.short_day

# Words of the page that name a value of the diary (the value itself stays in JSON and CSV).
SIDE_WORDS = {
    "left": N_("left"),
    "right": N_("right"),
    "both": N_("both"),
    "not given": N_("not given"),
}
LEVEL_WORDS = {
    "emergency": N_("emergency"),
    "urgent": N_("urgent"),
    "see-doctor": N_("see-doctor"),
    "self-care": N_("self-care"),
}


def side_word(side: str) -> str:
    return _(SIDE_WORDS[side]) if side in SIDE_WORDS else side


def level_word(level: str) -> str:
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


def nights_count(count: int) -> str:
    return (_("{count} night") if count == 1 else _("{count} nights")).format(count=f"{count:,}")


def cramps_count(count: int) -> str:
    return (_("{count} cramp") if count == 1 else _("{count} cramps")).format(count=f"{count:,}")


def heading(title: str, under: str) -> list[str]:
    """A plain-text heading, underlined to its width in columns."""
    return [title, under * day_words.cells(title)]


def minutes(value: float | None) -> str:
    if value is None:
        return _("not timed")
    return _("{minutes} min").format(minutes=format_minutes(value))


def percent(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def shares(items: tuple[Share, ...]) -> str:
    return _(", ").join(
        _("{name} {count} ({share})").format(
            name=item.name or side_word(item.id), count=item.count, share=percent(item.share)
        )
        for item in items
    )


def period_line(period: Period) -> str:
    return _(
        "{first} to {last} ({days}): {nights} with cramps ({per_week} a week), "
        "{cramps}, median {median}"
    ).format(
        first=short_day(period.first_night),
        last=day(period.last_night),
        days=nights_count(period.days),
        nights=nights_count(period.nights),
        per_week=f"{period.nights_per_week:g}",
        cramps=cramps_count(period.cramps),
        median=minutes(period.median_minutes),
    )


def nights_list(nights: tuple[date, ...], most: int = 12) -> str:
    shown = [day(night) for night in nights[:most]]
    more = len(nights) - most
    listed = _(", ").join(shown)
    return _("{listed} and {more} more").format(listed=listed, more=more) if more > 0 else listed


def header_lines(report: DoctorReport) -> list[tuple[str, str]]:
    header = report.header
    return [
        (
            _("Period"),
            _("{first} to {last} ({days})").format(
                first=day(header.first_night),
                last=day(header.last_night),
                days=nights_count(header.days),
            ),
        ),
        (
            _("Nights with a cramp"),
            _("{nights} ({cramps} in all)").format(
                nights=header.nights_with_cramps, cramps=cramps_count(header.cramps)
            ),
        ),
        (_("Printed"), day(header.printed)),
    ]


def summary_lines(report: DoctorReport) -> list[tuple[str, str]]:
    summary = report.summary
    rows = [
        (
            _("How often"),
            _(
                "{nights} nights with cramps a week, {cramps} cramps a week, over {weeks} weeks"
            ).format(
                nights=f"{summary.nights_per_week:g}",
                cramps=f"{summary.cramps_per_week:g}",
                weeks=f"{summary.weeks:g}",
            ),
        ),
        (
            _("How long"),
            _("median {median}, longest {longest} ({timed} of {cramps} timed)").format(
                median=minutes(summary.median_minutes),
                longest=minutes(summary.longest_minutes),
                timed=summary.timed_cramps,
                cramps=cramps_count(report.header.cramps),
            ),
        ),
        (_("Muscles"), shares(summary.muscles) or "-"),
        (_("Sides"), shares(summary.sides) or "-"),
        (
            _("Woke them"),
            _("{woke} of {cramps} ({share})").format(
                woke=summary.woke,
                cramps=cramps_count(report.header.cramps),
                share=percent(summary.woke_share),
            ),
        ),
        (_("Time of night"), shares(summary.times) or "-"),
    ]
    return rows


def week_label(week: WeekNights) -> str:
    label = f"{short_day(week.start)} - {short_day(week.end)}"
    return label


def week_note(week: WeekNights) -> str:
    if not week.partial:
        return ""
    length = (week.end - week.start).days + 1
    return _(" (partial: {length} of 7 nights)").format(length=length)


def bar(nights: int) -> str:
    """Four marks a night: a full week of cramp nights is BAR_WIDTH wide."""
    return "#" * (min(nights, 7) * BAR_WIDTH // 7)


def medicine_lines(line: MedicineLine) -> Iterator[str]:
    if line.since:
        dates = _("since {date}").format(date=day(line.since))
    else:
        dates = _("start date not given")
    if line.stopped:
        dates += _(", stopped {date}").format(date=day(line.stopped))
    head = _("{name}: {dates}.").format(name=line.name, dates=dates)
    if line.class_title:
        head += _(" Class: {title}").format(title=line.class_title)
        if line.linked:
            head += _(", may be linked to cramps (sources: {sources})").format(
                sources=", ".join(line.sources)
            )
        head += _(".")
    if line.note:
        head += _(" Note: {note}").format(note=line.note)
    yield head
    if line.comparison:
        yield line.comparison
    yield line.caution


def symptom_line(line: SymptomLine) -> str:
    times = _("once") if line.count == 1 else _("{count} times").format(count=line.count)
    text = _("{label}: logged {times} ({nights}).").format(
        label=line.label, times=times, nights=nights_list(line.nights)
    )
    if line.lookalike_title:
        text += _(" May suggest: {title}").format(title=line.lookalike_title)
        if line.points_to:
            text += _(" ({points_to})").format(points_to=line.points_to.rstrip(".。"))
        text += _(". Sources: {sources}.").format(sources=", ".join(line.sources))
    return text


def sign_line(line: SignMet) -> str:
    return _("{title} [{level}]: {nights}.").format(
        title=line.title, level=level_word(line.level), nights=nights_list(line.nights)
    )


def _advised(sign: SignMet) -> str:
    return _("Advised then") if sign.logged else _("cramp's advice for this sign")


def help_line(line: HelpLine) -> str:
    text = _("{title}: used for {uses}").format(
        title=line.title or line.id, uses=cramps_count(line.uses)
    )
    if line.timed:
        text += _("; those timed lasted a median of {median}, longest {longest}").format(
            median=minutes(line.median_minutes), longest=minutes(line.longest_minutes)
        )
    if line.uses < 5:
        text += _(" (too few to compare)")
    return text + _(".")


def entry_names(report: DoctorReport) -> dict[str, str]:
    """In a Chinese report, the names of the ids an entry holds (muscles, reliefs, symptoms);
    the English report has always shown the ids themselves."""
    if not day_words.chinese():
        return {}
    names = {share.id: share.name for share in report.summary.muscles if share.name}
    names.update((line.id, line.title) for line in report.what_helped if line.title)
    names.update((line.word, line.label) for line in report.elsewhere)
    return names


def entry_cells(entry: Entry, names: dict[str, str] | None = None) -> list[str]:
    names = names or {}
    return [
        entry.local_time,
        names.get(entry.muscle, entry.muscle),
        side_word(entry.side) if entry.side else "-",
        format_minutes(entry.minutes),
        "-" if entry.severity is None else str(entry.severity),
        _("yes") if entry.woke else _("no"),
        names.get(entry.relief, entry.relief) if entry.relief else "-",
        _(", ").join(names.get(word, word) for word in entry.symptoms) or "-",
        " ".join(entry.note.split()),
    ]


def entry_words(entry: Entry, names: dict[str, str] | None = None) -> str:
    """One entry as a line of words: '2025-03-04 03:20  calf, left, 2 min, severity 5,
    woke; relief: ...; symptoms: ...; note: ...'."""
    names = names or {}
    side = side_word(entry.side) if entry.side else _("side not given")
    facts = [names.get(entry.muscle, entry.muscle), side, minutes(entry.minutes)]
    if entry.severity is not None:
        facts.append(_("severity {severity}").format(severity=entry.severity))
    facts.append(_("woke") if entry.woke else _("did not wake"))
    text = entry.local_time + "  " + _(", ").join(facts)
    if entry.relief:
        text += _("; relief: {relief}").format(relief=names.get(entry.relief, entry.relief))
    if entry.symptoms:
        words = _(", ").join(names.get(word, word) for word in entry.symptoms)
        text += _("; symptoms: {symptoms}").format(symptoms=words)
    note = " ".join(entry.note.split())
    return text + (_("; note: {note}").format(note=note) if note else "")


_ENTRY_HEADERS = (
    N_("When"),
    N_("Muscle"),
    N_("Side"),
    N_("Minutes"),
    N_("Severity"),
    N_("Woke"),
    N_("Relief"),
    N_("Symptoms"),
    N_("Note"),
)


def entry_headers() -> list[str]:
    return [_(header) for header in _ENTRY_HEADERS]


def label_line(label: str, value: str) -> str:
    """'Period: ...', or '时间段：...' in Chinese."""
    return _("{label}: {value}").format(label=label, value=value)


def question_line(text: str, sources: str) -> str:
    return _("{text} (sources: {sources})").format(text=text, sources=sources)


# ---------------------------------------------------------------- plain


def render_doctor_plain(report: DoctorReport) -> str:
    return "\n".join(_plain(report)) + "\n"


def _plain(report: DoctorReport) -> Iterator[str]:
    title = _(TITLE)
    yield from heading(title, "=")
    for label, value in header_lines(report):
        yield label_line(label, value)
    yield label_line(_("Disclaimer"), report.disclaimer)
    yield ""
    yield from heading(_("Summary"), "-")
    for label, value in summary_lines(report):
        yield label_line(label, value)
    yield ""
    yield _("Nights with cramps per week (counted from the first entry)")
    label_width = max([16, *(day_words.cells(week_label(week)) for week in report.weekly)])
    for week in report.weekly:
        yield (
            f"  {day_words.pad(week_label(week), label_width)} {bar(week.nights):<{BAR_WIDTH}} "
            f"{week.nights}{week_note(week)}"
        ).rstrip()
    yield ""
    yield from heading(_("Then and now"), "-")
    yield from _then_and_now(report)
    yield ""
    yield from heading(_("Medicines"), "-")
    if not report.medicines:
        yield _("None recorded in the diary.")
    for line in report.medicines:
        first, *rest = medicine_lines(line)
        yield f"- {first}"
        for text in rest:
            yield f"  {text}"
    yield report.medicine_note
    yield ""
    yield from heading(_("Signs that point elsewhere"), "-")
    if not report.elsewhere:
        yield _("None logged.")
    for symptom in report.elsewhere:
        yield f"- {symptom_line(symptom)}"
    yield ""
    yield from heading(_("Warning signs met"), "-")
    if not report.warning_signs:
        yield _("None in the diary.")
    for sign in report.warning_signs:
        yield f"- {sign_line(sign)}"
        for advice in sign.advised:
            yield f"  {label_line(_advised(sign), advice)}"
    yield ""
    yield from heading(_("What helped, in their own words"), "-")
    if not report.what_helped:
        yield _("No relief recorded.")
    for relief in report.what_helped:
        yield f"- {help_line(relief)}"
        for words in relief.words:
            yield "  " + _('"{words}"').format(words=words)
    if report.what_helped_note:
        yield report.what_helped_note
    yield ""
    yield from heading(_("Questions to ask the doctor"), "-")
    for question in report.questions:
        yield f"- {question_line(question.text, ', '.join(question.sources))}"
    if report.sources:
        yield ""
        yield from heading(_("Sources"), "-")
        for source in report.sources:
            where = f" {source.url}" if source.url and source.url != NO_ADDRESS else ""
            yield f"- {source.id}: {source.title}. {source.publisher}, {source.year}.{where}"
    if report.entries:
        yield ""
        yield from heading(_("Every entry"), "-")
        yield "\t".join(entry_headers())
        for entry in report.entries:
            yield "\t".join(entry_cells(entry, entry_names(report)))


def _then_and_now(report: DoctorReport) -> Iterator[str]:
    compared = report.then_and_now
    if compared.then is None or compared.now is None:
        yield _("The diary is too short to compare.")
        return
    if compared.split == "four-weeks":
        yield _("The first 4 weeks of the diary against the last 4:")
    else:
        yield _("The first half of the diary against the second:")
    yield "- " + label_line(_("Then"), period_line(compared.then))
    yield "- " + label_line(_("Now"), period_line(compared.now))
    if compared.caveat:
        yield compared.caveat


# ---------------------------------------------------------------- markdown


def render_doctor_markdown(report: DoctorReport) -> str:
    return "\n".join(_markdown(report)) + "\n"


def _markdown(report: DoctorReport) -> Iterator[str]:
    yield f"# {_(TITLE)}"
    yield ""
    for label, value in header_lines(report):
        yield f"- **{label}" + _(":") + f"** {esc(value)}"
    yield ""
    yield f"*{esc(report.disclaimer)}*"
    yield ""
    yield "## " + _("Summary")
    yield ""
    for label, value in summary_lines(report):
        yield f"- **{label}" + _(":") + f"** {esc(value)}"
    yield ""
    yield "### " + _("Nights with cramps per week")
    yield ""
    yield _("Counted from the first entry; a partial week is marked.")
    yield ""
    yield from table(
        [_("Week"), _("Nights with cramps"), _("Cramps")],
        (
            [week_label(week) + week_note(week), str(week.nights), str(week.cramps)]
            for week in report.weekly
        ),
    )
    yield "## " + _("Then and now")
    yield ""
    for line in _then_and_now(report):
        yield esc(line) if not line.startswith("- ") else "- " + esc(line[2:])
    yield ""
    yield "## " + _("Medicines")
    yield ""
    if not report.medicines:
        yield _("None recorded in the diary.")
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
    yield "## " + _("Signs that point elsewhere")
    yield ""
    if not report.elsewhere:
        yield _("None logged.")
    for symptom in report.elsewhere:
        yield f"- {esc(symptom_line(symptom))}"
    yield ""
    yield "## " + _("Warning signs met")
    yield ""
    if not report.warning_signs:
        yield _("None in the diary.")
    for sign in report.warning_signs:
        yield _("- **{title}** ({level}): {nights}.").format(
            title=esc(sign.title),
            level=level_word(sign.level),
            nights=esc(nights_list(sign.nights)),
        )
        for advice in sign.advised:
            yield f"  {label_line(_advised(sign), esc(advice))}"
    yield ""
    yield "## " + _("What helped, in their own words")
    yield ""
    if not report.what_helped:
        yield _("No relief recorded.")
    for relief in report.what_helped:
        yield f"- {esc(help_line(relief))}"
        for words in relief.words:
            yield f"  > {esc(words)}"
    if report.what_helped_note:
        yield ""
        yield esc(report.what_helped_note)
    yield ""
    yield "## " + _("Questions to ask the doctor")
    yield ""
    for question in report.questions:
        yield f"- {question_line(esc(question.text), esc(', '.join(question.sources)))}"
    yield ""
    if report.sources:
        yield "## " + _("Sources")
        yield ""
        for source in report.sources:
            where = f" <{source.url}>" if source.url and source.url != NO_ADDRESS else ""
            yield (
                f"- `{source.id}`: {esc(source.title)}. {esc(source.publisher)}, "
                f"{esc(source.year)}.{where}"
            )
        yield ""
    if report.entries:
        yield "## " + _("Every entry")
        yield ""
        names = entry_names(report)
        yield from table(entry_headers(), (entry_cells(entry, names) for entry in report.entries))


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
            # Chinese has no spaces to wrap at: a long run folds instead of being cut.
            table.add_row(label, Text(value, overflow="fold" if day_words.chinese() else None))
        return table

    def section(title: str, lines: Iterator[str] | list[str]) -> Any:
        text = Text("\n")  # a blank line between sections
        text.append(title, style="bold underline")
        for line in lines:
            text.append(f"\n{line}", style="none")
        return text

    parts: list[Any] = [Text(_(TITLE), style="bold"), grid(header_lines(report))]
    parts.append(Text(report.disclaimer, style="italic"))
    parts.append(section(_("Summary"), []))
    parts.append(grid(summary_lines(report)))
    chart = Table(
        title=_("Nights with cramps per week (from the first entry)"),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
    )
    chart.add_column(_("Week"), no_wrap=True)
    chart.add_column(_("Nights"), justify="right", no_wrap=True)
    chart.add_column("")
    for week in report.weekly:
        label = week_label(week)
        if week.partial:  # on a line of its own: a narrow screen cuts nothing
            length = (week.end - week.start).days + 1
            label += "\n" + _("partial: {length} of 7 nights").format(length=length)
        chart.add_row(label, str(week.nights), Bar(week.nights / 7, BAR_WIDTH))
    parts.append(chart)
    parts.append(section(_("Then and now"), list(_then_and_now(report))))
    medicines: list[str] = [] if report.medicines else [_("None recorded in the diary.")]
    for line in report.medicines:
        first, *rest = medicine_lines(line)
        medicines += [f"- {first}", *(f"  {text}" for text in rest)]
    parts.append(section(_("Medicines"), [*medicines, report.medicine_note]))
    parts.append(
        section(
            _("Signs that point elsewhere"),
            [f"- {symptom_line(line)}" for line in report.elsewhere] or [_("None logged.")],
        )
    )
    signs: list[str] = [] if report.warning_signs else [_("None in the diary.")]
    for sign in report.warning_signs:
        signs += [
            f"- {sign_line(sign)}",
            *(f"  {label_line(_advised(sign), text)}" for text in sign.advised),
        ]
    parts.append(section(_("Warning signs met"), signs))
    helped: list[str] = [] if report.what_helped else [_("No relief recorded.")]
    for relief in report.what_helped:
        helped += [
            f"- {help_line(relief)}",
            *("  " + _('"{words}"').format(words=words) for words in relief.words),
        ]
    if report.what_helped_note:
        helped.append(report.what_helped_note)
    parts.append(section(_("What helped, in their own words"), helped))
    parts.append(
        section(
            _("Questions to ask the doctor"),
            [f"- {question_line(q.text, ', '.join(q.sources))}" for q in report.questions],
        )
    )
    if report.sources:
        parts.append(
            section(
                _("Sources"),
                [f"- {s.id}: {s.title}. {s.publisher}, {s.year}." for s in report.sources],
            )
        )
    if report.entries:  # lines, not a table: nine columns do not fit a narrow screen
        parts.append(
            section(
                _("Every entry"),
                [entry_words(entry, entry_names(report)) for entry in report.entries],
            )
        )
    return parts
