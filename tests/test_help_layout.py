"""Help people can scan (issue 13, item 10): `cramp --help` groups the commands under four
headings, and every command's examples are a list, one command per line, at 80 and at 40
columns, with no markup left raw and no word cut in two."""

from __future__ import annotations

import re

import pytest
import typer

from cramp_cli.cli import REGISTRY, SECTIONS, app
from tests.conftest import run

HEADINGS = ["Right now", "Understand", "Diary", "Your data and scripts"]


def _every_help() -> list[tuple[str, ...]]:
    """The root, every command and group, and every subcommand of a group."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    lines: list[tuple[str, ...]] = [()]
    for name in REGISTRY:
        lines.append((name,))
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        lines.extend((name, sub) for sub in getattr(command, "commands", {}))
    return lines


HELPS = _every_help()


def _examples(text: str) -> list[str]:
    block = re.search(r"^  Examples?:\n((?:    .*\n?)+)", text, re.M)
    assert block, text
    return [line.strip() for line in block.group(1).splitlines()]


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("words", HELPS, ids=lambda words: " ".join(words) or "cramp")
def test_every_help_renders_whole_with_examples_one_per_line(
    words: tuple[str, ...], columns: int
) -> None:
    result = run(*words, "--help", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = result.stdout
    assert "Traceback" not in text
    assert "\x1b" not in text and "\b" not in text
    # no markup left raw, whatever the markup mode
    assert not re.search(r"\[/?(bold|italic|dim|red|green|yellow|cyan|link)[^\]]*\]", text)
    examples = _examples(text)
    assert examples
    for example in examples:
        assert example.startswith("cramp "), example
        assert "; cramp" not in example  # not run together
    commands = " ".join(("cramp", *words))
    if words:  # each example is of this command
        assert all(example.startswith(commands) or "--kb" in example for example in examples)
    # Only an option's own name or an example may be wider than the terminal: no help text
    # is cut inside a word to fit.
    for line in text.splitlines():
        if len(line) > columns:
            assert line.startswith(("  -", "    cramp ", "Usage:")), line
    for word in ("CRAMP_FORMAT", "knowledge-base"):
        if word in " ".join(text.split()):
            assert word in text  # never split across lines


def test_root_help_lists_the_commands_under_four_headings_in_order() -> None:
    text = run("--help").stdout
    headings = re.findall(r"^(\S[^:\n]*):$", text, re.M)
    assert headings[headings.index("Right now") :] == HEADINGS
    assert [heading for heading, _ in SECTIONS] == HEADINGS
    # help is printed as text, not Rich markup, where "[MUSCLE]" would vanish
    assert "[MUSCLE]" in run("relieve", "--help").stdout
    listed = re.findall(r"^  (\w+) ", text.split("Right now:")[1], re.M)
    assert listed.index("history") == listed.index("log") + 1  # the diary together
    assert listed[:3] == ["now", "relieve", "check"]


def test_a_narrow_terminal_gets_each_name_on_its_line_with_its_whole_summary() -> None:
    text = run("--help", env={"COLUMNS": "40"}).stdout
    assert "  relieve\n      Show what to do right now, step" in text
    assert "..." not in text.split("Right now:")[1]  # summaries are wrapped, never cut
