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

from cramp_cli.diary import day_words
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
from cramp_cli.i18n.text import N_, _
from cramp_cli.render.markdown_text import esc, table
from cramp_cli.results import CheckResult

MEASURE_WORDS = {
    "longest_minutes": N_("the longest cramp (minutes)"),
    "nights_per_week": N_("nights with cramps a week"),
    "cramps_per_week": N_("cramps a week"),
    "woke_nights_per_week": N_("nights woken a week"),
    "mean_severity": N_("the mean severity"),
}
CHART_WEEKS = 26  # the human chart shows the most recent weeks; JSON has them all
BAR_WIDTH = 30

# ---------------------------------------------------------------- shared wording


def _number(count: float) -> str:
    return f"{count:,}" if isinstance(count, int) else f"{count:g}"


def _nights(count: float) -> str:
    """'1 night', '3 nights', '2.5 nights' (as markdown_text.counted), or '3 晚'."""
    return (_("{count} night") if count == 1 else _("{count} nights")).format(count=_number(count))


def _cramps(count: float) -> str:
    return (_("{count} cramp") if count == 1 else _("{count} cramps")).format(count=_number(count))


def _entries(count: int) -> str:
    return (_("{count} entry") if count == 1 else _("{count} entries")).format(count=_number(count))


def _medicines(count: int) -> str:
    return (_("{count} medicine") if count == 1 else _("{count} medicines")).format(
        count=_number(count)
    )


def _minutes_n(count: float) -> str:
    return (_("{count} minute") if count == 1 else _("{count} minutes")).format(
        count=_number(count)
    )


def _min(value: float | None) -> str:
    return _("{minutes} min").format(minutes=format_minutes(value))


SIDE_WORDS = {"left": N_("left"), "right": N_("right"), "both": N_("both")}


def _side(side: str | None) -> str:
    """The side in words; in an English run the word is the id itself."""
    if not side:
        return ""
    return _(SIDE_WORDS[side]) if side in SIDE_WORDS else side


LEVEL_WORDS = {
    "emergency": N_("emergency"),
    "urgent": N_("urgent"),
    "see-doctor": N_("see-doctor"),
    "self-care": N_("self-care"),
}


def _level(level: str) -> str:
    """The level in words; in an English run the word is the id itself."""
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


def _date(day: date) -> str:
    """2026-12-06 (ISO, as the English report has always shown it), or 2026年12月6日."""
    return day_words.day(day) if day_words.chinese() else str(day)


def _week_days(week: Week) -> str:
    if day_words.chinese():
        return f"{day_words.short_day(week.start)} - {day_words.short_day(week.end)}"
    return f"{week.start:%d %b} - {week.end:%d %b}"


def _dash(value: object) -> str:
    return "-" if value in (None, "", ()) else str(value)


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def _fields(entry: Entry) -> list[str]:
    return [
        entry.id,
        entry.local_time,
        _("night of {night}").format(night=entry.night),
        entry.muscle,
        _side(entry.side) or "-",
        _min(entry.minutes) if entry.minutes is not None else "-",
        _("severity {severity}").format(severity=entry.severity)
        if entry.severity is not None
        else "-",
        _("woke") if entry.woke else "-",
        ",".join(entry.triggers) or "-",
        entry.relief or "-",
        _one_line(entry.note) or "-",
    ]


def _finding_words(finding: PatternFinding) -> str:
    measure = _(MEASURE_WORDS[finding.measure])
    if finding.more_than is not None:
        rule = _("more than {number}").format(number=f"{finding.more_than:g}")
    else:
        rule = _("at least {number}").format(number=f"{finding.at_least:g}")
    return _("{measure}: {value}, {rule}").format(
        measure=measure, value=f"{finding.value:g}", rule=rule
    )


SEEN_SHOWN = 6  # nights or cramps a human view names for one sign; then "and N more"


NBSP = "\u00a0"  # holds a date together: the Rich view wraps only at plain spaces


def _day(night: date, last: date) -> str:
    """'3 Dec', with the year when it is not the year of the report's last night."""
    if day_words.chinese():
        return day_words.day(night) if night.year != last.year else day_words.short_day(night)
    year = f"{NBSP}{night.year}" if night.year != last.year else ""
    return f"{night.day}{NBSP}{night:%b}{year}"


def _seen_words(finding: PatternFinding, last: date, shown: int | None = SEEN_SHOWN) -> str:
    """When the diary met the sign, newest first: '3 Dec: a cramp of 12 minutes' or
    'Cramps on 12 nights (6 a week): 5 Dec, 4 Dec, ... and 6 more'."""
    listed = finding.seen if shown is None else finding.seen[:shown]
    more = finding.count - len(listed)
    if finding.measure == "longest_minutes":
        parts = [
            _("{day}: a cramp of {minutes}").format(
                day=_day(item.night, last), minutes=_minutes_n(item.minutes or 0)
            )
            for item in listed
        ]
        text = _("; ").join(parts)
        return text + (_("; and {more} more").format(more=f"{more:,}") if more else "")
    nights, value = _nights(finding.count), f"{finding.value:g}"
    if finding.measure == "nights_per_week":
        lead = _("Cramps on {nights} ({value} a week)").format(nights=nights, value=value)
    elif finding.measure == "woke_nights_per_week":
        lead = _("Woken on {nights} ({value} a week)").format(nights=nights, value=value)
    elif finding.measure == "cramps_per_week":
        lead = _("{value} cramps a week, on {nights}").format(nights=nights, value=value)
    else:
        lead = _("A mean severity of {value} of 10, over {nights}").format(
            nights=nights, value=value
        )
    text = _(", ").join(_day(item.night, last) for item in listed)
    more_words = _(" and {more} more").format(more=f"{more:,}") if more else ""
    return _("{lead}: {text}").format(lead=lead, text=text) + more_words


def _past_note(result: ReportResult) -> str:
    """Said instead of a level when every entry is older than 24 hours."""
    return _(
        "These signs are from the diary; its latest entry is more than 24 hours old, so "
        "cramp cannot tell how you are now. If you have a cramp or any warning sign now, run "
        "'cramp check'."
    )


def _count_words(counts: tuple[Count, ...], total: int) -> str:
    return _(", ").join(
        _("{id} {count} of {total}").format(id=item.id, count=item.count, total=total)
        for item in counts
    )


def _stats(result: ReportResult) -> list[tuple[str, str]]:
    """(label, text) pairs of the report's numbers, for every view."""
    rows: list[tuple[str, str]] = []
    rate_basis = (
        _(" (the diary covers only {nights} so far)").format(nights=_nights(result.covered_days))
        if result.covered_days < result.days
        else ""
    )
    rows.append(
        (
            _("Cramps"),
            _("{cramps} on {nights} of {days}; {per_week} and {nights_per_week} a week").format(
                cramps=result.cramps,
                nights=result.nights_with_cramps,
                days=_nights(result.days),
                per_week=_cramps(result.cramps_per_week),
                nights_per_week=_nights(result.nights_per_week),
            )
            + rate_basis,
        )
    )
    rows.append(
        (
            _("Woken"),
            _("{nights} ({value} a week)").format(
                nights=_nights(result.nights_woken), value=f"{result.woke_nights_per_week:g}"
            ),
        )
    )
    if result.timed_cramps:
        rows.append(
            (
                _("Duration"),
                _("mean {mean}, longest {longest} ({timed} of {cramps} timed)").format(
                    mean=_min(result.mean_minutes),
                    longest=_min(result.longest_minutes),
                    timed=result.timed_cramps,
                    cramps=result.cramps,
                ),
            )
        )
    if result.rated_cramps:
        rows.append(
            (
                _("Severity"),
                _("mean {mean} of 10 ({rated} of {cramps} rated)").format(
                    mean=f"{result.mean_severity:g}",
                    rated=result.rated_cramps,
                    cramps=result.cramps,
                ),
            )
        )
    if result.muscle is not None:
        name = _(" ({title})").format(title=result.muscle.name) if result.muscle.name else ""
        rows.append(
            (
                _("Muscle"),
                _("{id}{name}, {count} of {total}").format(
                    id=result.muscle.id, name=name, count=result.muscle.count, total=result.cramps
                ),
            )
        )
    if result.side is not None:
        side = _side(result.side.id)
        rows.append(
            (
                _("Side"),
                _("{id}{name}, {count} of {total}").format(
                    id=side, name="", count=result.side.count, total=result.cramps
                ),
            )
        )
    if result.triggers:
        rows.append((_("Triggers"), _count_words(result.triggers, result.cramps)))
    for relief in result.reliefs:
        lasted = (
            _("; those cramps lasted {mean} min on average (longest {longest})").format(
                mean=format_minutes(relief.mean_minutes),
                longest=format_minutes(relief.longest_minutes),
            )
            if relief.mean_minutes is not None
            else ""
        )
        title = _(" ({title})").format(title=relief.title) if relief.title else ""
        uses = _("once") if relief.uses == 1 else _("{count} times").format(count=relief.uses)
        rows.append(
            (
                _("Relief"),
                _("{id}{title}: used {uses}{lasted}").format(
                    id=relief.id, title=title, uses=uses, lasted=lasted
                ),
            )
        )
    return rows


def _last_weeks(count: int) -> str:
    return _(" (the last {count})").format(count=count)


def _weeks(result: ReportResult) -> list[Any]:
    return list(result.weeks[-CHART_WEEKS:])


def _partial(week: Week) -> str:
    """' (partial: 3 of 7 nights)' for a week the report's nights do not fill, else ''."""
    if not week.partial:
        return ""
    return _(" (partial: {length} of 7 nights)").format(length=(week.end - week.start).days + 1)


def _bar(count: int, most: int, width: int = BAR_WIDTH) -> int:
    if count <= 0 or most <= 0:
        return 0
    return max(1, round(count / most * width))


# ---------------------------------------------------------------- plain


def plain_log(result: LogResult) -> Iterator[str]:
    for entry in result.items:
        yield "\t".join(_fields(entry))
        if result.action == "added":
            yield _(
                "Added: entry {id}. Change it: cramp log edit {id} ...; "
                "remove it: cramp log delete {id}"
            ).format(id=entry.id)
        elif result.action == "edited":
            yield _("Edited: entry {id}.").format(id=entry.id)
        else:
            yield _("Deleted: entry {id}.").format(id=entry.id)
    for line in result.notes:
        yield _("Note: {line}").format(line=line)
    for line in result.advice:
        yield _("Warning: {line}").format(line=line)


def plain_history(result: HistoryResult) -> Iterator[str]:
    for entry in result.items:
        yield "\t".join(_fields(entry))
    if not result.items:
        yield _empty_history(result)
    else:
        yield _("Shown: {shown} of {total}, newest first.").format(
            shown=len(result.items), total=result.total
        )


def _empty_history(result: HistoryResult) -> str:
    filters = result.filters
    if filters.since or filters.until or filters.muscle:
        return _("No diary entries match.")
    return _("No diary entries yet. Log one: cramp log --muscle calf --minutes 2")


def plain_report(
    result: ReportResult, check_lines: Callable[[CheckResult], Iterator[str]]
) -> Iterator[str]:
    yield _("Report: the {days} nights from {first} to {last}").format(
        days=result.days, first=_date(result.first_night), last=_date(result.last_night)
    )
    if not result.cramps:
        yield _("No cramps logged in these nights.")
    for label, text in _stats(result):
        yield _("{label}: {value}").format(label=label, value=text)
    weeks = _weeks(result)
    most = max((week.cramps for week in weeks), default=0)
    for week in weeks:
        bar = "#" * _bar(week.cramps, most)
        counts = f"{_cramps(week.cramps)}\t{_nights(week.nights)}"
        yield _("Week") + f"\t{week.start}\t{week.end}\t{counts}\t{bar}{_partial(week)}"
    for finding in result.items:
        yield _("In your diary: {id} ({level}): {seen}").format(
            id=finding.id,
            level=_level(finding.level),
            seen=_seen_words(finding, result.last_night).replace(NBSP, " "),
        )
        yield "  " + _("Meaning: {text}").format(text=finding.wording)
        yield "  " + _("What to do: {text}").format(text=finding.advice)
        yield "  " + _("Why: {words}. {reason}").format(
            words=_finding_words(finding), reason=finding.reason
        )
    if result.check is None:
        yield _("Signs: the pattern meets none of the warning-sign rules.")
    elif result.current:
        yield from check_lines(result.check)
    else:
        yield _("Now: {text}").format(text=_past_note(result))
        for line in result.check.safety_net:
            yield _("Safety net: {line}").format(line=line)
    yield _("Note: {line}").format(line=result.note)


def plain_import(result: ImportResult) -> Iterator[str]:
    yield _("Imported: {entries}; skipped {skipped} already in the diary.").format(
        entries=_entries(result.imported), skipped=f"{result.skipped:,}"
    )
    if result.medicines:
        yield _("Imported: {medicines}.").format(medicines=_medicines(result.medicines))


# ---------------------------------------------------------------- markdown


def _esc(text: str) -> str:
    return esc(text)


def _md_table(headers: list[str], rows: list[list[str]]) -> Iterator[str]:
    yield from table(headers, rows)


def _md_entries(entries: tuple[Entry, ...]) -> Iterator[str]:
    headers = [_("Id"), _("When"), _("Night"), _("Muscle"), _("Side"), _("Minutes")]
    headers += [_("Severity"), _("Woke"), _("Triggers"), _("Relief"), _("Note")]
    rows = []
    for entry in entries:
        rows.append(
            [
                entry.id,
                entry.local_time,
                str(entry.night),
                entry.muscle,
                _side(entry.side) or "-",
                format_minutes(entry.minutes),
                _dash(entry.severity),
                _("yes") if entry.woke else _("no"),
                ", ".join(entry.triggers) or "-",
                _dash(entry.relief),
                _one_line(entry.note) or "-",
            ]
        )
    yield from _md_table(headers, rows)


def markdown_log(result: LogResult) -> Iterator[str]:
    title = {
        "added": _("Diary entry added"),
        "edited": _("Diary entry edited"),
        "deleted": _("Diary entry deleted"),
    }
    yield f"# {title.get(result.action, result.action)}"
    yield ""
    yield from _md_entries(result.items)
    for line in result.notes:
        yield f"> {_esc(line)}"
        yield ""
    for line in result.advice:
        yield "> " + _("**Warning:** {line}").format(line=_esc(line))
        yield ""


def markdown_history(result: HistoryResult) -> Iterator[str]:
    yield "# " + _("Cramp diary")
    yield ""
    if not result.items:
        yield _esc(_empty_history(result))
        yield ""
        return
    yield from _md_entries(result.items)
    yield _("{shown} of {entries}, newest first.").format(
        shown=f"{len(result.items):,}", entries=_entries(result.total)
    )
    yield ""


def markdown_report(
    result: ReportResult, check_lines: Callable[[CheckResult], Iterator[str]]
) -> Iterator[str]:
    yield "# " + _("Cramp diary: the {days} nights to {last}").format(
        days=result.days, last=_date(result.last_night)
    )
    yield ""
    if not result.cramps:
        yield _("No cramps logged in these nights.")
        yield ""
    for label, text in _stats(result):
        yield "- **" + _("{label}:").format(label=label) + f"** {_esc(text)}"
    yield ""
    weeks = _weeks(result)
    if weeks:
        shown = _last_weeks(len(weeks)) if len(weeks) < len(result.weeks) else ""
        yield "## " + _("Cramps per week{shown}").format(shown=shown)
        yield ""
        most = max(week.cramps for week in weeks)
        rows = [
            [
                _("{first} to {last}").format(first=_date(w.start), last=_date(w.end))
                + _partial(w),
                str(w.cramps),
                str(w.nights),
                "█" * _bar(w.cramps, most),
            ]
            for w in weeks
        ]
        yield from _md_table([_("Week"), _("Cramps"), _("Nights"), ""], rows)
    yield "## " + _("In your diary")
    yield ""
    if not result.items:
        yield _("The pattern meets none of the warning-sign rules.")
        yield ""
    for finding in result.items:
        yield _("- **{id}** ({level}): {seen}.  ").format(
            id=finding.id,
            level=_level(finding.level),
            seen=_esc(_seen_words(finding, result.last_night).replace(NBSP, " ")),
        )
        yield f"  {_esc(finding.wording)}  "
        yield "  " + _("**What to do:** {text}  ").format(text=_esc(finding.advice))
        yield "  " + _("*Why:* {words}. {reason}").format(
            words=_esc(_finding_words(finding)), reason=_esc(finding.reason)
        )
    if result.items:
        yield ""
    if result.check is not None and result.current:
        for line in check_lines(result.check):
            yield f"#{line}" if line.startswith("#") else line
    elif result.check is not None:
        yield _("**Now:** {text}").format(text=_esc(_past_note(result)))
        yield ""
        yield "## " + _("Safety net")
        yield ""
        for line in result.check.safety_net:
            yield f"- {_esc(line)}"
        yield ""
    yield f"> {_esc(result.note)}"
    yield ""


def markdown_import(result: ImportResult) -> Iterator[str]:
    yield "# " + _("Import")
    yield ""
    yield _("Imported {entries}; skipped {skipped} already in the diary.").format(
        entries=_entries(result.imported), skipped=f"{result.skipped:,}"
    )
    yield ""


# ---------------------------------------------------------------- rich


def _entry_table(title: str, entries: tuple[Entry, ...], *, logged: bool = False) -> Any:
    """Two columns, when and what, so it reads at any width from 40 columns up; `logged`:
    with the level and advice cramp gave when each entry was logged."""
    from rich.text import Text  # noqa: TID251

    from cramp_cli.render.rich_parts import titled_table

    table = titled_table(title, show_lines=True)
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Cramp"), ratio=1, overflow="fold")
    for entry in entries:
        when = Text(entry.local_time.replace(" ", "\n"), style="bold")
        when.append(f"\n{entry.id}", style="dim")
        what = Text(entry.muscle, style="bold")
        comma = _(", ")
        if entry.side:
            what.append(comma + _side(entry.side))
        facts = []
        if entry.minutes is not None:
            facts.append(_min(entry.minutes))
        if entry.severity is not None:
            facts.append(_("severity {severity}/10").format(severity=entry.severity))
        if facts:
            what.append("\n" + comma.join(facts))
        if entry.woke:
            what.append((comma if facts else "\n") + _("woke me"), style="yellow")
        if entry.triggers:
            what.append("\n" + _("triggers: {words}").format(words=", ".join(entry.triggers)))
        if entry.relief:
            what.append("\n" + _("relief: {relief}").format(relief=entry.relief), style="green")
        if entry.note:
            what.append(f"\n{entry.note}", style="italic")
        if entry.symptoms:
            what.append("\n" + _("noticed: {words}").format(words=", ".join(entry.symptoms)))
        if logged and (entry.logged_level or entry.logged_advice):
            level = (
                _(" ({title})").format(title=_level(entry.logged_level))
                if entry.logged_level
                else ""
            )
            what.append(
                "\n" + _("advised when logged{level}:").format(level=level), style="bold red"
            )
            for line in entry.logged_advice:
                what.append(f"\n{line}", style="red")
        table.add_row(when, what)
    return table


def rich_log(result: LogResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    entry = result.items[0]
    titles = {
        "added": _("Logged: entry {id}"),
        "edited": _("Edited: entry {id}"),
        "deleted": _("Deleted: entry {id}"),
    }
    parts: list[Any] = [_entry_table(titles[result.action].format(id=entry.id), result.items)]
    parts += [Text(line, style="yellow") for line in result.notes]
    for line in result.advice:
        parts.append(Text(line, style="bold red"))
    if result.action == "added":
        parts.append(
            Text(
                _("Change it: cramp log edit {id} ...; remove it: cramp log delete {id}").format(
                    id=entry.id
                ),
                style="dim",
            )
        )
    return parts


def rich_history(result: HistoryResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    if not result.items:
        return [Text(_empty_history(result))]
    title = _("Cramp diary: {shown} of {entries}, newest first").format(
        shown=f"{len(result.items):,}", entries=_entries(result.total)
    )
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
                _(
                    "! a cramp of more than {minutes} minutes: a warning sign "
                    "(cramp check --minutes N)."
                ).format(minutes=f"{result.warning_minutes:g}"),
                style="dim",
            )
        )
    parts.append(Text(_("Every field: cramp history --long"), style="dim"))
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
        _side(entry.side),
        _min(entry.minutes) if entry.minutes is not None else "",
        names.get(entry.relief, entry.relief) if entry.relief else "",
    ]
    for detail in details:
        if detail:
            what.append(_(", ") + detail)
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

    heading = Text(
        _("Cramp diary: the last {days} nights").format(days=result.days),
        style="bold underline",
    )
    span = _("{first} to {last}").format(
        first=_date(result.first_night), last=_date(result.last_night)
    )
    heading.append(_("  ({span})").format(span=span), style="dim")
    parts: list[Any] = [heading]
    if not result.cramps:
        parts.append(Text(_("No cramps logged in these nights.")))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, text in _stats(result):
        # Chinese has no spaces to wrap at: a long run folds instead of being cut.
        grid.add_row(label, Text(text, overflow="fold" if day_words.chinese() else None))
    parts.append(grid)
    weeks = _weeks(result)
    if weeks and result.cramps:
        shown = _last_weeks(len(weeks)) if len(weeks) < len(result.weeks) else ""
        chart = Table(
            title=_("Cramps per week{shown}").format(shown=shown),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
        )
        chart.add_column(_("Week"), no_wrap=True)
        chart.add_column(_("Cramps"), justify="right", no_wrap=True)
        chart.add_column("")  # the bars shrink to the room left
        most = max(week.cramps for week in weeks)
        for week in weeks:
            label = _week_days(week)
            if week.partial:  # on a line of its own: a narrow screen cuts nothing
                length = (week.end - week.start).days + 1
                label += "\n" + _("partial: {length} of 7 nights").format(length=length)
            chart.add_row(label, str(week.cramps), Bar(week.cramps / most, BAR_WIDTH))
        parts.append(chart)
    if result.items:
        # A list, not a table: at any width no sign id or level word is cut.
        parts.append(Text(_("In your diary"), style="bold"))
        for finding in result.items:
            parts.append(sign_heading(finding.id, finding.level, "  "))
            seen = _Unbroken(_seen_words(finding, result.last_night), style="bold")
            body = Text(finding.wording)
            body.append("\n" + _("What to do: "), style="bold")
            body.append(finding.advice)
            why = _("{words}. {reason}").format(
                words=_finding_words(finding), reason=finding.reason
            )
            body.append("\n" + why, style="dim")
            parts.append(Padding(Group(seen, body), (0, 0, 0, 4)))
    else:
        parts.append(Text(_("The pattern meets none of the warning-sign rules."), style="green"))
    if result.check is not None and result.current:
        parts.extend(check_view(result.check))
    elif result.check is not None:
        parts.append(Text(_past_note(result), style="bold"))
        net = Text(_("Safety net"), style="bold red")
        for line in result.check.safety_net:
            net.append(f"\n{line}", style="none")
        parts.append(net)
    parts.append(Text(result.note, style="dim"))
    return parts


def rich_import(result: ImportResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    text = Text(_("Imported {entries}").format(entries=_entries(result.imported)), style="bold")
    text.append(
        _("; skipped {skipped} already in the diary.").format(skipped=f"{result.skipped:,}")
    )
    return [text]
