"""Plain, Markdown and Rich views of `cramp meds` (add, stop, list).

Each medicine with its dates; a medicine whose name is in a knowledge-base class list is
marked "may be linked with cramps", with the class and its class-list source; and whenever
one is, the knowledge base's line about never stopping a prescribed medicine on your own.
Names are the person's own text: into Rich as Text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cramp_cli.diary import day_words
from cramp_cli.diary.models import Medicine
from cramp_cli.diary.results import MedicineClass, MedsResult
from cramp_cli.i18n.text import N_, _
from cramp_cli.render.markdown_text import esc, table

LINKED = N_("may be linked with cramps")


def _day(value: object) -> str:
    """2025-03-02 (ISO, as the English list has always shown it), or 2025年3月2日."""
    from datetime import date

    if day_words.chinese() and isinstance(value, date):
        return day_words.day(value)
    return str(value)


def _dates(medicine: Medicine) -> str:
    if medicine.since:
        since = _("since {date}").format(date=_day(medicine.since))
    else:
        since = _("start not given")
    if medicine.stopped:
        return _("{since}, stopped {date}").format(since=since, date=_day(medicine.stopped))
    return since


def _classes(result: MedsResult) -> dict[str, MedicineClass]:
    return {found.id: found for found in result.classes}


def _link(medicine: Medicine, classes: dict[str, MedicineClass]) -> str:
    found = classes.get(medicine.class_id or "")
    if found is None:
        return "-"
    return _("{title}: {linked}").format(title=found.title, linked=_(LINKED))


def _heading(result: MedsResult) -> str | None:
    first = result.items[0] if result.items else None
    if result.action == "added" and first is not None:
        return _("Added: {name} (id {id}).").format(name=first.name, id=first.id)
    if result.action == "stopped" and first is not None:
        return _("Stopped: {name} on {date}.").format(name=first.name, date=_day(first.stopped))
    return None


def _empty() -> str:
    return _("No medicines in your list yet. Add one: cramp meds add NAME --since DATE")


def _status(medicine: Medicine) -> str:
    return _("stopped") if medicine.stopped else _("taking")


def plain_meds(result: MedsResult) -> Iterator[str]:
    classes = _classes(result)
    for medicine in result.items:
        status = _status(medicine)
        note = " ".join(medicine.note.split()) or "-"
        yield "\t".join(
            [medicine.id, medicine.name, status, _dates(medicine), _link(medicine, classes), note]
        )
    if result.action == "listed" and not result.items:
        yield _empty()
    heading = _heading(result)
    if heading is not None:
        yield heading
    for found in result.classes:
        yield _("Linked: {title}: {summary}").format(title=found.title, summary=found.summary)
        yield "  " + _("Class list: {title}, {publisher}").format(
            title=found.names_source.title, publisher=found.names_source.publisher
        )
        yield "  " + _("Sources: {ids}").format(
            ids=", ".join(source.id for source in found.sources)
        )
    if result.safety:
        yield _("Important: {line}").format(line=result.safety)


def markdown_meds(result: MedsResult) -> Iterator[str]:
    classes = _classes(result)
    yield "# " + _("Your medicines")
    yield ""
    heading = _heading(result)
    if heading is not None:
        yield esc(heading)
        yield ""
    if not result.items:
        yield esc(_empty())
        yield ""
    else:
        rows = [
            [
                esc(medicine.name),
                _status(medicine),
                esc(_dates(medicine)),
                esc(_link(medicine, classes)),
                esc(" ".join(medicine.note.split())) or "-",
            ]
            for medicine in result.items
        ]
        headers = [_("Medicine"), _("Now"), _("Dates"), _("Linked with cramps"), _("Note")]
        yield from table(headers, rows)
    for found in result.classes:
        yield "- **" + _("{label}:").format(label=esc(found.title)) + f"** {esc(found.summary)} "
        yield "  " + _("Class list: {title}, {publisher}").format(
            title=esc(found.names_source.title), publisher=esc(found.names_source.publisher)
        )
    if result.classes:
        yield ""
    if result.safety:
        yield "> " + _("**Important:** {line}").format(line=esc(result.safety))
        yield ""


def rich_meds(result: MedsResult) -> list[Any]:
    from rich.text import Text  # noqa: TID251

    from cramp_cli.render.rich_parts import titled_table

    classes = _classes(result)
    parts: list[Any] = []
    heading = _heading(result)
    if heading is not None:
        parts.append(Text(heading, style="bold"))
    if not result.items:
        parts.append(Text(_empty()))
    else:
        grid = titled_table(_("Your medicines"), show_lines=True)
        grid.add_column(_("Medicine"), ratio=1, overflow="fold")
        grid.add_column(_("Dates"), ratio=1, overflow="fold")
        for medicine in result.items:
            name = Text(medicine.name, style="bold")
            if medicine.note:
                name.append(f"\n{medicine.note}", style="italic")
            found = classes.get(medicine.class_id or "")
            if found is not None:
                linked = _("{title}: {linked}").format(title=found.title, linked=_(LINKED))
                name.append("\n" + linked, style="yellow")
            dates = Text(_dates(medicine), style="dim" if medicine.stopped else "")
            grid.add_row(name, dates)
        parts.append(grid)
    for found in result.classes:
        line = Text(_("{label}: ").format(label=found.title), style="bold")
        line.append(found.summary)
        line.append(_(" (class list: {title})").format(title=found.names_source.title), style="dim")
        parts.append(line)
    if result.safety:
        parts.append(Text(result.safety, style="bold"))
    return parts
