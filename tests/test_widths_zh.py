"""Issue 16 item 8: Rich tables and panels with Chinese line up at 40, 60 and 80 columns.

A Chinese character takes two columns: every line of every answer must still fit the
terminal when measured in columns (rich.cells.cell_len), no panel or table border may be
cut, and nothing is cut short with "…"."""

from __future__ import annotations

from itertools import pairwise

import pytest
from rich.cells import cell_len

from tests.conftest import run

WIDTHS = (40, 60, 80)
# Each command, and a heading or label of its own in Chinese that must be on screen too.
COMMANDS = {
    "now": (("now", "--no-timer"), "小腿肚（小腿后侧）抽筋"),
    "why": (("why",), "什么会引起夜间腿抽筋"),
    "relieve": (("relieve",), "抽筋时怎么办"),
    "relieve-calf": (("relieve", "calf", "--details"), "保持："),
    "prevent": (("prevent",), "怎样减少夜间腿抽筋"),
    "prevent-top": (("prevent", "--top"), "证据最充分的做法"),
    "muscles": (("muscles",), "其他叫法"),
    "check": (
        ("check", "--sign", "chest-pain,one-sided-swelling", "--region", "cn", "--explain"),
        "您的回答提示",
    ),
    "check-minutes": (("check", "--minutes", "12", "--explain"), "触发的规则"),
    "check-list": (("check", "--list"), "警示症状（按提问顺序）"),
    "lookalikes": (("lookalikes",), "可能被误认为抽筋的情况"),
}
CORNERS = {"╭": "╮", "╰": "╯", "┏": "┓", "┗": "┛"}


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_every_line_fits_in_columns(name: str, columns: int) -> None:
    args, heading = COMMANDS[name]
    result = run("--lang", "zh", *args, "--format", "table", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.rstrip("\n").split("\n")
    assert heading in result.stdout
    too_wide = [line for line in lines if cell_len(line) > columns]
    assert not too_wide, "\n".join(too_wide)
    assert "…" not in result.stdout
    for line in lines:
        # A panel's border: both of its corners (or sides) on the line, the right one last.
        stripped = line.rstrip()
        if not stripped:
            continue
        if stripped[0] in CORNERS:
            assert stripped.endswith(CORNERS[stripped[0]]), line
        if stripped[0] in "│┃":
            assert stripped.endswith(stripped[0]), line


@pytest.mark.parametrize("columns", WIDTHS)
def test_panels_line_up_their_right_border(columns: int) -> None:
    """Every line of a panel with Chinese labels in it is the same number of columns wide."""
    env = {"COLUMNS": str(columns)}
    result = run("--lang", "zh", "relieve", "calf", "--format", "table", env=env)
    panel = [line for line in result.stdout.split("\n") if line and line[0] in "╭│╰"]
    assert any("保持：" in line for line in panel)
    assert len({cell_len(line.rstrip()) for line in panel}) == 1, "\n".join(panel)


def _bare(line: str) -> str:
    return line.strip().strip("│┃").strip()


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", ["now", "check", "check-minutes", "why", "prevent"])
def test_chinese_wraps_between_characters_not_only_at_spaces(name: str, columns: int) -> None:
    """A number stays with the Chinese after it ("10 分钟"), a line never starts with closing
    punctuation."""
    args, _heading = COMMANDS[name]
    result = run("--lang", "zh", *args, "--format", "table", env={"COLUMNS": str(columns)})
    lines = [_bare(line) for line in result.stdout.split("\n")]
    for line, after in pairwise(lines):
        assert not (line[-1:].isdigit() and after.startswith("分钟")), (line, after)
        assert not (after and after[0] in "，。、；：？！）"), (line, after)
