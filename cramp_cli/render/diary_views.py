"""Plain, Markdown and Rich views of the diary results (log, history, report, import).

Plain views yield lines (one record per line, tab-separated, values in words); the plain
renderer adds the disclaimer. Rich is imported inside the rich_* functions only, so plain
and JSON output never load it. Diary text (notes, triggers) goes into Rich as Text, never
as markup. The verdict of a report is drawn by the same view as `cramp check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import pairwise
from typing import Any

from cramp_cli.diary.models import Entry, format_minutes
from cramp_cli.diary.results import (
    Count,
    HistoryResult,
    ImportResult,
    LogResult,
    PatternFinding,
    ReportResult,
    Week,
)
from cramp_cli.render.markdown_text import counted as _n
from cramp_cli.render.markdown_text import esc, table
from cramp_cli.results import CheckResult

MEASURE_WORDS = {
    "longest_minutes": "the longest cramp (minutes)",
    "nights_per_week": "nights with cramps a week",
    "cramps_per_week": "cramps a week",
    "woke_nights_per_week": "nights woken a week",
    "mean_severity": "the mean severity",
}
CHART_WEEKS = 26  # the human chart shows the most recent weeks; JSON has them all
BAR_WIDTH = 30

# ---------------------------------------------------------------- shared wording


def _dash(value: object) -> str:
    return "-" if value in (None, "", ()) else str(value)


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def _fields(entry: Entry) -> list[str]:
    return [
        entry.id,
        entry.local_time,
        f"night of {entry.night}",
        entry.muscle,
        entry.side or "-",
        f"{format_minutes(entry.minutes)} min" if entry.minutes is not None else "-",
        f"severity {entry.severity}" if entry.severity is not None else "-",
        "woke" if entry.woke else "-",
        ",".join(entry.triggers) or "-",
        entry.relief or "-",
        _one_line(entry.note) or "-",
    ]


def _finding_words(finding: PatternFinding) -> str:
    measure = MEASURE_WORDS[finding.measure]
    if finding.more_than is not None:
        rule = f"more than {finding.more_than:g}"
    else:
        rule = f"at least {finding.at_least:g}"
    return f"{measure}: {finding.value:g}, {rule}"


SEEN_SHOWN = 6  # nights or cramps a human view names for one sign; then "and N more"


NBSP = "\u00a0"  # holds a date together: the Rich view wraps only at plain spaces


def _day(night: date, last: date) -> str:
    """'3 Dec', with the year when it is not the year of the report's last night."""
    year = f"{NBSP}{night.year}" if night.year != last.year else ""
    return f"{night.day}{NBSP}{night:%b}{year}"


def _seen_words(finding: PatternFinding, last: date, shown: int | None = SEEN_SHOWN) -> str:
    """When the diary met the sign, newest first: '3 Dec: a cramp of 12 minutes' or
    'Cramps on 12 nights (6 a week): 5 Dec, 4 Dec, ... and 6 more'."""
    listed = finding.seen if shown is None else finding.seen[:shown]
    more = finding.count - len(listed)
    if finding.measure == "longest_minutes":
        parts = [
            f"{_day(item.night, last)}: a cramp of {_n(item.minutes or 0, 'minute')}"
            for item in listed
        ]
        text = "; ".join(parts)
        return text + (f"; and {more:,} more" if more else "")
    lead = {
        "nights_per_week": f"Cramps on {_n(finding.count, 'night')} ({finding.value:g} a week)",
        "woke_nights_per_week": (
            f"Woken on {_n(finding.count, 'night')} ({finding.value:g} a week)"
        ),
        "cramps_per_week": f"{finding.value:g} cramps a week, on {_n(finding.count, 'night')}",
        "mean_severity": (
            f"A mean severity of {finding.value:g} of 10, over {_n(finding.count, 'night')}"
        ),
    }[finding.measure]
    text = ", ".join(_day(item.night, last) for item in listed)
    return f"{lead}: {text}" + (f" and {more:,} more" if more else "")


def _past_note(result: ReportResult) -> str:
    """Said instead of a level when every entry is older than 24 hours."""
    return (
        "These signs are from the diary; its latest entry is more than 24 hours old, so "
        "cramp cannot tell how you are now. If you have a cramp or any warning sign now, run "
        "'cramp check'."
    )


def _count_words(counts: tuple[Count, ...], total: int) -> str:
    return ", ".join(f"{item.id} {item.count} of {total}" for item in counts)


def _stats(result: ReportResult) -> list[tuple[str, str]]:
    """(label, text) pairs of the report's numbers, for every view."""
    rows: list[tuple[str, str]] = []
    rate_basis = (
        f" (the diary covers only {_n(result.covered_days, 'night')} so far)"
        if result.covered_days < result.days
        else ""
    )
    rows.append(
        (
            "Cramps",
            f"{result.cramps} on {result.nights_with_cramps} of {_n(result.days, 'night')}; "
            f"{_n(result.cramps_per_week, 'cramp')} and {_n(result.nights_per_week, 'night')} "
            f"a week{rate_basis}",
        )
    )
    rows.append(
        (
            "Woken",
            f"{_n(result.nights_woken, 'night')} ({result.woke_nights_per_week:g} a week)",
        )
    )
    if result.timed_cramps:
        rows.append(
            (
                "Duration",
                f"mean {format_minutes(result.mean_minutes)} min, longest "
                f"{format_minutes(result.longest_minutes)} min "
                f"({result.timed_cramps} of {result.cramps} timed)",
            )
        )
    if result.rated_cramps:
        rows.append(
            (
                "Severity",
                f"mean {result.mean_severity:g} of 10 ({result.rated_cramps} of "
                f"{result.cramps} rated)",
            )
        )
    if result.muscle is not None:
        name = f" ({result.muscle.name})" if result.muscle.name else ""
        rows.append(
            ("Muscle", f"{result.muscle.id}{name}, {result.muscle.count} of {result.cramps}")
        )
    if result.side is not None:
        rows.append(("Side", f"{result.side.id}, {result.side.count} of {result.cramps}"))
    if result.triggers:
        rows.append(("Triggers", _count_words(result.triggers, result.cramps)))
    for relief in result.reliefs:
        lasted = (
            f"; those cramps lasted {format_minutes(relief.mean_minutes)} min on average "
            f"(longest {format_minutes(relief.longest_minutes)})"
            if relief.mean_minutes is not None
            else ""
        )
        title = f" ({relief.title})" if relief.title else ""
        uses = "once" if relief.uses == 1 else f"{relief.uses} times"
        rows.append(("Relief", f"{relief.id}{title}: used {uses}{lasted}"))
    return rows


def _weeks(result: ReportResult) -> list[Any]:
    return list(result.weeks[-CHART_WEEKS:])


def _partial(week: Week) -> str:
    """' (partial: 3 of 7 nights)' for a week the report's nights do not fill, else ''."""
    if not week.partial:
        return ""
    return f" (partial: {(week.end - week.start).days + 1} of 7 nights)"


def _bar(count: int, most: int, width: int = BAR_WIDTH) -> int:
    if count <= 0 or most <= 0:
        return 0
    return max(1, round(count / most * width))


# ---------------------------------------------------------------- plain


def plain_log(result: LogResult) -> Iterator[str]:
    for entry in result.items:
        yield "\t".join(_fields(entry))
        if result.action == "added":
            yield (
                f"Added: entry {entry.id}. Change it: cramp log edit {entry.id} ...; "
                f"remove it: cramp log delete {entry.id}"
            )
        elif result.action == "edited":
            yield f"Edited: entry {entry.id}."
        else:
            yield f"Deleted: entry {entry.id}."
    for line in result.notes:
        yield f"Note: {line}"
    for line in result.advice:
        yield f"Warning: {line}"


def plain_history(result: HistoryResult) -> Iterator[str]:
    for entry in result.items:
        yield "\t".join(_fields(entry))
    if not result.items:
        yield _empty_history(result)
    else:
        yield f"Shown: {len(result.items)} of {result.total}, newest first."


def _empty_history(result: HistoryResult) -> str:
    filters = result.filters
    if filters.since or filters.until or filters.muscle:
        return "No diary entries match."
    return "No diary entries yet. Log one: cramp log --muscle calf --minutes 2"


def plain_report(
    result: ReportResult, check_lines: Callable[[CheckResult], Iterator[str]]
) -> Iterator[str]:
    yield f"Report: the {result.days} nights from {result.first_night} to {result.last_night}"
    if not result.cramps:
        yield "No cramps logged in these nights."
    for label, text in _stats(result):
        yield f"{label}: {text}"
    weeks = _weeks(result)
    most = max((week.cramps for week in weeks), default=0)
    for week in weeks:
        bar = "#" * _bar(week.cramps, most)
        counts = f"{_n(week.cramps, 'cramp')}\t{_n(week.nights, 'night')}"
        yield f"Week\t{week.start}\t{week.end}\t{counts}\t{bar}{_partial(week)}"
    for finding in result.items:
        yield (
            f"In your diary: {finding.id} ({finding.level}): "
            f"{_seen_words(finding, result.last_night).replace(NBSP, ' ')}"
        )
        yield f"  Meaning: {finding.wording}"
        yield f"  What to do: {finding.advice}"
        yield f"  Why: {_finding_words(finding)}. {finding.reason}"
    if result.check is None:
        yield "Signs: the pattern meets none of the warning-sign rules."
    elif result.current:
        yield from check_lines(result.check)
    else:
        yield f"Now: {_past_note(result)}"
        for line in result.check.safety_net:
            yield f"Safety net: {line}"
    yield f"Note: {result.note}"


def plain_import(result: ImportResult) -> Iterator[str]:
    yield (
        f"Imported: {_n(result.imported, 'entry', 'entries')}; skipped {result.skipped:,} "
        "already in the diary."
    )
    if result.medicines:
        yield f"Imported: {_n(result.medicines, 'medicine')}."


# ---------------------------------------------------------------- markdown


def _esc(text: str) -> str:
    return esc(text)


def _md_table(headers: list[str], rows: list[list[str]]) -> Iterator[str]:
    yield from table(headers, rows)


def _md_entries(entries: tuple[Entry, ...]) -> Iterator[str]:
    headers = ["Id", "When", "Night", "Muscle", "Side", "Minutes", "Severity", "Woke"]
    headers += ["Triggers", "Relief", "Note"]
    rows = []
    for entry in entries:
        rows.append(
            [
                entry.id,
                entry.local_time,
                str(entry.night),
                entry.muscle,
                _dash(entry.side),
                format_minutes(entry.minutes),
                _dash(entry.severity),
                "yes" if entry.woke else "no",
                ", ".join(entry.triggers) or "-",
                _dash(entry.relief),
                _one_line(entry.note) or "-",
            ]
        )
    yield from _md_table(headers, rows)


def markdown_log(result: LogResult) -> Iterator[str]:
    yield f"# Diary entry {result.action}"
    yield ""
    yield from _md_entries(result.items)
    for line in result.notes:
        yield f"> {_esc(line)}"
        yield ""
    for line in result.advice:
        yield f"> **Warning:** {_esc(line)}"
        yield ""


def markdown_history(result: HistoryResult) -> Iterator[str]:
    yield "# Cramp diary"
    yield ""
    if not result.items:
        yield _esc(_empty_history(result))
        yield ""
        return
    yield from _md_entries(result.items)
    yield f"{len(result.items):,} of {_n(result.total, 'entry', 'entries')}, newest first."
    yield ""


def markdown_report(
    result: ReportResult, check_lines: Callable[[CheckResult], Iterator[str]]
) -> Iterator[str]:
    yield f"# Cramp diary: the {result.days} nights to {result.last_night}"
    yield ""
    if not result.cramps:
        yield "No cramps logged in these nights."
        yield ""
    for label, text in _stats(result):
        yield f"- **{label}:** {_esc(text)}"
    yield ""
    weeks = _weeks(result)
    if weeks:
        shown = f" (the last {len(weeks)})" if len(weeks) < len(result.weeks) else ""
        yield f"## Cramps per week{shown}"
        yield ""
        most = max(week.cramps for week in weeks)
        rows = [
            [
                f"{w.start} to {w.end}{_partial(w)}",
                str(w.cramps),
                str(w.nights),
                "█" * _bar(w.cramps, most),
            ]
            for w in weeks
        ]
        yield from _md_table(["Week", "Cramps", "Nights", ""], rows)
    yield "## In your diary"
    yield ""
    if not result.items:
        yield "The pattern meets none of the warning-sign rules."
        yield ""
    for finding in result.items:
        yield (
            f"- **{finding.id}** ({finding.level}): "
            f"{_esc(_seen_words(finding, result.last_night).replace(NBSP, ' '))}.  "
        )
        yield f"  {_esc(finding.wording)}  "
        yield f"  **What to do:** {_esc(finding.advice)}  "
        yield f"  *Why:* {_esc(_finding_words(finding))}. {_esc(finding.reason)}"
    if result.items:
        yield ""
    if result.check is not None and result.current:
        for line in check_lines(result.check):
            yield f"#{line}" if line.startswith("#") else line
    elif result.check is not None:
        yield f"**Now:** {_esc(_past_note(result))}"
        yield ""
        yield "## Safety net"
        yield ""
        for line in result.check.safety_net:
            yield f"- {_esc(line)}"
        yield ""
    yield f"> {_esc(result.note)}"
    yield ""


def markdown_import(result: ImportResult) -> Iterator[str]:
    yield "# Import"
    yield ""
    yield (
        f"Imported {_n(result.imported, 'entry', 'entries')}; skipped {result.skipped:,} "
        "already in the diary."
    )
    yield ""


# ---------------------------------------------------------------- rich


def _entry_table(title: str, entries: tuple[Entry, ...], *, logged: bool = False) -> Any:
    """Two columns, when and what, so it reads at any width from 40 columns up; `logged`:
    with the level and advice cramp gave when each entry was logged."""
    from rich.text import Text  # noqa: TID251

    from cramp_cli.render.rich_parts import titled_table

    table = titled_table(title, show_lines=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Cramp", ratio=1, overflow="fold")
    for entry in entries:
        when = Text(entry.local_time.replace(" ", "\n"), style="bold")
        when.append(f"\n{entry.id}", style="dim")
        what = Text(entry.muscle, style="bold")
        if entry.side:
            what.append(f", {entry.side}")
        facts = []
        if entry.minutes is not None:
            facts.append(f"{format_minutes(entry.minutes)} min")
        if entry.severity is not None:
            facts.append(f"severity {entry.severity}/10")
        if facts:
            what.append(f"\n{', '.join(facts)}")
        if entry.woke:
            what.append(f"{', ' if facts else chr(10)}woke me", style="yellow")
        if entry.triggers:
            what.append(f"\ntriggers: {', '.join(entry.triggers)}")
        if entry.relief:
            what.append(f"\nrelief: {entry.relief}", style="green")
        if entry.note:
            what.append(f"\n{entry.note}", style="italic")
        if entry.symptoms:
            what.append(f"\nnoticed: {', '.join(entry.symptoms)}")
        if logged and (entry.logged_level or entry.logged_advice):
            level = f" ({entry.logged_level})" if entry.logged_level else ""
            what.append(f"\nadvised when logged{level}:", style="bold red")
            for line in entry.logged_advice:
                what.append(f"\n{line}", style="red")
        table.add_row(when, what)
    return table


def rich_log(result: LogResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    entry = result.items[0]
    titles = {"added": "Logged", "edited": "Edited", "deleted": "Deleted"}
    parts: list[Any] = [_entry_table(f"{titles[result.action]}: entry {entry.id}", result.items)]
    parts += [Text(line, style="yellow") for line in result.notes]
    for line in result.advice:
        parts.append(Text(line, style="bold red"))
    if result.action == "added":
        parts.append(
            Text(
                f"Change it: cramp log edit {entry.id} ...; remove it: cramp log delete {entry.id}",
                style="dim",
            )
        )
    return parts


def rich_history(result: HistoryResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    if not result.items:
        return [Text(_empty_history(result))]
    shown = f"{len(result.items):,} of {_n(result.total, 'entry', 'entries')}"
    title = f"Cramp diary: {shown}, newest first"
    if result.long:
        return [_entry_table(title, result.items, logged=True)]
    parts: list[Any] = [Text(title, style="bold")]
    names = dict(result.names)
    width = _short_id_length(entry.id for entry in result.items)
    warned = False
    for entry in result.items:
        parts.append(_entry_line(entry, width, names, result.warning_minutes))
        warned = warned or _is_warning(entry, result.warning_minutes)
    if warned:
        parts.append(
            Text(
                f"! a cramp of more than {result.warning_minutes:g} minutes: a warning sign "
                "(cramp check --minutes N).",
                style="dim",
            )
        )
    parts.append(Text("Every field: cramp history --long", style="dim"))
    return parts


def _short_id_length(ids: Iterable[str], shortest: int = 7) -> int:
    """As git log --oneline: 7 hex digits, more while two of the ids shown share a start."""
    listed = sorted(set(ids))
    length = shortest
    for before, after in pairwise(listed):
        while before[:length] == after[:length] and length < max(len(before), len(after)):
            length += 1
    return length


def _is_warning(entry: Entry, warning_minutes: float | None) -> bool:
    return (
        warning_minutes is not None
        and entry.minutes is not None
        and entry.minutes > warning_minutes
    )


# Below this width an entry's line would cut its muscle name: the entry takes two lines.
NARROW_HISTORY = 60


def _entry_line(
    entry: Entry, id_length: int, names: dict[str, str], warning_minutes: float | None
) -> Any:
    """One entry on one line, cut at the screen's edge, never wrapped: the warning mark, the
    id and the time come first, so they are never cut. On a narrow screen the rest goes on
    a second, indented line that wraps between words, and the note on a third, cut."""
    from rich.text import Text  # noqa: TID251

    head = Text(no_wrap=True, overflow="ellipsis")
    # The warning mark first, so that no width of screen can cut it off.
    if _is_warning(entry, warning_minutes):
        head.append("! ", style="bold red")
    elif warning_minutes is not None:
        head.append("  ")
    head.append(entry.id[:id_length], style="yellow")
    head.append(f" {entry.local_time}")
    what = Text()
    what.append(names.get(entry.muscle, entry.muscle), style="bold")
    details = [
        entry.side or "",
        f"{format_minutes(entry.minutes)} min" if entry.minutes is not None else "",
        names.get(entry.relief, entry.relief) if entry.relief else "",
    ]
    for detail in details:
        if detail:
            what.append(f", {detail}")
    note = Text(" ".join(entry.note.split()), style="italic dim") if entry.note else None
    return _HistoryEntry(head, what, note)


class _HistoryEntry:
    """An entry of the short history: one line on a screen of NARROW_HISTORY columns or
    more (as git log --oneline), else its name and details under the id and time."""

    def __init__(self, head: Any, what: Any, note: Any | None) -> None:
        self.head, self.what, self.note = head, what, note

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.padding import Padding  # noqa: TID251

        if options.max_width >= NARROW_HISTORY:
            line = self.head.copy()
            line.append(" ")
            line.append_text(self.what)
            if self.note is not None:
                line.append("  ")
                line.append_text(self.note)
            yield line
            return
        indent = 4
        yield self.head
        yield Padding(self.what, (0, 0, 0, indent))
        if self.note is not None:
            note = self.note.copy()
            note.no_wrap, note.overflow = True, "ellipsis"
            yield Padding(note, (0, 0, 0, indent))


class _Unbroken:
    """Rich text wrapped at plain spaces only, so '3 Dec' (held by NBSP) is never split."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.cells import cell_len  # noqa: TID251
        from rich.text import Text  # noqa: TID251

        lines: list[str] = []
        line = ""
        for word in self.text.split(" "):
            if line and cell_len(line) + 1 + cell_len(word) > options.max_width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        yield Text("\n".join(lines).replace(NBSP, " "), style=self.style)


def rich_report(
    result: ReportResult,
    check_view: Callable[[CheckResult], list[Any]],
    sign_heading: Callable[[str, Any, str], Any],
) -> list[Any]:
    """check_view draws the level of now, without the signs (they are listed once, here);
    sign_heading draws 'sign-id  level' as `cramp check` does."""
    from rich import box  # noqa: TID251
    from rich.console import Group  # noqa: TID251
    from rich.padding import Padding  # noqa: TID251
    from rich.table import Table  # noqa: TID251
    from rich.text import Text  # noqa: TID251

    from cramp_cli.render.rich_parts import Bar

    heading = Text(f"Cramp diary: the last {result.days} nights", style="bold underline")
    heading.append(f"  ({result.first_night} to {result.last_night})", style="dim")
    parts: list[Any] = [heading]
    if not result.cramps:
        parts.append(Text("No cramps logged in these nights."))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, text in _stats(result):
        grid.add_row(label, Text(text))
    parts.append(grid)
    weeks = _weeks(result)
    if weeks and result.cramps:
        shown = f" (the last {len(weeks)})" if len(weeks) < len(result.weeks) else ""
        chart = Table(
            title=f"Cramps per week{shown}",
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
        )
        chart.add_column("Week", no_wrap=True)
        chart.add_column("Cramps", justify="right", no_wrap=True)
        chart.add_column("")  # the bars shrink to the room left
        most = max(week.cramps for week in weeks)
        for week in weeks:
            label = f"{week.start:%d %b} - {week.end:%d %b}"
            if week.partial:  # on a line of its own: a narrow screen cuts nothing
                label += f"\npartial: {(week.end - week.start).days + 1} of 7 nights"
            chart.add_row(label, str(week.cramps), Bar(week.cramps / most, BAR_WIDTH))
        parts.append(chart)
    if result.items:
        # A list, not a table: at any width no sign id or level word is cut.
        parts.append(Text("In your diary", style="bold"))
        for finding in result.items:
            parts.append(sign_heading(finding.id, finding.level, "  "))
            seen = _Unbroken(_seen_words(finding, result.last_night), style="bold")
            body = Text(finding.wording)
            body.append("\nWhat to do: ", style="bold")
            body.append(finding.advice)
            body.append(f"\n{_finding_words(finding)}. {finding.reason}", style="dim")
            parts.append(Padding(Group(seen, body), (0, 0, 0, 4)))
    else:
        parts.append(Text("The pattern meets none of the warning-sign rules.", style="green"))
    if result.check is not None and result.current:
        parts.extend(check_view(result.check))
    elif result.check is not None:
        parts.append(Text(_past_note(result), style="bold"))
        net = Text("Safety net", style="bold red")
        for line in result.check.safety_net:
            net.append(f"\n{line}", style="none")
        parts.append(net)
    parts.append(Text(result.note, style="dim"))
    return parts


def rich_import(result: ImportResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    text = Text(f"Imported {_n(result.imported, 'entry', 'entries')}", style="bold")
    text.append(f"; skipped {result.skipped:,} already in the diary.")
    return [text]
