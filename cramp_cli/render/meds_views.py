"""Plain, Markdown and Rich views of `cramp meds` (add, stop, list).

Each medicine with its dates; a medicine whose name is in a knowledge-base class list is
marked "may be linked with cramps", with the class and its class-list source; and whenever
one is, the knowledge base's line about never stopping a prescribed medicine on your own.
Names are the person's own text: into Rich as Text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cramp_cli.diary.models import Medicine
from cramp_cli.diary.results import MedicineClass, MedsResult
from cramp_cli.render.markdown_text import esc, table

LINKED = "may be linked with cramps"


def _dates(medicine: Medicine) -> str:
    since = f"since {medicine.since}" if medicine.since else "start not given"
    return f"{since}, stopped {medicine.stopped}" if medicine.stopped else since


def _classes(result: MedsResult) -> dict[str, MedicineClass]:
    return {found.id: found for found in result.classes}


def _link(medicine: Medicine, classes: dict[str, MedicineClass]) -> str:
    found = classes.get(medicine.class_id or "")
    return f"{found.title}: {LINKED}" if found is not None else "-"


def _heading(result: MedsResult) -> str | None:
    if result.action == "added":
        return f"Added: {result.items[0].name} (id {result.items[0].id})."
    if result.action == "stopped":
        return f"Stopped: {result.items[0].name} on {result.items[0].stopped}."
    return None


def _empty() -> str:
    return "No medicines in your list yet. Add one: cramp meds add NAME --since DATE"


def plain_meds(result: MedsResult) -> Iterator[str]:
    classes = _classes(result)
    for medicine in result.items:
        status = "stopped" if medicine.stopped else "taking"
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
        yield f"Linked: {found.title}: {found.summary}"
        yield f"  Class list: {found.names_source.title}, {found.names_source.publisher}"
        yield f"  Sources: {', '.join(source.id for source in found.sources)}"
    if result.safety:
        yield f"Important: {result.safety}"


def markdown_meds(result: MedsResult) -> Iterator[str]:
    classes = _classes(result)
    yield "# Your medicines"
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
                "stopped" if medicine.stopped else "taking",
                esc(_dates(medicine)),
                esc(_link(medicine, classes)),
                esc(" ".join(medicine.note.split())) or "-",
            ]
            for medicine in result.items
        ]
        yield from table(["Medicine", "Now", "Dates", "Linked with cramps", "Note"], rows)
    for found in result.classes:
        yield f"- **{esc(found.title)}:** {esc(found.summary)} "
        yield f"  Class list: {esc(found.names_source.title)}, {esc(found.names_source.publisher)}"
    if result.classes:
        yield ""
    if result.safety:
        yield f"> **Important:** {esc(result.safety)}"
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
        grid = titled_table("Your medicines", show_lines=True)
        grid.add_column("Medicine", ratio=1, overflow="fold")
        grid.add_column("Dates", ratio=1, overflow="fold")
        for medicine in result.items:
            name = Text(medicine.name, style="bold")
            if medicine.note:
                name.append(f"\n{medicine.note}", style="italic")
            found = classes.get(medicine.class_id or "")
            if found is not None:
                name.append(f"\n{found.title}: {LINKED}", style="yellow")
            dates = Text(_dates(medicine), style="dim" if medicine.stopped else "")
            grid.add_row(name, dates)
        parts.append(grid)
    for found in result.classes:
        line = Text(f"{found.title}: ", style="bold")
        line.append(found.summary)
        line.append(f" (class list: {found.names_source.title})", style="dim")
        parts.append(line)
    if result.safety:
        parts.append(Text(result.safety, style="bold"))
    return parts
