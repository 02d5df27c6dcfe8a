"""A made-up doctor's report for a 3-month diary of 40 cramps, built field by field.

The printable page is tested on this report rather than on the report builder's output, so
its layout tests stay fixed while the builder changes. It is on the full side on purpose: two
medicines, three logged symptoms, two warning signs, five reliefs with notes and six questions,
so that "fits two pages" holds with room to spare for real diaries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from cramp_cli.diary.models import Entry
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
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.wording import MEDICINE_SAFETY

FIRST = date(2026, 9, 3)
LAST = date(2026, 12, 6)  # 95 nights: 13 full weeks and a partial week of 4 nights
NIGHTS_PER_WEEK = (1, 2, 2, 1, 3, 2, 4, 4, 3, 4, 3, 4, 2, 1)  # 36 nights with a cramp
CAUTION = (
    "This does not show that the medicine caused them; do not stop it on your own; ask your doctor."
)
HOSTILE_NOTE = "<script>alert('note')</script> & calf <b>knotted</b>"
HOSTILE_MEDICINE = 'Simva<img src=x onerror="alert(1)">statin'


def weeks() -> tuple[WeekNights, ...]:
    out = []
    for index, nights in enumerate(NIGHTS_PER_WEEK):
        start = FIRST + timedelta(days=7 * index)
        end = min(start + timedelta(days=6), LAST)
        out.append(
            WeekNights(
                start=start,
                end=end,
                nights=nights,
                cramps=nights + (1 if index % 3 == 0 else 0),
                partial=(end - start).days < 6,
            )
        )
    return tuple(out)


def entries() -> tuple[Entry, ...]:
    tz = timezone(timedelta(hours=1))
    out = []
    day = 0
    for number in range(40):
        night = FIRST + timedelta(days=day)
        at = datetime(night.year, night.month, night.day, 23, 40, tzinfo=tz) + timedelta(
            hours=number % 5
        )
        out.append(
            Entry(
                id=f"{number:010x}",
                at=at,
                night=night,
                muscle="back-calf" if number % 4 else "sole",
                side="left" if number % 3 else "right",
                minutes=float(2 + number % 7),
                severity=3 + number % 6,
                woke=number % 3 != 2,
                relief="calf-stretch" if number % 2 else None,
                note=HOSTILE_NOTE if number == 7 else "",
            )
        )
        day += 2 if number % 3 else 3
        day = min(day, (LAST - FIRST).days)
    return tuple(out)


def period(first: date, last: date, nights: int, cramps: int, median: float) -> Period:
    days = (last - first).days + 1
    return Period(
        first_night=first,
        last_night=last,
        days=days,
        cramps=cramps,
        nights=nights,
        nights_per_week=round(nights / days * 7, 1),
        median_minutes=median,
    )


def sample_report(*, with_entries: bool = False, **changes: Any) -> DoctorReport:
    kb = load_builtin()
    cited = (
        "nice-cks-leg-cramps",
        "afp-2012-nocturnal-leg-cramps",
        "hallegraeff-2017-criteria",
        "garrison-2012-medicines",
        "mayo-night-leg-cramps-doctor",
        "nhs-leg-cramps",
        "bmj-bp-leg-cramps",
        "aan-2010-guideline",
    )
    sources = tuple(source for source in kb.sources if source.id in cited)
    fields: dict[str, Any] = {
        "header": DoctorHeader(
            first_night=FIRST,
            last_night=LAST,
            days=95,
            cramps=40,
            nights_with_cramps=36,
            printed=date(2026, 12, 6),
        ),
        "summary": DoctorSummary(
            weeks=13.6,
            nights_per_week=2.7,
            cramps_per_week=2.9,
            median_minutes=4.5,
            longest_minutes=12.0,
            timed_cramps=38,
            muscles=(
                Share(id="back-calf", name="calf", count=30, share=0.75),
                Share(id="sole", name="sole of the foot", count=10, share=0.25),
            ),
            sides=(
                Share(id="left", name="left", count=27, share=0.675),
                Share(id="right", name="right", count=13, share=0.325),
            ),
            woke=27,
            woke_share=0.675,
            times=(
                Share(id="21-00", name="21:00 to midnight", count=8, share=0.2),
                Share(id="00-03", name="midnight to 03:00", count=20, share=0.5),
                Share(id="03-06", name="03:00 to 06:00", count=12, share=0.3),
            ),
        ),
        "then_and_now": ThenAndNow(
            split="four-weeks",
            then=period(FIRST, FIRST + timedelta(days=27), 6, 7, 3.0),
            now=period(LAST - timedelta(days=27), LAST, 11, 12, 5.5),
            caveat="These are small numbers: a difference this size may be chance.",
        ),
        "medicines": (
            MedicineLine(
                name=HOSTILE_MEDICINE,
                since=date(2026, 10, 15),
                stopped=None,
                note="40 mg at night",
                class_id="medicine-statins",
                class_title="Statins",
                linked=True,
                sources=("garrison-2012-medicines", "nice-cks-leg-cramps"),
                before=period(date(2026, 9, 17), date(2026, 10, 14), 6, 6, 3.0),
                after=period(date(2026, 10, 15), date(2026, 11, 11), 13, 14, 5.0),
                comparison=(
                    "After starting it on 15 Oct 2026, cramp nights went from 1.5 to 3.3 a week."
                ),
                caution=CAUTION,
            ),
            MedicineLine(
                name="Paracetamol",
                since=date(2026, 11, 2),
                stopped=date(2026, 11, 9),
                note="",
                class_id=None,
                class_title=None,
                linked=False,
                sources=(),
                before=None,
                after=None,
                comparison=None,
                caution=CAUTION,
            ),
        ),
        "elsewhere": (
            SymptomLine(
                word="urge-to-move",
                label="an urge to move the legs",
                count=4,
                nights=(date(2026, 10, 2), date(2026, 10, 20), date(2026, 11, 5), LAST),
                sign=None,
                lookalike="restless-legs",
                lookalike_title="Restless legs syndrome",
                points_to="an urge to move, eased by moving, without a hard knot",
                sources=("hallegraeff-2017-criteria", "afp-2012-nocturnal-leg-cramps"),
            ),
            SymptomLine(
                word="numbness",
                label="numbness or tingling",
                count=2,
                nights=(date(2026, 11, 1), date(2026, 11, 20)),
                sign=None,
                lookalike="peripheral-neuropathy",
                lookalike_title="Peripheral neuropathy",
                points_to="numbness, tingling or burning, often in both feet",
                sources=("afp-2012-nocturnal-leg-cramps",),
            ),
            SymptomLine(
                word="swelling",
                label="swelling of the leg",
                count=1,
                nights=(date(2026, 11, 28),),
                sign="leg-swelling",
                lookalike=None,
                lookalike_title=None,
                points_to=None,
                sources=("nice-cks-leg-cramps",),
            ),
        ),
        "warning_signs": (
            SignMet(
                id="leg-swelling",
                title="Swelling of the leg",
                level="see-doctor",
                nights=(date(2026, 11, 28),),
                advised=("See a doctor within a few days about the swelling.",),
                logged=True,
                sources=("nice-cks-leg-cramps",),
            ),
            SignMet(
                id="long-cramp",
                title="A cramp that lasted more than 10 minutes",
                level="see-doctor",
                nights=(date(2026, 10, 30), date(2026, 11, 14)),
                advised=("See a doctor: cramps this long are worth checking.",),
                logged=False,
                sources=("nice-cks-leg-cramps", "mayo-night-leg-cramps-doctor"),
            ),
        ),
        "what_helped": (
            HelpLine(
                id="calf-stretch",
                title="Stretch the calf",
                uses=20,
                timed=19,
                median_minutes=3.0,
                longest_minutes=9.0,
                words=("eased in a minute", "stood on a cold floor, then fine", HOSTILE_NOTE),
            ),
            HelpLine(
                id="walk-about",
                title="Walk about",
                uses=8,
                timed=8,
                median_minutes=5.0,
                longest_minutes=12.0,
                words=("walking to the kitchen helped",),
            ),
            HelpLine(
                id="massage",
                title="Massage the muscle",
                uses=4,
                timed=4,
                median_minutes=6.0,
                longest_minutes=8.0,
                words=(),
            ),
            HelpLine(
                id="heat",
                title="Warmth",
                uses=3,
                timed=2,
                median_minutes=7.0,
                longest_minutes=7.5,
                words=("hot water bottle",),
            ),
            HelpLine(
                id="flex-foot",
                title="Pull the toes up",
                uses=2,
                timed=2,
                median_minutes=4.0,
                longest_minutes=5.0,
                words=(),
            ),
        ),
        "what_helped_note": (
            "Walk about, massage, warmth and pulling the toes up rest on fewer than 5 timed "
            "cramps each: the durations may differ by chance."
        ),
        "questions": (
            Question(
                text=(
                    "Is a blood test worth doing: kidney function, calcium, magnesium, "
                    "glucose or thyroid?"
                ),
                sources=("nice-cks-leg-cramps", "bmj-bp-leg-cramps"),
            ),
            Question(
                text="Could any of my medicines be linked with the cramps?",
                sources=("garrison-2012-medicines",),
            ),
            Question(
                text="Could the urge to move my legs be restless legs rather than cramps?",
                sources=("hallegraeff-2017-criteria",),
            ),
            Question(
                text="Which stretches should I do before bed, and how often?",
                sources=("nhs-leg-cramps",),
            ),
            Question(
                text="Is anything worth trying if the cramps keep waking me?",
                sources=("aan-2010-guideline",),
            ),
            Question(
                text="When should I come back, and what would make it urgent?",
                sources=("nice-cks-leg-cramps",),
            ),
        ),
        "weekly": weeks(),
        "medicine_note": MEDICINE_SAFETY,
        "sources": sources,
        "entries": entries() if with_entries else (),
    }
    fields.update(changes)
    return DoctorReport(**fields)
