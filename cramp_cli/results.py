"""What each command answers: one model feeds the JSON and the human views alike.

Output models allow additions (no extra="forbid"), so a reader of today's JSON keeps working
when a later version adds a key; `schema_version` changes only for breaking changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Literal

from cramp_cli import i18n
from cramp_cli.i18n.text import _
from cramp_cli.knowledge.kb import Entry
from cramp_cli.knowledge.models import (
    GRADES,
    Authority,
    Cause,
    Evidence,
    Grade,
    GradeAppliesTo,
    Item,
    Level,
    Lookalike,
    Muscle,
    Prevention,
    Relief,
    Sign,
    Source,
    Treatment,
    WeakReason,
)
from cramp_cli.knowledge.trail import TrailFinding
from cramp_cli.shapes import Shape, hidden
from cramp_cli.wording import BELIEF_COUNTS, DISCLAIMER, disclaimer, grade_words

SCHEMA_VERSION = 1


class Part(Shape):
    # Fields with defaults are always present in the JSON, so the schema marks them required.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "json_schema_serialization_defaults_required": True
    }


class Result(Part):
    # Plain views of advice end with the disclaimer line; plain listings of names do not.
    ends_with_disclaimer: ClassVar[bool] = True

    schema_version: int = SCHEMA_VERSION
    command: str
    # The language of the answer's text ("en" or "zh-Hans", BCP 47). Ids, grades, levels and
    # exit codes are the same in every language; only the text a person reads changes.
    lang: str = i18n.ENGLISH
    disclaimer: str = DISCLAIMER

    def __post_init__(self) -> None:
        # The defaults are English (the schema shows them); an answer carries the language of
        # the run and the disclaimer in it.
        if self.lang == i18n.ENGLISH:
            object.__setattr__(self, "lang", i18n.current())
        if self.disclaimer == DISCLAIMER:
            object.__setattr__(self, "disclaimer", disclaimer())


class Filters(Part):
    who: str | None = None
    when: str | None = None
    min_evidence: Grade | None = None


class WhyResult(Result):
    command: Literal["why"] = "why"
    filters: Filters
    note: str
    medicine_safety: str
    items: tuple[Cause, ...]
    # Ids of the best-supported causes (at most three, strongest grade first, then most
    # sources, then id); never an item graded "no evidence found" or "against".
    best: tuple[str, ...] = ()
    # Ids of the items read from the user's own files: their grade is the user's claim.
    user_claims: tuple[str, ...] = ()

    def best_items(self) -> list[Cause]:
        return [item for best in self.best for item in self.items if item.id == best]


def muscle_word(muscle: Muscle) -> str:
    """The word to type for a muscle: its id if one word, else its first one-word alias."""
    if "-" not in muscle.id:
        return muscle.id
    return next((alias for alias in muscle.aliases if " " not in alias), muscle.id)


def grade_counts(items: Iterable[Item]) -> str:
    """'1 good evidence, 8 some evidence, 12 weak evidence, ...', strongest grade first."""
    evidence = [(item.evidence.grade, item.evidence.applies_to == "claim") for item in items]
    counts = []
    for grade in GRADES:
        # An old belief's grade is counted apart: it grades the belief, not the item.
        for belief, words in (
            (False, grade_words(grade)),
            (True, _(BELIEF_COUNTS[grade]) if grade in BELIEF_COUNTS else None),
        ):
            count = evidence.count((grade, belief))
            if count and words:
                # The belief words count themselves ("4 条民间说法……"); a grade's words are
                # counted by the catalogue's order ("证据充分 1 项").
                if belief:
                    counts.append(f"{count} {words}")
                else:
                    counts.append(_("{count} {words}").format(count=count, words=words))
    return _(", ").join(counts)


class ReliefResult(Result):
    command: Literal["relieve"] = "relieve"
    filters: Filters
    muscle: Muscle | None
    # How the muscle name was read, when it was not a muscle's own: "leg" is taken to mean
    # the back of the calf; "thigh" could be the front or the back (muscle is then null, and
    # items hold the stretches of each).
    notes: tuple[str, ...] = ()
    safety: str
    items: tuple[Relief, ...]
    # Ids of the items read from the user's own files: their grade is the user's claim.
    user_claims: tuple[str, ...] = ()
    # Without a muscle: every muscle, so the human views can point to each one's stretch
    # first ('cramp muscles --json' lists them for scripts).
    muscles: tuple[Muscle, ...] = hidden(default=())
    # Whether the human views show each item's evidence, details and sources (--details).
    details: bool = hidden(default=False)

    def main_stretches(self) -> list[Relief]:
        """What the human views lead with: the first stretch of each muscle asked about (two
        for a name such as "thigh", none without a muscle)."""
        firsts: dict[str, Relief] = {}
        for item in self.items:
            if item.muscle is not None and item.muscle not in firsts:
                firsts[item.muscle] = item
        return list(firsts.values())

    def also_helps(self) -> list[Relief]:
        """Everything but the main stretches, best supported first (grade, then file order)."""
        main = self.main_stretches()
        rest = [item for item in self.items if item not in main]
        return sorted(rest, key=lambda item: GRADES.index(item.evidence.grade))


class Stretch(Part):
    """One muscle's main stretch in short form: what `cramp now` puts on the screen."""

    muscle: Muscle
    relief_id: str
    title: str
    steps: tuple[str, ...]
    after: str | None
    evidence: Evidence
    # The stretch comes from the user's own file: its grade is the user's claim.
    user_claim: bool = False

    @property
    def caveat(self) -> str | None:
        return caveat(self.evidence)


def caveat(evidence: Evidence) -> str | None:
    """The evidence note, where the grade alone would not say enough: no medical source
    gives these steps, or the evidence goes against them. `now` and `relieve` show it under
    the stretch even when the rest of the evidence waits for --details."""
    return evidence.note if evidence.grade in ("none", "against") else None


class NowResult(Result):
    command: Literal["now"] = "now"
    # Why these muscles, when the person did not name one exactly ("Taking the back of the
    # calf, where most night cramps are").
    notes: tuple[str, ...]
    stretches: tuple[Stretch, ...]
    warning: str
    # The minutes after which a cramp that has not eased is a warning sign (from the data).
    long_cramp_minutes: int
    long_cramp: Sign


class PreventResult(Result):
    command: Literal["prevent"] = "prevent"
    filters: Filters
    note: str
    items: tuple[Prevention, ...]
    doctor_treatments: tuple[Treatment, ...]
    # Ids of the three best-supported things you can do (strongest grade, then most sources,
    # then id); never an item graded "no evidence found" or "against". With --top, `items`
    # holds just these and `doctor_treatments` is empty.
    best: tuple[str, ...] = ()
    top: bool = False
    # Ids of the items read from the user's own files: their grade is the user's claim.
    user_claims: tuple[str, ...] = ()

    def can_do(self) -> list[Prevention]:
        """Things you can do that have some evidence, best supported first."""
        return [item for item in self.items if item.evidence.grade not in ("none", "against")]

    def no_evidence(self) -> list[Prevention]:
        return [item for item in self.items if item.evidence.grade == "none"]

    def doctor_only(self) -> list[Treatment]:
        """What needs a prescription, except what the evidence is against."""
        return [
            item
            for item in self.doctor_treatments
            if item.prescription and item.evidence.grade != "against"
        ]

    def ask_about(self) -> list[Treatment]:
        """Treatments without a prescription (a doctor or pharmacist can help), except what
        the evidence is against."""
        return [
            item
            for item in self.doctor_treatments
            if not item.prescription and item.evidence.grade != "against"
        ]

    def not_recommended(self) -> list[Prevention | Treatment]:
        """Graded "against", whether something to do or a doctor's treatment."""
        both: list[Prevention | Treatment] = [*self.items, *self.doctor_treatments]
        return [item for item in both if item.evidence.grade == "against"]

    def best_items(self) -> list[Prevention]:
        return [item for best in self.best for item in self.items if item.id == best]

    def groups(self) -> list[tuple[str, str, list[Prevention | Treatment]]]:
        """(heading, short name for the summary, items) for each group that has items, in
        the order every view lists them."""
        groups: list[tuple[str, str, list[Prevention | Treatment]]] = [
            (
                _("Things you can do, best supported first"),
                _("things you can do"),
                [*self.can_do()],
            ),
            (
                _("Only a doctor can offer these (not advice to take them)"),
                _("only a doctor can offer"),
                [*self.doctor_only()],
            ),
            (
                _("Ask a doctor or pharmacist about these"),
                _("to ask a doctor or pharmacist about"),
                [*self.ask_about()],
            ),
            (
                _("No evidence found that these help"),
                _("no evidence found"),
                [*self.no_evidence()],
            ),
            (
                _("Not recommended: the evidence is against these"),
                _("not recommended"),
                [*self.not_recommended()],
            ),
        ]
        return [group for group in groups if group[2]]

    def summary_counts(self) -> str:
        """'12 things you can do, 4 only a doctor can offer, ...'."""
        return _(", ").join(
            _("{count} {words}").format(count=len(items), words=short)
            for _heading, short, items in self.groups()
        )


class MusclesResult(Result):
    ends_with_disclaimer: ClassVar[bool] = False
    command: Literal["muscles"] = "muscles"
    items: tuple[Muscle, ...]


class SourceSummary(Part):
    """A source in a listing, with how many entries cite it."""

    id: str
    title: str
    publisher: str
    year: str
    url: str | None
    kind: str
    low_authority: bool
    # How much weight it carries; None when a user's source gives none (it counts as low).
    authority: Authority | None
    cited_by: int


class EntryRef(Part):
    """A pointer to any entry: what kind it is, its id and title, and its grade if it has one
    (with the reason a weak grade is weak)."""

    kind: str
    id: str
    title: str
    grade: Grade | None = None
    weak_reason: WeakReason | None = None
    # `claim`: the grade is that of an old belief the entry answers, not of the entry itself.
    applies_to: GradeAppliesTo | None = None
    # Read from the user's own files: the grade is the user's claim, not checked by cramp.
    user_claim: bool = False


class SourcesResult(Result):
    command: Literal["sources"] = "sources"
    items: tuple[SourceSummary, ...]


class SourceResult(Result):
    command: Literal["sources"] = "sources"
    items: tuple[Source, ...]
    cited_by: tuple[EntryRef, ...]


class TrailCheck(Result):
    """`cramp sources --check`: can every claim be followed back to a source that stands on
    its own? Problems make the exit code 1; notes are for a reader weighing the evidence."""

    ends_with_disclaimer: ClassVar[bool] = False
    command: Literal["sources --check"] = "sources --check"
    ok: bool
    sources: int
    entries: int
    problems: tuple[TrailFinding, ...]
    notes: tuple[TrailFinding, ...]


class ShowResult(Result):
    command: Literal["show"] = "show"
    kind: str
    items: tuple[Entry, ...]
    sources: tuple[Source, ...]
    see_also: tuple[EntryRef, ...]
    # The entry's id when it was read from the user's own files: its grade is the user's claim.
    user_claims: tuple[str, ...] = ()


class LookalikesResult(Result):
    command: Literal["lookalikes"] = "lookalikes"
    note: str
    items: tuple[Lookalike, ...]


class SearchHit(EntryRef):
    score: float


class SearchResult(Result):
    command: Literal["search"] = "search"
    query: str
    items: tuple[SearchHit, ...]


class MatchedSign(Part):
    id: str
    title: str
    wording: str
    level: Level
    note: str | None
    # What to do about this sign in particular (None: the level's advice serves).
    advice: str | None = None
    sources: tuple[Source, ...]
    not_sure: bool = False


class FiredRule(Part):
    """Why the level is what it is: a sign, a combination rule or the minutes threshold."""

    rule: str
    level: Level
    reason: str


class CheckResult(Result):
    command: Literal["check"] = "check"
    assessed: Literal[True] = True
    level: Level
    title: str
    action: str
    details: str
    region: str
    minutes: int | None
    items: tuple[MatchedSign, ...]
    fired: tuple[FiredRule, ...]
    not_sure: tuple[str, ...]
    pointers: tuple[str, ...]
    level_sources: tuple[Source, ...]
    safety_net: tuple[str, ...]
    # An interactive check that was stopped (Ctrl-C, end of input) before every question
    # was answered is incomplete: the level could still be higher.
    complete: bool = True
    answered: int | None = None
    questions: int | None = None
    partial_note: str | None = None
    # Whether the human views list the rules that fired (--explain); JSON always has `fired`.
    explain: bool = hidden(default=False)

    def leading_signs(self) -> list[MatchedSign]:
        """Matched signs of the verdict's level with advice of their own: what to do first."""
        return [sign for sign in self.items if sign.level == self.level and sign.advice]

    def combination_rules_fired(self) -> list[FiredRule]:
        """The combination rules that fired: shown in every view, since they raise the level."""
        return [fired for fired in self.fired if fired.rule.startswith("rule:")]


class NotAssessedResult(Result):
    """An interactive check stopped before any answer pointed to a warning sign."""

    command: Literal["check"] = "check"
    assessed: Literal[False] = False
    answered: int
    questions: int
    message: str
    emergency_signs: tuple[Sign, ...]
    safety_net: tuple[str, ...]


class SignsResult(Result):
    command: Literal["check"] = "check"
    items: tuple[Sign, ...]


class ErrorDetail(Part):
    code: str
    message: str
    hint: str | None


class ErrorDocument(Part):
    """What --json prints on stderr when a command fails."""

    error: ErrorDetail
    # The language of the message and hint, as on every answer ("en" or "zh-Hans").
    lang: str = i18n.ENGLISH


class KbFile(Part):
    id: str  # the file's path
    layer: str
    entries: int


class KbLayer(Part):
    name: str
    source: str
    paths: tuple[str, ...]


class KbPathsResult(Result):
    ends_with_disclaimer: ClassVar[bool] = False
    command: Literal["kb paths"] = "kb paths"
    precedence: str
    layers: tuple[KbLayer, ...]
    items: tuple[KbFile, ...]


class KbOrigin(Part):
    file: str
    line: int
    layer: str


class KbEntryOrigin(KbOrigin):
    id: str
    kind: str


class KbShowResult(Result):
    ends_with_disclaimer: ClassVar[bool] = False
    command: Literal["kb show"] = "kb show"
    items: tuple[KbEntryOrigin, ...]
    overrides: tuple[KbOrigin, ...]
    disabled_by: KbOrigin | None


class KbProblem(Part):
    id: str  # file:line
    file: str
    line: int | None
    item: str | None
    field: str | None
    message: str


class KbValidateResult(Result):
    ends_with_disclaimer: ClassVar[bool] = False
    command: Literal["kb validate"] = "kb validate"
    ok: bool
    files: int
    items: tuple[KbProblem, ...]
