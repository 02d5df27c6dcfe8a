"""Issue 16 items 2 and 8: the answers people read at night, in Chinese.

Every label, heading, table column, hint and prompt of now, why, relieve, prevent, muscles,
check and lookalikes comes from the catalogue: in a Chinese run no English label is left in
any human format (Rich, plain, Markdown), the content is there (the Chinese words of a sign,
the level's label, the disclaimer), and the interactive check asks in Chinese. English output
is unchanged (the other tests and the snapshots prove it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.interview import question_order
from cramp_cli.knowledge.loader import load_builtin
from tests.conftest import DATA, run
from tests.pty_session import Terminal

ZH = yaml.safe_load((DATA / "i18n" / "zh-Hans" / "triage.yaml").read_text(encoding="utf-8"))
SIGNS = {sign["id"]: sign for sign in ZH["signs"]}
DISCLAIMER = "以上是关于夜间腿抽筋的一般健康信息"
EMERGENCY = "紧急：立即呼叫急救"
URGENT = "尽快：今天就医"
SELF_CARE = "自我护理"

# The English labels the views used to show in every language (each one must be gone).
ENGLISH_LABELS = (
    "Level:",
    "Action:",
    "Warning:",
    "Disclaimer:",
    "Note:",
    "Sources",
    "Evidence",
    "Safety net",
    "Safety:",
    "Muscle:",
    "Hold",
    "Stretch",
    "After:",
    "Also helps",
    "When to get help",
    "In short",
    "Best supported",
    "Good to know",
    "Medicines",
    "How it differs",
    "Points to it",
    "Check:",
    "Cramp in the",
    "What to do",
    "Your answers point to",
    "Rules that fired",
    "Together",
    "First, for",
    "Summary",
    "Example:",
    "Where",
    "Also answers to",
    "Details",
    "The original article",
    "EMERGENCY",
    "URGENT",
    "SELF-CARE",
    "SEE-DOCTOR",
    "What can bring on",
    "How to make",
    "Conditions",
    "Warning signs",
    "Asked if",
    "No warning sign given",
    "causes:",
    "things you can do",
)

COMMANDS = {
    "now": ("now", "--no-timer"),
    "now-thigh": ("now", "thigh", "--no-timer"),
    "why": ("why",),
    "why-filtered": ("why", "--who", "pregnancy"),
    "relieve": ("relieve",),
    "relieve-calf": ("relieve", "calf"),
    "relieve-details": ("relieve", "calf", "--details"),
    "prevent": ("prevent",),
    "prevent-top": ("prevent", "--top"),
    "muscles": ("muscles",),
    "check-emergency": ("check", "--sign", "chest-pain", "--region", "cn", "--explain"),
    "check-urgent": ("check", "--minutes", "12", "--explain"),
    "check-none": ("check", "--none"),
    "check-list": ("check", "--list"),
    "lookalikes": ("lookalikes",),
}
FORMATS = ("table", "plain", "markdown")


def _zh(*args: str) -> Any:
    result = run("--lang", "zh", *args)
    assert result.exit_code == 0, result.stderr
    return result


def _flat(text: str) -> str:
    """The text without line breaks, indents or borders' spaces: wrapped lines joined."""
    return "".join(text.replace("│", "").replace("┃", "").split())


def _english_labels(text: str) -> list[str]:
    return [label for label in ENGLISH_LABELS if label in text]


# Two views that had no English label to lose: `now thigh` on a terminal (no heading, two
# panels) and plain `muscles` (the ids alone).
CASES = [
    (name, fmt)
    for name in COMMANDS
    for fmt in FORMATS
    if (name, fmt) not in {("now-thigh", "table"), ("muscles", "plain")}
]


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_no_english_label_is_left(name: str, fmt: str) -> None:
    result = _zh(*COMMANDS[name], "--format", fmt)
    assert not _english_labels(result.stdout), result.stdout
    assert DISCLAIMER in _flat(result.stdout)
    if fmt == "markdown":
        # CommonMark closes ** only if it does not sit between punctuation and a letter:
        # "**有何不同**：" is bold, "**有何不同：**疼痛" is not.
        assert not re.search(r"[：。，；]\*\*[^\s*]", result.stdout), result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_emergency_sign_in_chinese_with_its_level_and_numbers(fmt: str) -> None:
    result = _zh("check", "--sign", "chest-pain", "--region", "cn", "--format", fmt)
    text = _flat(result.stdout)
    assert _flat(SIGNS["chest-pain"]["wording"]) in text
    # The level's label, then what to do with the region's number; plain and Markdown keep
    # the level id for scripts, beside the label.
    assert {
        # the closing line, which says the level again after the lists
        "table": f"{EMERGENCY}立即拨打急救电话（120）。以上是",
        "plain": f"级别：emergency，{EMERGENCY}该怎么做：立即拨打急救电话（120）。",
        "markdown": f"**级别：emergency，{EMERGENCY}**。立即拨打急救电话（120）。",
    }[fmt] in text
    if fmt != "table":
        assert "chest-pain" in text


def test_the_rich_verdict_says_the_level_once_in_its_badge() -> None:
    result = _zh("check", "--sign", "chest-pain", "--format", "table")
    first = result.stdout.splitlines()[1]
    assert first.strip("┃ ") == EMERGENCY, first


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (("--minutes", "12"), URGENT),
        (("--none",), SELF_CARE),
        (("--sign", "chest-pain"), EMERGENCY),
    ],
)
def test_each_level_has_its_chinese_label_and_json_keeps_the_id(
    args: tuple[str, ...], label: str
) -> None:
    assert label in _zh("check", *args, "--format", "plain").stdout
    document = json.loads(_zh("check", *args, "--json").stdout)
    english = json.loads(run("check", *args, "--json").stdout)
    assert document["level"] == english["level"]
    assert [f["level"] for f in document["fired"]] == [f["level"] for f in english["fired"]]


def test_the_long_cramp_counts_in_chinese() -> None:
    plain = _zh("check", "--minutes", "12", "--explain", "--format", "plain").stdout
    assert "持续 12 分钟的抽筋" in plain
    assert "规则：minutes>10" in plain


def test_now_in_chinese_has_the_stretch_the_warning_and_the_disclaimer() -> None:
    table = _zh("now", "--no-timer", "--format", "table").stdout
    assert "抽筋" in table.splitlines()[0]  # 小腿肚（小腿后侧）抽筋
    assert "1. 伸直抽筋那条腿的膝盖。" in table
    assert "crampcheck" in _flat(table)
    assert DISCLAIMER in _flat(table)


def test_lookalikes_point_to_the_check_in_latin_letters() -> None:
    plain = _zh("lookalikes", "--format", "plain").stdout
    assert "有何不同：" in plain and "提示是它的迹象：" in plain
    assert "检查：cramp check --sign " in plain


def test_prevent_groups_and_counts_in_chinese() -> None:
    plain = _zh("prevent", "--format", "plain").stdout
    assert plain.startswith("概要：")
    assert "您可以做的事（证据最充分的在前）：" in plain
    assert "只有医生能提供" in plain.splitlines()[0]


# ---------------------------------------------------------------- the interactive check

KB = load_builtin()
ORDER = question_order(KB)
UNGATED = [sign for sign in ORDER if not sign.ask_if]


def _ask(answers: list[str], *args: str) -> Any:
    return CliRunner().invoke(
        app,
        ["check", "--ask", *args],
        input="".join(f"{answer}\n" for answer in answers),
        env={"CRAMP_LANG": "zh-Hans"},
        catch_exceptions=False,
    )


def test_the_questions_are_framed_in_chinese_with_the_chinese_answers_shown() -> None:
    result = _ask(["否"] * len(UNGATED), "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert "第 1 个问题，共" in result.stderr
    assert "[是/否/不确定，或 y/n/?]" in result.stderr
    assert "请回答每个问题" in result.stderr
    for english in ("Question", "Answer each", "Please answer", "So far"):
        assert english not in result.stderr
    assert f"级别：self-care，{SELF_CARE}" in result.stdout


def test_an_unknown_answer_is_asked_again_in_chinese() -> None:
    result = _ask(["好的"] + ["否"] * len(UNGATED), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("请回答是、否或不确定") == 1


def test_after_a_yes_the_verdict_so_far_is_said_in_chinese() -> None:
    urgent = next(sign for sign in UNGATED if sign.level == "urgent")
    answers = ["是" if sign.id == urgent.id else "否" for sign in UNGATED]
    result = _ask(answers, "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert f"目前：{URGENT}。" in result.stderr
    assert _flat(SIGNS[urgent.id]["wording"]) in _flat(result.stdout)


def test_on_a_terminal_the_check_asks_in_chinese_and_takes_chinese_answers(
    tmp_path: Path,
) -> None:
    terminal = Terminal(
        "check", cwd=tmp_path, env={"LANG": "zh_CN.UTF-8", "XDG_DATA_HOME": str(tmp_path)}
    )
    for number in range(1, len(UNGATED) + 1):
        terminal.read_until(f"第 {number} 个问题")
        terminal.type("否\n")
    assert terminal.wait() == 0
    assert "[是/否/不确定，或 y/n/?]" in terminal.text
    assert "Question" not in terminal.text
    assert SELF_CARE in terminal.text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("check", "--none", "--minutes", "3"), "--none 不能与 --sign 或 --minutes 一起使用。"),
        (("check",), "没有给出回答，也没有可以提问的终端。"),
        (("relieve", "calf", "--muscle", "foot"), "给出了两块肌肉"),
    ],
)
def test_the_usage_errors_of_these_commands_are_in_chinese(
    args: tuple[str, ...], words: str
) -> None:
    result = run("--lang", "zh", *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_input_that_ends_before_any_answer_says_so_in_chinese() -> None:
    result = _ask([], "--format", "plain")
    assert result.exit_code == 2
    assert "在回答第 1 个问题" in result.stderr
    assert "级别：未评估" in result.stdout
