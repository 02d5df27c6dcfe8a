"""The safety floors: what no user file, and no compiled store, may make less safe.

One implementation for the loader (a user file that overrides a sign or rule) and for the
compiled store, checked against the built-in snapshot on every run.
"""

from __future__ import annotations

from collections.abc import Iterable

from cramp_cli.knowledge.kb import KnowledgeBase, level_rank
from cramp_cli.knowledge.models import Level, Rule, Sign, Symptom
from cramp_cli.shapes import json_of


def gates_change(old: Sign, new: Sign) -> tuple[str, tuple[int, ...]] | None:
    """Why `new` could ask its question in fewer cases than `old`, and where; or None.

    A question is asked once one of its gates was answered yes (or always, without gates).
    Dropping every gate asks it always. Dropping some asks it less often; adding gates to a
    sign without any hides it behind them. Adding to gates a sign has would ask it more
    often if any one gate is enough, but fewer if all were needed, so it is refused too:
    keeping the same gates, in any order, or none, is safe however they are combined.
    """
    if not new.ask_if or set(new.ask_if) == set(old.ask_if):
        return None
    added = [gate for gate in new.ask_if if gate not in old.ask_if]
    if added:
        return (
            f"not add any: its question would be asked only after one of them is answered "
            f"yes (new in 'ask_if': {', '.join(added)})"
            if not old.ask_if
            else f"not add any (new in 'ask_if': {', '.join(added)})",
            (new.ask_if.index(added[0]),),
        )
    dropped = [gate for gate in old.ask_if if gate not in new.ask_if]
    return (
        "not drop only some: its question is asked once any one of them is answered yes, so "
        f"without {', '.join(dropped)} it would be asked less often",
        (),
    )


def rule_fires(rule: Rule, signs: Iterable[str]) -> bool:
    """Whether `rule` fires for this set of signs: all of `all`, and one of `any` if any."""
    given = set(signs)
    return set(rule.all) <= given and (not rule.any or not given.isdisjoint(rule.any))


def rule_narrowing(old: Rule, new: Rule) -> tuple[str, str] | None:
    """Why `new` fires for fewer sets of signs than `old`, and the field to blame; or None.

    A rule only ever fires for more signs, never fewer, so `new` covers `old` exactly when
    it fires for each smallest set that fires `old`: `old.all` plus one sign of `old.any`
    (or `old.all` alone when `old.any` is empty).
    """
    smallest = [{*old.all, sign} for sign in old.any] if old.any else [set(old.all)]
    missed = [signs for signs in smallest if not rule_fires(new, signs)]
    if not missed:
        return None
    added = sorted({sign for signs in missed for sign in new.all if sign not in signs})
    if added:
        return f"cannot add signs to 'all' ({', '.join(added)})", "all"
    if not old.any:
        return (
            "cannot gain an 'any' condition it did not have "
            f"(it fired with {', '.join(old.all)} alone)",
            "any",
        )
    dropped = sorted({sign for signs in missed for sign in signs - set(old.all)})
    return f"cannot drop signs from 'any' ({', '.join(dropped)})", "any"


def floor_problem(built_in: KnowledgeBase, kb: KnowledgeBase) -> str | None:
    """Why `kb` is less safe than the built-in knowledge base, or None.

    Every built-in warning sign and combination rule must be there, at its level or a more
    urgent one, asked at least as often (the same gates, or none), and every rule must
    still fire for every set of signs it fired for. Triage levels, regions, the safety net
    and the diary patterns are the built-in ones.
    """
    if json_of(kb.triage) != json_of(built_in.triage):
        return "the triage section differs from the built-in one"
    if [json_of(rule) for rule in kb.patterns] != [json_of(rule) for rule in built_in.patterns]:
        return "the diary patterns differ from the built-in ones"
    symptom_problem = _symptom_floor(built_in, kb)
    if symptom_problem is not None:
        return symptom_problem
    signs = {sign.id: sign for sign in kb.signs}
    for sign in built_in.signs:
        found = signs.get(sign.id)
        if found is None:
            return f"warning sign {sign.id!r} is missing"
        if level_rank(found.level) > level_rank(sign.level):
            return f"warning sign {sign.id!r} is lowered"
        if gates_change(sign, found) is not None:
            return f"warning sign {sign.id!r} is asked less often"
    rules = {rule.id: rule for rule in kb.rules}
    for rule in built_in.rules:
        found_rule = rules.get(rule.id)
        if found_rule is None:
            return f"rule {rule.id!r} is missing"
        if level_rank(found_rule.level) > level_rank(rule.level):
            return f"rule {rule.id!r} is lowered"
        if rule_narrowing(rule, found_rule) is not None:
            return f"rule {rule.id!r} fires less often"
    return None


def target_level(kb: KnowledgeBase, symptom: Symptom) -> Level | None:
    """How urgent a word of `cramp log --with` is: its sign's level, or its look-alike's
    (self-care when the look-alike has none); None for an unknown target."""
    if symptom.sign is not None:
        sign = next((sign for sign in kb.signs if sign.id == symptom.sign), None)
        return None if sign is None else sign.level
    lookalike = kb.lookalike(symptom.lookalike or "")
    return None if lookalike is None else (lookalike.level or "self-care")


def symptom_level(kb: KnowledgeBase, word: str) -> Level | None:
    symptom = kb.symptom(word)
    return None if symptom is None else target_level(kb, symptom)


def _symptom_floor(built_in: KnowledgeBase, kb: KnowledgeBase) -> str | None:
    """Every built-in word of `cramp log --with` is there, and no less urgent."""
    for symptom in built_in.symptoms:
        before = symptom_level(built_in, symptom.word)
        after = symptom_level(kb, symptom.word)
        if after is None:
            return f"the symptom word {symptom.word!r} is missing"
        if before is not None and level_rank(after) > level_rank(before):
            return f"the symptom word {symptom.word!r} is lowered"
    return None
