"""The interactive `cramp check`: which question comes next, and which can still matter.

Pure logic over the knowledge base, no input or output: the CLI asks, this decides.

- A sign with `ask_if` is asked only after one of the signs it names (its openers) was
  answered yes or "not sure".
- Gates (self-care openers such as `pregnant`) are asked first, then emergency questions,
  then urgent, then the rest; within a group, file order. A follow-up that an urgent answer
  opens (a more urgent question about the same problem) comes straight after that answer.
- An emergency answer ends the interview at once.
- After any other yes, only the questions that could still raise the level, or that are of the
  same level, are asked. "Could raise" is read from the data: a sign's own level, the
  combination rules it takes part in, and the questions a gate opens.
"""

from __future__ import annotations

from cramp_cli.knowledge.kb import KnowledgeBase, level_rank, rule_fires
from cramp_cli.knowledge.models import LEVELS, Level, Sign
from cramp_cli.replies import Reply as Reply  # declared once, with the words that mean it

SERIOUS: frozenset[Level] = frozenset({"emergency", "urgent"})


def opener_ids(signs: tuple[Sign, ...] | list[Sign]) -> set[str]:
    """The signs that some `ask_if` names: a yes (or "not sure") to one opens questions."""
    return {opener for sign in signs for opener in sign.ask_if}


def serious_ids(kb: KnowledgeBase) -> set[str]:
    """Signs that are urgent or an emergency, alone or as part of a combination rule."""
    serious = {sign.id for sign in kb.signs if sign.level in SERIOUS}
    for rule in kb.rules:
        if rule.level in SERIOUS:
            serious.update((*rule.all, *rule.any))
    return serious


def gate_ids(signs: tuple[Sign, ...] | list[Sign]) -> set[str]:
    """Openers that are no warning on their own (self-care): asked before everything else."""
    by_id = {sign.id: sign for sign in signs}
    return {
        opener
        for opener in opener_ids(signs)
        if opener in by_id and by_id[opener].level == "self-care"
    }


def question_order(kb: KnowledgeBase) -> list[Sign]:
    """Gates first, then the most urgent questions; file order within each group."""
    gates = gate_ids(kb.signs)
    position = {sign.id: index for index, sign in enumerate(kb.signs)}
    return sorted(
        kb.signs,
        key=lambda sign: (sign.id not in gates, level_rank(sign.level), position[sign.id]),
    )


class Interview:
    """The answers so far, and what they leave to ask."""

    def __init__(self, kb: KnowledgeBase, replies: dict[str, Reply] | None = None) -> None:
        self.kb = kb
        self.replies: dict[str, Reply] = replies if replies is not None else {}
        self.order = question_order(self.kb)
        self.openers = opener_ids(self.kb.signs)
        self.serious = serious_ids(self.kb)
        self.by_id = {sign.id: sign for sign in self.kb.signs}

    # ------------------------------------------------------------ what the answers say

    def counts_as_yes(self, sign: Sign) -> bool:
        """Yes, or "not sure" to a question that could make the level urgent or an emergency
        (by itself or through a combination rule), or that opens other questions."""
        reply = self.replies.get(sign.id)
        if reply == "yes":
            return True
        return reply == "unsure" and (sign.id in self.serious or sign.id in self.openers)

    @property
    def yes(self) -> list[str]:
        return [sign.id for sign in self.order if self.replies.get(sign.id) == "yes"]

    @property
    def unsure(self) -> list[str]:
        """The "not sure" answers that count as yes."""
        return [
            sign.id
            for sign in self.order
            if self.replies.get(sign.id) == "unsure" and self.counts_as_yes(sign)
        ]

    @property
    def positive(self) -> set[str]:
        return {*self.yes, *self.unsure}

    def level(self) -> Level:
        """The level the answers so far point to, combination rules included."""
        positive = self.positive
        rank = len(LEVELS) - 1
        for sign_id in positive:
            rank = min(rank, level_rank(self.by_id[sign_id].level))
        for rule in self.kb.rules:
            if rule_fires(rule, positive):
                rank = min(rank, level_rank(rule.level))
        return LEVELS[rank]

    @property
    def finished_by_emergency(self) -> bool:
        return self.level() == "emergency"

    # ------------------------------------------------------------ what is left to ask

    def _can_still_be_asked(self, sign: Sign) -> bool:
        """Not answered, and either always asked or behind an opener not yet answered no."""
        if sign.id in self.replies:
            return False
        if not sign.ask_if:
            return True
        return any(
            gate not in self.replies or self.counts_as_yes(self.by_id[gate])
            for gate in sign.ask_if
            if gate in self.by_id
        )

    def _open(self, sign: Sign) -> bool:
        """Can be asked now: one of its openers (if any) was answered yes."""
        return not sign.ask_if or any(
            gate in self.replies and self.counts_as_yes(self.by_id[gate]) for gate in sign.ask_if
        )

    def _could_matter(
        self, sign: Sign, current: int, possible: set[str], seen: frozenset[str] = frozenset()
    ) -> bool:
        """Whether a yes to this sign could raise the level (of rank `current`), or is of the
        level reached: its own level is at least the current one, it completes a combination
        rule more urgent than the current level that can still fire (`possible`: the signs
        answered yes or still askable), or it opens such a question."""
        if level_rank(sign.level) <= current:
            return True
        for rule in self.kb.rules:
            more_urgent = level_rank(rule.level) < current
            if more_urgent and sign.id in (*rule.all, *rule.any) and rule_fires(rule, possible):
                return True
        if sign.id in self.openers and sign.id not in seen:
            return any(
                sign.id in other.ask_if
                and other.id not in self.replies
                and self._could_matter(other, current, possible, seen | {sign.id})
                for other in self.kb.signs
            )
        return False

    def remaining(self) -> list[Sign]:
        """The questions still possible and still worth asking, in the order they come.

        Before any yes every possible question is worth asking; after an emergency, none.
        """
        askable = [sign for sign in self.order if self._can_still_be_asked(sign)]
        positive = self.positive
        if not positive:
            return askable
        level = self.level()
        if level == "emergency":
            return []
        possible = positive | {sign.id for sign in askable}
        current = level_rank(level)
        return [sign for sign in askable if self._could_matter(sign, current, possible)]

    def next_question(self) -> Sign | None:
        for sign in self.remaining():
            if self._open(sign):
                return sign
        return None

    @property
    def answered(self) -> int:
        return len(self.replies)

    @property
    def total(self) -> int:
        """Questions answered plus those still possible (it shrinks as openers are answered no)."""
        return self.answered + len(self.remaining())

    def answer(self, sign_id: str, reply: Reply) -> None:
        self.replies[sign_id] = reply
