"""Plain text for pipes and scripts: no colour, no box drawing, no wrapping.

Lists are one record per line with tab-separated fields, so `cut -f1` gives the ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cramp_cli.i18n.text import _
from cramp_cli.knowledge.kb import title_of
from cramp_cli.knowledge.models import Item, Relief, Source, Treatment
from cramp_cli.render.fields import entry_fields, labelled, no_authority, source_details
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
    shown_grade,
    who_can_help,
)


def _row(item: Item, user_claims: tuple[str, ...] = ()) -> str:
    grade = shown_grade(grade_label(item.evidence), item.id in user_claims)
    return f"{item.id}\t{grade}\t{item.title}\t{item.summary}"


def _why(result: WhyResult) -> Iterator[str]:
    if result.items:
        yield f"Summary: {len(result.items)} causes: {grade_counts(result.items)}."
        yield f"Best supported: {', '.join(result.best) or '-'}"
    for item in result.items:
        yield _row(item, result.user_claims)
    yield f"Note: {result.note}"
    yield f"Medicines: {result.medicine_safety}"


def _relief_lines(item: Relief, result: ReliefResult, steps: bool) -> Iterator[str]:
    yield _row(item, result.user_claims)
    if steps:
        if item.direction:
            yield f"  Stretch: {item.direction}"
        for number, step in enumerate(item.steps, start=1):
            yield f"  {number}. {step}"
        yield f"  Hold: {item.hold}"
        if not result.details and caveat(item.evidence):
            yield f"  Evidence: {caveat(item.evidence)}"
    if result.details:
        claim = f" ({_(USER_CLAIM)})" if item.id in result.user_claims else ""
        yield f"  Evidence{claim}: {grade_label(item.evidence)}: {item.evidence.note}"
        yield f"  Details: {item.details}"
        if item.article_claim:
            yield f"  The original article: {item.article_claim}"
        yield f"  Sources: {', '.join(item.sources)}"


def _relieve(result: ReliefResult) -> Iterator[str]:
    """The muscle's stretch first with its steps; then one line for each other measure
    (their steps and evidence with --details)."""
    main = result.main_stretches()
    for note in result.notes:
        yield f"Note: {note}"
    if result.muscle is not None:
        yield f"Muscle: {result.muscle.id} ({result.muscle.name}). {result.muscle.cramp_pulls}"
    elif not main:
        yield f"Stretch first: {_(STRETCH_FIRST)}"
        for muscle in result.muscles:
            yield f"  cramp relieve {muscle_word(muscle)}\t{muscle.name}. {muscle.cramp_pulls}"
    for item in main:
        yield from _relief_lines(item, result, steps=True)
    rest = result.also_helps()
    if rest:
        yield "Also helps:"
    for item in rest:
        yield from _relief_lines(item, result, steps=result.details)
    yield f"Safety: {result.safety}"


def _now(result: NowResult) -> Iterator[str]:
    yield from (f"Note: {note}" for note in result.notes)
    for stretch in result.stretches:
        grade = shown_grade(grade_label(stretch.evidence), stretch.user_claim)
        yield f"Muscle: {stretch.muscle.id} ({stretch.muscle.name})"
        yield f"{stretch.relief_id}\t{grade}\t{stretch.title}"
        yield from (f"  {number}. {step}" for number, step in enumerate(stretch.steps, start=1))
        if stretch.caveat:
            yield f"Evidence: {stretch.caveat}"
        if stretch.after:
            yield f"After: {stretch.after}"
    yield f"Warning: {result.warning}"


def _who_can_help(item: Treatment) -> str:
    """'only a doctor can offer this' for a prescription, else who else can help."""
    return who_can_help(item.prescription, item.who)


def _prevent(result: PreventResult) -> Iterator[str]:
    if result.top:
        yield "Best supported things you can do:"
    elif result.groups():
        yield f"Summary: {result.summary_counts()}."
        yield f"Best supported: {', '.join(result.best) or '-'}"
    for heading, _short, items in [] if result.top else result.groups():
        yield f"{heading}:"
        for item in items:
            doctor = f"\t({_who_can_help(item)})" if isinstance(item, Treatment) else ""
            yield f"{_row(item, result.user_claims)}{doctor}"
    if result.top:
        for item in result.best_items():
            yield _row(item, result.user_claims)
    yield f"Note: {result.note}"


def _muscles(result: MusclesResult) -> Iterator[str]:
    # One id per line and nothing else, for `for m in $(cramp muscles | cat)` loops and
    # completion: a list of names carries no advice, so it needs no disclaimer line.
    for muscle in result.items:
        yield muscle.id


def _source_line(source: Source) -> str:
    url = source.url or _("no public address")
    return f"{source.id}\t{source.kind}\t{source.year}\t{source.title}\t{source.publisher}\t{url}"


def _ref_line(ref: EntryRef) -> str:
    grade = (
        shown_grade(grade_words_for(ref.grade, ref.weak_reason, ref.applies_to), ref.user_claim)
        if ref.grade
        else "-"
    )
    return f"{ref.kind}\t{ref.id}\t{grade}\t{ref.title}"


def _sources(result: SourcesResult) -> Iterator[str]:
    for item in result.items:
        url = item.url or _("no public address")
        low = "\t" + _("low authority") if item.low_authority else ""
        cited = _("cited by {count}").format(count=item.cited_by)
        authority = _("authority: {level}").format(level=item.authority or no_authority())
        yield (
            f"{item.id}\t{item.kind}\t{item.year}\t{item.title}\t{item.publisher}\t{url}"
            f"\t{cited}\t{authority}{low}"
        )


def _source(result: SourceResult) -> Iterator[str]:
    for source in result.items:
        yield _source_line(source)
        for label, shown in source_details(source):
            yield labelled(label, shown)
        if source.note:
            yield labelled(_("Note"), source.note)
    yield _("Cited by {count}:").format(count=len(result.cited_by))
    for ref in result.cited_by:
        yield _ref_line(ref)


def _show(result: ShowResult) -> Iterator[str]:
    entry = result.items[0]
    title = title_of(entry)
    yield f"{result.kind}\t{entry.id}\t{title}"
    claim = f" ({_(USER_CLAIM)})" if entry.id in result.user_claims else ""
    if isinstance(entry, Item):
        grade = entry.evidence.grade
        evidence = _("Evidence") + claim
        graded = labelled(f"{grade} ({grade_label(entry.evidence)})", entry.evidence.note)
        yield labelled(evidence, graded)
    for label, shown in entry_fields(entry):
        yield labelled(label, shown)
    if isinstance(entry, Relief):
        yield labelled(_("Steps"))
        for number, step in enumerate(entry.steps, start=1):
            yield f"  {number}. {step}"
    if result.sources:
        yield labelled(_("Sources") + claim)
        for source in result.sources:
            yield _source_line(source)
    if result.see_also:
        yield labelled(_("See also"))
        for ref in result.see_also:
            yield _ref_line(ref)


def _lookalikes(result: LookalikesResult) -> Iterator[str]:
    for item in result.items:
        yield f"{item.id}\t{item.title}\t{item.summary}"
        yield f"  How it differs: {item.differs}"
        yield f"  Points to it: {item.points_to}"
        if item.signs:
            yield f"  Check: cramp check --sign {','.join(item.signs)}"
    yield f"Note: {result.note}"


def _search(result: SearchResult) -> Iterator[str]:
    for hit in result.items:
        yield _ref_line(hit)
    if not result.items:
        yield _("No match for {query}.").format(query=repr(result.query))


def _signs(result: SignsResult) -> Iterator[str]:
    """One sign a line: id, level, question, and the gates it is asked after ('-' if none)."""
    for sign in result.items:
        gates = ",".join(sign.ask_if) or "-"
        yield f"{sign.id}\t{sign.level}\t{sign.question}\t{gates}"


def _check(result: CheckResult, *, signs: bool = True) -> Iterator[str]:
    """signs=False: the level and what to do without the signs (a report lists them)."""
    yield f"Level: {result.level}"
    if result.partial_note:
        yield f"Incomplete: {result.partial_note}"
    yield f"Action: {result.action}"
    leading = result.leading_signs() if signs else []
    for sign in leading:
        yield f"First, for {sign.title.lower()}: {sign.advice}"
    yield result.details
    for fired in result.combination_rules_fired():
        yield f"Together: {fired.reason} ({fired.level})"
    for sign in result.items if signs else ():
        unsure = " (you were not sure: counted as yes)" if sign.not_sure else ""
        yield f"Sign: {sign.id} ({sign.level}){unsure}: {sign.wording}"
        if sign.advice and sign not in leading:
            yield f"  What to do: {sign.advice}"
        if sign.note:
            yield f"  Note: {sign.note}"
        yield f"  Sources: {', '.join(source.id for source in sign.sources)}"
    if result.not_sure:
        yield "Answers of 'not sure' were counted as yes, to be safe."
    if result.explain:
        for fired in result.fired:
            yield f"Rule: {fired.rule} -> {fired.level}: {fired.reason}"
    for pointer in result.pointers:
        yield f"Next: {pointer}"
    for line in result.safety_net:
        yield f"Safety net: {line}"


def _not_assessed(result: NotAssessedResult) -> Iterator[str]:
    yield "Level: not assessed"
    yield result.message
    for sign in result.emergency_signs:
        yield f"Emergency sign: {sign.id}: {sign.question}"
    for line in result.safety_net:
        yield f"Safety net: {line}"


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
        LogResult: diary_views.plain_log,
        HistoryResult: diary_views.plain_history,
        ReportResult: lambda r: diary_views.plain_report(r, lambda c: _check(c, signs=False)),
        ImportResult: diary_views.plain_import,
        MedsResult: meds_views.plain_meds,
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
    KbPathsResult: kb_views.plain_paths,
    KbShowResult: kb_views.plain_show,
    KbValidateResult: kb_views.plain_validate,
    TrailCheck: kb_views.plain_trail,
}


def render_plain(result: Result) -> str:
    render = _RENDERERS.get(type(result)) or _diary_renderers()[type(result)]
    lines = list(render(result))
    if result.ends_with_disclaimer:
        lines.append(f"Disclaimer: {_(DISCLAIMER)}")
    return "\n".join(lines) + "\n"
