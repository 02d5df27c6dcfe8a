# ruff: noqa: RUF001  (full-width Chinese punctuation and letters are the point)
"""Issue 16 item 7: the interactive check understands 是, 否 and 不确定 (and 是的, 不是,
不知道 ...) as well as y, n and ?, whatever the language, with full-width or half-width spaces
and punctuation around them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.interview import question_order
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.replies import parse_reply
from tests.pty_session import Terminal
from tests.test_check_interview import answering, converse

KB = load_builtin()
ORDER = question_order(KB)
FIRST = ORDER[0]
UNGATED = [sign for sign in ORDER if not sign.ask_if]

YES = ["是", "是的", "有", "对", "是。", "是！", "　是　", "是 的", "Ｙ", "y", "Yes"]
NO = ["否", "不是", "没有", "不", "否。", "不是！", "　否", "没 有", "ｎ", "n", "No"]
UNSURE = ["不确定", "不知道", "不确定？", "不知道。", "不 确定", "？", "?", "not sure"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [*((t, "yes") for t in YES), *((t, "no") for t in NO), *((t, "unsure") for t in UNSURE)],
)
def test_each_way_of_answering_means_what_it_says(typed: str, meant: str) -> None:
    assert parse_reply(typed) == meant


@pytest.mark.parametrize("typed", ["", "是不是", "好", "确定", "yess", "??", "不不", "是否"])
def test_other_words_are_asked_again(typed: str) -> None:
    assert parse_reply(typed) is None


def _ask(answers: list[str], *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(
        app,
        ["check", "--ask", *args],
        input="".join(f"{answer}\n" for answer in answers),
        env=env,
        catch_exceptions=False,
    )


@pytest.mark.parametrize("no", ["否", "不是", "没有", "不", "否。"])
@pytest.mark.parametrize("env", [None, {"CRAMP_LANG": "zh-Hans"}], ids=["en", "zh"])
def test_no_in_chinese_to_everything_is_self_care(no: str, env: dict[str, str] | None) -> None:
    result = _ask([no] * len(UNGATED), "--json", env=env)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["level"] == "self-care" and document["complete"] is True
    assert "Please answer" not in result.stderr


@pytest.mark.parametrize("yes", ["是", "是的", "有", "对", "是！"])
def test_yes_in_chinese_to_an_emergency_sign_stops_at_once(yes: str) -> None:
    emergency = next(sign for sign in ORDER if sign.level == "emergency" and not sign.ask_if)
    answers = ["否" if sign.id != emergency.id else yes for sign in UNGATED]
    upto = [sign.id for sign in UNGATED].index(emergency.id) + 1
    result = _ask(answers[:upto], "--json", "--exit-code")
    assert result.exit_code == 5, result.stderr
    document = json.loads(result.stdout)
    assert document["level"] == "emergency"
    assert emergency.id in [item["id"] for item in document["items"]]


def test_not_sure_in_chinese_counts_as_not_sure() -> None:
    answers = ["不确定" if index == 0 else "否" for index in range(len(UNGATED))]
    with_chinese = json.loads(_ask(answers, "--json").stdout)
    with_mark = json.loads(_ask(["?"] + ["n"] * (len(UNGATED) - 1), "--json").stdout)
    assert with_chinese["not_sure"] == with_mark["not_sure"]
    assert with_chinese["level"] == with_mark["level"]


def test_an_unknown_answer_is_asked_again_and_then_understood() -> None:
    result = _ask(["好的", "否"] + ["否"] * (len(UNGATED) - 1), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Please answer") == 1
    assert json.loads(result.stdout)["level"] == "self-care"


def test_a_real_process_answered_in_chinese_gets_the_same_verdict(tmp_path: Path) -> None:
    gate = next(sign.id for sign in ORDER if not sign.ask_if)

    typed: list[str] = []

    def chinese(sign_id: str) -> str | None:
        typed.append(sign_id)
        if len(typed) > 2 * len(ORDER):  # asked again and again: the answers are not read
            return None
        english = answering(yes={gate})(sign_id)
        return {"y": "是的", "n": "没有", "?": "不知道"}[english or "n"]

    in_chinese = converse(chinese, "--json", cwd=tmp_path)
    in_letters = converse(answering(yes={gate}), "--json", cwd=tmp_path)
    assert in_chinese.returncode == in_letters.returncode == 0
    assert in_chinese.asked == in_letters.asked
    assert in_chinese.document()["level"] == in_letters.document()["level"]
    assert in_chinese.document()["items"] == in_letters.document()["items"]


def test_on_a_terminal_full_width_answers_are_understood(tmp_path: Path) -> None:
    terminal = Terminal("check", "--exit-code", cwd=tmp_path, env={"XDG_DATA_HOME": str(tmp_path)})
    for number in range(1, len(UNGATED) + 1):  # no to everything: every ungated question
        terminal.read_until(f"Question {number} of ")
        terminal.type("\u3000否\u3002\n")  # with a full-width space and full stop
    assert terminal.wait() == 0
    assert "Please answer" not in terminal.text
    assert f"Question {len(UNGATED) + 1} of" not in terminal.text
    assert "self-care" in terminal.text.lower()
