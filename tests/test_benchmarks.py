"""The benchmark scripts run, and the answer cache's fast path imports nothing heavy.

No timing is asserted anywhere here: the speed of the machine must not decide a test. The
scripts are only run (with --quick) to check that they work and print their tables; the
fast path is checked by what it imports and by what it prints, which are deterministic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
SCRIPTS = Path(sys.executable).parent
HEAVY = ("rich", "yaml", "typer", "pydantic")
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
else:
    code = None
sys.stdout.flush()
sys.stderr.write("\\n{MARK}" + json.dumps(
    {{"exit": code, "modules": {{name: name in sys.modules for name in {HEAVY!r}}}}}
) + "\\n")
"""


def _script(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_startup_benchmark_quick(tmp_path: Path) -> None:
    done = _script("startup.py", "--quick", "--importtime", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for heading in ("command", "median ms", "min", "max", "no cache", "x app", "x pass"):
        assert heading in done.stdout
    assert "target" in done.stdout and "result" in done.stdout
    assert "warm-cache" in done.stdout
    for row in (
        "cramp why --json",
        "cramp relieve --muscle calf --json",
        "cramp check --sign numbness --json",
        "cramp why (piped)",
        "cramp why (tty, rich)",
        "cramp --version",
        "minimal Typer app",
        "python -c pass",
    ):
        assert row in done.stdout
    assert done.stdout.count("Top 10 cumulative imports") == 2


def test_scale_benchmark_quick(tmp_path: Path) -> None:
    done = _script("scale.py", "--quick", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for heading in (
        "cold ms",
        "cold RSS MiB",
        "warm median ms",
        "warm RSS MiB",
        "10x/shipped",
        "warm time",
        "warm peak RSS",
        "target",
        "result",
        "cramp --kb DIR kb validate: exit 0",
        "cramp report --json --db BIG (10,000)",
        "cramp history --limit 20 --db BIG (10,000)",
        "cramp history --limit 20 --db SMALL (100)",
        "minimal Typer app",
    ):
        assert heading in done.stdout


# ---------------------------------------------------------------- the fast path


@pytest.fixture
def private_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "PYTHONIOENCODING"):
        env.pop(name, None)
    env.update(
        CRAMP_CACHE_DIR=str(tmp_path / "cache" / "answers"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env


def _cramp(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    script = SCRIPTS / "cramp"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "cramp_cli"]
    done = subprocess.run(
        [*command, *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout
    return done


def _probe(*args: str, env: dict[str, str], cwd: Path) -> tuple[bytes, dict[str, bool]]:
    """Stdout of entry.main() with these arguments, and which heavy modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    lines = [line for line in done.stderr.decode().splitlines() if line.startswith(MARK)]
    assert done.returncode == 0 and lines, done.stderr.decode()
    report = json.loads(lines[-1][len(MARK) :])
    assert report["exit"] in (0, None), done.stderr.decode()
    return done.stdout, report["modules"]


def test_a_cache_hit_imports_none_of_typer_pydantic_yaml_rich(
    tmp_path: Path, private_env: dict[str, str]
) -> None:
    first = _cramp("why", "--json", env=private_env, cwd=tmp_path)
    stdout, modules = _probe("why", "--json", env=private_env, cwd=tmp_path)
    assert not modules["rich"]
    assert not modules["yaml"]
    assert not modules["typer"], "a cache hit should not import Typer"
    assert not modules["pydantic"], "a cache hit should not import Pydantic"
    assert stdout == first.stdout


def test_a_new_question_on_a_warm_kb_cache_parses_no_yaml(
    tmp_path: Path, private_env: dict[str, str]
) -> None:
    _cramp("relieve", "--muscle", "calf", "--json", env=private_env, cwd=tmp_path)
    stdout, modules = _probe("relieve", "--muscle", "shin", "--json", env=private_env, cwd=tmp_path)
    assert not modules["yaml"], "the validated knowledge base should come from the cache"
    uncached = _cramp(
        "relieve",
        "--muscle",
        "shin",
        "--json",
        env={**private_env, "CRAMP_NO_CACHE": "1"},
        cwd=tmp_path,
    )
    assert stdout == uncached.stdout
