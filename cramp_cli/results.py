"""What each command answers: one model feeds the JSON and the human views alike.

Output models allow additions (no extra="forbid"), so a reader of today's JSON keeps working
when a later version adds a key; `schema_version` changes only for breaking changes.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from cramp_cli.knowledge.kb import Entry
from cramp_cli.knowledge.models import (
    Cause,
    Evidence,
    Grade,
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
from cramp_cli.shapes import Shape, hidden
from cramp_cli.wording import DISCLAIMER

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
    disclaimer: str = DISCLAIMER


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
    # Ids of the items read from the user's own files: their grade is the user's claim.
    user_claims: tuple[str, ...] = ()


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
        """The evidence note, where the grade alone would not say enough: no medical source
        gives these steps, or the evidence goes against them."""
        return self.evidence.note if self.evidence.grade in ("none", "against") else None


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
    # Ids of the items read from the user's own files: their grade is the user's claim.
    user_claims: tuple[str, ...] = ()


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
    cited_by: int


class EntryRef(Part):
    """A pointer to any entry: what kind it is, its id and title, and its grade if it has one
    (with the reason a weak grade is weak)."""

    kind: str
    id: str
    title: str
    grade: Grade | None = None
    weak_reason: WeakReason | None = None
    # Read from the user's own files: the grade is the user's claim, not checked by cramp.
    user_claim: bool = False


class SourcesResult(Result):
    command: Literal["sources"] = "sources"
    items: tuple[SourceSummary, ...]


class SourceResult(Result):
    command: Literal["sources"] = "sources"
    items: tuple[Source, ...]
    cited_by: tuple[EntryRef, ...]


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
