"""Strict, immutable models of the knowledge base as it is written in data/*.yaml.

Unknown fields are errors (a misspelt key must not vanish) and every model is frozen.
Cross-references between items (muscle to relief, item to source, tag vocabularies)
are checked in validation.py, once the whole knowledge base has been read.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, get_args

from cramp_cli.shapes import Items, Number, Shape, hidden, problem
from cramp_cli.shapes import Text as _Str

Id = Annotated[str, _Str(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, _Str(strip=True, min_length=1)]
Sentence = Annotated[str, _Str(strip=True, min_length=1, max_length=300)]
ShortLine = Annotated[str, _Str(strip=True, min_length=1, max_length=80)]

Grade = Literal["strong", "moderate", "weak", "none", "against"]
GRADES: tuple[Grade, ...] = ("strong", "moderate", "weak", "none", "against")

# Why a `weak` grade is weak: the data says so, the screen words follow from it.
WeakReason = Literal["health-advice", "studies-disagree", "small-studies"]
WEAK_REASONS: tuple[WeakReason, ...] = ("health-advice", "studies-disagree", "small-studies")

SourceKind = Literal[
    "article",
    "guideline",
    "patient information",
    "systematic review",
    "trial",
]

# How much weight a source can carry, beside its `kind` (what sort of document it is).
# In a user file it may be left out: a source without one counts as `low`.
Authority = Literal[
    "guideline",
    "systematic review",
    "trial",
    "cohort study",
    "patient information",
    "professional article",
    "press",
    "low",
]
# The same, in order of weight (most first), for ranking a source against another.
AUTHORITIES: tuple[Authority, ...] = get_args(Authority)
# What a source says when it has no year, or no address at all (the seed article).
NO_DATE = "no date"
NO_ADDRESS = "no address"
Doi = Annotated[str, _Str(strip=True, pattern=r"^10\.[0-9]{4,9}/\S+$", max_length=200)]
Pmid = Annotated[str, _Str(strip=True, pattern=r"^[1-9][0-9]{0,8}$")]
# What an item's grade is about: its own statement, or (`claim`) the old claim it answers,
# its article_claim. A belief item states what is true or safe ("a clot is not a cause");
# "no evidence" there grades the old belief, never that statement.
GradeAppliesTo = Literal["statement", "claim"]

CauseGroup = Literal["mechanism", "trigger", "body", "condition", "medicine", "belief"]


class StrictModel(Shape):
    """A knowledge-base shape: unknown fields are errors, and text is stripped."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "str_strip_whitespace": True,
        "json_schema_serialization_defaults_required": True,
    }


class Evidence(StrictModel):
    grade: Grade
    note: Sentence
    # Required with grade `weak`, forbidden with any other grade.
    weak_reason: WeakReason | None = None
    # `claim`: the grade is the old claim's (article_claim), not the item's statement; only
    # with grade `none` or `against`.
    applies_to: GradeAppliesTo = "statement"

    def __post_init__(self) -> None:
        if self.applies_to == "claim" and self.grade not in ("none", "against"):
            raise problem(
                "value_error",
                "applies_to 'claim' is only for grade 'none' or 'against', not '{grade}'",
                grade=self.grade,
            )
        if self.grade == "weak" and self.weak_reason is None:
            raise problem(
                "weak_reason_missing",
                "weak_reason is required when grade is 'weak': one of {choices}",
                choices=", ".join(WEAK_REASONS),
            )
        if self.grade != "weak" and self.weak_reason is not None:
            raise problem(
                "weak_reason_forbidden",
                "weak_reason is only for grade 'weak', not '{grade}': remove it",
                grade=self.grade,
            )


class Source(StrictModel):
    id: Id
    title: Text
    publisher: Text
    year: Text
    url: Text | None = None
    kind: SourceKind
    note: Text | None = None
    low_authority: bool = False
    # Missing (user files only) counts as `low`: see `authority_level`.
    authority: Authority | None = None
    authors: Text | None = None
    # Where the text was read when the original could not be: a public copy or archive.
    copy_url: Text | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)

    @property
    def authority_level(self) -> Authority:
        """The authority the source carries: one left out counts as low."""
        return self.authority or "low"


class Tag(StrictModel):
    id: Id
    description: Sentence


class Tags(StrictModel):
    who: tuple[Tag, ...]
    when: tuple[Tag, ...]


class Item(StrictModel):
    """What every piece of advice has: what it says, for whom, and on what evidence."""

    id: Id
    title: Text
    summary: Sentence
    details: Text
    who: Annotated[tuple[Id, ...], Items(min_length=1)]
    when: tuple[Id, ...] = ()
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]
    evidence: Evidence
    article_claim: Text | None = None
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)

    def __post_init__(self) -> None:
        if self.evidence.applies_to == "claim" and self.article_claim is None:
            raise problem(
                "value_error",
                "evidence applies_to 'claim' needs article_claim: the old claim it grades",
            )


class Cause(Item):
    group: CauseGroup
    # A medicine class: the names it goes by (generic and common brand names, as the class
    # page of `names_source` lists them), for `cramp meds` to recognise what a person takes.
    names: tuple[ShortLine, ...] = ()
    names_source: Id | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.names and self.names_source is None:
            raise problem(
                "value_error", "names need names_source: the source that lists the class members"
            )
        if self.names_source is not None and not self.names:
            raise problem("value_error", "names_source is only for a class with names")
        if self.names and self.group != "medicine":
            raise problem("value_error", "only a cause of group 'medicine' may have names")


class Relief(Item):
    """Something to do during a cramp. Without a muscle it is a general measure."""

    muscle: Id | None = None
    # Plain words for it in `cramp log --relief` ("stretch"): on a per-muscle item, the word
    # means that muscle's item.
    words: tuple[Text, ...] = ()
    direction: Text | None = None
    hold: Text
    steps: Annotated[tuple[Text, ...], Items(min_length=1)]
    # The stretch in a few short steps, and what to do once it eases: the one screen of
    # `cramp now`, which must fit a small terminal. Without them `now` shows the first steps.
    short_steps: Annotated[tuple[ShortLine, ...], Items(max_length=5)] = ()
    after: ShortLine | None = None


class Prevention(Item):
    ask_first: Text | None = None


class Treatment(Item):
    """A treatment only a doctor can offer: listed with its grade, never advised."""

    prescription: bool


Level = Literal["emergency", "urgent", "see-doctor", "self-care"]
LEVELS: tuple[Level, ...] = ("emergency", "urgent", "see-doctor", "self-care")  # most urgent first


class Sign(StrictModel):
    """A warning sign for `cramp check`: a yes/no question and the level it points to.

    `ask_if` names gates (other signs): the question is asked only after one of them was
    answered yes. A sign that some `ask_if` names is a gate, and gates are asked first.
    `--sign ID` works whatever the gates.
    """

    id: Id
    title: Text
    question: Sentence
    wording: Text
    level: Level
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]
    # What to do about this sign in particular; without it, the level's advice serves.
    advice: Text | None = None
    note: Text | None = None
    ask_if: tuple[Id, ...] = ()
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)


class Rule(StrictModel):
    """A combination rule: with all of `all` and at least one of `any`, at least `level`."""

    id: Id
    all: Annotated[tuple[Id, ...], Items(min_length=1)]
    any: tuple[Id, ...] = ()
    level: Level
    reason: Sentence
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)


class MinutesRule(StrictModel):
    """A cramp that lasted more than `more_than` minutes counts as the sign `sign`."""

    sign: Id
    more_than: Annotated[int, Number(gt=0)]


class LevelAdvice(StrictModel):
    """What to do at a level. `{emergency}` and `{urgent}` are filled in from the region."""

    level: Level
    title: Text
    action: Sentence
    details: Text
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]


class Region(StrictModel):
    id: Id
    name: Text
    emergency: Text
    urgent: Text
    aliases: tuple[Id, ...] = ()
    # Where the numbers and services come from (the official page of each).
    sources: tuple[Id, ...] = ()


class DoctorQuestion(StrictModel):
    """A question worth asking at the appointment (`cramp report --for-doctor`)."""

    text: Sentence
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]


class Triage(StrictModel):
    levels: Annotated[tuple[LevelAdvice, ...], Items(min_length=4, max_length=4)]
    minutes: MinutesRule
    regions: Annotated[tuple[Region, ...], Items(min_length=1)]
    default_region: Region
    safety_net: Annotated[tuple[Text, ...], Items(min_length=1)]
    safety_net_sources: Annotated[tuple[Id, ...], Items(min_length=1)]
    # Questions to take to the doctor, with the sources that say a doctor considers them.
    doctor_questions: tuple[DoctorQuestion, ...] = ()


class Lookalike(StrictModel):
    """A condition that can be mistaken for a cramp."""

    id: Id
    title: Text
    summary: Sentence
    differs: Text
    points_to: Text
    # How soon it needs help; `cramp lookalikes` lists the most dangerous first.
    level: Level | None = None
    signs: tuple[Id, ...] = ()
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)


class Symptom(StrictModel):
    """A word for `cramp log --with`: what else the person noticed. It maps to exactly one
    warning sign (data/triage.yaml) or one look-alike (data/lookalikes.yaml)."""

    word: Id
    label: ShortLine
    sign: Id | None = None
    lookalike: Id | None = None

    def __post_init__(self) -> None:
        if (self.sign is None) == (self.lookalike is None):
            raise problem("value_error", "give exactly one of sign and lookalike")


class Muscle(StrictModel):
    id: Id
    name: Text
    description: Sentence
    cramp_pulls: Sentence
    aliases: tuple[Text, ...]
    # Vague words ("leg") taken to mean this muscle, with a note saying so.
    assumed_from: tuple[Text, ...] = ()
    # Words this muscle shares with others ("thigh"): each muscle that lists one is offered.
    shared_names: tuple[Text, ...] = ()
    relief: Annotated[tuple[Id, ...], Items(min_length=1)]
    # In a user file: replace the entry with this id from a lower layer.
    override: bool = hidden(default=False)


class KnowledgeFile(StrictModel):
    """One YAML file: any of the sections, each a list of items."""

    sources: tuple[Source, ...] = ()
    tags: Tags | None = None
    muscles: tuple[Muscle, ...] = ()
    causes: tuple[Cause, ...] = ()
    relief: tuple[Relief, ...] = ()
    prevention: tuple[Prevention, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    signs: tuple[Sign, ...] = ()
    rules: tuple[Rule, ...] = ()
    triage: Triage | None = None
    lookalikes: tuple[Lookalike, ...] = ()
    # Words for `cramp log --with` (data/symptoms.yaml); a user file may add words.
    symptoms: tuple[Symptom, ...] = ()
    # In a user file: ids of entries from lower layers to leave out (never signs or rules).
    disabled: tuple[Id, ...] = ()


# The shape of an entry in each section of a knowledge-base file.
ENTRY_SHAPES: dict[str, type[Any]] = {
    "causes": Cause,
    "relief": Relief,
    "prevention": Prevention,
    "treatments": Treatment,
    "signs": Sign,
    "rules": Rule,
    "lookalikes": Lookalike,
    "muscles": Muscle,
    "sources": Source,
}


# ---------------------------------------------------------------- names in other languages
# data/i18n/<language>/muscles.yaml (the `aliases`, `assumed_from` and `shared_names` of each
# muscle) and data/i18n/<language>/glossary.yaml, read by cramp_cli.knowledge.glossary.

NameKind = Literal["alias", "assumed", "shared"]
GlossaryAuthority = Literal["official", "professional", "low", "none-found"]


class MuscleName(StrictModel):
    """A name typed for a muscle in another language; it works whatever the language.
    `alias` names one muscle; `assumed` is a vague word taken to mean one muscle (with a
    note); `shared` fits several muscles, each of which is offered."""

    name: Text
    lang: Text
    kind: NameKind
    muscles: Annotated[tuple[Id, ...], Items(min_length=1)]


class GlossarySource(StrictModel):
    """Where the term's use in the language was read."""

    authority: GlossaryAuthority
    title: Text | None = None
    publisher: Text | None = None
    address: Text | None = None
    note: Text | None = None

    def __post_init__(self) -> None:
        if self.authority != "none-found" and self.title is None:
            raise problem("value_error", "a source needs a title")
        if self.authority in ("official", "professional") and self.address is None:
            raise problem("value_error", "an official or professional source needs an address")


class GlossaryTerm(StrictModel):
    """One medical concept: the one term translations use, and the words people search by.
    `patterns` (regular expressions, matched case-insensitively on the English text) say
    which English texts must be translated with `term` (or one of `also_accepted`)."""

    id: Id
    english: Annotated[tuple[Text, ...], Items(min_length=1)]
    term: Text
    lang: Text = "zh-Hans"
    synonyms: tuple[Text, ...] = ()
    also_accepted: tuple[Text, ...] = ()
    patterns: tuple[Text, ...] = ()
    source: GlossarySource
    note: Text | None = None


class GlossaryFile(StrictModel):
    """data/i18n/<language>/glossary.yaml."""

    glossary: Annotated[tuple[GlossaryTerm, ...], Items(min_length=1)]


# ---------------------------------------------------------------- diary patterns
# data/patterns.yml: when a diary's numbers meet a warning sign (`cramp report`).

Measure = Literal[
    "longest_minutes",
    "nights_per_week",
    "cramps_per_week",
    "woke_nights_per_week",
    "mean_severity",
]


class PatternRule(StrictModel):
    """When `measure` is more than (or at least) a number, the diary meets `sign`."""

    id: Id
    sign: Id
    measure: Measure
    more_than: Annotated[float | None, Number(ge=0)] = None
    at_least: Annotated[float | None, Number(ge=0)] = None
    reason: Sentence
    sources: Annotated[tuple[Id, ...], Items(min_length=1)]

    def __post_init__(self) -> None:
        if (self.more_than is None) == (self.at_least is None):
            raise problem("value_error", "give exactly one of more_than and at_least")

    def met_by(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.more_than is not None:
            return value > self.more_than
        return self.at_least is not None and value >= self.at_least


class PatternsFile(StrictModel):
    """data/patterns.yml."""

    patterns: tuple[PatternRule, ...]


# ---------------------------------------------------------------- the hazard log
# data/hazards.yaml: how cramp could harm someone, and the controls that stop it. Read only by
# `cramp kb validate` and the tests (tests/test_hazards.py), never on the answer path.

# A pytest node id under tests/ (parametrisation brackets allowed), or a file and a -k expression.
TestSpec = Annotated[
    str, _Str(strip=True, pattern=r"^tests/[\w./-]+\.py(::\S.*| -k \S.*)$", max_length=300)
]


class DataPlace(StrictModel):
    """A control in the knowledge base: the file and the id of the entry."""

    data: Text
    entry: Id


class CodePlace(StrictModel):
    """A control in the code: the file and the function (Class.method for a method)."""

    code: Text
    function: Text


class Lower(StrictModel):
    """Disable a data control by lowering a sign or rule to a less urgent level."""

    lower: Id
    to: Level


class Remove(StrictModel):
    """Disable a data control by removing the entry."""

    remove: Id


class Edit(StrictModel):
    """Disable a control by a literal text edit: `find` occurs exactly once in `file`."""

    # Whitespace is part of the text to find (the config is merged with StrictModel's).
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **StrictModel.__pydantic_config__,
        "str_strip_whitespace": False,
    }

    file: Text
    find: Annotated[str, _Str(min_length=1)]
    replace: str


class Control(StrictModel):
    where: DataPlace | CodePlace
    does: Text
    disable: Lower | Remove | Edit
    # At least one; `cramp kb validate` reports a control without tests.
    tests: tuple[TestSpec, ...] = ()


class Hazard(StrictModel):
    id: Id
    title: Text
    harm: Sentence
    # At least one; `cramp kb validate` reports a hazard without controls.
    controls: tuple[Control, ...] = ()


class HazardLog(StrictModel):
    """data/hazards.yaml: only the built-in knowledge base has one."""

    hazards: Annotated[tuple[Hazard, ...], Items(min_length=1)]
