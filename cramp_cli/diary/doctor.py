"""`cramp report --for-doctor`: the diary and the knowledge base in, the page for a doctor out.

Pure: no I/O, no clock of its own (`now` is passed in). The sections are those a clinician
asks for (NICE CKS, AAFP): how often and how long, which muscles, whether they wake the
person, the medicines taken, signs that point elsewhere, warning signs met, what helped, and
questions to ask. The page is for the doctor: instructions meant only for the person
("run 'cramp check'") are left out; the disclaimer and the medicine caution stay.

Weeks are counted from the first entry, so no empty week comes before the diary began; the
last week is partial when the period does not fill it, and says so.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cramp_cli.diary import day_words
from cramp_cli.diary.models import Entry, Medicine, night_of
from cramp_cli.diary.results import (
    DoctorHeader,
    DoctorReport,
    DoctorSummary,
    HelpLine,
    MedicineLine,
    Period,
    Question,
    Share,
    SignMet,
    SymptomLine,
    ThenAndNow,
    WeekNights,
)
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.models import Cause, Level, Source

if TYPE_CHECKING:
    from cramp_cli.knowledge.kb import KnowledgeBase

COMPARE_DAYS = 28  # then and now, and before and after a medicine: 4 weeks each
FEW_CRAMPS = 5  # a comparison resting on fewer cramps than this says so
MAX_WORDS = 3  # notes quoted per relief
WORDS_CHARS = 120

MEDICINE_CAUTION = N_(
    "This does not show that the medicine caused them; do not stop it on your own; ask your doctor."
)
MEDICINE_NOTE = N_(
    "Never stop or change a prescribed medicine on your own: ask your doctor or pharmacist."
)
SMALL_NUMBERS = N_(
    "The numbers are small (fewer than {few} cramps in a period), so a difference may be chance."
)
FEW_RELIEF = N_("Some of these rest on fewer than {few} cramps, too few to compare them.")
LOGGED_SIGN = N_("A warning sign cramp was told about when the cramp was logged")
# Local-time bands for "time of night"; a night runs from 12:00 to 11:59 the next day.
TIME_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("evening", N_("before midnight"), 12, 24),
    ("00-03", N_("midnight to 3 am"), 0, 3),
    ("03-06", N_("3 to 6 am"), 3, 6),
    ("06-12", N_("after 6 am"), 6, 12),
)
# What cramp tells the person to run is not for the doctor's page: a parenthesis naming a
# command goes, and so does a sentence that does ("If it comes back, run 'cramp check'.").
_COMMAND = (
    r"'?cramp (?:check|log|relieve|prevent|now|why|report|meds|lookalikes|history|sources"
    r"|show|search|muscles)\b"
)
_COMMAND_ASIDE = re.compile(r"\s*\((?:see )?" + _COMMAND + r"[^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MENTIONS_COMMAND = re.compile(_COMMAND)
# The same in Chinese text: a full-width parenthesis naming a command, and sentences ending
# in 。！？ (no space after them).
_COMMAND_ASIDE_ZH = re.compile(r"\s*（[^（）]*" + _COMMAND + r"[^）]*）")
_SENTENCE_END_ZH = re.compile(r"(?<=[。！？])\s*")
_LEVEL_ORDER: tuple[Level, ...] = ("emergency", "urgent", "see-doctor", "self-care")


def _median(values: Iterable[float]) -> float | None:
    found = list(values)
    return round(statistics.median(found), 1) if found else None


def _rate(count: int, days: int) -> float:
    return round(count / max(days, 1) * 7, 1)


def for_doctor(text: str) -> str:
    """The text without its instructions to run a cramp command."""
    text = _COMMAND_ASIDE.sub("", " ".join(text.split()))
    text = _COMMAND_ASIDE_ZH.sub("", text)
    kept = [
        "".join(
            sentence
            for sentence in _SENTENCE_END_ZH.split(part)
            if not _MENTIONS_COMMAND.search(sentence)
        )
        for part in _SENTENCE_END.split(text)
    ]
    return " ".join(part for part in kept if part).strip()


def _period(entries: Sequence[Entry], first: date, last: date) -> Period:
    inside = [entry for entry in entries if first <= entry.night <= last]
    days = (last - first).days + 1
    nights = len({entry.night for entry in inside})
    return Period(
        first_night=first,
        last_night=last,
        days=days,
        cramps=len(inside),
        nights=nights,
        nights_per_week=_rate(nights, days),
        median_minutes=_median(entry.minutes for entry in inside if entry.minutes is not None),
    )


def _shares(
    counts: dict[str, int], total: int, names: dict[str, str], *, in_order: bool = False
) -> tuple[Share, ...]:
    """Most first, or (in_order) in the order of `names`."""
    order = list(names)
    ordered = sorted(
        counts.items(),
        key=lambda item: (order.index(item[0]),) if in_order else (-item[1], item[0]),
    )
    return tuple(
        Share(id=key, name=names.get(key), count=count, share=round(count / total, 2))
        for key, count in ordered
    )


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _time_band(at: datetime) -> str:
    return next(band for band, _, start, end in TIME_BANDS if start <= at.hour < end)


def weekly(entries: Sequence[Entry], first: date, last: date) -> tuple[WeekNights, ...]:
    """Nights with a cramp per week, weeks counted from `first`; the last may be partial."""
    weeks: list[WeekNights] = []
    start = first
    while start <= last:
        end = start + timedelta(days=6)
        inside = [entry for entry in entries if start <= entry.night <= min(end, last)]
        weeks.append(
            WeekNights(
                start=start,
                end=min(end, last),
                nights=len({entry.night for entry in inside}),
                cramps=len(inside),
                partial=end > last,
            )
        )
        start = end + timedelta(days=1)
    return tuple(weeks)


def _then_and_now(entries: Sequence[Entry], first: date, last: date) -> ThenAndNow:
    days = (last - first).days + 1
    if days >= 2 * COMPARE_DAYS:
        then = _period(entries, first, first + timedelta(days=COMPARE_DAYS - 1))
        now = _period(entries, last - timedelta(days=COMPARE_DAYS - 1), last)
        split = "four-weeks"
    elif days >= 2:
        half = days // 2
        then = _period(entries, first, first + timedelta(days=half - 1))
        now = _period(entries, last - timedelta(days=half - 1), last)
        split = "halves"
    else:
        return ThenAndNow(split="halves", then=None, now=None, caveat=None)
    small = min(then.cramps, now.cramps) < FEW_CRAMPS
    return ThenAndNow(
        split="four-weeks" if split == "four-weeks" else "halves",
        then=then,
        now=now,
        caveat=_(SMALL_NUMBERS).format(few=FEW_CRAMPS) if small else None,
    )


def _short(day: date) -> str:
    """14 Apr 2025 (English month names whatever the locale), or 2025年4月14日 in Chinese."""
    return day_words.day(day)


def _cause(kb: KnowledgeBase, class_id: str | None) -> Cause | None:
    if class_id is None:
        return None
    causes = {cause.id: cause for cause in kb.causes}
    return causes.get(class_id) or causes.get(f"medicine-{class_id}")


def _medicine(
    kb: KnowledgeBase, medicine: Medicine, entries: Sequence[Entry], first: date, last: date
) -> MedicineLine:
    cause = _cause(kb, medicine.class_id)
    sources: list[str] = list(cause.sources) if cause is not None else []
    if cause is not None and cause.names_source and cause.names_source not in sources:
        sources.append(cause.names_source)  # the class list the name was found in
    since: date | None = medicine.since
    before = after = None
    comparison = None
    if since is not None and first <= since <= last:
        end = min(since + timedelta(days=COMPARE_DAYS - 1), last)
        if medicine.stopped is not None and medicine.stopped > since:
            end = min(end, medicine.stopped - timedelta(days=1))
        start = max(since - timedelta(days=COMPARE_DAYS), first)
        if start < since:
            before = _period(entries, start, since - timedelta(days=1))
        after = _period(entries, since, end)
        if before is not None:
            comparison = _(
                "After starting {name} on {since}, nights with cramps went from {before} to "
                "{after} a week ({days_before} nights before, {days_after} after)."
            ).format(
                name=medicine.name,
                since=_short(since),
                before=f"{before.nights_per_week:g}",
                after=f"{after.nights_per_week:g}",
                days_before=before.days,
                days_after=after.days,
            )
    return MedicineLine(
        name=medicine.name,
        since=since,
        stopped=medicine.stopped,
        note=medicine.note,
        class_id=cause.id if cause is not None else None,
        class_title=cause.title if cause is not None else None,
        linked=cause is not None and cause.evidence.grade not in ("none", "against"),
        sources=tuple(sources),
        before=before,
        after=after,
        comparison=comparison,
        caution=_(MEDICINE_CAUTION),
    )


def _symptoms(kb: KnowledgeBase, entries: Sequence[Entry]) -> tuple[SymptomLine, ...]:
    vocabulary = {item.word: item for item in kb.symptoms}
    lookalikes = {item.id: item for item in kb.lookalikes}
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        for word in entry.symptoms:
            found.setdefault(word, []).append(entry)
    lines: list[SymptomLine] = []
    for word, logged in sorted(found.items(), key=lambda item: (-len(item[1]), item[0])):
        symptom = vocabulary.get(word)  # None: a word a user file no longer has
        sign = symptom.sign if symptom else None
        lookalike_id = symptom.lookalike if symptom else None
        if lookalike_id is None and sign is not None:  # a sign's look-alike, if one names it
            lookalike_id = next((item.id for item in kb.lookalikes if sign in item.signs), None)
        lookalike = lookalikes.get(lookalike_id) if lookalike_id else None
        lines.append(
            SymptomLine(
                word=word,
                label=symptom.label if symptom else word,
                count=len(logged),
                nights=tuple(sorted({entry.night for entry in logged})),
                sign=sign,
                lookalike=lookalike.id if lookalike else None,
                lookalike_title=lookalike.title if lookalike else None,
                points_to=lookalike.points_to if lookalike else None,
                sources=lookalike.sources if lookalike else (),
            )
        )
    return tuple(lines)


def _signs(kb: KnowledgeBase, entries: Sequence[Entry]) -> tuple[SignMet, ...]:
    """The warning signs the entries met: a symptom that stands for a sign, a cramp longer
    than the knowledge base's minutes, or a level above self-care given at logging time."""
    signs = {sign.id: sign for sign in kb.signs}
    vocabulary = {item.word: item for item in kb.symptoms}
    limit = kb.triage.minutes
    met: dict[str, list[Entry]] = {}
    other: dict[Level, list[Entry]] = {}
    for entry in entries:
        ids: list[str] = []
        for word in entry.symptoms:
            symptom = vocabulary.get(word)
            if symptom is not None and symptom.sign is not None:
                ids.append(symptom.sign)
        if entry.minutes is not None and entry.minutes > limit.more_than:
            ids.append(limit.sign)
        known = [sign_id for sign_id in dict.fromkeys(ids) if sign_id in signs]
        for sign_id in known:
            met.setdefault(sign_id, []).append(entry)
        if not known and entry.logged_level not in (None, "self-care"):
            other.setdefault(entry.logged_level, []).append(entry)  # no sign to name it by
    lines: list[SignMet] = [
        SignMet(
            id=f"logged-{level}",
            title=_(LOGGED_SIGN),
            level=level,
            nights=tuple(sorted({entry.night for entry in logged})),
            advised=tuple(
                dict.fromkeys(
                    kept
                    for entry in logged
                    for text in entry.logged_advice
                    if (kept := for_doctor(text))
                )
            ),
            logged=True,
            sources=(),
        )
        for level, logged in other.items()
    ]
    for sign_id, logged in met.items():
        sign = signs[sign_id]
        advised = [
            kept for entry in logged for text in entry.logged_advice if (kept := for_doctor(text))
        ]
        logged_advice = bool(advised)  # else only "run 'cramp check'" was said: the sign's
        if not advised and sign.advice:
            advised.append(for_doctor(sign.advice))
        lines.append(
            SignMet(
                id=sign.id,
                title=sign.title,
                level=sign.level,
                nights=tuple(sorted({entry.night for entry in logged})),
                advised=tuple(text for text in dict.fromkeys(advised) if text),
                logged=logged_advice,
                sources=sign.sources,
            )
        )
    lines.sort(key=lambda line: (_LEVEL_ORDER.index(line.level), line.nights[0], line.id))
    return tuple(lines)


def _helped(kb: KnowledgeBase, entries: Sequence[Entry]) -> tuple[HelpLine, ...]:
    titles = {item.id: item.title for item in kb.relief}
    used: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.relief is not None:
            used.setdefault(entry.relief, []).append(entry)
    lines: list[HelpLine] = []
    for relief, logged in sorted(used.items(), key=lambda item: (-len(item[1]), item[0])):
        minutes = [entry.minutes for entry in logged if entry.minutes is not None]
        words = [
            note if len(note) <= WORDS_CHARS else note[: WORDS_CHARS - 3].rstrip() + "..."
            for note in dict.fromkeys(" ".join(entry.note.split()) for entry in logged)
            if note
        ]
        lines.append(
            HelpLine(
                id=relief,
                title=titles.get(relief),
                uses=len(logged),
                timed=len(minutes),
                median_minutes=_median(minutes),
                longest_minutes=max(minutes, default=None),
                words=tuple(words[-MAX_WORDS:]),
            )
        )
    return tuple(lines)


def _questions(kb: KnowledgeBase) -> tuple[Question, ...]:
    return tuple(
        Question(text=item.text, sources=item.sources) for item in kb.triage.doctor_questions
    )


def build_doctor_report(
    kb: KnowledgeBase,
    entries: Sequence[Entry],
    medicines: Sequence[Medicine],
    *,
    now: datetime,
    days: int | None,
    with_entries: bool = False,
) -> DoctorReport:
    """The report of the diary's entries up to the night of `now` (an aware time): all of
    them (`days` None), or those of the last `days` nights, counted from the first entry of
    that window. `medicines` are the diary's medicines (Diary.medicines())."""
    last = night_of(now)
    chosen = sorted(
        (entry for entry in entries if entry.night <= last),
        key=lambda entry: (entry.at, entry.id),
    )
    if days is not None:
        start = last - timedelta(days=days - 1)
        chosen = [entry for entry in chosen if entry.night >= start]
    first = chosen[0].night if chosen else last
    days_covered = (last - first).days + 1
    nights = len({entry.night for entry in chosen})
    muscle_names = {muscle.id: muscle.name for muscle in kb.muscles}
    total = max(len(chosen), 1)
    woke = sum(entry.woke for entry in chosen)
    timed = [entry.minutes for entry in chosen if entry.minutes is not None]
    band_names = {band: _(label) for band, label, _start, _end in TIME_BANDS}
    summary = DoctorSummary(
        weeks=round(days_covered / 7, 1),
        nights_per_week=_rate(nights, days_covered),
        cramps_per_week=_rate(len(chosen), days_covered),
        median_minutes=_median(timed),
        longest_minutes=max(timed, default=None),
        timed_cramps=len(timed),
        muscles=_shares(_count(entry.muscle for entry in chosen), total, muscle_names),
        sides=_shares(_count(entry.side or "not given" for entry in chosen), total, {}),
        woke=woke,
        woke_share=round(woke / len(chosen), 2) if chosen else None,
        times=_shares(
            _count(_time_band(entry.at) for entry in chosen), total, band_names, in_order=True
        ),
    )
    meds = tuple(
        _medicine(kb, medicine, chosen, first, last)
        for medicine in medicines
        if medicine.stopped is None or medicine.stopped >= first
    )
    helped = _helped(kb, chosen)
    elsewhere = _symptoms(kb, chosen)
    signs = _signs(kb, chosen)
    questions = _questions(kb)
    cited = [
        *(source for line in meds for source in line.sources),
        *(source for line in elsewhere for source in line.sources),
        *(source for line in signs for source in line.sources),
        *(source for question in questions for source in question.sources),
    ]
    known: dict[str, Source] = {source.id: source for source in kb.sources}
    return DoctorReport(
        header=DoctorHeader(
            first_night=first,
            last_night=last,
            days=days_covered,
            cramps=len(chosen),
            nights_with_cramps=nights,
            printed=now.date(),
        ),
        summary=summary,
        then_and_now=_then_and_now(chosen, first, last),
        medicines=meds,
        elsewhere=elsewhere,
        warning_signs=signs,
        what_helped=helped,
        what_helped_note=(
            _(FEW_RELIEF).format(few=FEW_CRAMPS)
            if any(line.uses < FEW_CRAMPS for line in helped)
            else None
        ),
        questions=questions,
        weekly=weekly(chosen, first, last),
        medicine_note=_(MEDICINE_NOTE),
        sources=tuple(known[source] for source in dict.fromkeys(cited) if source in known),
        entries=tuple(chosen) if with_entries else (),
    )
