"""Triage accuracy of the installed `cramp check` on the vignettes of tests/vignettes/.

    python benchmarks/triage.py [--jobs N] [--only ID ...]

Every vignette is one fresh `cramp check --sign ... [--minutes N] --json --exit-code` (or
`--none`), run with the installed console script beside this interpreter (else
`python -m cramp_cli`), in a private environment: no CRAMP_* variables, and data, config
and cache folders in a temporary folder, so no user knowledge-base layer changes an answer.
The runs go in parallel (--jobs, default the number of CPUs).

It prints one row per vignette (id, expected, got, ok / over / UNDER), then:

- accuracy: the share of vignettes where cramp's level is exactly the expected one
  (target >= 90%);
- safe rate: the share where cramp's level is never less urgent than expected
  (target 100%).

"over" is more urgent than the reference implies (costly, not dangerous); "UNDER" is less
urgent (unsafe). The exit status is 1 when the safe rate is below 100% or a run failed, 0
otherwise; a missed accuracy target is reported as FAIL but does not change the exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.vignette_set import EXIT_STATUS, Vignette, load, verdict  # noqa: E402

ACCURACY_TARGET = 90.0
SAFE_TARGET = 100.0

# Variables of the caller's environment that would change what cramp does or prints.
_DROPPED_ENV = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM")


def cramp_command() -> list[str]:
    """The installed console script beside this Python, else `python -m cramp_cli`."""
    script = Path(sys.executable).parent / ("cramp.exe" if os.name == "nt" else "cramp")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cramp_cli"]


def private_env(folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CRAMP_") and key not in _DROPPED_ENV
    }
    for name in ("cache", "data", "config", "state"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    env.update(
        XDG_CACHE_HOME=str(folder / "cache"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_STATE_HOME=str(folder / "state"),
        CRAMP_CACHE_DIR=str(folder / "cache" / "answers"),
    )
    return env


@dataclass
class Outcome:
    vignette: Vignette
    got: str | None  # None: the run failed
    error: str = ""

    @property
    def result(self) -> str:
        return "ERROR" if self.got is None else verdict(self.vignette.expected, self.got)


def run_one(vignette: Vignette, cramp: list[str], env: dict[str, str], cwd: str) -> Outcome:
    argv = [*cramp, *vignette.check_args(), "--json", "--exit-code"]
    done = subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, cwd=cwd
    )
    try:
        level = json.loads(done.stdout)["level"]
    except (ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(vignette, None, f"exit {done.returncode}: {last}")
    if done.returncode != EXIT_STATUS.get(level):
        return Outcome(vignette, None, f"exit {done.returncode} does not match level {level}")
    return Outcome(vignette, level)


def table(outcomes: Sequence[Outcome]) -> str:
    width = max(len("vignette"), *(len(outcome.vignette.id) for outcome in outcomes))
    heading = f"{'vignette':<{width}}  {'expected':<10} {'got':<10} result"
    lines = [heading, "-" * len(heading)]
    for outcome in outcomes:
        got = outcome.got or "-"
        extra = f"  {outcome.error}" if outcome.error else ""
        lines.append(
            f"{outcome.vignette.id:<{width}}  {outcome.vignette.expected:<10} {got:<10} "
            f"{outcome.result}{extra}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel runs")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these vignettes")
    args = parser.parse_args(argv)
    vignettes = load()
    if args.only:
        unknown = sorted(set(args.only) - {vignette.id for vignette in vignettes})
        if unknown:
            parser.error(f"no such vignette: {', '.join(unknown)}")
        vignettes = [vignette for vignette in vignettes if vignette.id in args.only]
    cramp = cramp_command()
    folder = Path(tempfile.mkdtemp(prefix="cramp-triage-"))
    start = time.perf_counter()
    try:
        env = private_env(folder)
        # One untimed run first fills the knowledge-base cache that the parallel runs share.
        subprocess.run([*cramp, "check", "--none"], capture_output=True, env=env, cwd=str(folder))
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda v: run_one(v, cramp, env, str(folder)), vignettes))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - start

    print(
        f"cramp triage on {len(outcomes)} vignettes (tests/vignettes/), cramp as {' '.join(cramp)}"
    )
    print(table(outcomes))
    total = len(outcomes)
    counts = {
        name: sum(o.result == name for o in outcomes) for name in ("ok", "over", "UNDER", "ERROR")
    }
    accuracy = 100 * counts["ok"] / total if total else 0.0
    safe = 100 * (counts["ok"] + counts["over"]) / total if total else 0.0
    print(
        f"\n{counts['ok']} ok, {counts['over']} over, {counts['UNDER']} UNDER, "
        f"{counts['ERROR']} failed runs (a failed run counts as neither accurate nor safe); "
        f"{seconds:.1f} s with {args.jobs} parallel runs"
    )
    print(
        f"accuracy  {accuracy:5.1f}%  (exact level; target >= {ACCURACY_TARGET:g}%)  "
        f"{'PASS' if accuracy >= ACCURACY_TARGET else 'FAIL'}"
    )
    print(
        f"safe rate {safe:5.1f}%  (never below the expected level; target {SAFE_TARGET:g}%)  "
        f"{'PASS' if safe >= SAFE_TARGET else 'FAIL'}"
    )
    return 0 if safe >= SAFE_TARGET and not counts["ERROR"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
