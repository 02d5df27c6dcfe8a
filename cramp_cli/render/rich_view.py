"""Rich views for a terminal: tables, panels and numbered steps.

Knowledge-base text always goes in as Text, never as markup: "[gently]" must stay visible.
The only module (with the consoles in cli.py) that imports rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from cramp_cli import i18n
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.kb import title_of
from cramp_cli.knowledge.models import Cause, Item, Level, Prevention, Relief, Source, Treatment
from cramp_cli.render import kb_views
from cramp_cli.render.fields import entry_fields, no_authority, source_details
from cramp_cli.results import (
    CheckResult,
    EntryRef,
    KbPathsResult,
    KbShowResult,
    KbValidateResult,
    LookalikesResult,
    MusclesResult,
    NotAssessedResult,
    NowResult,
    PreventResult,
    ReliefResult,
    Result,
    SearchResult,
    ShowResult,
    SignsResult,
    SourceResult,
    SourcesResult,
    Stretch,
    TrailCheck,
    WhyResult,
    caveat,
    grade_counts,
    muscle_word,
)
from cramp_cli.wording import (
    BELIEF_MEANING,
    DISCLAIMER,
    GRADE_MEANINGS,
    STRETCH_FIRST,
    USER_CLAIM,
    grade_label,
    grade_words,
    grade_words_for,
    level_label,
    shown_grade,
    user_claim_label,
)

USER_CLAIM_STYLE = "italic"
GRADE_STYLES = {
    "strong": "bold green",
    "moderate": "green",
    "weak": "yellow",
    "none": "magenta",
    "against": "bold red",
}

CAUSE_GROUP_TITLES = {
    "mechanism": N_("What a cramp is"),
    "trigger": N_("Everyday triggers"),
    "body": N_("Who gets them more often"),
    "condition": N_("Conditions linked with cramps"),
    "medicine": N_("Medicines that may be linked"),
    "belief": N_("Old beliefs the evidence does not support"),
}


def make_console(*, stderr: bool = False, no_color: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, emoji=False, no_color=no_color or None)


def _grade(item: Item, user_claim: bool = False) -> Text:
    return _styled_grade(grade_label(item.evidence), item.evidence.grade, user_claim)


def _styled_grade(words: str, grade: str, user_claim: bool) -> Text:
    """A grade in words; the user's own claim in other words and without the grade's colour."""
    if user_claim:
        return Text(user_claim_label(words), style=USER_CLAIM_STYLE)
    return Text(words, style=GRADE_STYLES[grade])


def _evidence_line(item: Item, user_claims: tuple[str, ...]) -> Text:
    """'Evidence: words - note'; for the user's own item the label says whose claim it is."""
    if item.id in user_claims:
        label = _("Evidence ({claim})").format(claim=_(USER_CLAIM))
        words = Text(grade_label(item.evidence), style=USER_CLAIM_STYLE)
    else:
        label, words = _("Evidence"), _grade(item)
    words.append(_(" - {note}").format(note=item.evidence.note), style="")
    return _labelled(label, words)


def _name_cell(item: Item) -> Text:
    cell = Text(item.title, style="bold")
    cell.append(f"\n{item.id}", style="dim")
    return cell


def _fitting_table(title: str, *columns: Any, show_lines: bool = False) -> Any:
    """The shared table, which folds to a list when the screen is too narrow for it (muscles,
    sources, rules): rich.table is imported only when one of them runs."""
    from cramp_cli.render.rich_parts import FittingTable

    return FittingTable(title, columns, show_lines=show_lines)


def _col(header: str, **options: Any) -> Any:
    from cramp_cli.render.rich_parts import Col

    return Col(header, **options)


def _titled_table(title: str, **options: Any) -> Any:
    from cramp_cli.render.rich_parts import titled_table

    return titled_table(title, **options)


def _items_list(
    title: str,
    items: Iterable[Item],
    describe: Callable[[Any], Text],
    user_claims: tuple[str, ...] = (),
) -> Group:
    """A titled list, one block per item: its title and grade, its id, what is known. A list
    rather than a table: quick to draw, and no id or grade is ever cut at 40 columns."""
    blocks: list[RenderableType] = [Text(title, style="bold")] if title else []
    for item in items:
        block = Text()
        block.append(item.title, style="bold")
        block.append("  ")
        block.append_text(_grade(item, item.id in user_claims))
        block.append(f"\n{item.id}\n", style="dim")
        block.append_text(describe(item))
        blocks.append(Padding(block, (0, 0, 1, 2)))
    return Group(*blocks)


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
        text.append("\n" + _("Ask first: {advice}").format(advice=item.ask_first), style="italic")
    return text


def _note(text: str, title: str, style: str = "cyan") -> Panel:
    return Panel(Text(text), title=title, title_align="left", border_style=style, box=box.ROUNDED)


def _why(result: WhyResult) -> list[RenderableType]:
    heading = Text(_("What can bring on night leg cramps"), style="bold underline")
    heading.append(_filters(result.filters), style="dim")
    parts: list[RenderableType] = [heading]
    if result.items:
        counts = _("{count} causes: {grades}").format(
            count=len(result.items), grades=grade_counts(result.items)
        )
        parts.append(
            _in_short(counts, result.best_items(), _("why cramps come"), result.user_claims)
        )
    for group, title in CAUSE_GROUP_TITLES.items():
        causes = [cause for cause in result.items if cause.group == group]
        if causes:
            parts.append(_items_list(_(title), causes, _cause_summary, result.user_claims))
    if not result.items:
        parts.append(Text(_("No causes match these filters.")))
    parts.append(_note(result.note, _("Good to know")))
    parts.append(_note(result.medicine_safety, _("Medicines"), style="yellow"))
    return parts


def _filters(filters: Iterable[tuple[str, str | None]]) -> str:
    """'  (who: pregnancy, when: night)' after a heading; empty without filters."""
    shown = [f"{name}: {value}" for name, value in filters if value]
    return _("  ({filters})").format(filters=", ".join(shown)) if shown else ""


def _labelled(label: str, value: str | Text) -> Text:
    text = Text()
    text.append(_("{label}: ").format(label=label), style="bold")
    text.append_text(value if isinstance(value, Text) else Text(value))
    return text


def _relief_panel(item: Relief, user_claims: tuple[str, ...] = (), details: bool = True) -> Panel:
    """A measure's steps; with `details`, its evidence, details, the article's claim and
    sources. Without them the grade words sit in the panel's lower border."""
    parts: list[RenderableType] = []
    if item.direction:
        parts.append(_labelled(_("Stretch"), item.direction))
    for number, step in enumerate(item.steps, start=1):
        numbered = Text()
        numbered.append(f"{number}. ", style="bold")
        numbered.append(step)
        parts.append(Padding(numbered, (0, 0, 0, 1)))
    parts.append(_labelled(_("Hold"), item.hold))
    subtitle = None
    if details:
        parts.append(_evidence_line(item, user_claims))
    else:
        subtitle = _grade(item, item.id in user_claims)
        if caveat(item.evidence):
            parts.append(Text(caveat(item.evidence) or "", style="dim"))
    return Panel(
        Group(*parts),
        title=Text(item.title, style="bold"),
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        border_style="green",
        box=box.ROUNDED,
    )


def _relief_details(item: Relief, user_claims: tuple[str, ...]) -> Group:
    """The evidence behind a measure, for --details: its panel, then what is known."""
    more = Text()
    more.append_text(_labelled(_("Details"), item.details))
    if item.article_claim:
        more.append("\n")
        more.append_text(_labelled(_("The original article"), item.article_claim))
    if item.sources:
        more.append("\n")
        more.append_text(_labelled(_("Sources"), ", ".join(item.sources)))
    return Group(_relief_panel(item, user_claims), Padding(more, (0, 0, 1, 2)))


def _also_helps(items: list[Relief], user_claims: tuple[str, ...], hint: str) -> Group:
    """One line a measure, its title and grade words, best supported first."""
    title = Text(_("Also helps"), style="bold")
    title.append(_("  ({hint})").format(hint=hint), style="dim")
    blocks: list[RenderableType] = [title]
    for item in items:
        line = Text(f"{item.title}  ")
        line.append_text(_grade(item, item.id in user_claims))
        blocks.append(Padding(line, (0, 0, 0, 2)))
    return Group(*blocks)


def _when_to_get_help(safety: str) -> Text:
    text = Text()
    text.append(_("When to get help: "), style="bold red")
    text.append(safety)
    return text


def _grade_meanings(items: Iterable[Item]) -> Group:
    shown = {(item.evidence.grade, item.evidence.applies_to == "claim") for item in items}
    blocks: list[RenderableType] = [Text(_("What the grades mean"), style="bold")]
    for grade, meaning in GRADE_MEANINGS.items():
        for belief in (False, True):
            if (grade, belief) not in shown:
                continue
            words = grade_words_for(grade, None, "claim") if belief else grade_words(grade)
            line = Text(words, style=GRADE_STYLES[grade])
            line.append(
                _(": {meaning}").format(meaning=_(BELIEF_MEANING if belief else meaning)), style=""
            )
            blocks.append(Padding(line, (0, 0, 0, 2)))
    return Group(*blocks)


def _stretch_first(result: ReliefResult) -> Panel:
    """Without a muscle: the stretch comes first, with the command for each muscle."""
    body = Text(_(STRETCH_FIRST))
    for muscle in result.muscles:
        body.append("\n")
        body.append(f"cramp relieve {muscle_word(muscle)}", style="bold")
        body.append(_("  {muscle}. {pulls}").format(muscle=muscle.name, pulls=muscle.cramp_pulls))
    return Panel(
        body,
        title=Text(_("First, stretch the cramping muscle"), style="bold"),
        title_align="left",
        border_style="green",
        box=box.ROUNDED,
    )


def _relieve(result: ReliefResult) -> list[RenderableType]:
    parts: list[RenderableType] = [Text(note, style="yellow") for note in result.notes]
    claims = result.user_claims
    main = result.main_stretches()
    if result.muscle is not None:
        heading = Text()
        heading.append(_cramp_in(result.muscle.name), style="bold underline")
        heading.append(_("  ({hint})").format(hint=result.muscle.id), style="dim")
        heading.append(f"\n{result.muscle.cramp_pulls}")
        parts.append(heading)
    elif not main:
        parts.append(Text(_("What to do for a cramp"), style="bold underline"))
        parts.append(_stretch_first(result))
    # A name such as "thigh" fits two muscles: the stretch of each, one after the other.
    for item in main:
        if result.details:
            parts.append(_relief_details(item, claims))
        else:
            parts.append(_relief_panel(item, claims, details=False))
    if result.details:
        parts += [_relief_details(item, claims) for item in result.items if item not in main]
        parts.append(_grade_meanings(result.items))
    elif result.also_helps():
        parts.append(
            _also_helps(result.also_helps(), claims, _("the steps and evidence of each: --details"))
        )
    if not result.items:
        parts.append(Text(_("No measure matches this filter.")))
    parts.append(_when_to_get_help(result.safety))
    return parts


def _in_short(counts: str, best: list[Any], what: str, user_claims: tuple[str, ...] = ()) -> Panel:
    """The summary that opens a long list: counts by group, then the best supported."""
    lines: list[RenderableType] = [Text(_("{counts}.").format(counts=counts))]
    if best:
        lines.append(Text(_("Best supported:"), style="bold"))
        for number, item in enumerate(best, start=1):
            line = Text(f"{number}. {item.title}  ")
            line.append_text(_grade(item, item.id in user_claims))
            lines.append(Padding(line, (0, 0, 0, 1)))
    return Panel(
        Group(*lines),
        title=Text(_("In short: {what}").format(what=what), style="bold"),
        title_align="left",
        border_style="cyan",
        box=box.ROUNDED,
    )


def _prevent(result: PreventResult) -> list[RenderableType]:
    title = (
        _("The best-supported things you can do")
        if result.top
        else _("How to make night cramps less likely")
    )
    heading = Text(title, style="bold underline")
    heading.append(_filters(result.filters), style="dim")
    parts: list[RenderableType] = [heading]
    if result.top:
        parts.append(_items_list("", result.best_items(), _prevention_summary, result.user_claims))
        parts.append(Text(_("Everything, with what has no evidence: cramp prevent"), style="dim"))
    else:
        if result.groups():
            parts.append(
                _in_short(
                    result.summary_counts(),
                    result.best_items(),
                    _("what you can do"),
                    result.user_claims,
                )
            )
        for heading_text, _short, items in result.groups():
            parts.append(_items_list(heading_text, items, _prevention_summary, result.user_claims))
    if not result.items and not result.doctor_treatments:
        parts.append(Text(_("Nothing matches these filters.")))
    parts.append(_note(result.note, _("Good to know")))
    return parts


def _muscles(result: MusclesResult) -> list[RenderableType]:
    table = _fitting_table(
        _("Muscles"),
        _col(_("Muscle"), whole=True),
        _col(_("Where"), labelled=False),
        _col(_("Also answers to")),
    )
    for muscle in result.items:
        table.add_row(
            Text(muscle.id, style="bold"), Text(muscle.name), Text(", ".join(muscle.aliases))
        )
    return [table, Text(_("Example: cramp relieve --muscle calf"), style="dim")]


LEVEL_STYLES = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "see-doctor": "bold yellow",
    "self-care": "bold green",
}
LEVEL_BORDERS = {"emergency": "red", "urgent": "red", "see-doctor": "yellow", "self-care": "green"}


def _level_badge(level: Level) -> str:
    """The level on a coloured badge: its id in capitals in English, its label otherwise."""
    return level_label(level, english=level.upper())


def _cramp_in(muscle_name: str) -> str:
    """'Cramp in the back of the calf'."""
    return _("Cramp in the {muscle}").format(muscle=muscle_name.lower())


def _first_for(sign_title: str) -> str:
    """'First, for chest pain: ' before what to do first for a sign."""
    return _("First, for {sign}: ").format(sign=sign_title.lower())


def _grade_text(ref: EntryRef) -> Text:
    if ref.grade is None:
        return Text("-", style="dim")
    return _styled_grade(
        grade_words_for(ref.grade, ref.weak_reason, ref.applies_to), ref.grade, ref.user_claim
    )


def _source_text(source: Source) -> Text:
    from cramp_cli.render.rich_parts import linked

    text = Text()
    text.append(source.title, style="bold")
    text.append(f"\n{source.publisher}, {source.year} ({source.kind})")
    if source.low_authority:
        text.append(_(" - low authority"), style="yellow")
    text.append(f"\n{source.url or _('no public address')}", style="dim")
    for label, shown in source_details(source):
        text.append(f"\n{label}: {shown}", style="dim")
    if source.note:
        text.append(f"\n{source.note}", style="dim italic")
    return linked(text)


def _sources_list(title: str, sources: Iterable[Source]) -> Group:
    blocks: list[RenderableType] = [Text(title, style="bold")]
    for source in sources:
        block = _source_text(source)
        block.append(f"\n{source.id}", style="dim")
        blocks.append(Padding(block, (0, 0, 0, 2)))
    return Group(*blocks)


def _refs_list(title: str, refs: Iterable[EntryRef]) -> Group:
    """A titled list of entries: title and grade, then kind and id."""
    blocks: list[RenderableType] = [Text(title, style="bold")]
    for ref in refs:
        block = Text()
        block.append(ref.title, style="bold")
        if ref.grade is not None:
            block.append("  ")
            block.append_text(_grade_text(ref))
        block.append(f"\n{ref.kind}: {ref.id}", style="dim")
        blocks.append(Padding(block, (0, 0, 0, 2)))
    return Group(*blocks)


def _sources(result: SourcesResult) -> list[RenderableType]:
    table = _fitting_table(
        _("Sources"),
        _col(_("Id"), whole=True),
        _col(_("Source"), labelled=False),
        _col(_("Cited by"), whole=True, justify="right"),
    )
    for item in result.items:
        text = Text()
        text.append(item.title, style="bold")
        text.append(f"\n{item.publisher}, {item.year} ({item.kind})")
        if item.low_authority:
            text.append(_(" - low authority"), style="yellow")
        text.append(f"\n{_('Authority')}: {item.authority or no_authority()}", style="dim")
        table.add_row(Text(item.id, style="dim"), text, str(item.cited_by))
    return [table, Text(_("One source in full: cramp sources ID"), style="dim")]


def _source(result: SourceResult) -> list[RenderableType]:
    return [
        _sources_list(_("Source"), result.items),
        _refs_list(_("Cited by ({count})").format(count=len(result.cited_by)), result.cited_by),
    ]


def _show(result: ShowResult) -> list[RenderableType]:
    entry = result.items[0]
    title = title_of(entry)
    heading = Text(title, style="bold underline")
    heading.append(f"  ({result.kind}: {entry.id})", style="dim")
    parts: list[RenderableType] = [heading]
    user = entry.id in result.user_claims
    if isinstance(entry, Relief):
        parts.append(_relief_panel(entry, result.user_claims))  # the panel carries the evidence
    elif isinstance(entry, Item):
        parts.append(_evidence_line(entry, result.user_claims))
    # A relief panel already shows the direction and the hold.
    for label, shown in entry_fields(entry, also_apart=("direction", "hold")):
        parts.append(_labelled(label, shown))
    if result.sources:
        parts.append(
            _sources_list(
                f"{_('Sources')} ({_(USER_CLAIM)})" if user else _("Sources"), result.sources
            )
        )
    if result.see_also:
        parts.append(_refs_list(_("See also"), result.see_also))
    return parts


def _lookalikes(result: LookalikesResult) -> list[RenderableType]:
    parts: list[RenderableType] = [
        Text(_("Conditions that can look like a cramp"), style="bold underline")
    ]
    for item in result.items:
        body = Text(item.summary)
        body.append("\n" + _("How it differs: "), style="bold")
        body.append(item.differs)
        body.append("\n" + _("Points to it: "), style="bold")
        body.append(item.points_to)
        if item.signs:
            # --sign once per id, so a narrow screen wraps between ids, never inside one.
            signs = " ".join(f"--sign {sign}" for sign in item.signs)
            body.append("\n" + _("Check: cramp check {signs}").format(signs=signs), style="dim")
        parts.append(
            Panel(
                body,
                title=Text(item.title, style="bold"),
                title_align="left",
                box=box.ROUNDED,
                border_style="cyan",
            )
        )
    parts.append(_note(result.note, _("Good to know")))
    return parts


def _search(result: SearchResult) -> list[RenderableType]:
    if not result.items:
        return [
            Text(
                _("No match for {query}. Try fewer or other words.").format(
                    query=repr(result.query)
                )
            )
        ]
    return [_refs_list(_("Search: {query}").format(query=result.query), result.items)]


def _sign_heading(sign_id: str, level: Level, indent: str = "") -> Text:
    """'sign-id   level' with the level in its colour: one line, never cut."""
    heading = Text(indent)
    heading.append(sign_id, style="bold")
    heading.append("  ")
    heading.append(f" {level_label(level)} ", style=LEVEL_STYLES[level])
    return heading


def _signs(result: SignsResult) -> list[RenderableType]:
    # A list, not a table: at any width no sign id or level word is cut.
    parts: list[RenderableType] = [
        Text(_("Warning signs, in the order they are asked"), style="bold")
    ]
    for sign in result.items:
        heading = _sign_heading(sign.id, sign.level)
        question = Text(sign.question)
        if sign.ask_if:
            question.append(
                "\n" + _("Asked if: {signs}").format(signs=", ".join(sign.ask_if)), style="dim"
            )
        parts.append(heading)
        parts.append(Padding(question, (0, 0, 0, 2)))
    parts.append(Text(_("Example: cramp check --sign numbness,weakness"), style="dim"))
    return parts


def _check(result: CheckResult, *, signs: bool = True) -> list[RenderableType]:
    """signs=False: the level and what to do without the signs (a report lists them)."""
    body = Text()
    badge = _level_badge(result.level)
    body.append(f" {badge} ", style=LEVEL_STYLES[result.level])
    # In Chinese the level's title is the badge's own words: said once.
    body.append(f"  {result.title}" if result.title != badge else "", style="bold")
    body.append("\n\n")
    if result.partial_note:
        body.append(_("Incomplete: {note}").format(note=result.partial_note) + "\n\n", style="bold")
    body.append(result.action, style="bold")
    leading = result.leading_signs() if signs else []
    for sign in leading:
        body.append("\n" + _first_for(sign.title), style="bold")
        body.append(sign.advice or "")
    body.append(f"\n{result.details}")
    parts: list[RenderableType] = [
        Panel(body, box=box.HEAVY, border_style=LEVEL_BORDERS[result.level])
    ]
    together = result.combination_rules_fired()
    if together:
        parts.append(Text(_("Together, these raise the level"), style="bold"))
        for fired in together:
            line = Text()
            line.append(f" {level_label(fired.level)} ", style=LEVEL_STYLES[fired.level])
            line.append(f" {fired.reason}")
            parts.append(Padding(line, (0, 0, 0, 2)))
    if result.items and signs:
        # A list, not a table: at any width no sign id or level word is cut.
        parts.append(Text(_("Your answers point to"), style="bold"))
        for sign in result.items:
            heading = _sign_heading(sign.id, sign.level, indent="  ")
            meaning = Text(sign.wording)
            if sign.advice and sign not in leading:
                meaning.append("\n" + _("What to do: "), style="bold")
                meaning.append(sign.advice)
            if sign.not_sure:
                meaning.append(
                    "\n" + _("You were not sure: counted as yes, to be safe."), style="italic"
                )
            if sign.note:
                meaning.append(f"\n{sign.note}", style="dim")
            ids = ", ".join(s.id for s in sign.sources)
            meaning.append("\n" + _("Sources: {ids}").format(ids=ids), style="dim")
            parts.append(heading)
            parts.append(Padding(meaning, (0, 0, 0, 4)))
    if result.explain:
        rules = _fitting_table(
            _("Rules that fired"),
            _col(_("Rule"), whole=True),
            _col(_("Level"), whole=True),
            _col(_("Why")),
        )
        for fired in result.fired:
            rules.add_row(fired.rule, level_label(fired.level), Text(fired.reason))
        parts.append(rules)
    for pointer in result.pointers:
        parts.append(Text(pointer))
    parts.append(_note("\n".join(result.safety_net), _("Safety net"), style="red"))
    if result.level in ("emergency", "urgent"):
        # On a small screen the panel above may have scrolled away: say it again last.
        closing = Text()
        closing.append(f" {_level_badge(result.level)} ", style=LEVEL_STYLES[result.level])
        closing.append(f" {result.action}", style="bold")
        parts.append(closing)
    return parts


def _not_assessed(result: NotAssessedResult) -> list[RenderableType]:
    body = Text()
    not_assessed = _("NOT ASSESSED")
    body.append(f" {not_assessed} ", style="bold reverse")
    body.append(f"\n\n{result.message}")
    parts: list[RenderableType] = [Panel(body, box=box.HEAVY, border_style="red")]
    parts.append(Text(_("Emergency signs"), style="bold"))
    for sign in result.emergency_signs:
        parts.append(Padding(Text(sign.question), (0, 0, 0, 2)))
    parts.append(_note("\n".join(result.safety_net), _("Safety net"), style="red"))
    return parts


def _lines(title: str, lines: Iterable[str]) -> list[RenderableType]:
    table = _titled_table(title, show_header=False)
    table.add_column(overflow="fold")
    for line in lines:
        table.add_row(Text(line.replace("\t", "  ")))
    return [table]


def _trail(result: TrailCheck) -> list[RenderableType]:
    """`cramp sources --check`: the problems, then the notes, each a block that folds."""
    parts: list[RenderableType] = []
    for title, findings, style in (
        (_("Problems ({count})"), result.problems, "bold red"),
        (_("Notes ({count})"), result.notes, "bold"),
    ):
        if not findings:
            continue
        blocks: list[RenderableType] = [Text(title.format(count=len(findings)), style=style)]
        for found in findings:
            block = Text()
            block.append(found.id, style="bold")
            block.append(f"\n{found.entry}, {found.kind}: ", style="dim")
            block.append(found.message)
            blocks.append(Padding(block, (0, 0, 0, 2)))
        parts.append(Group(*blocks))
    parts.append(Text(kb_views.trail_verdict(result), style="bold" if result.ok else "bold red"))
    return parts


def _stretch_panel(stretch: Stretch) -> Panel:
    steps = Text()
    for number, step in enumerate(stretch.steps, start=1):
        steps.append("\n" if number > 1 else "")
        steps.append(f"{number}. ", style="bold")
        steps.append(step)
    if stretch.after:
        steps.append(f"\n{stretch.after}", style="italic")
    grade = shown_grade(grade_label(stretch.evidence), stretch.user_claim)
    return Panel(
        steps,
        title=Text(stretch.title, style="bold"),
        title_align="left",
        subtitle=Text(grade, style="dim"),
        subtitle_align="right",
        border_style="green",
        box=box.ROUNDED,
    )


def _now(result: NowResult) -> list[RenderableType]:
    """One screen: it must fit 80x24 with the disclaimer (tests/test_now.py measures it),
    even with the two stretches a name such as "thigh" brings."""
    parts: list[RenderableType] = []
    if len(result.stretches) == 1:
        muscle = result.stretches[0].muscle
        parts.append(Text(_cramp_in(muscle.name), style="bold underline"))
    parts += [Text(note, style="dim") for note in result.notes]
    for stretch in result.stretches:
        parts.append(_stretch_panel(stretch))
        if stretch.caveat:
            parts.append(Text(stretch.caveat, style="dim"))
    parts.append(Text(result.warning, style="bold red"))
    return parts


def long_cramp_alert(result: NowResult) -> RenderableType:
    """What `cramp now` shows at once when the timer passes the long-cramp limit."""
    sign = result.long_cramp
    body = Text()
    body.append(f" {_level_badge(sign.level)} ", style=LEVEL_STYLES[sign.level])
    passed = _(" {minutes} minutes have passed.").format(minutes=result.long_cramp_minutes)
    body.append(passed, style="bold")
    body.append(f"\n{sign.wording}")
    if sign.advice:
        body.append(f"\n{sign.advice}", style="bold")
    body.append("\n" + _("Run 'cramp check' for the other warning signs."))
    return _fitting(
        Panel(
            body,
            title=Text(sign.title, style="bold"),
            title_align="left",
            box=box.HEAVY,
            border_style=LEVEL_BORDERS[sign.level],
        )
    )


def _diary_views() -> dict[type[Any], Callable[[Any], list[RenderableType]]]:
    """The diary's views, imported only for a diary command."""
    from cramp_cli.diary.results import (
        DoctorReport,
        HistoryResult,
        ImportResult,
        LogResult,
        MedsResult,
        ReportResult,
    )
    from cramp_cli.render import diary_views, doctor_text, meds_views

    return {
        DoctorReport: doctor_text.rich_doctor,
        LogResult: diary_views.rich_log,
        HistoryResult: diary_views.rich_history,
        ReportResult: lambda r: diary_views.rich_report(
            r, lambda c: _check(c, signs=False), _sign_heading
        ),
        ImportResult: diary_views.rich_import,
        MedsResult: meds_views.rich_meds,
    }


_VIEWS: dict[type[Any], Callable[[Any], list[RenderableType]]] = {
    WhyResult: _why,
    ReliefResult: _relieve,
    NowResult: _now,
    PreventResult: _prevent,
    MusclesResult: _muscles,
    SourcesResult: _sources,
    SourceResult: _source,
    ShowResult: _show,
    LookalikesResult: _lookalikes,
    SearchResult: _search,
    SignsResult: _signs,
    CheckResult: _check,
    NotAssessedResult: _not_assessed,
    KbPathsResult: lambda r: _lines(_(kb_views.PATHS_TITLE), kb_views.plain_paths(r)),
    KbShowResult: lambda r: _lines(_(kb_views.SHOW_TITLE), kb_views.plain_show(r)),
    KbValidateResult: lambda r: _lines(_(kb_views.VALIDATE_TITLE), kb_views.plain_validate(r)),
    TrailCheck: _trail,
}


def render_rich(result: Result) -> RenderableType:
    if i18n.current() != i18n.ENGLISH:
        from cramp_cli.render.rich_parts import wrap_between_wide_characters

        wrap_between_wide_characters()
    view = _VIEWS.get(type(result)) or _diary_views()[type(result)]
    parts = [_fitting(part) for part in view(result)]
    parts.append(Text(_(DISCLAIMER), style="italic dim"))
    return Group(*parts)


def _fitting(part: RenderableType) -> RenderableType:
    """A panel's title and subtitle move inside it when the screen is too narrow for them."""
    if isinstance(part, Panel) and (part.title is not None or part.subtitle is not None):
        from cramp_cli.render.rich_parts import FittingPanel

        return FittingPanel(part)
    return part
