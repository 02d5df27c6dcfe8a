"""The hazard log (data/hazards.yaml), run: every control is switched off and must be missed.

For each control, a copy of the project gets the control's `disable` edit, and the control's
tests run in it in a subprocess: at least one must fail. The same tests must all pass in an
unmutated copy, and a disabled knowledge base must still load, so that neither a broken copy
nor an unloadable knowledge base can fake a proof. The copies run in parallel.

Run it with `python -m pytest tests/test_hazards.py`. README.md, "Hazard log", says how to add
a hazard.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import yaml_io
from cramp_cli.knowledge.loader import (
    builtin_files,
    check_hazards,
    load_builtin,
    read_hazards,
)
from cramp_cli.knowledge.models import Control, DataPlace, Edit, Hazard, Lower, Remove
from tests.conftest import DATA, REPO, run

HAZARDS = read_hazards(DATA / "hazards.yaml", "data/hazards.yaml")
LOG = HAZARDS.log
TIMEOUT = 300
# Hypothesis's plugin alone costs a subprocess more than the tests it runs here.
PYTEST = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest")
# Every test named in the log, in the form it is written there.
NAMED = sorted({spec for hazard in LOG.hazards for c in hazard.controls for spec in c.tests})


def _label(hazard: Hazard, index: int, control: Control) -> str:
    where = control.where
    name = where.entry if isinstance(where, DataPlace) else where.function
    return f"{hazard.id}/{index + 1}:{name}"


CONTROLS = [
    pytest.param(hazard, control, id=_label(hazard, index, control))
    for hazard in LOG.hazards
    for index, control in enumerate(hazard.controls)
]


# ---------------------------------------------------------------- the log itself


def test_every_hazard_has_a_control_and_every_control_a_test() -> None:
    assert LOG.hazards
    ids = [hazard.id for hazard in LOG.hazards]
    assert len(ids) == len(set(ids)), "hazard ids are unique"
    for hazard in LOG.hazards:
        assert hazard.controls, hazard.id
        for control in hazard.controls:
            assert control.tests, hazard.id
            assert not any(spec.startswith("tests/test_hazards.py") for spec in control.tests)


@pytest.mark.parametrize(("hazard", "control"), CONTROLS)
def test_every_control_is_in_place(hazard: Hazard, control: Control) -> None:
    """Where each control says it is, it is; a data control is on in the shipped data."""
    where, disable = control.where, control.disable
    if isinstance(where, DataPlace):
        kb = load_builtin()
        assert where.entry in kb.origins, f"{where.entry!r} is not in the knowledge base"
        assert kb.origins[where.entry].file == where.data
    else:
        assert isinstance(disable, Edit), "a code control is disabled by an edit"
        source = (REPO / where.code).read_text(encoding="utf-8")
        for part in where.function.split("."):
            assert re.search(rf"^\s*(def|class) {re.escape(part)}\b", source, re.M), part
    if isinstance(disable, Edit):
        text = (REPO / disable.file).read_text(encoding="utf-8")
        assert text.count(disable.find) == 1, f"'find' must occur once in {disable.file}"
    messages = [problem.bare_message for problem in check_hazards(load_builtin(), HAZARDS)]
    assert not [message for message in messages if f"hazard {hazard.id!r}" in message]


def _collected(home: Path, *args: str) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, *PYTEST, "--collect-only", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_environment(REPO, home),
    )
    return result.returncode, [line for line in result.stdout.splitlines() if "::" in line]


def test_every_named_test_exists(tmp_path: Path) -> None:
    node_ids = [spec for spec in NAMED if " -k " not in spec]
    files = sorted({spec.split("::")[0] for spec in node_ids})
    code, collected = _collected(tmp_path, *files)
    assert code == 0, collected
    known = set(collected)
    missing = [
        spec
        for spec in node_ids
        if spec not in known and not any(node.startswith(spec + "[") for node in known)
    ]
    assert not missing, f"named in data/hazards.yaml but not collected: {missing}"
    for spec in NAMED:
        if " -k " in spec:
            path, expression = spec.split(" -k ", 1)
            code, selected = _collected(tmp_path, path, "-k", expression)
            assert code == 0 and selected, f"{spec!r} selects no test"


# ---------------------------------------------------------------- switching controls off


@dataclass
class Outcome:
    """One run of some named tests in one copy of the project."""

    copy: Path
    error: str = ""  # the copy could not be made, or its knowledge base does not load
    data_module: str = ""  # cramp_cli.data.__file__ as the copy sees it
    runs: list[tuple[list[str], int, str]] = field(default_factory=list)  # (args, code, output)

    @property
    def failed(self) -> bool:
        return any(code == 1 for _, code, _ in self.runs)

    def report(self) -> str:
        tails = [
            f"$ pytest {' '.join(args)} -> {code}\n{out[-3000:]}" for args, code, out in self.runs
        ]
        return "\n".join([self.error, *tails])


def _environment(copy: Path, home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TERM", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    env["PYTHONPATH"] = str(copy)
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    return env


def _copy_project(target: Path) -> None:
    # Compiled files come too (Python checks them against their source's time and size).
    skip = shutil.ignore_patterns("*.egg-info", ".pytest_cache")
    shutil.copytree(REPO / "cramp_cli", target / "cramp_cli", ignore=skip)
    shutil.copytree(REPO / "tests", target / "tests", ignore=skip)
    shutil.copytree(REPO / "data", target / "data", ignore=skip)
    shutil.copy2(REPO / "pyproject.toml", target / "pyproject.toml")


def _entry_place(path: Path, entry_id: str) -> tuple[list[str], int, int, int | None]:
    """The lines of a data file, the list index of an entry, its first line (1-based), and
    the line after it (None for the end of the file)."""
    text = path.read_text(encoding="utf-8")
    raw = yaml_io.parse(text, str(path))
    for section, entries in raw.items():
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("id") == entry_id:
                start = entries.item_lines[index]
                if index + 1 < len(entries):
                    end: int | None = entries.item_lines[index + 1]
                else:
                    later = [line for line in raw.key_lines.values() if line > start]
                    end = min(later) if later else None
                assert len(entries) > 1, f"removing {entry_id!r} would empty {section!r}"
                return text.splitlines(keepends=True), index, start, end
    raise AssertionError(f"no entry {entry_id!r} in {path.name}")


def _disable(copy: Path, control: Control) -> None:
    disable = control.disable
    if isinstance(disable, Edit):
        path = copy / disable.file
        text = path.read_text(encoding="utf-8")
        assert text.count(disable.find) == 1, f"'find' must occur once in {disable.file}"
        path.write_text(text.replace(disable.find, disable.replace), encoding="utf-8")
        return
    assert isinstance(control.where, DataPlace)
    path = copy / control.where.data
    if isinstance(disable, Remove):
        lines, _, start, end = _entry_place(path, disable.remove)
        del lines[start - 1 : (end - 1) if end else len(lines)]
    else:
        assert isinstance(disable, Lower)
        lines, _, start, end = _entry_place(path, disable.lower)
        stop = (end - 1) if end else len(lines)
        level = re.compile(r"^(\s*(?:- )?level:\s*)\S+")
        spots = [n for n in range(start - 1, stop) if level.match(lines[n])]
        assert len(spots) == 1, f"no single 'level:' line in {disable.lower!r}"
        lines[spots[0]] = level.sub(rf"\g<1>{disable.to}", lines[spots[0]])
    path.write_text("".join(lines), encoding="utf-8")
    if isinstance(disable, Remove):
        # Its translations go with it: a translation of an entry English lacks is refused.
        for translation in sorted((copy / "data" / "i18n").glob(f"*/{path.name}")):
            with contextlib.suppress(AssertionError):  # not translated
                lines, _, start, end = _entry_place(translation, disable.remove)
                del lines[start - 1 : (end - 1) if end else len(lines)]
                translation.write_text("".join(lines), encoding="utf-8")


def _pytest_runs(specs: tuple[str, ...] | list[str]) -> Iterator[list[str]]:
    """Node ids in one run; each -k selection in a run of its own."""
    node_ids = [spec for spec in specs if " -k " not in spec]
    if node_ids:
        yield node_ids
    for spec in specs:
        if " -k " in spec:
            path, expression = spec.split(" -k ", 1)
            yield [path, "-k", expression]


_PROBE = """
import importlib, sys
import cramp_cli.data
print(cramp_cli.data.__file__)
from cramp_cli.knowledge.loader import load_builtin
load_builtin()
for module in sys.argv[1:]:
    importlib.import_module(module)
"""


def _module(path: str) -> list[str]:
    if path.startswith("cramp_cli/") and path.endswith(".py"):
        return [path.removesuffix(".py").replace("/", ".")]
    return []


def _run(copy: Path, control: Control | None, specs: list[str], stop_at_failure: bool) -> Outcome:
    outcome = Outcome(copy)
    try:
        _copy_project(copy)
        if control is not None:
            _disable(copy, control)
        shutil.copytree(copy / "data", copy / "cramp_cli" / "data")
    except (AssertionError, OSError, KnowledgeBaseError) as err:
        outcome.error = f"cannot disable the control: {err}"
        return outcome
    env = _environment(copy, copy / "home")
    edited = control.disable.file if control and isinstance(control.disable, Edit) else ""
    if control is not None and (not edited or edited.startswith(("data/", "cramp_cli/knowledge/"))):
        # Answers read the compiled snapshot: build the switched-off data into it, as a
        # release would.
        built = subprocess.run(
            [sys.executable, "-m", "cramp_cli.knowledge.compile"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        if built.returncode != 0:
            outcome.error = f"the copy's knowledge base does not compile:\n{built.stderr[-3000:]}"
            return outcome
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, *_module(edited)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    outcome.data_module = probe.stdout.strip()
    if probe.returncode != 0:
        outcome.error = f"the copy does not load:\n{probe.stderr[-3000:]}"
        return outcome
    for args in _pytest_runs(specs):
        first = ["-x"] if stop_at_failure else []
        result = subprocess.run(
            [sys.executable, *PYTEST, *first, *args],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        outcome.runs.append((args, result.returncode, result.stdout + result.stderr))
        if stop_at_failure and result.returncode == 1:
            break
    return outcome


BASELINE = "unmutated"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every control switched off in its own copy, and one unmutated copy, in parallel."""
    root = tmp_path_factory.mktemp("hazard-copies")
    jobs: dict[str, tuple[Control | None, list[str], bool]] = {BASELINE: (None, NAMED, False)}
    for param in CONTROLS:
        _, control = param.values
        assert isinstance(control, Control)
        jobs[str(param.id)] = (control, list(control.tests), True)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {
            name: pool.submit(_run, root / f"copy-{number}", *job)
            for number, (name, job) in enumerate(jobs.items())
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_named_tests_pass_in_an_unmutated_copy(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[BASELINE]
    assert not outcome.error, outcome.report()
    assert outcome.data_module.startswith(str(outcome.copy / "cramp_cli" / "data")), (
        f"the copy imported cramp_cli.data from {outcome.data_module}"
    )
    assert outcome.runs and all(code == 0 for _, code, _ in outcome.runs), outcome.report()


@pytest.mark.parametrize(("hazard", "control"), CONTROLS)
def test_switching_a_control_off_fails_one_of_its_tests(
    request: pytest.FixtureRequest, outcomes: dict[str, Outcome], hazard: Hazard, control: Control
) -> None:
    outcome = outcomes[request.node.callspec.id]
    assert not outcome.error, outcome.report()
    assert outcome.data_module.startswith(str(outcome.copy / "cramp_cli" / "data")), (
        f"the copy imported cramp_cli.data from {outcome.data_module}"
    )
    codes = [code for _, code, _ in outcome.runs]
    assert all(code in (0, 1) for code in codes), outcome.report()
    assert outcome.failed, (
        f"hazard {hazard.id!r}: with the control switched off, its tests still pass: "
        f"it is not proven.\n{outcome.report()}"
    )


# ---------------------------------------------------------------- the log in the loader


def test_answers_never_read_the_hazard_log(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "hazards.yaml" not in [entry.name for entry in builtin_files()]
    (kb_copy / "hazards.yaml").write_text("hazards: [not: valid\n", encoding="utf-8")
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    assert run("check", "--none").exit_code == 0
    assert run("kb", "validate").exit_code == 1


def test_kb_validate_names_the_hazard_of_a_lowered_sign(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lowered = next(
        control
        for hazard in LOG.hazards
        if hazard.id == "missed-dvt"
        for control in hazard.controls
        if isinstance(control.disable, Lower)
    )
    _disable(kb_copy.parent, _in_folder(lowered, kb_copy.name))
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("kb", "validate")
    assert result.exit_code == 1
    assert "missed-dvt" in result.stdout
    assert "'one-sided-swelling' is 'see-doctor', not above 'see-doctor'" in result.stdout


def _in_folder(control: Control, folder: str) -> Control:
    where = control.where
    assert isinstance(where, DataPlace)
    moved = DataPlace(data=f"{folder}/{Path(where.data).name}", entry=where.entry)
    return control.model_copy(update={"where": moved})


def test_kb_validate_reports_a_hazard_without_controls_or_tests(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kb_copy / "hazards.yaml").write_text(
        "hazards:\n"
        "  - id: bare\n"
        "    title: No control\n"
        "    harm: Nothing stops it.\n"
        "  - id: untested\n"
        "    title: No test\n"
        "    harm: Nobody proved it.\n"
        "    controls:\n"
        "      - where: {code: cramp_cli/cli.py, function: check}\n"
        "        does: Something.\n"
        "        disable: {file: cramp_cli/cli.py, find: a, replace: b}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("kb", "validate")
    assert result.exit_code == 1
    assert "hazards.yaml:2: bare:" in result.stdout
    assert "hazard 'bare' has no controls" in result.stdout
    assert "hazards.yaml:9: untested:" in result.stdout
    assert "hazard 'untested': a control names no tests" in result.stdout


def test_a_user_file_with_hazards_is_refused_at_its_line(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("disabled: [cold]\nhazards:\n  - id: x\n", encoding="utf-8")
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1
    assert f"{mine}:2:" in result.stderr
    assert "cannot have a 'hazards' section" in result.stderr
    validate = run("kb", "validate", str(mine))
    assert validate.exit_code == 1
    assert f"{mine}:2: hazards: a user file cannot have a 'hazards' section" in validate.stdout
