"""One pure function per command: knowledge base and arguments in, a result out.

No printing, no Typer, no Rich: the CLI layer calls these and hands the result to a renderer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from cramp_cli.errors import ExitCode, UnknownNameError, UsageError
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.kb import (
    Entry,
    KnowledgeBase,
    Origin,
    grade_rank,
    kind_of,
    level_rank,
    origin_key,
    rule_fires,
    title_of,
)
from cramp_cli.knowledge.models import (
    LEVELS,
    WEAK_REASONS,
    Cause,
    Grade,
    Item,
    Level,
    Lookalike,
    Muscle,
    Region,
    Rule,
    Sign,
    Source,
    Tag,
)
from cramp_cli.names import medicine_key, normalise_name
from cramp_cli.results import (
    CheckResult,
    EntryRef,
    Filters,
    FiredRule,
    KbEntryOrigin,
    KbOrigin,
    KbShowResult,
    LookalikesResult,
    MatchedSign,
    MusclesResult,
    NotAssessedResult,
    PreventResult,
    ReliefResult,
    SearchHit,
    SearchResult,
    ShowResult,
    SignsResult,
    SourceResult,
    SourcesResult,
    SourceSummary,
    TrailCheck,
    WhyResult,
)
from cramp_cli.wording import (
    ASSUMED_MUSCLE,
    GRADE_LABELS,
    LOOKALIKES_NOTE,
    MEDICINE_SAFETY,
    NOT_ASSESSED,
    PARTIAL_VERDICT,
    PREVENT_NOTE,
    RELIEF_SAFETY,
    SELF_CARE_POINTERS,
    SHARED_MUSCLE,
    WEAK_LABEL,
    WEAK_REASON_LABELS,
    WHY_NOTE,
    level_label,
)

if TYPE_CHECKING:
    from datetime import date

    from cramp_cli.interview import Interview

_I = TypeVar("_I", bound=Item)

CAUSE_GROUP_ORDER = ("mechanism", "trigger", "body", "condition", "medicine", "belief")
MAX_NAME_LENGTH = 100


def _clean_name(name: str, what: str) -> str:
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(
            _("the {what} is too long ({count} characters).").format(
                what=_(what), count=f"{len(name):,}"
            )
        )
    if any(not char.isprintable() for char in name):
        raise UsageError(_("the {what} contains control characters.").format(what=_(what)))
    key = normalise_name(name)
    if not key:
        raise UsageError(_("the {what} is empty.").format(what=_(what)))
    return key


def _nearest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(name, sorted(set(choices)), n=n, cutoff=0.5)


def resolve_tag(tags: Sequence[Tag], name: str, field: str) -> str:
    """The canonical id of a who/when tag, or a usage error suggesting the nearest ones."""
    key = _clean_name(name, _("--{field} tag name").format(field=field))
    known = [tag.id for tag in tags]
    if key in known:
        return key
    close = _nearest(key, known)
    raise UnknownNameError(
        _("unknown --{field} tag {name}.").format(field=field, name=repr(name)),
        hint=did_you_mean(close) + _("Known tags: {names}.").format(names=", ".join(known)),
    )


class MuscleMatch(NamedTuple):  # a NamedTuple: `log` does not import dataclasses
    """What a muscle name means: one muscle, or each muscle a shared word fits ("thigh"),
    and the note to show when the name was not a muscle's own ("leg")."""

    muscles: tuple[Muscle, ...]
    note: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(muscle.id for muscle in self.muscles)


def match_muscle(kb: KnowledgeBase, name: str) -> MuscleMatch:
    """A muscle by id, alias (no note), vague name ("leg": the one muscle it is taken to
    mean, with a note) or shared name ("thigh": every muscle that lists it, with a note);
    otherwise a usage error naming the nearest names."""
    key = _clean_name(name, N_("muscle name"))
    names = kb.muscle_names()
    if key in names:
        return MuscleMatch((kb.muscle(names[key]),))
    vague = kb.vague_names()
    if key in vague:
        found = tuple(kb.muscle(muscle_id) for muscle_id in vague[key])
        typed = " ".join(name.split())
        if len(found) == 1:
            note = _(ASSUMED_MUSCLE).format(name=typed, muscle=found[0].name.lower())
        else:
            note = _(SHARED_MUSCLE).format(name=typed, choices=_either(found))
        return MuscleMatch(found, note)
    nearest: list[str] = []
    for close in _nearest(key, [*names, *vague], n=6):
        for muscle_id in vague.get(close, (names.get(close),)):
            if muscle_id is not None and muscle_id not in nearest:
                nearest.append(muscle_id)
    raise UnknownNameError(
        _("unknown muscle {name}.").format(name=repr(name)),
        hint=did_you_mean(nearest[:3]) + _("Run 'cramp muscles' for every name."),
    )


def _either(muscles: Sequence[Muscle]) -> str:
    named = [
        _("the {name} ({id})").format(name=muscle.name.lower(), id=muscle.id) for muscle in muscles
    ]
    return _one_or_other(named)


def resolve_muscle(kb: KnowledgeBase, name: str) -> Muscle:
    """The one muscle a name means; a shared name ("thigh") is a usage error listing each
    muscle it could mean. (The note on a vague name is dropped: see match_muscle.)"""
    return one_muscle(match_muscle(kb, name), name)


def one_muscle(match: MuscleMatch, name: str) -> Muscle:
    if len(match.muscles) == 1:
        return match.muscles[0]
    raise UsageError(
        _("{name} could mean {muscles}.").format(
            name=repr(" ".join(name.split())), muscles=_either(match.muscles)
        ),
        hint=_("Give one of them: {ids}.").format(ids=", ".join(match.ids)),
    )


def _quoted(names: Sequence[str]) -> str:
    return _one_or_other([f"'{name}'" for name in names])


def _one_or_other(names: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c", in the language of the run."""
    if len(names) == 1:
        return names[0]
    return _("{some} or {last}").format(some=_(", ").join(names[:-1]), last=names[-1])


def did_you_mean(names: Sequence[str]) -> str:
    """ "Did you mean 'a' or 'b'? " (with its space), or nothing when there is no close name."""
    return _("Did you mean {names}? ").format(names=_quoted(names)) if names else ""


def _for_who(items: Iterable[_I], who: str | None) -> list[_I]:
    return [item for item in items if who is None or who in item.who or "everyone" in item.who]


def _for_when(items: Iterable[_I], when: str | None) -> list[_I]:
    return [item for item in items if when is None or not item.when or when in item.when]


# What --min-evidence accepts for each grade: its name and the words the screen shows for it.
GRADE_NAMES: dict[Grade, tuple[str, ...]] = {
    "strong": ("strong", "good", GRADE_LABELS["strong"]),
    "moderate": ("moderate", "some", GRADE_LABELS["moderate"]),
    "weak": ("weak", WEAK_LABEL),
    "none": ("none", "no evidence", GRADE_LABELS["none"]),
    "against": ("against", GRADE_LABELS["against"], "evidence says it does not help"),
}
# The words for why a grade is weak (and the old words for weak): not a grade, not a filter.
_WEAK_REASON_NAMES = (*WEAK_REASONS, *WEAK_REASON_LABELS.values(), "untested advice", "untested")


def _grade_key(text: str) -> str:
    return normalise_name(text.replace(",", " "))


_GRADE_KEYS = {_grade_key(name): grade for grade, names in GRADE_NAMES.items() for name in names}
_WEAK_REASON_KEYS = {_grade_key(name) for name in _WEAK_REASON_NAMES} | {"small-studies-only"}


def accepted_grades() -> str:
    """'strong (good, good evidence), moderate (...), ...' for help texts and hints."""
    return ", ".join(
        f"{names[0]} ({', '.join(names[1:])})" if grade != "weak" else grade
        for grade, names in GRADE_NAMES.items()
    )


def resolve_grade(name: str) -> Grade:
    """A grade by its name or by the words the screen shows for it, loosely matched."""
    key = _clean_name(name.replace(",", " "), N_("evidence grade"))
    if key in _GRADE_KEYS:
        return _GRADE_KEYS[key]
    if key in _WEAK_REASON_KEYS:
        raise UsageError(
            _("{name} says why an item's evidence is weak; it is not an evidence grade.").format(
                name=repr(name)
            ),
            hint=_(
                "Use --min-evidence weak: it keeps weak items, whatever the reason, and stronger."
            ),
        )
    close = _nearest(key, _GRADE_KEYS)
    raise UnknownNameError(
        _("unknown evidence grade {name}.").format(name=repr(name)),
        hint=did_you_mean(close)
        + _("Grades, strongest first: {grades}.").format(grades=accepted_grades()),
    )


def _user_claims(kb: KnowledgeBase, items: Iterable[Item]) -> tuple[str, ...]:
    """The ids of the items read from the user's own files, in the order given."""
    return tuple(item.id for item in items if kb.from_user(item.id))


def _at_least(items: Iterable[_I], grade: Grade | None) -> list[_I]:
    if grade is None:
        return list(items)
    return [item for item in items if grade_rank(item.evidence.grade) <= grade_rank(grade)]


def support_key(item: Item) -> tuple[int, int, str]:
    """How well supported an item is, as a sort key: the strongest grade first, then the most
    sources, then the id. The one ordering of `prevent`, its --top and the summaries."""
    return (grade_rank(item.evidence.grade), -len(item.sources), item.id)


def by_support(items: Iterable[_I]) -> list[_I]:
    """The items, best supported first (see support_key)."""
    return sorted(items, key=support_key)


BEST_COUNT = 3


def best_supported(items: Iterable[Item], count: int = BEST_COUNT) -> tuple[str, ...]:
    """The ids of the `count` best-supported items that have some evidence: an item graded
    "no evidence found" or "against" is never called well supported, so fewer may come."""
    backed = [item for item in items if grade_rank(item.evidence.grade) < grade_rank("none")]
    return tuple(item.id for item in by_support(backed)[:count])


def why(
    kb: KnowledgeBase,
    who: str | None = None,
    when: str | None = None,
    min_evidence: str | None = None,
) -> WhyResult:
    """What can bring on night cramps, grouped from everyday triggers to unsupported beliefs."""
    who = resolve_tag(kb.who_tags, who, "who") if who is not None else None
    when = resolve_tag(kb.when_tags, when, "when") if when is not None else None
    grade = resolve_grade(min_evidence) if min_evidence is not None else None
    chosen = {item.id for item in _at_least(_for_when(_for_who(kb.causes, who), when), grade)}
    items = sorted(
        (cause for cause in kb.causes if cause.id in chosen),
        key=lambda cause: CAUSE_GROUP_ORDER.index(cause.group),
    )
    return WhyResult(
        filters=Filters(who=who, when=when, min_evidence=grade),
        note=_(WHY_NOTE),
        medicine_safety=_(MEDICINE_SAFETY),
        items=tuple(items),
        best=best_supported(cause for cause in items if cause.group != "mechanism"),
        user_claims=_user_claims(kb, items),
    )


def relieve(
    kb: KnowledgeBase,
    muscle: str | None = None,
    min_evidence: str | None = None,
    details: bool = False,
) -> ReliefResult:
    """Steps for the cramping muscle first, then the measures that help any cramp.

    Without a muscle, the general measures, and the views first point to the stretch for
    each muscle. The safety note always comes, whatever the filter. `details` asks the human
    views for the evidence of each item (JSON always has it).
    """
    match = match_muscle(kb, muscle) if muscle is not None else MuscleMatch(())
    grade = resolve_grade(min_evidence) if min_evidence is not None else None
    specific = [
        kb.relief_item(relief_id) for chosen in match.muscles for relief_id in chosen.relief
    ]
    general = [item for item in kb.relief if item.muscle is None and item not in specific]
    kept = {item.id for item in _at_least([*specific, *general], grade)}
    items = tuple(item for item in (*specific, *general) if item.id in kept)
    return ReliefResult(
        filters=Filters(min_evidence=grade),
        muscle=match.muscles[0] if len(match.muscles) == 1 else None,
        notes=(match.note,) if match.note else (),
        safety=_(RELIEF_SAFETY),
        items=items,
        user_claims=_user_claims(kb, items),
        muscles=kb.muscles if not match.muscles else (),
        details=details,
    )


def prevent(
    kb: KnowledgeBase,
    who: str | None = None,
    min_evidence: str | None = None,
    top: bool = False,
) -> PreventResult:
    """What may make cramps less likely, best supported first, and the treatments only a
    doctor can offer. With `top`, only the three best-supported things you can do."""
    who = resolve_tag(kb.who_tags, who, "who") if who is not None else None
    grade = resolve_grade(min_evidence) if min_evidence is not None else None
    items = tuple(by_support(_at_least(_for_who(kb.prevention, who), grade)))
    doctor_treatments = tuple(by_support(_at_least(_for_who(kb.treatments, who), grade)))
    best = best_supported(items)
    if top:
        items = tuple(item for item in items if item.id in best)
        doctor_treatments = ()
    return PreventResult(
        filters=Filters(who=who, min_evidence=grade),
        note=_(PREVENT_NOTE),
        items=items,
        doctor_treatments=doctor_treatments,
        best=best,
        top=top,
        user_claims=_user_claims(kb, (*items, *doctor_treatments)),
    )


def muscles(kb: KnowledgeBase) -> MusclesResult:
    """Every muscle cramp knows, with the names it answers to."""
    return MusclesResult(items=kb.muscles)


# ---------------------------------------------------------------- sources, show, look-alikes


def _ref(kb: KnowledgeBase, entry: Entry) -> EntryRef:
    evidence = entry.evidence if isinstance(entry, Item) else None
    return EntryRef(
        kind=kind_of(entry),
        id=entry.id,
        title=title_of(entry),
        grade=evidence.grade if evidence else None,
        weak_reason=evidence.weak_reason if evidence else None,
        applies_to=evidence.applies_to if evidence else None,
        user_claim=kb.from_user(entry.id),
    )


def unknown_name(name: str, what: str, known: Iterable[str]) -> UnknownNameError:
    known = list(known)
    return _unknown_id(
        name, what, known, _("Choose one of: {names}.").format(names=", ".join(known))
    )


def _unknown_id(name: str, what: str, known: Iterable[str], listing: str) -> UnknownNameError:
    close = _nearest(name, known)
    shown = name if len(name) <= MAX_NAME_LENGTH else name[: MAX_NAME_LENGTH - 3] + "..."
    return UnknownNameError(
        _("unknown {what} {name}.").format(what=_(what), name=repr(shown)),
        hint=did_you_mean(close) + listing,
    )


def sources(kb: KnowledgeBase) -> SourcesResult:
    """Every source the knowledge base cites, with how many entries cite each."""
    return SourcesResult(
        items=tuple(
            SourceSummary(
                id=source.id,
                title=source.title,
                publisher=source.publisher,
                year=source.year,
                url=source.url,
                kind=source.kind,
                low_authority=source.low_authority,
                authority=source.authority,
                cited_by=len(kb.citing(source.id)),
            )
            for source in kb.sources
        )
    )


def trail_check(kb: KnowledgeBase, today: date | None = None) -> TrailCheck:
    """`cramp sources --check`: the evidence-trail audit of the loaded knowledge base."""
    from cramp_cli.knowledge.trail import audit

    trail = audit(kb, today)
    return TrailCheck(
        ok=not trail.problems,
        sources=trail.sources,
        entries=trail.entries,
        problems=trail.problems,
        notes=trail.notes,
    )


def source(kb: KnowledgeBase, source_id: str) -> SourceResult:
    """One source in full, with the entries that cite it."""
    key = _clean_name(source_id, N_("source id"))
    found = next((item for item in kb.sources if item.id == key), None)
    if found is None:
        raise _unknown_id(
            source_id,
            N_("source"),
            (item.id for item in kb.sources),
            _("Run 'cramp sources' for all."),
        )
    return SourceResult(items=(found,), cited_by=tuple(_ref(kb, entry) for entry in kb.citing(key)))


def show(kb: KnowledgeBase, entry_id: str) -> ShowResult:
    """Any entry in full, with its sources spelled out."""
    key = _clean_name(entry_id, N_("id"))
    entry = kb.entry(key)
    if entry is None:
        raise _unknown_id(
            entry_id,
            N_("id"),
            (item.id for item in kb.entries),
            _("Ids are shown by 'cramp why', 'cramp prevent' and 'cramp search TEXT'."),
        )
    cited = tuple(kb.source(source_id) for source_id in getattr(entry, "sources", ()))
    see_also: list[Entry] = []
    if isinstance(entry, Muscle):
        see_also = [kb.relief_item(relief_id) for relief_id in entry.relief]
    elif isinstance(entry, Source):
        see_also = kb.citing(entry.id)
    elif isinstance(entry, Lookalike):
        see_also = [sign for sign in kb.signs if sign.id in entry.signs]
    elif isinstance(entry, Rule):
        see_also = [sign for sign in kb.signs if sign.id in (*entry.all, *entry.any)]
    elif isinstance(entry, Sign):
        # A look-alike may share the sign's id: the id shows the sign and points to it.
        same = kb.lookalike(entry.id)
        see_also = [same] if same is not None else []
    return ShowResult(
        kind=kind_of(entry),
        items=(entry,),
        sources=cited,
        see_also=tuple(_ref(kb, item) for item in see_also),
        user_claims=(entry.id,) if kb.from_user(entry.id) else (),
    )


def lookalikes(kb: KnowledgeBase) -> LookalikesResult:
    """Conditions that can be mistaken for a cramp, and the signs that point to them.

    Most dangerous first: emergency, urgent, see-doctor, self-care, then those without a
    level; file order within a level.
    """

    def danger(item: Lookalike) -> int:
        return level_rank(item.level) if item.level is not None else len(LEVELS)

    return LookalikesResult(note=_(LOOKALIKES_NOTE), items=tuple(sorted(kb.lookalikes, key=danger)))


def search(kb: KnowledgeBase, text: str, limit: int = 20) -> SearchResult:
    """Free text over every entry, ranked and tolerant of typos."""
    if len(text) > 500:
        raise UsageError(
            _("the {what} is too long ({count} characters).").format(
                what=_("search text"), count=f"{len(text):,}"
            )
        )
    if any(not char.isprintable() for char in text):
        raise UsageError(_("the {what} contains control characters.").format(what=_("search text")))
    if not text.strip():
        raise UsageError(_("the {what} is empty.").format(what=_("search text")))
    hits = kb.search_index().search(text, limit=limit)
    from cramp_cli import i18n

    language = i18n.current()
    return SearchResult(
        query=text,
        items=tuple(
            SearchHit(
                kind=hit.document.kind,
                id=hit.document.id,
                title=hit.document.title_in(language),
                grade=hit.document.grade,
                weak_reason=hit.document.weak_reason,
                applies_to=hit.document.applies_to,
                user_claim=kb.from_user(hit.document.id),
                score=round(hit.score, 3),
            )
            for hit in hits
        ),
    )


# ---------------------------------------------------------------- warning-sign triage


def resolve_signs(kb: KnowledgeBase, names: Iterable[str]) -> list[Sign]:
    known = {sign.id: sign for sign in kb.signs}
    chosen: list[Sign] = []
    for raw in names:
        for name in raw.split(","):
            key = _clean_name(name, N_("sign id"))
            if key not in known:
                raise _unknown_id(
                    name.strip(), N_("sign"), known, _("Run 'cramp check --list' for all.")
                )
            if known[key] not in chosen:
                chosen.append(known[key])
    return chosen


def signs(kb: KnowledgeBase) -> SignsResult:
    return SignsResult(items=tuple(_question_order(kb)))  # the order they are asked in


def check(
    kb: KnowledgeBase,
    sign_names: Sequence[str] = (),
    minutes: int | None = None,
    region: str | None = None,
    not_sure: Sequence[str] = (),
) -> CheckResult:
    """The most urgent level the answers point to, after the combination rules in the data."""
    chosen = resolve_signs(kb, [*sign_names, *not_sure])
    unsure = {sign.id for sign in resolve_signs(kb, not_sure)}
    triage = kb.triage
    if minutes is not None and minutes < 0:
        raise UsageError(_("--minutes must be 0 or more."))
    fired: list[FiredRule] = []
    if minutes is not None and minutes > triage.minutes.more_than:
        long_sign = next(sign for sign in kb.signs if sign.id == triage.minutes.sign)
        if long_sign not in chosen:
            chosen.append(long_sign)
        fired.append(
            FiredRule(
                rule=f"minutes>{triage.minutes.more_than}",
                level=long_sign.level,
                reason=_(
                    "A cramp of {minutes} minutes counts as '{sign}' (more than {limit} minutes)."
                ).format(minutes=minutes, sign=long_sign.id, limit=triage.minutes.more_than),
            )
        )
    given = {sign.id for sign in chosen}
    level: Level = "self-care"
    for sign in sorted(chosen, key=lambda sign: level_rank(sign.level)):
        fired.append(
            FiredRule(
                rule=f"sign:{sign.id}",
                level=sign.level,
                reason=_("{sign}: {level}.").format(sign=sign.title, level=level_label(sign.level)),
            )
        )
        level = _more_urgent(level, sign.level)
    for rule in kb.rules:
        if rule_fires(rule, given):
            fired.append(FiredRule(rule=f"rule:{rule.id}", level=rule.level, reason=rule.reason))
            level = _more_urgent(level, rule.level)
    if not chosen:
        fired.append(
            FiredRule(rule="no-signs", level="self-care", reason=_("No warning sign given."))
        )
    chosen_region = resolve_region(kb, region)
    advice = next(item for item in triage.levels if item.level == level)
    fill = {"emergency": chosen_region.emergency, "urgent": chosen_region.urgent}
    return CheckResult(
        level=level,
        title=advice.title,
        action=advice.action.format(**fill),
        details=advice.details.format(**fill),
        region=chosen_region.id,
        minutes=minutes,
        items=tuple(
            MatchedSign(
                id=sign.id,
                title=sign.title,
                wording=sign.wording,
                level=sign.level,
                note=sign.note,
                advice=sign.advice,
                sources=tuple(kb.source(source_id) for source_id in sign.sources),
                not_sure=sign.id in unsure,
            )
            for sign in sorted(chosen, key=lambda sign: level_rank(sign.level))
        ),
        fired=tuple(fired),
        not_sure=tuple(sorted(unsure)),
        pointers=tuple(map(_, SELF_CARE_POINTERS)) if level == "self-care" else (),
        level_sources=tuple(kb.source(source_id) for source_id in advice.sources),
        safety_net=triage.safety_net,
    )


def interview_verdict(
    kb: KnowledgeBase, interview: Interview, region: str | None = None, complete: bool = True
) -> CheckResult:
    """The verdict of the questions answered so far; marked when the check was cut short."""
    result = check(kb, interview.yes, region=region, not_sure=interview.unsure)
    answered, total = interview.answered, interview.total
    cut_short = not complete and total > answered
    return result.model_copy(
        update={
            "complete": not cut_short,
            "answered": answered,
            "questions": total,
            "partial_note": (
                _(PARTIAL_VERDICT).format(answered=answered, total=total) if cut_short else None
            ),
        }
    )


def _question_order(kb: KnowledgeBase) -> list[Sign]:
    """The signs in the order the interview asks them (imported only when needed)."""
    from cramp_cli.interview import question_order

    return question_order(kb)


def not_assessed(kb: KnowledgeBase, interview: Interview) -> NotAssessedResult:
    """A check stopped before any yes: no verdict, but the emergency signs to watch for."""
    answered, total = interview.answered, interview.total
    return NotAssessedResult(
        answered=answered,
        questions=total,
        message=_(NOT_ASSESSED).format(answered=answered, total=total),
        emergency_signs=tuple(sign for sign in _question_order(kb) if sign.level == "emergency"),
        safety_net=kb.triage.safety_net,
    )


def _more_urgent(first: Level, second: Level) -> Level:
    return first if level_rank(first) <= level_rank(second) else second


def resolve_region(kb: KnowledgeBase, name: str | None) -> Region:
    triage = kb.triage
    if name is None or not name.strip():
        return triage.default_region
    key = _clean_name(name, N_("region name"))
    for region in triage.regions:
        if key == region.id or key in region.aliases:
            return region
    known = [region.id for region in triage.regions]
    raise _unknown_id(
        name, N_("region"), known, _("Regions: {names}.").format(names=", ".join(known))
    )


def exit_status(level: Level) -> int:
    """`cramp check --exit-code`: 0 self-care, 3 see-doctor, 4 urgent, 5 emergency."""
    return {
        "self-care": ExitCode.OK,
        "see-doctor": ExitCode.SEE_DOCTOR,
        "urgent": ExitCode.URGENT,
        "emergency": ExitCode.EMERGENCY,
    }[level]


def kb_origin(kb: KnowledgeBase, entry_id: str) -> KbShowResult:
    """Where an entry was read, what it overrides, and whether a user file disabled it."""
    key = _clean_name(entry_id, N_("id"))
    entry = kb.entry(key)
    disabled = kb.disabled.get(key)
    if entry is None and disabled is None:
        raise _unknown_id(
            entry_id,
            N_("id"),
            (item.id for item in kb.entries),
            _("Run 'cramp search TEXT' to find ids."),
        )
    items: tuple[KbEntryOrigin, ...] = ()
    overrides: tuple[KbOrigin, ...] = ()
    if entry is not None:
        origin = kb.origins[origin_key(entry)]
        found: list[tuple[Entry, Origin]] = [(entry, origin)]
        # A look-alike that shares a sign's id is listed after the sign.
        same = kb.lookalike(key) if not isinstance(entry, Lookalike) else None
        if same is not None:
            found.append((same, kb.origins[origin_key(same)]))
        items = tuple(
            KbEntryOrigin(
                id=key, kind=kind_of(item), file=where.file, line=where.line, layer=where.layer
            )
            for item, where in found
        )
        overrides = tuple(
            KbOrigin(file=old.file, line=old.line, layer=old.layer) for old in origin.overrides
        )
    return KbShowResult(
        items=items,
        overrides=overrides,
        disabled_by=(
            KbOrigin(file=disabled.file, line=disabled.line, layer=disabled.layer)
            if disabled
            else None
        ),
    )


def medicine_class(kb: KnowledgeBase, name: str) -> Cause | None:
    """The knowledge base's medicine class (a cause of group `medicine` with `names`) that a
    name a person typed belongs to, or None. Matched case-insensitively on the whole name,
    or on its first word ('Atorvastatin 20 mg tablets' is atorvastatin); a name that is in
    no class list is simply not matched."""
    key = medicine_key(name)
    if not key:
        return None
    first = key.split(" ", 1)[0]
    by_name: dict[str, Cause] = {}
    for cause in kb.causes:
        if cause.group != "medicine":
            continue
        for known in cause.names:
            by_name.setdefault(medicine_key(known), cause)
    return by_name.get(key) or by_name.get(first)


# ---------------------------------------------------------------- `cramp log --with`


def symptom_signs(kb: KnowledgeBase, words: Sequence[str]) -> list[Sign]:
    """The warning signs the words of `log --with` map to, in the order given, once each."""
    found: list[Sign] = []
    for word in words:
        symptom = kb.symptom(word)
        if symptom is None or symptom.sign is None:
            continue
        sign = next(sign for sign in kb.signs if sign.id == symptom.sign)
        if sign not in found:
            found.append(sign)
    return found


def symptom_notes(kb: KnowledgeBase, words: Sequence[str]) -> tuple[str, ...]:
    """For the words that map to a look-alike: what it can point to, one line each."""
    notes: list[str] = []
    for word in words:
        symptom = kb.symptom(word)
        if symptom is None or symptom.lookalike is None:
            continue
        lookalike = kb.lookalike(symptom.lookalike)
        if lookalike is not None:
            notes.append(
                f"{symptom.label} can point to {lookalike.title.lower()} "
                f"(see 'cramp show {lookalike.id}')."
            )
    return tuple(notes)


def check_pointer(signs: Sequence[Sign]) -> str:
    """The `cramp check --sign` line to run for warning signs noted but not asked about."""
    ids = ",".join(sign.id for sign in signs)
    what = "a warning sign" if len(signs) == 1 else "warning signs"
    return f"What you noticed can be {what}: run 'cramp check --sign {ids}' to check it."


def logged_verdict(
    kb: KnowledgeBase, yes: Sequence[str], unsure: Sequence[str], region: str | None = None
) -> tuple[Level, tuple[str, ...]]:
    """The level and advice for the signs answered yes (or not sure) when a cramp was logged,
    worded as `cramp check` words them: the level and its action (with the region's
    numbers), then what to do for each sign that has its own advice, most urgent first."""
    result = check(kb, yes, region=region, not_sure=unsure)
    lines = [f"{result.title}. {result.action}"]
    for sign in result.items:
        if sign.advice:
            lines.append(f"For {sign.title.lower()}: {sign.advice}")
    for fired in result.combination_rules_fired():
        lines.append(f"Together: {fired.reason}")
    return result.level, tuple(lines)


def medicine_classes(kb: KnowledgeBase, class_ids: Iterable[str | None]) -> list[Cause]:
    """The medicine classes (causes) with these ids, once each, in the order first named."""
    found: list[Cause] = []
    for class_id in class_ids:
        cause = next((cause for cause in kb.causes if cause.id == class_id), None)
        if cause is not None and cause not in found:
            found.append(cause)
    return found
