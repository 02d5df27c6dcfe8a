"""Markdown for notes, issues and chat: headings, lists and tables, no terminal codes.

Knowledge-base text is escaped where Markdown would read it as syntax (| in tables,
leading # or list markers), so a value can never turn into a link or a heading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cramp_cli.i18n.text import _
from cramp_cli.knowledge.kb import title_of
from cramp_cli.knowledge.models import Item, Relief, Source
from cramp_cli.render.fields import entry_fields, labelled, no_authority, source_details
from cramp_cli.render.markdown_text import esc, table
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
    TrailCheck,
    WhyResult,
    caveat,
    grade_counts,
    muscle_word,
)
from cramp_cli.wording import (
    DISCLAIMER,
    STRETCH_FIRST,
    USER_CLAIM,
    grade_label,
    grade_words_for,
    level_with_id,
    shown_grade,
)


def _bold_label(label: str, value: str) -> str:
    """'**Hold:** value'."""
    return _("**{label}:** {value}").format(label=label, value=value)


def _cramp_in(muscle_name: str) -> str:
    """'Cramp in the back of the calf', escaped."""
    return _("Cramp in the {muscle}").format(muscle=esc(muscle_name.lower()))


def _ref_grade(ref: EntryRef) -> str:
    if not ref.grade:
        return "-"
    return shown_grade(grade_words_for(ref.grade, ref.weak_reason, ref.applies_to), ref.user_claim)


def _claim(entry_id: str, user_claims: tuple[str, ...]) -> str:
    return f" ({_(USER_CLAIM)})" if entry_id in user_claims else ""


def _items_table(items: Iterable[Item], user_claims: tuple[str, ...] = ()) -> Iterator[str]:
    yield from table(
        [_("Id"), _("Title"), _("Evidence"), _("Summary")],
        (
            [
                item.id,
                item.title,
                shown_grade(grade_label(item.evidence), item.id in user_claims),
                item.summary,
            ]
            for item in items
        ),
    )


def _in_short(counts: str, best: Iterable[Item], user_claims: tuple[str, ...]) -> Iterator[str]:
    yield _("**In short:** {counts}.").format(counts=esc(counts))
    yield ""
    yield _("**Best supported:**")
    yield ""
    for number, item in enumerate(best, start=1):
        grade = shown_grade(grade_label(item.evidence), item.id in user_claims)
        yield f"{number}. {esc(item.title)} (`{item.id}`): {grade}"
    yield ""


def _why(result: WhyResult) -> Iterator[str]:
    yield "# " + _("What can bring on night leg cramps")
    yield ""
    if result.items:
        yield from _in_short(
            _("{count} causes: {grades}").format(
                count=len(result.items), grades=grade_counts(result.items)
            ),
            result.best_items(),
            result.user_claims,
        )
    yield from _items_table(result.items, result.user_claims)
    yield f"> {esc(result.note)}"
    yield ""
    yield f"> {esc(result.medicine_safety)}"
    yield ""


def _relief(item: Relief, user_claims: tuple[str, ...] = (), details: bool = True) -> Iterator[str]:
    yield f"## {esc(item.title)} (`{item.id}`)"
    yield ""
    if item.direction:
        yield _bold_label(_("Stretch"), esc(item.direction))
        yield ""
    for number, step in enumerate(item.steps, start=1):
        yield f"{number}. {esc(step)}"
    yield ""
    yield _bold_label(_("Hold"), esc(item.hold)) + "  "
    label = _("Evidence") + _claim(item.id, user_claims)
    if not details:
        note = caveat(item.evidence)
        yield _bold_label(label, grade_label(item.evidence)) + (
            _(": {meaning}").format(meaning=esc(note)) if note else ""
        )
        yield ""
        return
    yield _bold_label(label, grade_label(item.evidence)) + _(": {meaning}").format(
        meaning=esc(item.evidence.note)
    )
    yield ""
    yield esc(item.details)
    yield ""
    if item.article_claim:
        yield _bold_label(_("The original article"), esc(item.article_claim))
        yield ""
    yield _bold_label(_("Sources"), ", ".join(f"`{source}`" for source in item.sources))
    yield ""


def _relieve(result: ReliefResult) -> Iterator[str]:
    main = result.main_stretches()
    for note in result.notes:
        yield f"> {esc(note)}"
        yield ""
    if result.muscle is not None:
        yield f"# {_cramp_in(result.muscle.name)} (`{result.muscle.id}`)"
        yield ""
        yield esc(result.muscle.cramp_pulls)
        yield ""
    elif not main:
        yield "# " + _("What to do for a cramp")
        yield ""
        yield "## " + _("First, stretch the cramping muscle")
        yield ""
        yield esc(_(STRETCH_FIRST))
        yield ""
        for muscle in result.muscles:
            about = _("{muscle}. {pulls}").format(
                muscle=esc(muscle.name), pulls=esc(muscle.cramp_pulls)
            )
            yield f"- `cramp relieve {muscle_word(muscle)}`" + _(": {meaning}").format(
                meaning=about
            )
        yield ""
    for item in main:
        yield from _relief(item, result.user_claims, details=result.details)
    if result.details:
        for item in result.items:
            if item not in main:
                yield from _relief(item, result.user_claims)
    elif result.also_helps():
        yield "## " + _("Also helps")
        yield ""
        for item in result.also_helps():
            grade = shown_grade(grade_label(item.evidence), item.id in result.user_claims)
            yield f"- {esc(item.title)} (`{item.id}`): {grade}"
        yield ""
        yield _("The steps and evidence of each: `cramp relieve --details`.")
        yield ""
    yield "> " + _bold_label(_("When to get help"), esc(result.safety))
    yield ""


def _now(result: NowResult) -> Iterator[str]:
    for note in result.notes:
        yield f"> {esc(note)}"
        yield ""
    for stretch in result.stretches:
        grade = shown_grade(grade_label(stretch.evidence), stretch.user_claim)
        yield f"# {_cramp_in(stretch.muscle.name)}"
        yield ""
        yield f"## {esc(stretch.title)} ({grade})"
        yield ""
        yield from (f"{number}. {esc(step)}" for number, step in enumerate(stretch.steps, 1))
        yield ""
        if stretch.caveat:
            yield f"*{esc(stretch.caveat)}*"
            yield ""
        if stretch.after:
            yield esc(stretch.after)
            yield ""
    yield f"**{esc(result.warning)}**"
    yield ""


def _prevent(result: PreventResult) -> Iterator[str]:
    if result.top:
        yield "# " + _("The best-supported things you can do")
        yield ""
        yield from _items_table(result.best_items(), result.user_claims)
    else:
        yield "# " + _("How to make night cramps less likely")
        yield ""
        if result.groups():
            yield from _in_short(result.summary_counts(), result.best_items(), result.user_claims)
        for heading, _short, items in result.groups():
            yield f"## {heading}"
            yield ""
            yield from _items_table(items, result.user_claims)
    yield f"> {esc(result.note)}"
    yield ""


def _muscles(result: MusclesResult) -> Iterator[str]:
    yield "# " + _("Muscles")
    yield ""
    yield from table(
        [_("Id"), _("Where"), _("Also answers to")],
        ([muscle.id, muscle.name, ", ".join(muscle.aliases)] for muscle in result.items),
    )


def _source_headers() -> list[str]:
    return [_("Id"), _("Title"), _("Publisher"), _("Year"), _("Address")]


def _source_row(source: Source) -> list[str]:
    return [source.id, source.title, source.publisher, source.year, source.url or "-"]


def _sources(result: SourcesResult) -> Iterator[str]:
    yield f"# {_('Sources')}"
    yield ""
    yield from table(
        [_("Id"), _("Title"), _("Publisher"), _("Year"), _("Authority"), _("Cited by")],
        (
            [s.id, s.title, s.publisher, s.year, s.authority or no_authority(), str(s.cited_by)]
            for s in result.items
        ),
    )


def _refs(refs: Iterable[EntryRef]) -> Iterator[str]:
    yield from table(
        [_("Kind"), _("Id"), _("Title"), _("Evidence")],
        ([ref.kind, ref.id, ref.title, _ref_grade(ref)] for ref in refs),
    )


def _source(result: SourceResult) -> Iterator[str]:
    yield f"# {_('Source')}"
    yield ""
    yield from table(_source_headers(), map(_source_row, result.items))
    for source in result.items:
        for label, shown in source_details(source):
            yield f"- **{labelled(label)}** {esc(shown)}"
        yield ""
    yield f"## {_('Cited by ({count})').format(count=len(result.cited_by))}"
    yield ""
    yield from _refs(result.cited_by)


def _show(result: ShowResult) -> Iterator[str]:
    entry = result.items[0]
    title = title_of(entry)
    yield f"# {esc(title)} ({result.kind} `{entry.id}`)"
    yield ""
    claim = _claim(entry.id, result.user_claims)
    if isinstance(entry, Item):
        evidence = _("Evidence")
        graded = labelled(grade_label(entry.evidence), esc(entry.evidence.note))
        yield f"**{labelled(evidence + claim)}** {graded}"
        yield ""
    for label, shown in entry_fields(entry):
        yield f"- **{labelled(label)}** {esc(shown)}"
    yield ""
    if isinstance(entry, Relief):
        for number, step in enumerate(entry.steps, start=1):
            yield f"{number}. {esc(step)}"
        yield ""
    if result.sources:
        yield f"## {_('Sources')}{claim}"
        yield ""
        yield from table(_source_headers(), map(_source_row, result.sources))
    if result.see_also:
        yield f"## {_('See also')}"
        yield ""
        yield from _refs(result.see_also)


def _lookalikes(result: LookalikesResult) -> Iterator[str]:
    yield "# " + _("Conditions that can look like a cramp")
    yield ""
    for item in result.items:
        yield f"## {esc(item.title)} (`{item.id}`)"
        yield ""
        yield esc(item.summary)
        yield ""
        yield "- " + _bold_label(_("How it differs"), esc(item.differs))
        yield "- " + _bold_label(_("Points to it"), esc(item.points_to))
        yield ""
    yield f"> {esc(result.note)}"
    yield ""


def _search(result: SearchResult) -> Iterator[str]:
    yield f"# {_('Search: {query}').format(query=esc(result.query))}"
    yield ""
    if result.items:
        yield from _refs(result.items)
    else:
        yield _("No match.")
        yield ""


def _signs(result: SignsResult) -> Iterator[str]:
    yield "# " + _("Warning signs, in the order they are asked")
    yield ""
    yield from table(
        [_("Sign"), _("Level"), _("Question"), _("Asked if")],
        (
            [s.id, level_with_id(s.level), s.question, ", ".join(s.ask_if) or _("always")]
            for s in result.items
        ),
    )


def _check(result: CheckResult, *, signs: bool = True) -> Iterator[str]:
    """signs=False: the level and what to do without the signs (a report lists them)."""
    yield f"# {esc(result.title)}"
    yield ""
    if result.partial_note:
        yield _("**Incomplete.** {note}").format(note=esc(result.partial_note))
        yield ""
    yield _("**Level: {level}.** {action}").format(
        level=level_with_id(result.level), action=esc(result.action)
    )
    yield ""
    leading = result.leading_signs() if signs else []
    for sign in leading:
        yield _("- **First, for {sign}:** {advice}").format(
            sign=esc(sign.title.lower()), advice=esc(sign.advice or "")
        )
    if leading:
        yield ""
    yield esc(result.details)
    yield ""
    together = result.combination_rules_fired()
    if together:
        yield "## " + _("Together, these raise the level")
        yield ""
        for fired in together:
            yield _("- {reason} ({level})").format(
                reason=esc(fired.reason), level=level_with_id(fired.level)
            )
        yield ""
    if result.items and signs:
        yield "## " + _("Your answers point to")
        yield ""
        for sign in result.items:
            unsure = _(" (not sure: counted as yes)") if sign.not_sure else ""
            yield _("- **{id}** ({level}){unsure}: {wording}").format(
                id=sign.id,
                level=level_with_id(sign.level),
                unsure=unsure,
                wording=esc(sign.wording),
            )
            if sign.advice and sign not in leading:
                yield "  " + _("What to do: {text}").format(text=esc(sign.advice))
        yield ""
    if result.explain:
        yield "## " + _("Rules that fired")
        yield ""
        yield from table(
            [_("Rule"), _("Level"), _("Why")],
            ([f.rule, level_with_id(f.level), f.reason] for f in result.fired),
        )
    for pointer in result.pointers:
        yield f"- {esc(pointer)}"
    if result.pointers:
        yield ""
    yield from _safety_net(result.safety_net)


def _safety_net(lines: Iterable[str]) -> Iterator[str]:
    yield "## " + _("Safety net")
    yield ""
    for line in lines:
        yield f"- {esc(line)}"
    yield ""


def _not_assessed(result: NotAssessedResult) -> Iterator[str]:
    yield "# " + _("Not assessed")
    yield ""
    yield esc(result.message)
    yield ""
    yield "## " + _("Emergency signs")
    yield ""
    for sign in result.emergency_signs:
        yield f"- **{sign.id}**: {esc(sign.question)}"
    yield ""
    yield from _safety_net(result.safety_net)


from cramp_cli.render import kb_views  # noqa: E402


def _diary_renderers() -> dict[type[Any], Callable[[Any], Iterator[str]]]:
    """The diary's views, imported only for a diary command."""
    from cramp_cli.diary.results import (
        HistoryResult,
        ImportResult,
        LogResult,
        MedsResult,
        ReportResult,
    )
    from cramp_cli.render import diary_views, meds_views

    return {
        LogResult: diary_views.markdown_log,
        HistoryResult: diary_views.markdown_history,
        ReportResult: lambda r: diary_views.markdown_report(r, lambda c: _check(c, signs=False)),
        ImportResult: diary_views.markdown_import,
        MedsResult: meds_views.markdown_meds,
    }


_RENDERERS: dict[type[Any], Callable[[Any], Iterator[str]]] = {
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
    KbPathsResult: lambda r: kb_views.markdown_lines(
        kb_views.plain_paths(r), _(kb_views.PATHS_TITLE)
    ),
    KbShowResult: lambda r: kb_views.markdown_lines(kb_views.plain_show(r), _(kb_views.SHOW_TITLE)),
    KbValidateResult: lambda r: kb_views.markdown_lines(
        kb_views.plain_validate(r), _(kb_views.VALIDATE_TITLE)
    ),
    TrailCheck: kb_views.markdown_trail,
}


def render_markdown(result: Result) -> str:
    render = _RENDERERS.get(type(result)) or _diary_renderers()[type(result)]
    lines = list(render(result))
    lines.append(f"*{esc(_(DISCLAIMER))}*")
    return "\n".join(lines) + "\n"
