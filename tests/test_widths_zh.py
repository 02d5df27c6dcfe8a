# ruff: noqa: RUF001  (full-width Chinese punctuation is the point)
"""Issue 16 item 8: Rich tables and panels with Chinese line up at 40, 60 and 80 columns.

A Chinese character takes two columns: every line of every answer must still fit the
terminal when measured in columns (rich.cells.cell_len), no panel or table border may be
cut, and nothing is cut short with "…"."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.conftest import run

WIDTHS = (40, 60, 80)
COMMANDS = {
    "now": ("now", "--no-timer"),
    "now-thigh": ("now", "thigh", "--no-timer"),
    "why": ("why",),
    "relieve": ("relieve",),
    "relieve-calf": ("relieve", "calf", "--details"),
    "prevent": ("prevent",),
    "prevent-top": ("prevent", "--top"),
    "muscles": ("muscles",),
    "check": ("check", "--sign", "chest-pain,one-sided-swelling", "--region", "cn", "--explain"),
    "check-minutes": ("check", "--minutes", "12", "--explain"),
    "check-list": ("check", "--list"),
    "lookalikes": ("lookalikes",),
}
CORNERS = {"╭": "╮", "╰": "╯", "┏": "┓", "┗": "┛"}


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_every_line_fits_in_columns(name: str, columns: int) -> None:
    result = run(
        "--lang", "zh", *COMMANDS[name], "--format", "table", env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.rstrip("\n").split("\n")
    assert any(cell_len(line) != len(line) for line in lines)  # Chinese is on screen
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
    """Every line of a panel is the same number of columns wide."""
    result = run(
        "--lang",
        "zh",
        "now",
        "thigh",
        "--no-timer",
        "--format",
        "table",
        env={"COLUMNS": str(columns)},
    )
    panel = [line for line in result.stdout.split("\n") if line and line[0] in "╭│╰"]
    assert panel
    assert len({cell_len(line.rstrip()) for line in panel}) == 1, "\n".join(panel)
