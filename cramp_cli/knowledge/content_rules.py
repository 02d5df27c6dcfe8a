"""The safety rules for what the knowledge base says, over every layer, built-in included.

See the wording rules of the medical reference (sections 5 and 10):

- no doses: no amount of a drug or supplement, and no schedule next to one;
- quinine is never recommended: it is named only by advice graded 'against' and said to be
  "not recommended", by warning signs about its side effects, and by causes or look-alikes
  that report it; no text anywhere tells someone to take it or says that it works;
- no advice to stop a prescribed medicine without a doctor or pharmacist, except stopping
  quinine in the warning signs (about its side effects);
- gentle stretching words: nothing "forceful".

Pure functions over the models: each returns the breaches it finds, as a message and the
path of the field inside the entry; the loader turns them into file:line errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, cast

from cramp_cli.knowledge.models import Prevention, Treatment, Triage
from cramp_cli.shapes import Shape, shape_fields

Path = tuple[int | str, ...]


class _LazyPattern:
    """A regular expression compiled on its first use. The finders look for a pattern only
    in sentences holding its hint words, so most texts never need one compiled, and cramp
    starts without paying for all of them."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


# Fields that hold ids, levels, grades and flags rather than words a person reads.
NOT_TEXT = frozenset(
    {
        "id",
        "sources",
        "who",
        "when",
        "muscle",
        "relief",
        "all",
        "any",
        "ask_if",
        "signs",
        "level",
        "group",
        "grade",
        "override",
        "prescription",
    }
)

# Warning signs where the source advice is to stop quinine at once (reference section 5):
# they may say "stop taking it". Any warning sign may say to stop quinine by name.
QUININE_STOP_SIGNS = frozenset({"quinine-bleeding", "quinine-side-effects"})


class Breach(NamedTuple):
    message: str
    field: Path


def text_fields(model: Shape, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every human-readable text of an entry, nested ones included, with its field path."""
    for name in shape_fields(type(model)):
        if name in NOT_TEXT:
            continue
        value: Any = getattr(model, name)
        if isinstance(value, str):
            yield (*path, name), value
        elif isinstance(value, tuple):
            for index, part in enumerate(value):
                if isinstance(part, str):
                    yield (*path, name, index), part
                elif isinstance(part, Shape):
                    yield from text_fields(part, (*path, name, index))
        elif isinstance(value, Shape):
            yield from text_fields(value, (*path, name))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 50 else text[:47] + "...")


class _LettersOnly(dict[int, int | str]):
    """A str.translate table that turns everything but letters into spaces."""

    def __missing__(self, code: int) -> int | str:
        self[code] = code if chr(code).isalpha() else " "
        return self[code]


_NOT_LETTERS = _LettersOnly()


class _Sentence(NamedTuple):
    text: str
    lower: str
    words: frozenset[str]


class _Text:
    """A text as the finders read it, worked out once: `plain` has each run of white space
    as one space (so the patterns never meet a long run, where their optional spaces could be
    tried every which way), and each sentence comes with its words in lower case. The
    patterns are searched only in sentences with the words they need: quick, even for a
    text of megabytes."""

    def __init__(self, text: str) -> None:
        self.plain = " ".join(text.split())
        self.sentences = [
            _Sentence(sentence, lower, frozenset(lower.translate(_NOT_LETTERS).split()))
            for sentence in _sentences(self.plain)
            for lower in (sentence.lower(),)
        ]

    def having(self, words: frozenset[str], *parts: str) -> Iterator[_Sentence]:
        """The sentences with one of `words`, or with one of `parts` inside a word."""
        for sentence in self.sentences:
            if not sentence.words.isdisjoint(words) or any(
                part in sentence.lower for part in parts
            ):
                yield sentence


def _read(text: str | _Text) -> _Text:
    return text if isinstance(text, _Text) else _Text(text)


def _sentences(text: str) -> list[str]:
    # Chinese full stops, question and exclamation marks and semicolons end a sentence with no
    # space after them.
    return [
        part
        for part in re.split(r"(?<=[.!?;:])\s+|(?<=[\u3002\uff01\uff1f\uff1b])\s*", text)
        if part
    ]


# How far back a match looks for the words that make it a question or a warning.
_LOOK_BACK = 80


def _before(text: str, position: int) -> str:
    return text[max(0, position - _LOOK_BACK) : position]


# ---------------------------------------------------------------- doses

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    "|forty|fifty|hundred|thousand|half\\s+an?|a\\s+half|a\\s+couple\\s+of|a\\s+few|several"
)
_TO = r"(?:-|\u2013|\u2014|to|or)"  # "1-2", "1 to 2", "1 or 2", and with an en or em dash
# A number starts where no digit comes before it ("1,000" is one number, never "000"), and
# its digits are never given back: a long run of them is read once, not once per digit.
NUMBER = (
    rf"(?:(?<![\d.,])(?<!\d[.,])\d++(?:[.,]\d++)*+\s?[½¼¾⅓⅔]?|[½¼¾⅓⅔]"
    rf"|\b(?:{_NUMBER_WORDS})\b)"
)
# Every spelling of a unit of an amount of medicine, as whole words.
_UNIT_WORDS = (  # noqa: SIM905 (a list literal would take a line a word)
    "mg milligram milligrams milligramme milligrammes mcg microgram micrograms microgramme"
    " microgrammes µg μg ug g gram grams gramme grammes iu ml millilitre millilitres milliliter"
    " milliliters mmol millimole millimoles unit units tablet tablets tab tabs capsule capsules"
    " caps pill pills drop drops teaspoon teaspoons teaspoonful teaspoonfuls tsp tsps"
    " tablespoon tablespoons tablespoonful tablespoonfuls tbsp tbsps spoonful spoonfuls sachet"
    " sachets puff puffs dose doses lozenge lozenges ampoule ampoules injection injections"
    " softgel softgels gummies"
).split()
_UNITS = frozenset(_UNIT_WORDS)
# A number, perhaps a range ("1-2"), then a word that is a unit: "400 mg", "2.5mg",
# "two tablets", "½ tsp", "400 i.u.". The word is looked up in _UNITS: one alternative per
# unit would be tried at every number.
DOSE = _lazy(
    rf"{NUMBER}(?:\s*{_TO}\s*{NUMBER})?\s*-?\s*"
    r"(?P<unit>i\.u\.|international\s+units?|[^\W\d_]+)(?![\d%])",
    re.IGNORECASE,
)


def _dose_in(sentence: str) -> str | None:
    for match in DOSE.finditer(sentence):
        unit = match.group("unit").lower()
        if unit in _UNITS or unit == "i.u." or unit.startswith("international"):
            return match.group(0)
    return None


_TIMES = rf"(?:once|twice|thrice|{NUMBER}\s*(?:x|times))"
SCHEDULE = _lazy(
    rf"\b{_TIMES}\s+(?:a|an|per|each|every)\s+(?:day|night|evening|morning|week|hour)\b"
    rf"|\b{_TIMES}\s+(?:daily|nightly|weekly)\b"
    rf"|\bevery\s+(?:{NUMBER}(?:\s*{_TO}\s*{NUMBER})?\s*)?(?:hours?|hrs?|h)\b"
    r"|\bevery\s+(?:other|second)\s+day\b"
    r"|\b(?:morning|mornings)\s+and\s+(?:night|nights|evening|evenings)\b",
    re.IGNORECASE,
)
# Medicines and supplements by their Chinese names (quinine aside).
_NAMED_ZH = (
    "维生素|矿物质|镁|钙|钾|钠|铁剂|补铁|锌|他汀|利尿剂|利尿药|止痛药|镇痛药|扑热息痛|对乙酰氨基酚"
    "|布洛芬|萘普生|阿司匹林|地尔硫䓬|加巴喷丁|巴氯芬|维拉帕米|电解质|盐片|吸入剂|胰岛素|抗凝|华法林"
    "|抗抑郁药|激素|降压药|补充剂|保健品"
)
# What a schedule has to be next to (in the same sentence) to be a dose schedule.
# Medicines and supplements by name (quinine aside).
_NAMED = (
    r"vitamins?|minerals?|magnesium|calcium|potassium|sodium|iron|zinc|statins?|\w+statins?"
    r"|diuretics?|water\s+tablets|painkillers?|paracetamol|acetaminophen|ibuprofen|naproxen"
    r"|aspirin|diltiazem|naftidrofuryl|gabapentin|orphenadrine|baclofen|mexiletine|verapamil"
    r"|electrolytes?|salt\s+tablets?|inhalers?|insulin|blood[- ]thinners?|antidepressants?"
    r"|warfarin|steroids?"
)
OTHER_MEDICINE = _lazy(rf"\b(?:{_NAMED})\b|{_NAMED_ZH}", re.IGNORECASE)
MEDICINE = _lazy(
    r"\b(?:medicines?|medications?|drugs?|tablets?|pills?|capsules?|supplements?|doses?"
    rf"|dosage|prescri\w*|quinine|{_NAMED})\b",
    re.IGNORECASE,
)


# Words without which a pattern cannot match: a quick test before the slower search.
_DOSE_HINTS = frozenset({*_UNIT_WORDS, "i", "international"})
_SCHEDULE_HINTS = frozenset(
    {"once", "twice", "thrice", "times", "x", "every", "morning", "mornings"}
)


def find_dose(text: str | _Text) -> str | None:
    """The first dose in `text`: an amount with a unit, or a schedule next to a medicine."""
    read = _read(text)
    for sentence in read.having(_DOSE_HINTS):
        dose = _dose_in(sentence.text)
        if dose:
            return dose
    for sentence in read.having(_SCHEDULE_HINTS):
        match = SCHEDULE.search(sentence.text)
        if match and MEDICINE.search(sentence.text):
            return match.group(0)
    return find_dose_zh(read)


# ---------------------------------------------------------------- quinine

QUININE = _lazy(r"\b(?:quinine|qualaquin)\b|奎宁", re.IGNORECASE)
_QUININE_WORDS = frozenset({"quinine", "qualaquin"})
# Words that may stand between a verb and quinine: "take a low dose of quinine".
_ON_THE_WAY = (
    r"(?:(?:some|a|an|the|your|more|extra|small|little|low|low-dose|regular|daily|nightly"
    r"|dose|doses|course|tablets?|pills?|capsules?|of|with|containing|tonic|water)\s+){0,5}"
)
_VERBS = (
    r"take|taking|takes|try|trying|tries|use|using|uses|start|starting|starts|begin"
    r"|beginning|buy|buying|ask\s+for|asking\s+for|keep\s+taking|keep\s+on\s+taking"
    r"|continue\s+taking|continue|carry\s+on\s+taking|recommend|recommends|recommended"
    r"|recommending|suggest|suggests|suggested|prescribe|consider|considering|drink|drinking"
    r"|have"
)
RECOMMENDS_QUININE = _lazy(
    rf"\b(?:{_VERBS})\s+{_ON_THE_WAY}(?:quinine|qualaquin)\b"
    r"|\b(?:quinine|qualaquin)(?:\s+(?:tablets?|pills?|sulph?ate|tonic|water))?"
    r"(?:\s*,?\s+(?:which|that))?\s+"
    r"(?:(?:can|will|may|might|should|does|do|really|usually|often|always|still)\s+)?"
    r"(?:help|helps|work|works|(?:stop|stops|prevent|prevents|ease|eases|relieve|relieves"
    r"|cure|cures|fix|fixes)\s+(?:[\w'-]+\s+){0,2}?(?:cramps?|spasms?|pain|them|it))\b"
    r"|\b(?:quinine|qualaquin)\s+(?:is|was|remains)\s+"
    r"(?:(?:very|quite|perfectly|completely|generally|usually|still|often|a|an|the)\s+)*"
    r"(?:recommended|safe|effective|helpful|good|useful|fine|harmless|worth|best"
    r"|first[- ]line|the\s+answer)\b",
    re.IGNORECASE,
)
# A verb so introduced is a question, a condition or a warning, not advice:
# "Do you take quinine", "if you take quinine", "stop taking quinine", "never use quinine".
_NOT_ADVICE_BEFORE = _lazy(
    r"(?:\b(?:not|never|no\s+longer|avoid|avoiding|stop|stopping|quit|if|whether|while|when"
    r"|who|do\s+you|does\s+anyone|are\s+you|did\s+you|have\s+you|were\s+you|against)"
    r"|n['\u2019]t)"
    r"\s+(?:(?:you|they|people|already|still|currently|now|to|be|been|ever|yet)\s+){0,3}$",
    re.IGNORECASE,
)


def find_quinine_recommendation(text: str | _Text) -> str | None:
    """The first words of `text` that recommend quinine, or say that it helps or is safe."""
    for sentence in _read(text).having(_QUININE_WORDS):
        for match in RECOMMENDS_QUININE.finditer(sentence.text):
            starts_with_verb = not QUININE.match(match.group(0))
            if starts_with_verb and _NOT_ADVICE_BEFORE.search(
                _before(sentence.text, match.start())
            ):
                continue
            return match.group(0)
    return find_quinine_recommendation_zh(text)


# Sentences that report research may name quinine in other advice: "In trials that compared
# it with quinine, vitamin E did about as well".
_REPORTS_RESEARCH = _lazy(
    r"\b(?:trials?|stud(?:y|ies)|compar\w*|reviews?|research)\b", re.IGNORECASE
)
# The fields that say what an item is and what to do; relief (steps, hold) never names it.
_QUININE_NAMING_FIELDS = frozenset({"title", "summary", "ask_first"})


def _quinine_placement(section: str, entry: Any) -> Iterator[Breach]:
    """Where quinine may be named at all."""
    mentions = [(path, text) for path, text in text_fields(entry) if QUININE.search(text)]
    if section in ("muscles", "relief"):
        if QUININE.search(entry.id):
            mentions.insert(0, (("id",), entry.id))
        for path, _ in mentions:
            yield Breach(
                "quinine is never recommended, so it cannot appear in relief advice or "
                "muscles (name it only in a treatment graded 'against')",
                path,
            )
        return
    if section not in ("prevention", "treatments"):
        return  # causes, look-alikes, signs, rules: they may report it (see the wording check)
    assert isinstance(entry, Prevention | Treatment)
    naming = [path for path, _ in mentions if path[0] in _QUININE_NAMING_FIELDS]
    if QUININE.search(entry.id):
        naming.append(("id",))
    if entry.evidence.grade == "against":
        about = " ".join((entry.title, entry.summary)).lower()
        if naming and not any(words in about for words in ("not recommended", "不推荐", "不建议")):
            yield Breach(
                "an item about quinine must say in its title or summary that it is "
                "'not recommended'",
                ("summary",),
            )
        return
    if naming:
        where = ".".join(str(part) for part in naming[0])
        yield Breach(
            f"quinine is never recommended: an item that names it (in its {where}) must be "
            f"graded 'against', not {entry.evidence.grade!r}",
            ("evidence", "grade"),
        )
        return
    for path, text in mentions:
        for sentence in _sentences(" ".join(text.split())):
            if QUININE.search(sentence) and not _REPORTS_RESEARCH.search(sentence):
                yield Breach(
                    "quinine is never recommended: advice not graded 'against' may name it "
                    f"only to report research that compared with it ({_quote(sentence)})",
                    path,
                )
                break


# ---------------------------------------------------------------- stopping a medicine

_MEDICINE_OBJECT = (
    r"(?:medicines?|medications?|tablets?|pills?|capsules?|drugs?|prescriptions?|treatments?"
    r"|statins?|\w+statins?|diuretics?|inhalers?|injections?|insulin|doses?|quinine"
    r"|blood[- ]thinners?|painkillers?|antidepressants?|patch(?:es)?)\b"
)
STOP_MEDICINE = _lazy(
    rf"\b(?:stop|stopping|quit|quitting|cease|ceasing|halt|halting)\s+(?:taking|using)\b"
    rf"|\b(?:stop|stopping|quit|quitting|cease|ceasing|halt|halting)\s+"
    rf"(?:[\w'-]+\s+){{0,3}}?{_MEDICINE_OBJECT}"
    rf"|\bdiscontinu\w*"
    rf"|\b(?:come|comes|coming|came|go|going)\s+off\s+(?:it|them|your|the|this|that|these"
    rf"|those|any|all|my|their|his|her|{_MEDICINE_OBJECT})"
    rf"|\b(?:do\s+not|don['\u2019]t|never)\s+take\s+(?:your|the|any|another|a|any\s+more|more)\s+"
    rf"(?:next\s+)?(?:[\w'-]+\s+){{0,2}}?{_MEDICINE_OBJECT}"
    rf"|\bskip(?:ping)?\s+(?:a|your|the|the\s+next|next|a\s+few)\s+{_MEDICINE_OBJECT}"
    rf"|\b(?:cut\s+down|cut|reduce|lower|halve)\s+(?:on\s+)?(?:your|the)\s+"
    rf"(?:[\w'-]+\s+){{0,2}}?(?:dose|doses|dosage)\b",
    re.IGNORECASE,
)
# "Do not stop ...", "Never stop or alter ...": the safety line itself.
_NEGATED = _lazy(
    r"(?:\b(?:not|never|no\s+need\s+to|without)|n['\u2019]t)\s+(?:(?:ever|just|suddenly|simply)\s+)?$",
    re.IGNORECASE,
)
_DOCTOR = r"(?:doctors?|pharmacists?|gps?|midwife|midwives|prescribers?)"
# "ask your doctor", "until a doctor has advised you", "on your doctor's advice".
SENDS_TO_DOCTOR = _lazy(
    r"\b(?:ask|asking|see|seeing|talk|talking|speak|speaking|call|calling|contact|contacting"
    r"|check|checking|tell|telling|consult|consulting|phone|ring|visit|until|unless"
    rf"|discuss|discussing)\b(?:\s+[\w'-]+){{0,4}}?\s+{_DOCTOR}\b"
    rf"|\b{_DOCTOR}(?:['\u2019]s?)?\s+(?:advice|has\s+advised|advises|agrees|says)\b"
    rf"|\b(?:advice|advised|guidance)\s+(?:of|from|by)\s+(?:[\w'-]+\s+){{0,2}}?{_DOCTOR}\b",
    re.IGNORECASE,
)


_STOP_HINTS = frozenset(
    {"stop", "stopping", "quit", "quitting", "cease", "ceasing", "halt", "halting", "off"}
    | {"skip", "skipping", "cut", "reduce", "lower", "halve", "take"}
)


def stop_advice(text: str | _Text) -> Iterator[tuple[str, str]]:
    """Each piece of advice in `text` to stop a medicine, with its sentence, unless the text
    sends the person to a doctor or pharmacist."""
    read = _read(text)
    found = [
        (match, sentence.text)
        for sentence in read.having(_STOP_HINTS, "discontinu")
        if not sentence.words.isdisjoint(_STOP_HINTS - {"take"})
        or "discontinu" in sentence.lower
        or not sentence.words.isdisjoint({"not", "never", "t"})
        for match in STOP_MEDICINE.finditer(sentence.text)
    ]
    if found and not SENDS_TO_DOCTOR.search(read.plain):
        for match, sentence in found:
            if match.group(0).lower().startswith(
                ("stop", "quit", "cease", "halt", "discontinu")
            ) and _NEGATED.search(_before(sentence, match.start())):
                continue
            yield match.group(0), sentence
    yield from stop_advice_zh(read)


def find_stop_advice(text: str | _Text) -> str | None:
    found = next(stop_advice(text), None)
    return found[0] if found else None


# ---------------------------------------------------------------- gentle words

FORCEFUL = _lazy(
    r"\bforceful(?:ly)?\b|\bforcibly\b"
    r"|\bexert(?:s|ed|ing)?\s+(?:(?:a\s+lot\s+of|more|much|great|strong|some|firm|your|a)\s+)*"
    r"(?:force|pressure)\b"
    r"|\b(?:with|using|by)\s+(?:(?:all\s+your|full|great|some|strong|brute|maximum|real)\s+)?"
    r"force\b"
    r"|\bforce\s+(?:it|them|the|your|a)\b"
    r"|\bas\s+hard\s+as\s+(?:you\s+can|possible|you\s+are\s+able)\b"
    r"|\byank\w*",
    re.IGNORECASE,
)


def find_forceful(text: str | _Text) -> str | None:
    for sentence in _read(text).having(frozenset(), "forc", "exert", "hard", "yank"):
        match = FORCEFUL.search(sentence.text)
        if match:
            return match.group(0)
    return None


# ---------------------------------------------------------------- Chinese text
#
# The same rules in Chinese (issue 16): the translations in data/i18n/zh-Hans/ and user files
# written in Chinese. They look only at sentences with a Chinese character in them, so English
# text is read exactly as before.

_HAN = _lazy(r"[\u3400-\u9fff]")
# Where a clause ends: what a Chinese condition or negation reaches no further than.
_CLAUSE_SPLIT = _lazy(r"[\u3001\u3002;!?:]|(?<!\d)[,.]|[,.](?!\d)")
# Arabic numerals (also full-width ones, folded by NFKC before the search) or Chinese ones.
_ZH_NUMERALS = "零〇一二两三四五六七八九十百千万半几壹贰叁肆伍陆柒捌玖拾佰仟"
_ZH_NUMBER = rf"(?:(?<![\d.,])\d++(?:[.,]\d++)*+|[{_ZH_NUMERALS}]++)"
_ZH_RANGE = rf"{_ZH_NUMBER}(?:\s*(?:-|~|\u2013|\u2014|至|到|或)\s*{_ZH_NUMBER})?"
# An amount of a medicine whatever stands near it: mass, volume, international units.
_ZH_MASS_UNITS = ("毫克", "微克", "克", "毫升", "国际单位", "毫摩尔")
_LATIN_UNITS = r"(?:mg|MG|mcg|µg|μg|ug|g|ml|mL|ML|IU|iu|i\.u\.|I\.U\.)(?![A-Za-z])"
# Counted things (tablets, capsules, sachets, drops, spoons, puffs): an amount when a medicine
# is named in the same clause, so that "一片麻木" or "两包衣服" are not doses.
_ZH_COUNT_UNITS: tuple[str, ...] = tuple(
    "片 粒 颗 丸 袋 包 滴 勺 汤匙 茶匙 匙 支 剂 喷 单位".split()  # noqa: SIM905
)
ZH_DOSE = _lazy(
    rf"(?P<number>{_ZH_RANGE})\s*(?:个|小|大)?\s*"
    rf"(?P<unit>{'|'.join(_ZH_MASS_UNITS)}|{_LATIN_UNITS}|{'|'.join(_ZH_COUNT_UNITS)})"
)
# A unit's character followed by one of these begins another word (克服, 包括, 片刻, 支持).
_ZH_NOT_A_UNIT = {"克": "服", "包": "括含", "片": "刻面", "支": "持撑付", "单位": "时"}
# Words that make a clause about a medicine or supplement: its name, or taking it (服, 吃)
# next to a counted amount ("吃两片").
_ZH_MEDICINE_NAMED = rf"药|剂|胶囊|钙片|补充|奎宁|{_NAMED_ZH}"
_ZH_MEDICINE = _lazy(rf"{_ZH_MEDICINE_NAMED}|服|吃")
_ZH_MEDICINE_NAMED_RE = _lazy(_ZH_MEDICINE_NAMED)
_ZH_TIMES = (
    r"(?:每天|每日|每晚|每早|每周|每星期|一天|一日|一晚|一周)\s*(?:早晚)?\s*各?\s*"
    rf"(?:服用|口服|吃|服|补充)?\s*{_ZH_RANGE}\s*次"
)
ZH_SCHEDULE = _lazy(
    rf"{_ZH_TIMES}|每(?:隔)?\s*{_ZH_RANGE}\s*(?:个)?\s*小时|早晚各\s*{_ZH_RANGE}\s*(?:次|片|粒)"
)


def _normal(text: str) -> str:
    """Full-width digits, letters and spaces as their ordinary forms."""
    import unicodedata

    return unicodedata.normalize("NFKC", text)


def _clauses(sentence: str) -> list[str]:
    """The clauses of a sentence (after NFKC, so its commas are ASCII ones; a comma or point
    between digits, as in 1,000 or 2.5, stays)."""
    return _CLAUSE_SPLIT.split(sentence)


def _around(clause: str, start: int, end: int) -> tuple[str, str]:
    """What comes before and after clause[start:end], no further than _LOOK_BACK characters:
    a long clause is read once, not once per match."""
    return clause[max(0, start - _LOOK_BACK) : start], clause[end : end + _LOOK_BACK]


def _chinese(read: _Text) -> Iterator[str]:
    """The sentences with Chinese in them, full-width forms folded."""
    for sentence in read.sentences:
        if _HAN.search(sentence.text):
            yield _normal(sentence.text)


def find_dose_zh(text: str | _Text) -> str | None:
    """The first amount of a medicine in Chinese text (a number followed by a unit: a unit
    alone, as in 休克, is not one), or a schedule next to a medicine."""
    for sentence in _chinese(_read(text)):
        for clause in _clauses(sentence):
            names_a_medicine: bool | None = None
            for match in ZH_DOSE.finditer(clause):
                unit = match.group("unit")
                if unit == "克" and match.group("number").endswith("千"):
                    continue  # 千克, a kilogram: a weight, not an amount of medicine
                following = clause[match.end() : match.end() + 1]
                if following and following in _ZH_NOT_A_UNIT.get(unit, ""):
                    continue  # the unit's character begins a word: 克服, 包括, 片刻, 支持
                if unit in _ZH_COUNT_UNITS:
                    if names_a_medicine is None:
                        names_a_medicine = _ZH_MEDICINE.search(clause) is not None
                    if not names_a_medicine:
                        continue
                return match.group(0)
        schedule = ZH_SCHEDULE.search(sentence)
        if schedule and _ZH_MEDICINE.search(sentence):
            return schedule.group(0)
    return None


_ZH_TAKE = (
    "开始服用|继续服用|坚持服用|建议服用|可以服用|服用|口服|吃|喝|饮用|使用|试试|试一试|尝试|购买|买"
    "|推荐|建议|开具|考虑|用"
)
_ZH_GAP = "[一点些少量低小剂含有的硫酸杯瓶片粒汤力水\uff08(]{0,8}"
_ZH_PRAISE = (
    r"有效(?!性|成分)|管用|有用|能治|可治|治好|治疗抽筋|能缓解|可以缓解|可缓解|缓解抽筋|能预防"
    r"|可以预防|预防抽筋|很安全|是安全的|安全无害|比较安全|相对安全|非常安全|效果好|效果很好"
    r"|效果不错|有帮助|有好处|值得一试|首选|推荐"
)
ZH_RECOMMENDS_QUININE = _lazy(
    rf"(?P<verb>{_ZH_TAKE}){_ZH_GAP}奎宁"
    rf"|奎宁(?:水|片|硫酸盐)?[^不没无非未勿别难的\uff0c\u3002\uff1b\uff01\uff1f,.;!?]{{0,6}}?"
    rf"(?:{_ZH_PRAISE})"
)
# Just before the verb: a negation, a warning or an ongoing action ("在服用奎宁", a report).
_ZH_NOT_ADVICE_BEFORE = _lazy(
    r"(?:不|别|勿|避免|停止|禁止|没有|未|在|不再|曾|曾经)"
    r"(?:再|继续|自行|擅自|随意|长期|常规|要|宜|应|可|能|建议|推荐)*\s*$"
)
# Anywhere before it in the clause: a question or a condition.
_ZH_CONDITION = _lazy(r"是否|如果|若|假如|要是|有没有|正在|以前|过去|一旦")
# Just after quinine: the people or the time of taking it, or a question ("服用奎宁的人").
_ZH_REPORT_AFTER = _lazy(r"^(?:水|片)?\s*(?:的人|的患者|者|后|时|期间|以后|之后|以来|吗|呢|\?)")


def find_quinine_recommendation_zh(text: str | _Text) -> str | None:
    """The first words of Chinese text that recommend quinine, or say it helps or is safe."""
    for sentence in _chinese(_read(text)):
        if "奎宁" not in sentence:
            continue
        for clause in _clauses(sentence):
            for match in ZH_RECOMMENDS_QUININE.finditer(clause):
                before, after = _around(clause, match.start(), match.end())
                if match.group("verb") and (
                    _ZH_NOT_ADVICE_BEFORE.search(before)
                    or _ZH_CONDITION.search(before)
                    or _ZH_REPORT_AFTER.search(after)
                    or after.rstrip().endswith(("吗", "?"))
                ):
                    continue
                return match.group(0)
    return None


# Words that stop a medicine by themselves, and words that do next to a medicine.
ZH_STOP_ALWAYS = _lazy(
    r"停药|停服|停用|断药|停止(?:服用|服药|用药)|不要再服用|别再服用|减(?:少)?(?:剂量|药量|用量)"
    r"|剂量减半|减半服用|少服|漏服一次|跳过一次"
)
ZH_STOP_NEAR_MEDICINE = _lazy(r"停掉|停止(?:使用|吃)|(?:别|不要)再?(?:吃|用)(?:了)?|少吃(?:一|半)")
# "不要自行停药", "请勿擅自停止服用", "不能突然停药": the safety line itself.
_ZH_NEGATED = _lazy(
    r"(?:不要|不可|不能|不应该|不应|不宜|不得|请勿|切勿|勿|别|不)"
    r"(?:自行|擅自|私自|随意|突然|自己|轻易|贸然|马上|立即|立刻|在[^\uff0c\u3002]{0,10}?前)*\s*$"
)
# "请先咨询医生或药师", "遵医嘱", "在医生指导下": the text sends the person to a doctor.
ZH_SENDS_TO_DOCTOR = _lazy(
    r"(?:咨询|询问|请教|问问|告诉|联系|征求|遵照|遵从|听从|按照|遵|先问|在)"
    r"[^\u3002\uff01\uff1f]{0,10}?(?:医生|药师|医师|助产士|大夫)"
    r"|医嘱|(?:医生|药师|医师)(?:的)?(?:同意|建议|指导|允许|指示)"
)


def stop_advice_zh(text: str | _Text) -> Iterator[tuple[str, str]]:
    """Each piece of advice in Chinese text to stop a medicine, with its sentence, unless the
    text sends the person to a doctor or pharmacist."""
    read = _read(text)
    found: list[tuple[str, str]] = []
    for sentence in _chinese(read):
        for clause in _clauses(sentence):
            for pattern in (ZH_STOP_ALWAYS, ZH_STOP_NEAR_MEDICINE):
                for match in pattern.finditer(clause):
                    before, after = _around(clause, match.start(), match.end())
                    stop = match.group(0)
                    if pattern is ZH_STOP_NEAR_MEDICINE and not _ZH_MEDICINE_NAMED_RE.search(
                        before + after
                    ):
                        continue
                    if stop.startswith(("停", "断", "减")) and _ZH_NEGATED.search(before):
                        continue
                    found.append((stop, sentence))
    if found and not ZH_SENDS_TO_DOCTOR.search(_normal(read.plain)):
        yield from found


# ---------------------------------------------------------------- the rules together


_RECOMMENDS = "no text may recommend quinine"


@functools.lru_cache(maxsize=4096)
def text_breaches(text: str, quinine_may_stop: bool = False, sign: bool = False) -> tuple[str, ...]:
    """What is wrong with one text, as messages. Cached: the built-in texts are checked again
    each time user files are loaded on top of them."""
    found = []
    read = _Text(text)
    dose = find_dose(read)
    if dose:
        found.append(
            f"no doses: {_quote(dose)} gives an amount or schedule for a medicine or "
            "supplement; report the evidence and send people to a doctor or pharmacist"
        )
    quinine = find_quinine_recommendation(read)
    if quinine:
        found.append(
            f"{_RECOMMENDS} ({_quote(quinine)}); say it is not recommended because of "
            "serious side effects"
        )
    for stop, sentence in stop_advice(read):
        if quinine_may_stop and not OTHER_MEDICINE.search(sentence):
            continue  # the one exception: stop quinine at once if bleeding appears
        if sign and QUININE.search(sentence) and not OTHER_MEDICINE.search(sentence):
            continue  # and in any warning sign: "do not take any more quinine"
        found.append(
            f"never advise stopping a prescribed medicine alone ({_quote(stop)}): "
            "say to ask a doctor or pharmacist first"
        )
        break
    forceful = find_forceful(read)
    if forceful:
        found.append(
            f"stretching advice must be gentle ({_quote(forceful)}): say 'gently' and "
            "'until the cramp eases'"
        )
    return tuple(found)


def _text_breaches(
    texts: Iterable[tuple[Path, str]], *, quinine_may_stop: bool = False, sign: bool = False
) -> Iterator[Breach]:
    for path, text in texts:
        for message in text_breaches(text, quinine_may_stop, sign):
            yield Breach(message, path)


def check_entry(section: str, entry: Any) -> list[Breach]:
    """Every breach of the content rules in one entry of a knowledge-base section."""
    if section == "sources":
        return []  # titles of papers, not advice: "cessation of quinine treatment"
    # The exception: in the warning signs about quinine's side effects, stopping it (or
    # "it") at once, if no other medicine is named alongside.
    quinine_may_stop = (
        section == "signs"
        and entry.id in QUININE_STOP_SIGNS
        and any(QUININE.search(text) for _, text in text_fields(entry))
    )
    breaches = list(
        _text_breaches(
            text_fields(entry), quinine_may_stop=quinine_may_stop, sign=section == "signs"
        )
    )
    said = {breach.field for breach in breaches if breach.message.startswith(_RECOMMENDS)}
    breaches.extend(
        breach for breach in _quinine_placement(section, entry) if breach.field not in said
    )
    return breaches


def check_triage(triage: Triage) -> list[Breach]:
    """Every breach in the level advice and the safety net (paths inside `triage`)."""
    texts = (
        (path, text) for path, text in text_fields(triage) if path[0] in ("levels", "safety_net")
    )
    return list(_text_breaches(texts))


# ---------------------------------------------------------------- translation files

# Fields of a translation file that are not text: the id an entry is matched by, and the hash
# of the English text it was made from.
_NOT_TRANSLATED_TEXT = NOT_TEXT | {"from"}


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, part in value.items():
            if key not in _NOT_TRANSLATED_TEXT:
                yield from _strings(part, (*path, str(key)))
    elif isinstance(value, list):
        for index, part in enumerate(value):
            yield from _strings(part, (*path, index))


def check_translation(document: Any) -> list[Breach]:
    """Every breach of the content rules in a parsed translation file (data/i18n/<lang>/
    <stem>.yaml): each string it holds, whatever the field, with the same exceptions as the
    English (stopping quinine in the warning signs about its side effects), and quinine never
    named in relief advice or muscles. Paths start with the section ("signs", 3, "note")."""
    if not isinstance(document, dict):
        return []
    found: list[Breach] = []
    for section, body in document.items():
        if section == "sources":
            continue
        entries = body if isinstance(body, list) else [body]
        for index, entry in enumerate(entries):
            base: Path = (str(section), index) if isinstance(body, list) else (str(section),)
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            texts = list(_strings(entry, base))
            in_signs = section == "signs"
            quinine_may_stop = (
                in_signs
                and entry_id in QUININE_STOP_SIGNS
                and any(QUININE.search(text) for _, text in texts)
            )
            found.extend(_text_breaches(texts, quinine_may_stop=quinine_may_stop, sign=in_signs))
            if section in ("muscles", "relief"):
                found.extend(
                    Breach(
                        "quinine is never recommended, so it cannot appear in relief advice "
                        "or muscles",
                        path,
                    )
                    for path, text in texts
                    if QUININE.search(text)
                )
    return found
