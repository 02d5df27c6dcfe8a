"""`cramp report`: the diary's aggregates and the knowledge base in, a report out. Pure.

The warning signs come from the rules in data/patterns.yml; the level and the advice come
from answers.check with those signs, so they are exactly what `cramp check --sign ...` says.

A report speaks of the past. Each sign is listed once, with the nights that met it. The
level of `check` is shown as the level of now only when the latest entry is from the last
RECENT (24 hours). A sign seen earlier keeps its level and still says what to do: an urgent
or emergency sign that has passed still needs a doctor today (PAST_ADVICE), never later.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from cramp_cli import answers
from cramp_cli.diary.models import FIRST_NIGHT, ValueProblem
from cramp_cli.diary.results import Count, Occasion, PatternFinding, ReliefUse, ReportResult, Week
from cramp_cli.diary.store import Aggregates, Seen
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.models import Level, Measure, PatternRule

REPORT_NOTE = N_(
    "A diary shows patterns only. It cannot see other warning signs, such as one swollen, "
    "warm or red leg, chest pain or breathlessness: if you have any, run 'cramp check'."
)
MAX_DAYS = 3660
RECENT = timedelta(hours=24)  # an entry this recent makes the report's level the level of now
# What to do about a sign of these levels that the diary saw earlier than RECENT. It keeps
# the urgency of its level (help today), since cramp cannot tell how the leg is now; it is
# only not announced as what is happening now. Other levels use the sign's own advice.
PAST_ADVICE: dict[Level, str] = {
    "emergency": N_(
        "If it is still going on, or comes back, call {emergency} now. If it has passed, it "
        "still needs a doctor today: contact {urgent}, and tell them what happened."
    ),
    "urgent": N_(
        "It has passed, but it still needs a doctor today: contact {urgent}, and tell them "
        "what happened. If it is happening again now, run 'cramp check'."
    ),
}


def window(last_night: date, days: int) -> tuple[date, date]:
    """The `days` nights ending with `last_night`: (first, last), from 1 to MAX_DAYS nights
    and none before the first night a diary can hold (ValueProblem for `days` otherwise)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueProblem("days", f"must be from 1 to {MAX_DAYS:,}, not {days}")
    if last_night < FIRST_NIGHT or (last_night - FIRST_NIGHT).days + 1 < days:
        raise ValueProblem(
            "days",
            f"{days:,} reaches back before {FIRST_NIGHT}, the first night a diary holds "
            f"(the window ends on {last_night})",
        )
    return last_night - timedelta(days=days - 1), last_night


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def build_report(
    aggregates: Aggregates,
    kb: KnowledgeBase,
    rules: Sequence[PatternRule],
    *,
    days: int,
    now: datetime,
    region: str | None = None,
) -> ReportResult:
    """`now` is an aware time: the clock the report measures "the last 24 hours" with."""
    chosen_region = answers.resolve_region(kb, region)  # an error even with no finding
    fill = {"emergency": chosen_region.emergency, "urgent": chosen_region.urgent}
    level_actions = {item.level: item.action.format(**fill) for item in kb.triage.levels}
    agg = aggregates
    first, last = agg.first_night, agg.last_night
    if agg.older_entries or agg.earliest_night is None:
        covered = days
    else:  # the diary started inside the window: rates count from its first night
        covered = (last - agg.earliest_night).days + 1
    weeks_covered = max(covered, 7) / 7

    def rate(count: int) -> float:
        return round(count / weeks_covered, 1)

    measures: dict[Measure, float | None] = {
        "longest_minutes": agg.longest_minutes,
        "nights_per_week": rate(agg.nights),
        "cramps_per_week": rate(agg.cramps),
        "woke_nights_per_week": rate(agg.woke_nights),
        "mean_severity": _round(agg.mean_severity),
    }
    signs = {sign.id: sign for sign in kb.signs}
    findings: list[PatternFinding] = []
    for rule in rules:
        value = measures[rule.measure]
        if value is None or not rule.met_by(value) or rule.sign not in signs:
            continue
        sign = signs[rule.sign]
        seen = _seen(agg, rule)
        recent = bool(seen) and now - seen[0].at <= RECENT
        if recent or sign.level not in PAST_ADVICE:
            advice = sign.advice or level_actions[sign.level]
        else:
            advice = _(PAST_ADVICE[sign.level]).format(**fill)
        findings.append(
            PatternFinding(
                id=sign.id,
                rule=rule.id,
                title=sign.title,
                level=sign.level,
                measure=rule.measure,
                value=value,
                more_than=rule.more_than,
                at_least=rule.at_least,
                reason=rule.reason,
                sources=rule.sources,
                wording=sign.wording,
                advice=advice,
                recent=recent,
                count=len(seen),
                seen=tuple(Occasion(night=item.night, minutes=item.minutes) for item in seen),
            )
        )
    sign_ids = list(dict.fromkeys(finding.id for finding in findings))
    check = answers.check(kb, sign_ids, region=region) if sign_ids else None

    muscle_names = {muscle.id: muscle.name for muscle in kb.muscles}
    relief_titles = {item.id: item.title for item in kb.relief}
    muscles = tuple(
        Count(id=item.key, name=muscle_names.get(item.key), count=item.count)
        for item in agg.muscles
    )
    sides = tuple(Count(id=item.key, count=item.count) for item in agg.sides)
    # Weeks run from the first night counted (the diary's first, if it began inside the
    # window) to the last; the last week is partial when the nights do not fill it.
    start = last - timedelta(days=covered - 1)
    by_index = {week.index: week for week in agg.weeks}
    weeks: list[Week] = []
    for index in range(math.ceil(covered / 7)):
        week_start = start + timedelta(days=7 * index)
        stats = by_index.get(index)
        weeks.append(
            Week(
                start=week_start,
                end=min(week_start + timedelta(days=6), last),
                cramps=stats.cramps if stats else 0,
                nights=stats.nights if stats else 0,
                woke_nights=stats.woke_nights if stats else 0,
                partial=week_start + timedelta(days=6) > last,
            )
        )
    return ReportResult(
        days=days,
        first_night=first,
        last_night=last,
        covered_days=covered,
        cramps=agg.cramps,
        nights_with_cramps=agg.nights,
        nights_woken=agg.woke_nights,
        cramps_per_week=rate(agg.cramps),
        nights_per_week=rate(agg.nights),
        woke_nights_per_week=rate(agg.woke_nights),
        mean_minutes=_round(agg.mean_minutes),
        longest_minutes=agg.longest_minutes,
        timed_cramps=agg.timed,
        mean_severity=_round(agg.mean_severity),
        rated_cramps=agg.rated,
        muscle=muscles[0] if muscles else None,
        side=sides[0] if sides else None,
        muscles=muscles,
        sides=sides,
        triggers=tuple(Count(id=item.key, count=item.count) for item in agg.triggers[:5]),
        reliefs=tuple(
            ReliefUse(
                id=item.relief,
                title=relief_titles.get(item.relief),
                uses=item.uses,
                mean_minutes=_round(item.mean_minutes),
                longest_minutes=item.longest_minutes,
            )
            for item in agg.reliefs
        ),
        weeks=tuple(weeks),
        items=tuple(findings),
        check=check,
        latest_at=agg.latest_at,
        current=agg.latest_at is not None and now - agg.latest_at <= RECENT,
        note=_(REPORT_NOTE),
    )


def _seen(agg: Aggregates, rule: PatternRule) -> tuple[Seen, ...]:
    """The nights, or for a minutes rule the cramps, that met the rule: newest first."""
    if rule.measure == "longest_minutes":
        return tuple(
            item
            for item in agg.long_cramps
            if item.minutes is not None and rule.met_by(item.minutes)
        )
    if rule.measure == "woke_nights_per_week":
        return agg.woke_nights_seen
    return agg.cramp_nights


def long_from(rules: Sequence[PatternRule]) -> float | None:
    """The fewest minutes any minutes rule can be met by: the store lists cramps from there."""
    limits = [
        limit
        for rule in rules
        if rule.measure == "longest_minutes"
        for limit in (rule.more_than, rule.at_least)
        if limit is not None
    ]
    return min(limits, default=None)
