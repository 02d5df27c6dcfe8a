"""The benchmark scripts run, print their tables and verdicts, and no command in them fails.

No timing is asserted anywhere here: the speed of the machine must not decide a test. Both
scripts are run once with --quick against this repo (each builds a wheel, installs it in a
fresh venv and runs 3 rounds), side by side to keep the wait near a minute; with --quick
their exit status ignores the targets, so it is non-zero only when a command could not run.
The exit-status rules themselves are checked on made-up results.

Slow-ish (about a minute) but in the default run; `-m "not slow"` leaves it out.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _bench  # noqa: E402  (benchmarks/ is not a package; its folder is added just above)

SLOW = pytest.mark.slow

TABLE_HEADINGS = ("command", "median ms", "min", "max", "ratio", "target", "result")

STARTUP_TARGETS = (
    "why --json",
    "relieve --muscle X --json",
    "check --sign A,B --json",
    "search WORD --json",
    "show ID --json",
    "why (piped, plain)",
    "why (Rich, pty)",
    "relieve --muscle X (Rich, pty)",
    "check --sign A,B (Rich, pty)",
    "search WORD (Rich, pty)",
    "show ID (Rich, pty)",
    "--help (Rich, pty)",
    "log, a new entry (piped)",
    "any --json answer, user file present",
    "--version",
    "why --json, first run after install",
)
STARTUP_BASES = (
    "minimal Typer app",
    "minimal Typer app --help (pty)",
    "minimal Typer app (install loop)",
)
SCALE_KINDS = (
    "show ID --json",
    "check --sign A,B --json",
    "search WORD --json --limit 10",
    "relieve --muscle X --json",
)
SCALE_TARGETS = (
    *(f"{kind}, 10x KB" for kind in SCALE_KINDS),
    "report --json --days N, big diary",
    "history --limit ~20 --until D, big diary",
)
SCALE_BASES = (*(f"{kind}, shipped KB" for kind in SCALE_KINDS), "minimal Typer app")


@pytest.fixture(scope="module")
def quick_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[int, str, str]]]:
    """Both scripts with --quick, started together; (exit status, stdout, stderr) of each."""
    running = {}
    for name in ("startup.py", "scale.py"):
        cwd = tmp_path_factory.mktemp(name.removesuffix(".py"))
        running[name] = subprocess.Popen(
            [sys.executable, str(BENCHMARKS / name), "--quick"],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    try:
        for name, proc in running.items():
            out, err = proc.communicate(timeout=400)
            results[name] = (proc.returncode, out, err)
        yield results
    finally:
        for proc in running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _check_report(
    result: tuple[int, str, str], targets: tuple[str, ...], bases: tuple[str, ...]
) -> list[str]:
    code, out, err = result
    assert code == 0, f"a command could not run (exit {code}):\n{err}\n{out[-3000:]}"
    assert "error:" not in err, err
    for words in ("Python 3.", "Typer ", "CPUs", "Method:", "rounds", "shuffled", "seed"):
        assert words in out
    lines = out.splitlines()
    heading = next((line for line in lines if line.startswith("command ")), None)
    assert heading is not None, out
    for column in TABLE_HEADINGS:
        assert column in heading
    rows = {line.split("  ")[0].strip() for line in lines}
    for name in (*targets, *bases):
        assert name in rows, f"no table row for {name!r}:\n{out}"
    verdicts = [line for line in lines if line.startswith(("PASS  ", "FAIL  "))]
    for name in targets:
        assert any(line[6:].startswith(f"{name}: ") for line in verdicts), f"no verdict: {name}"
        row = next(line for line in lines if line.startswith(f"{name} "))
        assert "<= " in row and row.rstrip().endswith(("PASS", "FAIL")), row
    for line in verdicts:
        assert "x " in line and "(target <= " in line, line
    assert "could not run" not in out
    assert not any(line.rstrip().endswith(" error") for line in lines), out
    assert "none repeated a question asked before in the same HOME" in out
    assert "(--quick: targets do not change the exit status)" in out
    return lines


@SLOW
def test_startup_benchmark_quick(quick_runs: dict[str, tuple[int, str, str]]) -> None:
    lines = _check_report(quick_runs["startup.py"], STARTUP_TARGETS, STARTUP_BASES)
    assert any(line.startswith("User file: 1 file(s)") for line in lines)


@SLOW
def test_scale_benchmark_quick(quick_runs: dict[str, tuple[int, str, str]]) -> None:
    lines = _check_report(quick_runs["scale.py"], SCALE_TARGETS, SCALE_BASES)
    out = "\n".join(lines)
    assert "Knowledge base 10x:" in out
    assert "cramp --kb DIR kb validate: exit 0" in out
    assert "Diary: 10,000 entries" in out
    assert "Mean answer size" in out


# ---------------------------------------------------------------- the exit status


def _made_up(
    name: str, seconds: float, *targets: _bench.Target, failure: str | None = None
) -> _bench.Bench:
    bench = _bench.Bench(name, lambda _: _bench.Invocation([], {}), targets)
    bench.runs = [_bench.Run(seconds, 0, b"", b"")]
    bench.failure = failure
    return bench


@pytest.mark.parametrize(
    ("cramp_seconds", "failure", "quick", "status"),
    [
        (0.1, None, False, 0),  # 1.0x: the target passes
        (0.2, None, False, 1),  # 2.0x: the target fails
        (0.2, None, True, 0),  # --quick: a failed target does not change the status
        (0.1, "exited 1", False, 2),  # a command that could not run
        (0.1, "exited 1", True, 2),  # ... even with --quick
    ],
)
def test_exit_status(
    cramp_seconds: float,
    failure: str | None,
    quick: bool,
    status: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = _bench.Target(1.2, "app", "app")
    benches = [_made_up("cramp", cramp_seconds, target, failure=failure), _made_up("app", 0.1)]
    assert _bench.finish(benches, [], quick=quick) == status
    out = capsys.readouterr().out
    assert ("PASS  cramp" in out) == (status == 0 and cramp_seconds == 0.1)
    assert "FAIL  cramp" in out or "PASS  cramp" in out
