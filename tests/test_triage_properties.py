"""Monotonicity of `cramp check` (section 8a, rule 6), by property-based testing.

(a) Adding a sign never lowers the level.
(b) Answering "not sure" instead of "no" never lowers the level; for an emergency or urgent
    question it counts as "yes".
(c) Both still hold when user knowledge-base layers add signs and combination rules (and
    raise built-in signs), over built-in and user signs, and every rule gives at least its
    level whenever it applies.

The levels are compared with an order written here (section 8: emergency > urgent >
see-doctor > self-care), not with cramp's own ranking, so the oracle is independent.

Examples: 200 for the in-memory properties and 30 for the ones that write and load a user
file; set CRAMP_FUZZ_EXAMPLES=N for a longer run (N examples for every property).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramp_cli import answers
from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.load import load_kb
from cramp_cli.knowledge.loader import load_builtin

LEVELS = ("emergency", "urgent", "see-doctor", "self-care")  # most urgent first
SOURCES = ("nhs-leg-cramps", "nhs-dvt", "nice-cks-leg-cramps")

_FUZZ = os.environ.get("CRAMP_FUZZ_EXAMPLES")
CHEAP = settings(
    max_examples=int(_FUZZ) if _FUZZ else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FILES = settings(
    max_examples=int(_FUZZ) if _FUZZ else 30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BUILT_IN = load_builtin()
BUILT_IN_SIGNS = tuple(sign.id for sign in BUILT_IN.signs)
minutes_st = st.none() | st.integers(min_value=0, max_value=30)
levels_st = st.sampled_from(LEVELS)


def urgency(level: str) -> int:
    """3 for emergency down to 0 for self-care: a larger number is more urgent."""
    return len(LEVELS) - 1 - LEVELS.index(level)


def level_of(
    kb: KnowledgeBase,
    signs: Sequence[str],
    minutes: int | None = None,
    not_sure: Sequence[str] = (),
) -> str:
    level: str = answers.check(kb, list(signs), minutes=minutes, not_sure=list(not_sure)).level
    return level


def _sign_sets(ids: Sequence[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ids), unique=True, max_size=min(len(ids), 8))


# ---------------------------------------------------------------- (a) and (b), built-in only


@CHEAP
@given(signs=_sign_sets(BUILT_IN_SIGNS), extra=st.sampled_from(BUILT_IN_SIGNS), minutes=minutes_st)
def test_adding_a_sign_never_lowers_the_level(
    signs: list[str], extra: str, minutes: int | None
) -> None:
    before = level_of(BUILT_IN, signs, minutes)
    after = level_of(BUILT_IN, [*signs, extra] if extra not in signs else signs, minutes)
    assert urgency(after) >= urgency(before), (signs, extra, before, after)


@CHEAP
@given(signs=_sign_sets(BUILT_IN_SIGNS), minutes=minutes_st, longer=st.integers(0, 30))
def test_a_longer_cramp_never_lowers_the_level(
    signs: list[str], minutes: int | None, longer: int
) -> None:
    base = 0 if minutes is None else minutes
    before = level_of(BUILT_IN, signs, minutes)
    after = level_of(BUILT_IN, signs, base + longer)
    assert urgency(after) >= urgency(before)


@CHEAP
@given(signs=_sign_sets(BUILT_IN_SIGNS), unsure=_sign_sets(BUILT_IN_SIGNS), minutes=minutes_st)
def test_not_sure_instead_of_no_never_lowers_the_level(
    signs: list[str], unsure: list[str], minutes: int | None
) -> None:
    unsure = [sign for sign in unsure if sign not in signs]
    answered_no = level_of(BUILT_IN, signs, minutes)
    answered_unsure = level_of(BUILT_IN, signs, minutes, not_sure=unsure)
    assert urgency(answered_unsure) >= urgency(answered_no), (signs, unsure)


URGENT_OR_WORSE = tuple(sign.id for sign in BUILT_IN.signs if sign.level in ("emergency", "urgent"))


@CHEAP
@given(signs=_sign_sets(BUILT_IN_SIGNS), unsure=_sign_sets(URGENT_OR_WORSE), minutes=minutes_st)
def test_not_sure_counts_as_yes_for_emergency_and_urgent_questions(
    signs: list[str], unsure: list[str], minutes: int | None
) -> None:
    unsure = [sign for sign in unsure if sign not in signs]
    answered_yes = level_of(BUILT_IN, [*signs, *unsure], minutes)
    answered_unsure = level_of(BUILT_IN, signs, minutes, not_sure=unsure)
    assert urgency(answered_unsure) >= urgency(answered_yes), (signs, unsure)


# ---------------------------------------------------------------- (c) with user layers


@st.composite
def user_layer(draw: st.DrawFn) -> dict[str, Any]:
    """A user file: 1-4 new signs at any level, a few raised built-in signs, and 0-4 new
    rules over built-in and new signs at any level."""
    count = draw(st.integers(min_value=1, max_value=4))
    new_ids = [f"user-sign-{n}" for n in range(count)]
    signs: list[dict[str, Any]] = [
        {
            "id": sign_id,
            "title": f"User sign {n}",
            "question": f"Do you have user sign {n}?",
            "wording": f"User sign {n} came from a user file.",
            "level": draw(levels_st),
            "sources": [draw(st.sampled_from(SOURCES))],
        }
        for n, sign_id in enumerate(new_ids)
    ]
    # Raise (or keep) the level of some built-in signs: a user layer may not lower one.
    for built_in in draw(st.lists(st.sampled_from(BUILT_IN.signs), unique=True, max_size=2)):
        floor = urgency(built_in.level)
        level = draw(st.sampled_from([lv for lv in LEVELS if urgency(lv) >= floor]))
        entry = {
            key: value
            for key, value in built_in.model_dump(mode="json").items()
            if value not in (None, [])
        }
        entry.update(id=built_in.id, level=level, override=True)
        signs.append(entry)
    every = [*BUILT_IN_SIGNS, *new_ids]
    rules = []
    for n in range(draw(st.integers(min_value=0, max_value=4))):
        all_of = draw(st.lists(st.sampled_from(every), unique=True, min_size=1, max_size=3))
        any_of = draw(st.lists(st.sampled_from(every), unique=True, max_size=3))
        rules.append(
            {
                "id": f"user-rule-{n}",
                "all": all_of,
                "any": any_of,
                "level": draw(levels_st),
                "reason": f"User rule {n} applies.",
                "sources": [draw(st.sampled_from(SOURCES))],
            }
        )
    layer: dict[str, Any] = {"signs": signs}
    if rules:
        layer["rules"] = rules
    return layer


def _load_layer(*layers: dict[str, Any]) -> KnowledgeBase:
    """Load the built-in knowledge base with these user files, lowest layer first."""
    with tempfile.TemporaryDirectory(prefix="cramp-fuzz-") as folder:
        paths = []
        for n, layer in enumerate(layers):
            path = Path(folder) / f"layer-{n}.yaml"
            path.write_text(yaml.safe_dump(layer, sort_keys=False), encoding="utf-8")
            paths.append(path)
        return load_kb(flag_paths=paths, use_store=False)


@FILES
@given(layer=user_layer(), data=st.data())
def test_user_layers_keep_the_level_monotonic(layer: dict[str, Any], data: st.DataObject) -> None:
    kb = _load_layer(layer)
    ids = tuple(sign.id for sign in kb.signs)
    for sign in layer["signs"]:
        assert sign["id"] in ids
    for _ in range(20):
        signs = data.draw(_sign_sets(ids), label="signs")
        extra = data.draw(st.sampled_from(ids), label="extra")
        unsure = [s for s in data.draw(_sign_sets(ids), label="unsure") if s not in signs]
        minutes = data.draw(minutes_st, label="minutes")
        before = level_of(kb, signs, minutes)
        # (a) adding a sign
        added = level_of(kb, [*signs, extra] if extra not in signs else signs, minutes)
        assert urgency(added) >= urgency(before), (signs, extra, before, added)
        # (b) "not sure" instead of "no"
        answered_unsure = level_of(kb, signs, minutes, not_sure=unsure)
        assert urgency(answered_unsure) >= urgency(before), (signs, unsure)
        # every sign given counts at least at its own level
        by_id = {sign.id: sign for sign in kb.signs}
        for sign_id in signs:
            assert urgency(before) >= urgency(by_id[sign_id].level), (signs, sign_id)


@FILES
@given(layer=user_layer(), data=st.data())
def test_every_rule_gives_at_least_its_level_when_it_applies(
    layer: dict[str, Any], data: st.DataObject
) -> None:
    kb = _load_layer(layer)
    ids = tuple(sign.id for sign in kb.signs)
    assert {rule["id"] for rule in layer.get("rules", [])} <= {rule.id for rule in kb.rules}
    for rule in kb.rules:
        trigger = list(rule.all)
        if rule.any:
            trigger.append(data.draw(st.sampled_from(rule.any), label=f"{rule.id} any"))
        others = data.draw(_sign_sets(ids), label=f"{rule.id} others")
        signs = list(dict.fromkeys([*trigger, *others]))
        got = level_of(kb, signs)
        assert urgency(got) >= urgency(rule.level), (rule.id, signs, got)
        # the same with the trigger answered "not sure" (rule 6: not sure never lowers)
        unsure = level_of(kb, others, not_sure=[s for s in trigger if s not in others])
        assert urgency(unsure) >= urgency(rule.level), (rule.id, trigger, others, unsure)


@FILES
@given(layer=user_layer(), data=st.data())
def test_a_second_layer_cannot_lower_what_a_first_user_layer_added(
    layer: dict[str, Any], data: st.DataObject
) -> None:
    """Section 8a rule 6: user layers never lower a sign or rule, including ones that another
    user layer added. A second file overrides some of the first file's signs and rules at a
    random level: a lower level is refused; otherwise the levels stay monotonic."""
    new_signs = [sign for sign in layer["signs"] if sign["id"].startswith("user-sign-")]
    changed_signs = data.draw(
        st.lists(st.sampled_from(new_signs), unique_by=lambda s: s["id"], min_size=1),
        label="signs to override",
    )
    rules = layer.get("rules", [])
    changed_rules = (
        data.draw(st.lists(st.sampled_from(rules), unique_by=lambda r: r["id"]), label="rules")
        if rules
        else []
    )
    lowered = False
    second: dict[str, Any] = {"signs": [], "rules": []}
    for group, entries in (("signs", changed_signs), ("rules", changed_rules)):
        for entry in entries:
            level = data.draw(levels_st, label=f"{entry['id']} level")
            lowered |= urgency(level) < urgency(entry["level"])
            second[group].append({**entry, "level": level, "override": True})
    if not second["rules"]:
        del second["rules"]
    if lowered:
        try:
            _load_layer(layer, second)
        except KnowledgeBaseError as error:
            assert "cannot lower" in str(error), error
            return
        raise AssertionError(f"a lowered level was accepted: {second}")
    kb = _load_layer(layer, second)
    levels = {sign.id: sign.level for sign in kb.signs}
    for entry in second["signs"]:
        assert levels[entry["id"]] == entry["level"]
    ids = tuple(levels)
    for rule in kb.rules:
        signs = [*rule.all, *rule.any[:1]]
        assert urgency(level_of(kb, signs)) >= urgency(rule.level), (rule.id, signs)
    for _ in range(10):
        signs = data.draw(_sign_sets(ids), label="signs")
        extra = data.draw(st.sampled_from(ids), label="extra")
        before = level_of(kb, signs)
        after = level_of(kb, [*signs, extra] if extra not in signs else signs)
        assert urgency(after) >= urgency(before), (signs, extra, before, after)
