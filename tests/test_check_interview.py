"""The interactive `cramp check`: the order of the questions, early stops, and a verdict that
is never lost.

The conversations run the installed `cramp` in a real process, answering each question as it
appears on stderr, as a person would. Expected values come from the shipped data, so a new sign,
gate or rule is covered as soon as it is added to data/triage.yaml. The pure flow is also
checked against asking every question, with generated answers (hypothesis).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cramp_cli import answers
from cramp_cli.interview import Interview, Reply, gate_ids, question_order
from cramp_cli.knowledge.kb import level_rank
from cramp_cli.knowledge.load import load_kb
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.knowledge.models import Sign
from tests.conftest import run_json

KB = load_builtin()
SIGNS = {sign.id: sign for sign in KB.signs}
ORDER = question_order(KB)
GATES = gate_ids(KB.signs)
UNGATED = [sign for sign in ORDER if not sign.ask_if]
PROMPT_MARK = "[y/n/?]"
EXIT_STATUS = {"self-care": 0, "see-doctor": 3, "urgent": 4, "emergency": 5}

SCRIPTS = Path(sys.executable).parent
CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(SCRIPTS / "cramp")
EXAMPLES = int(os.environ.get("CRAMP_FUZZ_EXAMPLES", "300"))


def _squash(text: str) -> str:
    return " ".join(text.split())


QUESTION_OF = {_squash(sign.question): sign.id for sign in KB.signs}


# ---------------------------------------------------------------- a person at the prompts


@dataclass
class Conversation:
    asked: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    returncode: int = 0

    def document(self) -> dict[str, Any]:
        parsed = json.loads(self.stdout)
        assert isinstance(parsed, dict)
        return parsed


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CRAMP_") and key not in ("NO_COLOR", "FORCE_COLOR")
    }
    env.update({"COLUMNS": "200", **extra})
    return env


def converse(
    reply: Callable[[str], str | None],
    *args: str,
    columns: int = 200,
    interrupt: bool = False,
    cwd: Path,
    env: dict[str, str] | None = None,
) -> Conversation:
    """Run `cramp check --ask ARGS` and answer each question with reply(sign_id).

    reply returns the text to type, or None to stop there: the input ends, or with
    `interrupt` cramp gets SIGINT (Ctrl-C) while it waits for the answer.
    """
    process = subprocess.Popen(
        [CRAMP, "check", "--ask", *args],
        cwd=cwd,
        env=_env(
            COLUMNS=str(columns),
            XDG_DATA_HOME=str(cwd),
            XDG_CACHE_HOME=str(cwd),
            **(env or {}),
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A background CI job inherits SIGINT ignored: give the child the default back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdin is not None and process.stderr is not None
    talk = Conversation()
    seen = ""
    while True:
        piece = process.stderr.read1(65536).decode()  # type: ignore[attr-defined]
        if not piece:
            break
        seen += piece
        if not seen.rstrip().endswith(PROMPT_MARK + ":"):
            continue
        prompt = seen[seen.rfind("Question ") :]
        text = _squash(prompt.split("\n", 1)[1].rsplit(PROMPT_MARK, 1)[0])
        sign_id = QUESTION_OF[text]
        talk.asked.append(sign_id)
        talk.stderr += seen
        seen = ""
        answer = reply(sign_id)
        if answer is None:
            if interrupt:
                process.send_signal(signal.SIGINT)
            else:
                process.stdin.close()
            break
        process.stdin.write(f"{answer}\n".encode())
        process.stdin.flush()
    if not process.stdin.closed:
        process.stdin.close()
    process.stdin = None  # closed above: communicate() must not flush it
    out, err = process.communicate(timeout=30)
    talk.stdout = out.decode()
    talk.stderr += seen + err.decode()
    talk.returncode = process.returncode
    return talk


def answering(yes: set[str] = frozenset(), unsure: set[str] = frozenset(), stop_at: str = ""):  # type: ignore[no-untyped-def]
    def reply(sign_id: str) -> str | None:
        if sign_id == stop_at:
            return None
        return "y" if sign_id in yes else "?" if sign_id in unsure else "n"

    return reply


# ---------------------------------------------------------------- the order, from the data


def test_there_are_gates_and_conditional_questions() -> None:
    assert {"pregnant", "child", "sickle-cell"} <= GATES
    for gate in ("pregnant", "child", "sickle-cell"):
        assert any(gate in sign.ask_if for sign in KB.signs), gate


def _in_order(asked: list[str]) -> bool:
    """Gates first, then emergency, urgent and the rest; a follow-up (a question that a
    warning sign opens) may come straight after its opener, whatever its level."""
    placed = [
        sign_id
        for sign_id in asked
        if not any(opener not in GATES for opener in SIGNS[sign_id].ask_if)
    ]
    kinds = [(sign_id not in GATES, level_rank(SIGNS[sign_id].level)) for sign_id in placed]
    return kinds == sorted(kinds)


def test_gates_first_then_emergency_then_urgent_then_the_rest() -> None:
    assert _in_order([sign.id for sign in ORDER])
    kinds = [(sign.id not in GATES, level_rank(sign.level)) for sign in ORDER]
    assert kinds == sorted(kinds), "the data order itself puts every follow-up at its level"
    assert [sign.id for sign in ORDER[: len(GATES)]] == [
        sign.id for sign in KB.signs if sign.id in GATES
    ]
    assert sorted(sign.id for sign in ORDER) == sorted(SIGNS)


def test_every_gate_of_a_sign_is_a_sign_and_no_gate_is_conditional_on_itself() -> None:
    for sign in KB.signs:
        for gate in sign.ask_if:
            assert gate in SIGNS and gate != sign.id


def test_list_shows_the_order_and_the_conditions() -> None:
    document = run_json("check", "--list")
    assert [item["id"] for item in document["items"]] == [sign.id for sign in ORDER]
    for item in document["items"]:
        assert tuple(item["ask_if"]) == SIGNS[item["id"]].ask_if


def test_list_plain_has_a_column_of_conditions() -> None:
    from tests.conftest import run

    result = run("check", "--list")
    rows = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    assert [row[0] for row in rows] == [sign.id for sign in ORDER]
    for row in rows:
        assert row[3] == (",".join(SIGNS[row[0]].ask_if) or "-")


@pytest.mark.parametrize("sign", [s for s in KB.signs if s.ask_if], ids=lambda s: s.id)
def test_a_conditional_sign_works_with_sign_without_its_gate(sign: Sign) -> None:
    document = run_json("check", "--sign", sign.id)
    assert document["level"] == sign.level
    assert [item["id"] for item in document["items"]] == [sign.id]


# ---------------------------------------------------------------- conversations


def test_no_to_everything_asks_every_ungated_question_in_order(tmp_path: Path) -> None:
    talk = converse(answering(), "--json", cwd=tmp_path)
    assert talk.returncode == 0, talk.stderr
    assert talk.asked == [sign.id for sign in UNGATED]
    document = talk.document()
    assert document["level"] == "self-care" and document["complete"] is True
    assert document["answered"] == len(UNGATED) == document["questions"]
    assert "So far" not in talk.stderr


@pytest.mark.parametrize("gate", sorted(GATES))
def test_yes_to_a_gate_opens_its_questions_in_their_place(gate: str, tmp_path: Path) -> None:
    talk = converse(answering(yes={gate}), "--json", cwd=tmp_path)
    opened = [sign.id for sign in ORDER if gate in sign.ask_if]
    assert opened and set(opened) <= set(talk.asked)
    expected = [sign.id for sign in ORDER if not sign.ask_if or gate in sign.ask_if]
    assert talk.asked == expected
    assert talk.document()["level"] == SIGNS[gate].level


def test_not_sure_about_a_gate_opens_its_questions_too(tmp_path: Path) -> None:
    talk = converse(answering(unsure={"pregnant"}), "--json", cwd=tmp_path)
    assert "pregnancy-danger" in talk.asked and "pregnancy-emergency" in talk.asked
    assert "pregnant" in talk.document()["not_sure"]


@pytest.mark.parametrize("sign", [s for s in UNGATED if s.level == "emergency"], ids=lambda s: s.id)
def test_an_emergency_yes_stops_at_once(sign: Sign, tmp_path: Path) -> None:
    talk = converse(answering(yes={sign.id}), "--json", "--exit-code", cwd=tmp_path)
    assert talk.asked[-1] == sign.id
    assert talk.returncode == 5
    document = talk.document()
    assert document["level"] == "emergency" and document["complete"] is True
    assert [item["id"] for item in document["items"]] == [sign.id]


def test_a_conditional_emergency_is_reached_and_stops_at_once(tmp_path: Path) -> None:
    talk = converse(answering(yes={"pregnant", "pregnancy-emergency"}), "--json", cwd=tmp_path)
    assert talk.asked[-1] == "pregnancy-emergency"
    assert talk.document()["level"] == "emergency"


def test_after_an_urgent_yes_the_verdict_comes_at_once_and_lower_questions_are_skipped(
    tmp_path: Path,
) -> None:
    first_urgent = next(sign for sign in UNGATED if sign.level == "urgent")
    talk = converse(answering(yes={first_urgent.id}), "--json", cwd=tmp_path)
    after = talk.stderr[talk.stderr.index(first_urgent.question.split()[-1]) :]
    assert after.index("So far: URGENT") < after.index("Question ")
    rest = talk.asked[talk.asked.index(first_urgent.id) + 1 :]
    assert rest, "the other urgent questions are still asked"
    assert all(SIGNS[sign_id].level in ("emergency", "urgent") for sign_id in rest), rest
    expected_rest = [
        sign.id
        for sign in UNGATED
        if sign.level == "urgent" and ORDER.index(sign) > ORDER.index(first_urgent)
    ]
    assert rest == expected_rest
    document = talk.document()
    assert document["level"] == "urgent" and document["complete"] is True


def test_a_rule_keeps_a_lower_question_that_could_raise_the_level(tmp_path: Path) -> None:
    """'Could raise' is read from the data: a user rule makes a see-doctor question matter."""
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text(
        "rules:\n"
        "  - id: wound-and-numbness\n"
        "    all: [wound]\n"
        "    any: [numbness]\n"
        "    level: emergency\n"
        "    reason: A made-up rule for this test.\n"
        "    sources: [nhs-leg-cramps]\n",
        encoding="utf-8",
    )
    reply = answering(yes={"wound", "numbness"})
    without = converse(reply, "--json", cwd=tmp_path)
    assert "numbness" not in without.asked
    assert without.document()["level"] == "urgent"
    talk = converse(reply, "--json", cwd=tmp_path, env={"CRAMP_KB": str(rule_file)})
    assert "numbness" in talk.asked
    assert talk.document()["level"] == "emergency"


def test_progress_counts_the_questions_still_possible(tmp_path: Path) -> None:
    talk = converse(answering(), cwd=tmp_path)
    counts = [(int(a), int(b)) for a, b in re.findall(r"Question (\d+) of (\d+)", talk.stderr)]
    assert [number for number, _ in counts] == list(range(1, len(UNGATED) + 1))
    assert counts[0][1] == len(SIGNS), "before the gates, every question is possible"
    assert counts[-1][1] == len(UNGATED), "gates answered no close their questions"


def test_questions_are_wrapped_to_the_terminal_without_breaking_words(tmp_path: Path) -> None:
    talk = converse(answering(), columns=40, cwd=tmp_path)
    assert talk.asked == [sign.id for sign in UNGATED]
    for line in talk.stderr.splitlines():
        for question in line.split(": Question"):
            assert len(question.rstrip()) <= 40 or PROMPT_MARK in question, question
    words = {word for sign in UNGATED for word in sign.question.split() if len(word) < 39}
    squashed = _squash(talk.stderr)
    for word in words:
        assert word in squashed, word


# ---------------------------------------------------------------- stopping early


def test_end_of_input_after_a_yes_gives_the_verdict_so_far(tmp_path: Path) -> None:
    first_urgent = next(sign for sign in UNGATED if sign.level == "urgent")
    next_one = ORDER[ORDER.index(first_urgent) + 1]
    reply = answering(yes={first_urgent.id}, stop_at=next_one.id)
    talk = converse(reply, cwd=tmp_path)
    assert talk.returncode == 0, talk.stderr
    assert talk.stdout.startswith("Level: urgent\nIncomplete: Based on ")
    assert "unanswered questions could make it more urgent" in talk.stdout
    exit_code = converse(reply, "--exit-code", "--json", cwd=tmp_path)
    assert exit_code.returncode == 4
    document = exit_code.document()
    assert document["complete"] is False
    answered = document["answered"]
    assert document["partial_note"].startswith(
        f"Based on {answered} of {document['questions']} questions"
    )


def test_ctrl_c_after_a_yes_prints_the_verdict_so_far_and_exits_130(tmp_path: Path) -> None:
    first_urgent = next(sign for sign in UNGATED if sign.level == "urgent")
    next_one = ORDER[ORDER.index(first_urgent) + 1]
    reply = answering(yes={first_urgent.id}, stop_at=next_one.id)
    for extra in ([], ["--exit-code"], ["--json", "--exit-code"]):
        talk = converse(reply, *extra, interrupt=True, cwd=tmp_path)
        assert talk.returncode == 130, (extra, talk.stderr)
        assert "Traceback" not in talk.stderr and "Aborted" not in talk.stderr
        if "--json" in extra:
            assert talk.document()["level"] == "urgent"
            assert talk.document()["complete"] is False
        else:
            assert "Incomplete: Based on" in talk.stdout


def test_ctrl_c_before_any_yes_shows_the_emergency_signs_not_assessed(tmp_path: Path) -> None:
    talk = converse(answering(stop_at=ORDER[2].id), interrupt=True, cwd=tmp_path)
    assert talk.returncode == 130
    assert talk.stdout.startswith("Level: not assessed\nNot assessed: ")
    for sign in KB.signs:
        if sign.level == "emergency":
            assert f"Emergency sign: {sign.id}: " in talk.stdout
    assert "Traceback" not in talk.stderr


def test_end_of_input_before_any_yes_is_not_assessed_and_exits_2(tmp_path: Path) -> None:
    talk = converse(answering(stop_at=ORDER[1].id), "--json", cwd=tmp_path)
    assert talk.returncode == 2
    document = talk.document()
    assert document["assessed"] is False
    assert document["answered"] == 1
    assert {sign["id"] for sign in document["emergency_signs"]} == {
        sign.id for sign in KB.signs if sign.level == "emergency"
    }
    error = talk.stderr.strip().splitlines()[-1]
    assert "the input ended before question 2 of" in error


# ---------------------------------------------------------------- the flow, with generated answers


def _full_level(replies: dict[str, Reply]) -> str:
    """The level had every possible question been asked (gates still apply)."""
    interview = Interview(KB)
    changed = True
    while changed:  # until no opener opens anything more
        changed = False
        for sign in ORDER:
            opened = not sign.ask_if or any(interview.counts_as_yes(SIGNS[g]) for g in sign.ask_if)
            if opened and sign.id not in interview.replies:
                interview.answer(sign.id, replies.get(sign.id, "no"))
                changed = True
    return interview.level()


REPLY = st.sampled_from(["yes", "no", "no", "no", "unsure"])


def _drive(kb_replies: dict[str, Reply], kb: Any = KB) -> tuple[Interview, list[str]]:
    interview = Interview(kb)
    asked: list[str] = []
    levels: list[int] = []
    while (sign := interview.next_question()) is not None:
        assert sign.id not in asked, "a question is never asked twice"
        asked.append(sign.id)
        interview.answer(sign.id, kb_replies.get(sign.id, "no"))
        levels.append(level_rank(interview.level()))
    assert levels == sorted(levels, reverse=True), "the level never goes down"
    return interview, asked


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(SIGNS)), REPLY))
def test_skipping_questions_never_loses_a_level(replies: dict[str, Reply]) -> None:
    interview, asked = _drive(replies)
    assert interview.level() == _full_level(replies)
    result = answers.interview_verdict(KB, interview)
    assert result.level == interview.level()
    for sign_id in asked:
        sign = SIGNS[sign_id]
        if sign.ask_if:
            assert any(interview.counts_as_yes(SIGNS[gate]) for gate in sign.ask_if)
    assert _in_order(asked), "gates, then emergency, urgent and the rest"
    for position, sign_id in enumerate(asked):
        openers = [o for o in SIGNS[sign_id].ask_if if o not in GATES]
        if openers and level_rank(SIGNS[sign_id].level) < level_rank(SIGNS[openers[0]].level):
            before = asked[position - 1]
            assert before in openers or set(SIGNS[before].ask_if) & set(openers), (
                f"{sign_id} comes straight after what opened it"
            )


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(SIGNS)), REPLY),
    st.sampled_from(sorted(SIGNS)),
)
def test_not_sure_instead_of_no_never_lowers_the_verdict(
    replies: dict[str, Reply], changed: str
) -> None:
    as_no = {**replies, changed: "no"}
    as_unsure = {**replies, changed: "unsure"}
    low, _ = _drive(as_no)
    high, _ = _drive(as_unsure)
    assert level_rank(high.level()) <= level_rank(low.level())


RULES_YAML = """
signs:
  - id: test-gate
    title: A test gate
    question: Is this a test gate?
    wording: A gate for this test.
    level: self-care
    sources: [nhs-leg-cramps]
  - id: test-gated
    title: A gated sign
    question: Is this the gated test sign?
    wording: A gated sign for this test.
    level: see-doctor
    sources: [nhs-leg-cramps]
    ask_if: [test-gate]
rules:
  - id: test-rule-one
    all: [test-gated]
    any: [frequent, numbness]
    level: emergency
    reason: A made-up rule for this test.
    sources: [nhs-leg-cramps]
  - id: test-rule-two
    all: [walking-pain]
    level: urgent
    reason: Another made-up rule for this test.
    sources: [nhs-leg-cramps]
"""


@pytest.fixture(scope="module")
def layered_kb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("kb") / "rules.yaml"
    path.write_text(RULES_YAML, encoding="utf-8")
    return load_kb([path], use_store=False)


def test_user_gates_and_rules_take_part_in_the_flow(layered_kb: Any) -> None:
    run_rules = _drive({"test-gate": "yes", "test-gated": "yes", "numbness": "yes"}, layered_kb)
    interview, asked = run_rules
    assert asked.index("test-gate") < asked.index("test-gated")
    assert "numbness" in asked
    assert interview.level() == "emergency"


@settings(max_examples=max(50, EXAMPLES // 3), deadline=None)
@given(data=st.data())
def test_user_layers_never_lose_a_level_either(layered_kb: Any, data: st.DataObject) -> None:
    ids = sorted(sign.id for sign in layered_kb.signs)
    replies = data.draw(st.dictionaries(st.sampled_from(ids), REPLY))
    interview, _ = _drive(replies, layered_kb)
    full = Interview(layered_kb)
    by_id = {s.id: s for s in layered_kb.signs}
    changed = True
    while changed:
        changed = False
        for sign in question_order(layered_kb):
            opened = not sign.ask_if or any(full.counts_as_yes(by_id[g]) for g in sign.ask_if)
            if opened and sign.id not in full.replies:
                full.answer(sign.id, replies.get(sign.id, "no"))
                changed = True
    assert interview.level() == full.level()


@pytest.mark.parametrize("sign", ORDER, ids=lambda sign: sign.id)
def test_every_sign_is_found_by_answering_the_questions(sign: Sign, tmp_path: Path) -> None:
    """A person who answers yes to the sign (and to its gate) is asked it and told of it."""
    yes = {sign.id, *sign.ask_if[:1]}
    talk = converse(answering(yes=yes), "--json", "--exit-code", cwd=tmp_path)
    assert sign.id in talk.asked
    document = talk.document()
    assert sign.id in [item["id"] for item in document["items"]]
    assert level_rank(document["level"]) <= level_rank(sign.level)
    assert talk.returncode == EXIT_STATUS[document["level"]]


FOLLOW_UPS = [sign for sign in ORDER if any(opener not in GATES for opener in sign.ask_if)]


def test_there_are_follow_ups_that_make_a_note_reachable() -> None:
    assert {"cellulitis-spreading", "heavy-bleeding", "rest-pain-worse"} <= {
        sign.id for sign in FOLLOW_UPS
    }


@pytest.mark.parametrize("sign", FOLLOW_UPS, ids=lambda sign: sign.id)
def test_a_follow_up_is_asked_straight_after_the_yes_that_opens_it(
    sign: Sign, tmp_path: Path
) -> None:
    opener = sign.ask_if[0]
    talk = converse(answering(yes={opener}), "--json", cwd=tmp_path)
    assert talk.asked[talk.asked.index(opener) + 1] == sign.id
    skipped = converse(answering(), "--json", cwd=tmp_path)
    assert sign.id not in skipped.asked


def test_not_sure_counts_as_yes_where_a_rule_could_make_it_urgent(tmp_path: Path) -> None:
    """leg-swelling is see-doctor alone, but urgent with pregnancy: 'not sure' counts."""
    talk = converse(answering(yes={"pregnant"}, unsure={"leg-swelling"}), "--json", cwd=tmp_path)
    document = talk.document()
    assert document["level"] == "urgent"
    assert "leg-swelling" in document["not_sure"]
    alone = converse(answering(unsure={"frequent"}), "--json", cwd=tmp_path).document()
    assert alone["level"] == "self-care", "not sure about a see-doctor question counts as no"


def test_every_vignette_gets_its_level_when_answered_question_by_question() -> None:
    from tests.vignette_set import load

    for vignette in load():
        replies: dict[str, Reply] = {sign_id: "yes" for sign_id in vignette.signs}
        replies.update({sign_id: "unsure" for sign_id in vignette.not_sure})
        if vignette.minutes is not None and vignette.minutes > KB.triage.minutes.more_than:
            replies[KB.triage.minutes.sign] = "yes"
        interview, _ = _drive(replies)
        assert interview.level() == vignette.expected, vignette.id
