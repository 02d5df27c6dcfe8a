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
    level_with_id,
    shown_grade,
    who_can_help,
)


def _row(item: Item, user_claims: tuple[str, ...] = ()) -> str:
    grade = shown_grade(grade_label(item.evidence), item.id in user_claims)
    return f"{item.id}\t{grade}\t{item.title}\t{item.summary}"


def _why(result: WhyResult) -> Iterator[str]:
    if result.items:
        yield _("Summary: {count} causes: {grades}.").format(
            count=len(result.items), grades=grade_counts(result.items)
        )
        yield _best(result.best)
    for item in result.items:
        yield _row(item, result.user_claims)
    yield _("Note: {text}").format(text=result.note)
    yield _("Medicines: {text}").format(text=result.medicine_safety)


def _best(ids: tuple[str, ...]) -> str:
    return _("Best supported: {ids}").format(ids=", ".join(ids) or "-")


def _relief_lines(item: Relief, result: ReliefResult, steps: bool) -> Iterator[str]:
    yield _row(item, result.user_claims)
    if steps:
        if item.direction:
            yield "  " + _("Stretch: {text}").format(text=item.direction)
        for number, step in enumerate(item.steps, start=1):
            yield f"  {number}. {step}"
        yield "  " + _("Hold: {text}").format(text=item.hold)
        if not result.details and caveat(item.evidence):
            yield "  " + _("Evidence: {text}").format(text=caveat(item.evidence))
    if result.details:
        claim = f" ({_(USER_CLAIM)})" if item.id in result.user_claims else ""
        yield "  " + _("Evidence{claim}: {grade}: {note}").format(
            claim=claim, grade=grade_label(item.evidence), note=item.evidence.note
        )
        yield "  " + _("Details: {text}").format(text=item.details)
        if item.article_claim:
            yield "  " + _("The original article: {text}").format(text=item.article_claim)
        yield "  " + _("Sources: {ids}").format(ids=", ".join(item.sources))


def _relieve(result: ReliefResult) -> Iterator[str]:
    """The muscle's stretch first with its steps; then one line for each other measure
    (their steps and evidence with --details)."""
    main = result.main_stretches()
    for note in result.notes:
        yield _("Note: {text}").format(text=note)
    if result.muscle is not None:
        yield _("Muscle: {id} ({name}). {pulls}").format(
            id=result.muscle.id, name=result.muscle.name, pulls=result.muscle.cramp_pulls
        )
    elif not main:
        yield _("Stretch first: {text}").format(text=_(STRETCH_FIRST))
        for muscle in result.muscles:
            about = _("{muscle}. {pulls}").format(muscle=muscle.name, pulls=muscle.cramp_pulls)
            yield f"  cramp relieve {muscle_word(muscle)}\t{about}"
    for item in main:
        yield from _relief_lines(item, result, steps=True)
    rest = result.also_helps()
    if rest:
        yield _("Also helps:")
    for item in rest:
        yield from _relief_lines(item, result, steps=result.details)
    yield _("Safety: {text}").format(text=result.safety)


def _now(result: NowResult) -> Iterator[str]:
    yield from (_("Note: {text}").format(text=note) for note in result.notes)
    for stretch in result.stretches:
        grade = shown_grade(grade_label(stretch.evidence), stretch.user_claim)
        yield _("Muscle: {id} ({name})").format(id=stretch.muscle.id, name=stretch.muscle.name)
        yield f"{stretch.relief_id}\t{grade}\t{stretch.title}"
        yield from (f"  {number}. {step}" for number, step in enumerate(stretch.steps, start=1))
        if stretch.caveat:
            yield _("Evidence: {text}").format(text=stretch.caveat)
        if stretch.after:
            yield _("After: {text}").format(text=stretch.after)
    yield _("Warning: {text}").format(text=result.warning)


def _who_can_help(item: Treatment) -> str:
    """'only a doctor can offer this' for a prescription, else who else can help."""
    return who_can_help(item.prescription, item.who)


def _prevent(result: PreventResult) -> Iterator[str]:
    if result.top:
        yield _("Best supported things you can do:")
    elif result.groups():
        yield _("Summary: {counts}.").format(counts=result.summary_counts())
        yield _best(result.best)
    for heading, _short, items in [] if result.top else result.groups():
        yield _("{heading}:").format(heading=heading)
        for item in items:
            doctor = f"\t({_who_can_help(item)})" if isinstance(item, Treatment) else ""
            yield f"{_row(item, result.user_claims)}{doctor}"
    if result.top:
        for item in result.best_items():
            yield _row(item, result.user_claims)
    yield _("Note: {text}").format(text=result.note)


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
        yield "  " + _("How it differs: {text}").format(text=item.differs)
        yield "  " + _("Points to it: {text}").format(text=item.points_to)
        if item.signs:
            signs = f"--sign {','.join(item.signs)}"
            yield "  " + _("Check: cramp check {signs}").format(signs=signs)
    yield _("Note: {text}").format(text=result.note)


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
    yield _("Level: {level}").format(level=level_with_id(result.level))
    if result.partial_note:
        yield _("Incomplete: {note}").format(note=result.partial_note)
    yield _("Action: {text}").format(text=result.action)
    leading = result.leading_signs() if signs else []
    for sign in leading:
        yield _("First, for {sign}: {advice}").format(sign=sign.title.lower(), advice=sign.advice)
    yield result.details
    for fired in result.combination_rules_fired():
        yield _("Together: {reason} ({level})").format(
            reason=fired.reason, level=level_with_id(fired.level)
        )
    for sign in result.items if signs else ():
        unsure = _(" (you were not sure: counted as yes)") if sign.not_sure else ""
        yield _("Sign: {id} ({level}){unsure}: {wording}").format(
            id=sign.id, level=level_with_id(sign.level), unsure=unsure, wording=sign.wording
        )
        if sign.advice and sign not in leading:
            yield "  " + _("What to do: {text}").format(text=sign.advice)
        if sign.note:
            yield "  " + _("Note: {text}").format(text=sign.note)
        yield "  " + _("Sources: {ids}").format(ids=", ".join(s.id for s in sign.sources))
    if result.not_sure:
        yield _("Answers of 'not sure' were counted as yes, to be safe.")
    if result.explain:
        for fired in result.fired:
            yield _("Rule: {rule} -> {level}: {reason}").format(
                rule=fired.rule, level=level_with_id(fired.level), reason=fired.reason
            )
    for pointer in result.pointers:
        yield _("Next: {text}").format(text=pointer)
    for line in result.safety_net:
        yield _("Safety net: {text}").format(text=line)


def _not_assessed(result: NotAssessedResult) -> Iterator[str]:
    yield _("Level: not assessed")
    yield result.message
    for sign in result.emergency_signs:
        yield _("Emergency sign: {id}: {question}").format(id=sign.id, question=sign.question)
    for line in result.safety_net:
        yield _("Safety net: {text}").format(text=line)


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
        lines.append(_("Disclaimer: {text}").format(text=_(DISCLAIMER)))
    return "\n".join(lines) + "\n"
