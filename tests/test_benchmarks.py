"""The benchmark scripts run.

No timing is asserted anywhere here: the speed of the machine must not decide a test. The
scripts are only run (with --quick) to check that they work and print their tables. What the
fast paths import is checked in tests/test_layers.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"


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
