"""Every claim of the original article is covered by the knowledge base, and the two stay in step.

The article (source id `seed-article`) is a machine translation of a Chinese web page. Each of
its claims is listed below in a few plain words, with the ids of the knowledge-base items that
cover it. An item that covers a claim cites `seed-article` and says in `article_claim` what the
article claimed, so the product can set the claim against the evidence.

Each row also carries an anchor: a short phrase of the article that locates the claim. The tests
that read the article itself are skipped when the file is absent (a clone without shared/).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cramp_cli.knowledge.kb import ENTRY_SECTIONS, KnowledgeBase
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.shapes import Shape

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "leg-cramps-article.txt"
SEED = "seed-article"

KB = load_builtin()
ITEMS = {item.id: item for item in KB.items}

# (anchor in the article, the claim in a few words, ids of the items that cover it)
CLAIMS: list[tuple[str, str, tuple[str, ...]]] = [
    # ------------------------------------------------------------ what a cramp is
    ("many people have experienced", "calf cramps in bed are common", ("how-cramps-start",)),
    (
        "abnormal neuromuscular excitement",
        "over-excited nerves make the muscle pull harder than normal",
        ("how-cramps-start",),
    ),
    (
        "soreness or swelling",
        "the calf gets sore or swollen and hurts a lot",
        ("how-cramps-start",),
    ),
    (
        "several seconds or tens of seconds",
        "an attack lasts seconds to tens of seconds",
        ("how-cramps-start", "most-pass-alone"),
    ),
    (
        "affect normal sleep",
        "whatever the cause, cramps hurt and spoil sleep",
        ("how-cramps-start",),
    ),
    (
        "spontaneous tonic contraction",
        "a cramp is a lasting, involuntary clench",
        ("how-cramps-start",),
    ),
    ("calves and toes", "calves and toes cramp most often", ("how-cramps-start", "relief-foot")),
    ("often wakes people up", "the pain wakes people and lingers", ("how-cramps-start",)),
    ("gastrocnemius", "the calf suddenly goes hard and painful", ("how-cramps-start",)),
    # ------------------------------------------------------------ causes, first list
    (
        "excessive exertion of the legs",
        "legs overworked by day cramp at night",
        ("fatigue-overexertion",),
    ),
    (
        "excessive metabolic products",
        "uncleared waste in the muscle",
        ("lactic-acid", "fatigue-overexertion"),
    ),
    ("cold feet and legs", "cold feet and legs in bed", ("cold",)),
    (
        "excitation threshold",
        "low blood calcium makes nerves and muscles trigger easily",
        ("low-blood-calcium", "calcium-deficiency"),
    ),
    (
        "pregnant women and the elderly",
        "calcium lack in pregnancy and old age",
        ("calcium-deficiency", "pregnancy", "ageing"),
    ),
    ("blood flow factors", "poor blood flow in the legs", ("peripheral-arterial-disease",)),
    ("varicose veins", "varicose veins squeezed in one sleeping position", ("varicose-veins",)),
    ("deep vein thrombosis", "a clot in a leg vein as a cause", ("dvt-not-a-cause",)),
    ("keeping warm while sleeping", "keep warm in bed", ("keep-warm",)),
    ("massaging the lower limbs", "massage the legs to ward cramps off", ("massage",)),
    ("occur more frequently", "frequent attacks: see a doctor", ("see-doctor-if-frequent",)),
    # ------------------------------------------------------------ causes, second list
    ("low room temperature", "a cold winter room, thin quilt or bare feet", ("cold",)),
    ("acidic metabolites", "acid waste from tiredness", ("lactic-acid", "fatigue-overexertion")),
    (
        "accumulation of lactic acid",
        "long walks or exercise build up lactic acid",
        ("lactic-acid",),
    ),
    ("insufficient rest and sleep", "too little sleep or rest", ("lifestyle-associations",)),
    ("carbon dioxide", "too much rest slows blood and builds up CO2", ("too-much-rest-co2",)),
    (
        "decreased estrogen",
        "falling oestrogen and thin bones in older women",
        ("menopause-oestrogen",),
    ),
    (
        "quilt pressed against the instep",
        "on the back with the quilt pressing the foot down",
        ("foot-pointing-down", "loose-bedding", "toes-up-posture"),
    ),
    (
        "lying prone",
        "face down with the top of the foot on the bed",
        ("foot-pointing-down", "toes-up-posture"),
    ),
    # ------------------------------------------------------------ what to do in a cramp
    (
        '"do the opposite"',
        "stretch against the cramp",
        ("relief-back-calf", "relief-front-calf", "relief-foot"),
    ),
    ("1 to 2 minutes", "hold the stretch one to two minutes", ("relief-back-calf",)),
    ("back of the calf", "back of calf: foot up, knee straight", ("relief-back-calf",)),
    ("front of the calf", "front of calf: foot down, toes curled", ("relief-front-calf",)),
    # ------------------------------------------------------------ prevention, first list
    ("keep away the cold", "keep away from the cold", ("keep-warm",)),
    ("pay attention to sleeping posture", "mind how you lie", ("toes-up-posture", "loose-bedding")),
    (
        "do not walk or exercise for too long",
        "don't walk or exercise too long",
        ("avoid-overexertion",),
    ),
    (
        "appropriate physical exercise",
        "a suitable amount of exercise",
        ("light-exercise-before-bed", "regular-activity"),
    ),
    ("vitamin e", "some vitamin E when needed", ("vitamin-e",)),
    ("appropriate calcium supplementation", "take some calcium", ("calcium",)),
    ("lean meat", "dairy and lean meat to help absorb calcium", ("dairy-diet",)),
    # ------------------------------------------------------------ causes, third list
    ("cold environment in winter", "winter exercise or cold water", ("cold",)),
    ("inadequate preparation activities", "too little warm-up", ("warm-up-before-sport", "cold")),
    ("without a quilt", "a chilled calf in bed wakes you with a cramp", ("cold",)),
    ("contract too fast", "fast, hard muscle work with little rest", ("rapid-contraction",)),
    (
        "local metabolite lactic acid",
        "lactic acid upsets tightening and relaxing",
        ("lactic-acid",),
    ),
    (
        "not replenishing salt",
        "heavy sweating without replacing salt",
        ("sweating-fluid-loss", "salt-replacement"),
    ),
    (
        "loss of fluid and electrolytes",
        "losing fluid and salts",
        ("dehydration", "sweating-fluid-loss"),
    ),
    (
        "poor local blood circulation",
        "waste build-up and poor blood flow in the muscle",
        ("sweating-fluid-loss", "peripheral-arterial-disease"),
    ),
    (
        "traveling long distances",
        "long trips, hills and climbing tire the calf",
        ("fatigue-overexertion",),
    ),
    ("six times", "a climbing leg pulls six times body weight", ("fatigue-overexertion",)),
    (
        "concentration of calcium ions",
        "too little calcium in the blood",
        ("low-blood-calcium", "calcium-deficiency"),
    ),
    ("teenagers grow", "fast-growing teenagers lack calcium", ("teen-growth",)),
    # ------------------------------------------------------------ prevention, second list
    ("calcium and vitamin d", "calcium with vitamin D", ("vitamin-d", "calcium")),
    ("dried shrimps", "calcium tablets or calcium-rich foods", ("calcium", "dairy-diet")),
    ("strengthen physical exercise", "exercise more", ("regular-activity",)),
    ("fully prepare for activities", "warm up well before sport", ("warm-up-before-sport",)),
    ("local muscles from getting cold", "keep the muscles from getting cold", ("keep-warm",)),
    # ------------------------------------------------------------ first aid and the doctor
    ("grab the big toe", "hold the big toe, straighten foot then leg", ("relief-big-toe-grab",)),
    ("massage your calves", "rub the calves hard with both hands", ("massage",)),
    ("repeatedly and frequently", "repeated cramps: see a doctor", ("see-doctor-if-frequent",)),
    (
        "relax when you have cramps",
        "relax and slowly straighten the feet",
        ("relief-big-toe-grab",),
    ),
]

# Paragraphs of the article that make no claim: the page header, headings and lead-ins.
NOT_CLAIMS = (
    "Joke Collection Website",
    "What causes leg cramps while sleeping at night?",
    "Causes and solutions to calf cramps",
    "The common causes of leg and foot cramps are generally as follows:",
    "To prevent leg and foot cramps, you should pay attention to the following points:",
    "Common causes of leg cramps",
    "Prevention of leg cramps",
    "Emergency treatment for three-leg cramps",
)

# What the machine translation left behind; none of it may reach the knowledge base.
ARTIFACTS = ("three-leg", "lactic acid and amino acids", "①", "⑧", "⑼")
CIRCLED = re.compile(r"[\u2460-\u24ff\u2776-\u2793]")  # circled and bracketed digits


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _article() -> str:
    if not ARTICLE.is_file():
        pytest.skip(f"the article is not here: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def _paragraphs() -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", _article()) if part.strip()]


def _strings(value: Any) -> list[str]:
    """Every string inside a model, a dataclass or a container of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Shape):
        return _strings(value.model_dump())
    if isinstance(value, KnowledgeBase):
        return _strings([getattr(value, name) for name in (*ENTRY_SECTIONS, "triage")])
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_strings(key), *_strings(item))]
    if isinstance(value, list | tuple | set | frozenset):
        return [text for item in value for text in _strings(item)]
    return []


def _row_id(row: tuple[str, str, tuple[str, ...]]) -> str:
    return row[1]


# ---------------------------------------------------------------- the table itself


def test_the_table_has_one_row_per_distinct_claim() -> None:
    anchors = [_flat(anchor) for anchor, _, _ in CLAIMS]
    claims = [claim.lower() for _, claim, _ in CLAIMS]
    assert len(anchors) == len(set(anchors)), "an anchor is used twice"
    assert len(claims) == len(set(claims)), "a claim is listed twice"
    for _, claim, ids in CLAIMS:
        assert ids, claim
        assert len(ids) == len(set(ids)), claim
        assert len(claim.split()) <= 12, f"keep the paraphrase short: {claim!r}"


@pytest.mark.parametrize(("anchor", "claim", "ids"), CLAIMS, ids=[_row_id(row) for row in CLAIMS])
def test_every_mapped_id_is_in_the_kb(anchor: str, claim: str, ids: tuple[str, ...]) -> None:
    missing = [item_id for item_id in ids if item_id not in ITEMS]
    assert not missing, f"{claim!r}: no item {missing}"


@pytest.mark.parametrize(("anchor", "claim", "ids"), CLAIMS, ids=[_row_id(row) for row in CLAIMS])
def test_every_claim_is_carried_by_an_item_that_cites_the_article(
    anchor: str, claim: str, ids: tuple[str, ...]
) -> None:
    carriers = [
        item_id
        for item_id in ids
        if item_id in ITEMS
        and SEED in ITEMS[item_id].sources
        and (ITEMS[item_id].article_claim or "").strip()
    ]
    assert carriers, f"{claim!r}: none of {ids} cites {SEED} with an article_claim"


def test_every_mapped_item_says_what_the_article_claimed() -> None:
    mapped = sorted({item_id for _, _, ids in CLAIMS for item_id in ids if item_id in ITEMS})
    lacking = [
        item_id
        for item_id in mapped
        if SEED not in ITEMS[item_id].sources or not (ITEMS[item_id].article_claim or "").strip()
    ]
    assert not lacking, f"cover an article claim but lack {SEED} or article_claim: {lacking}"


def test_every_item_citing_the_article_is_in_the_table() -> None:
    mapped = {item_id for _, _, ids in CLAIMS for item_id in ids}
    citing = {item.id for item in KB.items if SEED in item.sources}
    assert not citing - mapped, f"cite {SEED} but map no claim: {sorted(citing - mapped)}"


def test_article_claim_and_the_article_source_go_together() -> None:
    for item in KB.items:
        has_claim = bool((item.article_claim or "").strip())
        assert has_claim == (SEED in item.sources), item.id


def test_no_translation_artifacts_in_the_kb() -> None:
    texts = _strings(KB)
    assert texts
    everything = "\n".join(texts)
    for artifact in ARTIFACTS:
        assert artifact.lower() not in everything.lower(), artifact
    assert not CIRCLED.search(everything), CIRCLED.findall(everything)
    advice = "\n".join(_strings((KB.prevention, KB.relief, KB.treatments))).lower()
    assert "amino acid" not in advice
    assert not re.search(r"(foods?|diet)\b[^.]*\blactic acid", advice), "lactic acid as food advice"


# ---------------------------------------------------------------- against the article itself


@pytest.mark.parametrize(("anchor", "claim", "ids"), CLAIMS, ids=[_row_id(row) for row in CLAIMS])
def test_every_anchor_is_in_the_article(anchor: str, claim: str, ids: tuple[str, ...]) -> None:
    assert _flat(anchor) in _flat(_article()), f"{claim!r}: {anchor!r} not in the article"


def test_every_paragraph_of_the_article_is_covered() -> None:
    paragraphs = _paragraphs()
    for heading in NOT_CLAIMS:
        assert any(paragraph.startswith(heading) for paragraph in paragraphs), heading
    uncovered = [
        paragraph[:60]
        for paragraph in paragraphs
        if not paragraph.startswith(NOT_CLAIMS)
        and not any(_flat(anchor) in _flat(paragraph) for anchor, _, _ in CLAIMS)
    ]
    assert not uncovered, f"paragraphs with no claim in the table: {uncovered}"


def test_the_artifacts_guarded_against_are_in_the_article() -> None:
    article = _article()
    for artifact in ARTIFACTS:
        assert artifact.lower() in article.lower(), artifact
    assert CIRCLED.search(article)
