"""The layers of cramp_cli stay apart, read from the source and from what a run imports.

- No import cycles among cramp_cli's modules, counting imports inside functions (a lazy import
  still ties two modules together).
- Every command is defined in cramp_cli/commands/; cli.py only assembles, from a registry
  whose one-line help is the commands' own.
- Only the command-line layer (cli.py, options.py, commands/) imports Typer.
- `cramp --help` and `cramp --version` stay light: no Rich, Pydantic or PyYAML, no command
  module, and for --version not even Typer; a command's --help imports its own module only.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from cramp_cli.cli import REGISTRY, SECTIONS, app
from tests.conftest import REPO, run

PACKAGE = REPO / "cramp_cli"

# Cycles known today and owned by someone else, each a set of modules that import each other.
# An entry that no longer exists is fine; a new cycle, or one that grew, fails.
ALLOWED_CYCLES = {
    # being removed in issue 11: the renderers and the diary views import each other
    frozenset(
        {
            "cramp_cli.render.diary_views",
            "cramp_cli.render.markdown",
            "cramp_cli.render.plain",
            "cramp_cli.render.rich_view",
        }
    ),
}
CLI_LAYER = {"cramp_cli.cli", "cramp_cli.options"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported_names(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module name an import statement anywhere in the file names, with its line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _graph() -> dict[str, set[str]]:
    """module -> the cramp_cli modules it imports (a parent package does not count: importing
    a submodule imports its package anyway)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, path in MODULES.items():
        for name, _ in _imported_names(module, path):
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(f"{name}."):
                graph[module].add(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.add(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]


def test_no_import_cycles() -> None:
    new = [cycle for cycle in _cycles(_graph()) if cycle not in ALLOWED_CYCLES]
    assert not new, "import cycles: " + "; ".join(" <-> ".join(sorted(cycle)) for cycle in new)


def test_the_console_entry_and_the_cli_do_not_import_each_other() -> None:
    graph = _graph()
    assert "cramp_cli.cli" in graph["cramp_cli.entry"]
    importers = {module for module, names in graph.items() if "cramp_cli.entry" in names}
    assert importers == {"cramp_cli.__main__"}


# ---------------------------------------------------------------- where commands live


def _calls_of(path: Path, attributes: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}: .{node.func.attr}("
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in attributes
    ]


def test_cli_py_defines_no_command() -> None:
    assert _calls_of(PACKAGE / "cli.py", {"command", "add_typer"}) == []


def test_commands_are_defined_only_in_the_commands_package() -> None:
    outside = [
        found
        for module, path in MODULES.items()
        if not module.startswith("cramp_cli.commands.")
        for found in _calls_of(path, {"command", "add_typer"})
    ]
    assert outside == []


def test_only_the_cli_layer_imports_typer() -> None:
    found = [
        f"{module}:{line}"
        for module, path in MODULES.items()
        if module not in CLI_LAYER and not module.startswith("cramp_cli.commands.")
        for name, line in _imported_names(module, path)
        if name == "typer" or name.startswith("typer.")
    ]
    assert found == []


# ---------------------------------------------------------------- the registry


def _root() -> tuple[typer.core.TyperGroup, typer.Context]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return group, typer.Context(group)


@pytest.mark.parametrize("name", REGISTRY)
def test_the_registry_gives_each_command_its_own_one_line_help(name: str) -> None:
    group, context = _root()
    command = group.get_command(context, name)
    assert command is not None, name
    assert command.name == name
    assert REGISTRY[name].summary == command.get_short_help_str(limit=10_000), (
        f"cli.REGISTRY's help for {name!r} differs from the command's own: change one of them"
    )


def test_every_command_module_holds_exactly_the_registered_commands() -> None:
    for module in sorted({listed.module for listed in REGISTRY.values()}):
        holder = __import__(f"cramp_cli.commands.{module}", fromlist=["app"]).app
        defined = {
            info.name or typer.main.get_command_name(info.callback.__name__)
            for info in holder.registered_commands
        } | {info.name for info in holder.registered_groups}
        registered = {name for name, listed in REGISTRY.items() if listed.module == module}
        assert defined == registered, module


def test_help_lists_every_command_once_under_its_heading() -> None:
    out = run("--help").stdout
    for heading, group in SECTIONS:
        assert f"\n{heading}:\n" in out
        for listed in group:
            assert out.count(f"\n  {listed.name} ") == 1, listed.name
    assert sum(len(group) for _, group in SECTIONS) == len(REGISTRY)


def test_an_unknown_command_still_gets_a_suggestion() -> None:
    result = run("serach")
    assert result.exit_code == 2
    assert "No such command 'serach'. Did you mean 'search'?" in result.stderr


# ---------------------------------------------------------------- what a run imports

MARK = "MODULES:"
# Runs cramp's console entry point in this interpreter, then reports what it imported.
PROBE = f"""
import json, sys
sys.argv = ["cramp", *sys.argv[1:]]
from cramp_cli import entry
try:
    entry.main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
sys.stderr.write("\\n{MARK}" + json.dumps({{"exit": code, "modules": sorted(sys.modules)}}) + "\\n")
"""


def _imports_of(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith(MARK)]
    assert lines, done.stderr
    report = json.loads(lines[-1][len(MARK) :])
    assert report["exit"] in (0, None), done.stderr
    return set(report["modules"])


def _top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_imports_no_rich_pydantic_yaml_nor_any_command(flag: str) -> None:
    modules = _imports_of(flag)
    assert not {"rich", "pydantic", "yaml"} & _top_level(modules)
    assert not {name for name in modules if name.startswith("cramp_cli.commands.")}


def test_version_imports_not_even_typer() -> None:
    modules = _imports_of("--version")
    assert not {"typer", "rich", "pydantic", "yaml"} & _top_level(modules)


@pytest.mark.parametrize("name", REGISTRY)
def test_a_command_s_help_imports_only_its_own_module_and_nothing_heavy(name: str) -> None:
    modules = _imports_of(name, "--help")
    assert {module for module in modules if module.startswith("cramp_cli.commands.")} == {
        f"cramp_cli.commands.{REGISTRY[name].module}"
    }
    assert not {"rich", "pydantic", "yaml"} & _top_level(modules)
