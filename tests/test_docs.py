"""The README stays true: every command, the set-up commands, the exit codes, the env vars."""

from __future__ import annotations

import re

import pytest
import typer

from cramp_cli.cli import REGISTRY, app
from cramp_cli.errors import ExitCode
from tests.conftest import REPO, run

README = (REPO / "README.md").read_text(encoding="utf-8")


def _every_command() -> list[str]:
    """Every command that runs: from the registry, and the subcommands of its groups (a
    group that is not itself a command, like `kb`, has no example of its own)."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    names = []
    for name in REGISTRY:
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {})
        if not subcommands or getattr(command, "invoke_without_command", False):
            names.append(name)
        names.extend(f"{name} {sub}" for sub in subcommands)
    return sorted(names)


COMMANDS = _every_command()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_example(command: str) -> None:
    assert re.search(rf"^cramp {command}\b", README, re.M), f"no example of 'cramp {command}'"
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert re.search(r"^  Examples?:\n    cramp ", result.stdout, re.M)


def test_readme_has_the_two_setup_commands_and_a_jq_pipe() -> None:
    assert "python -m pip install . && cramp why" in README
    assert 'python -m pip install -e ".[test]" && python -m pytest' in README
    assert "--json | jq" in README


def test_readme_exit_code_table_matches_the_program() -> None:
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", README, re.M)}
    assert documented == {int(code) for code in ExitCode}


def test_readme_documents_every_environment_variable() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (REPO / "cramp_cli").rglob("*.py")
    )
    for variable in set(re.findall(r'"(CRAMP_[A-Z_]+)"', source)):
        assert f"`{variable}`" in README, variable


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q --disable-pip-version-check -e ".[test]"' in ci
    assert "python -m pytest" in ci
