"""Rich views for a terminal: tables, panels and numbered steps.

Knowledge-base text always goes in as Text, never as markup: "[gently]" must stay visible.
The only module (with the consoles in cli.py) that imports rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cramp_cli.knowledge.models import Cause, Item, Prevention, Relief, Treatment
from cramp_cli.results import MusclesResult, PreventResult, ReliefResult, Result, WhyResult
from cramp_cli.wording import DISCLAIMER_LINE, GRADE_LABELS

GRADE_STYLES = {
    "strong": "bold green",
    "moderate": "green",
    "weak": "yellow",
    "none": "magenta",
    "against": "bold red",
}

CAUSE_GROUP_TITLES = {
    "mechanism": "What a cramp is",
    "trigger": "Everyday triggers",
    "body": "Who gets them more often",
    "condition": "Conditions linked with cramps",
    "medicine": "Medicines that may be linked",
    "belief": "Old beliefs the evidence does not support",
}


def make_console(*, stderr: bool = False, no_color: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, emoji=False, no_color=no_color or None)


def _grade(item: Item) -> Text:
    grade = item.evidence.grade
    return Text(GRADE_LABELS[grade], style=GRADE_STYLES[grade])


def _name_cell(item: Item) -> Text:
    cell = Text(item.title, style="bold")
    cell.append(f"\n{item.id}", style="dim")
    return cell


def _items_table(
    title: str, items: Iterable[Item], describe: Callable[[Any], Text], first: str = ""
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
        show_lines=False,
    )
    table.add_column(first, ratio=4, min_width=18, overflow="fold")
    table.add_column("Evidence", ratio=2, min_width=12)
    table.add_column("What is known", ratio=6)
    for item in items:
        table.add_row(_name_cell(item), _grade(item), describe(item))
    return table


def _summary(item: Item) -> Text:
    return Text(item.summary)


def _cause_summary(cause: Cause) -> Text:
    text = Text(cause.summary)
    if cause.group == "belief" and cause.article_claim:
        text.append(f"\n{cause.article_claim}", style="dim")
    return text


def _prevention_summary(item: Prevention | Treatment) -> Text:
    text = Text(item.summary)
    if isinstance(item, Prevention) and item.ask_first:
        text.append(f"\nAsk first: {item.ask_first}", style="italic")
    return text


def _note(text: str, title: str, style: str = "cyan") -> Panel:
    return Panel(Text(text), title=title, title_align="left", border_style=style, box=box.ROUNDED)


def _why(result: WhyResult) -> list[RenderableType]:
    heading = Text("What can bring on night leg cramps", style="bold underline")
    filters = [f"{name}: {value}" for name, value in result.filters if value]
    if filters:
        heading.append(f"  ({', '.join(filters)})", style="dim")
    parts: list[RenderableType] = [heading]
    for group, title in CAUSE_GROUP_TITLES.items():
        causes = [cause for cause in result.items if cause.group == group]
        if causes:
            parts.append(_items_table(title, causes, _cause_summary, "Cause"))
    if not result.items:
        parts.append(Text("No causes match these filters."))
    parts.append(_note(result.note, "Good to know"))
    parts.append(_note(result.medicine_safety, "Medicines", style="yellow"))
    return parts


def _labelled(label: str, value: str | Text) -> Text:
    text = Text()
    text.append(f"{label}: ", style="bold")
    text.append_text(value if isinstance(value, Text) else Text(value))
    return text


def _relief_panel(item: Relief) -> Panel:
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", style="bold", no_wrap=True)
    steps.add_column()
    for number, step in enumerate(item.steps, start=1):
        steps.add_row(f"{number}.", Text(step))
    evidence = _grade(item)
    evidence.append(f" - {item.evidence.note}", style="")
    parts: list[RenderableType] = []
    if item.direction:
        parts.append(_labelled("Stretch", item.direction))
    parts += [steps, _labelled("Hold", item.hold), _labelled("Evidence", evidence)]
    return Panel(
        Group(*parts),
        title=Text(item.title, style="bold"),
        title_align="left",
        border_style="green",
        box=box.ROUNDED,
    )


def _relieve(result: ReliefResult) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if result.muscle is not None:
        heading = Text(f"Cramp in the {result.muscle.name.lower()}", style="bold underline")
        heading.append(f"  ({result.muscle.id})", style="dim")
        parts += [heading, Text(result.muscle.cramp_pulls)]
        parts += [_relief_panel(item) for item in result.items if item.muscle is not None]
        general_title = "Also, for any cramp"
    else:
        parts.append(Text("What helps any cramp", style="bold underline"))
        parts.append(
            Text(
                "For steps for one muscle: cramp relieve --muscle NAME (see 'cramp muscles').",
                style="dim",
            )
        )
        general_title = "General measures"
    general = [item for item in result.items if item.muscle is None]
    parts.append(_items_table(general_title, general, _summary, "Measure"))
    parts.append(_note(result.safety, "Warning signs", style="red"))
    return parts


def _prevent(result: PreventResult) -> list[RenderableType]:
    heading = Text("How to make night cramps less likely", style="bold underline")
    if result.filters.who:
        heading.append(f"  (who: {result.filters.who})", style="dim")
    parts: list[RenderableType] = [heading]
    parts.append(_items_table("Things you can do", result.items, _prevention_summary, "Tip"))
    if result.doctor_treatments:
        parts.append(
            _items_table(
                "Only a doctor can offer these (not advice to take them)",
                result.doctor_treatments,
                _prevention_summary,
                "Treatment",
            )
        )
    parts.append(_note(result.note, "Good to know"))
    return parts


def _muscles(result: MusclesResult) -> list[RenderableType]:
    table = Table(
        title="Muscles", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=True
    )
    table.add_column("Muscle", ratio=2, overflow="fold")
    table.add_column("Where", ratio=3)
    table.add_column("Also answers to", ratio=5)
    for muscle in result.items:
        table.add_row(
            Text(muscle.id, style="bold"), Text(muscle.name), Text(", ".join(muscle.aliases))
        )
    return [table, Text("Example: cramp relieve --muscle calf", style="dim")]


_VIEWS: dict[type[Any], Callable[[Any], list[RenderableType]]] = {
    WhyResult: _why,
    ReliefResult: _relieve,
    PreventResult: _prevent,
    MusclesResult: _muscles,
}


def render_rich(result: Result) -> RenderableType:
    parts = _VIEWS[type(result)](result)
    parts.append(Text(DISCLAIMER_LINE, style="italic dim"))
    return Group(*parts)
