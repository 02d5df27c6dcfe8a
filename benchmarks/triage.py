"""Triage accuracy of the installed `cramp check` on the vignettes of tests/vignettes/.

    python benchmarks/triage.py [--jobs N] [--only ID ...]

Every vignette is one fresh `cramp check --sign ... [--minutes N] --json --exit-code` (or
`--none`), run with the installed console script beside this interpreter (else
`python -m cramp_cli`), in a private environment: no CRAMP_* variables, and data, config
and cache folders in a temporary folder, so no user knowledge-base layer changes an answer.
The runs go in parallel (--jobs, default the number of CPUs). Each vignette costs one cold
start of cramp (Typer and Pydantic, a few hundred ms) the first time; cramp's answer cache
is kept between runs of this script (in the temporary folder, cramp-triage-<uid>), so a
repeat run takes a few seconds. --cold starts from an empty cache.

It prints one row per vignette (id, expected, got, ok / over / UNDER), then:

- accuracy: the share of vignettes where cramp's level is exactly the expected one
  (target >= 90%);
- safe rate: the share where cramp's level is never less urgent than expected
  (target 100%), over all vignettes and over the settled ones (without `known_gap`, the
  stories where the reference itself is ambiguous).

"over" is more urgent than the reference implies (costly, not dangerous); "UNDER" is less
urgent (unsafe). The exit status is 1 when a run failed or the settled safe rate is below
100% (with --strict: the safe rate over all vignettes, known gaps included), 0 otherwise;
a missed accuracy target is reported as FAIL but does not change the exit status.
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

from tests.vignette_set import EXIT_STATUS, Vignette, load, rank, verdict  # noqa: E402

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


def warm_folder() -> Path:
    """The benchmark's own folder, kept between runs for its answer cache: cramp keys a
    stored answer on its code, every loaded file and the arguments, so a kept answer is the
    one a fresh run would print. Its data and config folders are emptied on every run, so
    no user knowledge-base layer can creep in."""
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    folder = Path(tempfile.gettempdir()) / f"cramp-triage-{user}"
    for name in ("data", "config", "state"):
        shutil.rmtree(folder / name, ignore_errors=True)
    return folder


@dataclass
class Outcome:
    vignette: Vignette
    got: str | None  # None: the run failed
    error: str = ""

    @property
    def result(self) -> str:
        return "ERROR" if self.got is None else verdict(self.vignette.expected, self.got)


def run_one(vignette: Vignette, cramp: list[str], env: dict[str, str], cwd: str) -> Outcome:
    argv = [*cramp, "--no-pager", *vignette.check_args(), "--json", "--exit-code"]
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
        gap = " (known gap)" if outcome.vignette.known_gap and outcome.result != "ok" else ""
        extra = f"  {outcome.error}" if outcome.error else ""
        lines.append(
            f"{outcome.vignette.id:<{width}}  {outcome.vignette.expected:<10} {got:<10} "
            f"{outcome.result}{gap}{extra}"
        )
    return "\n".join(lines)


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole if whole else 0.0:5.1f}% ({part}/{whole})"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(outcomes: Sequence[Outcome], strict: bool) -> bool:
    """Print the rates; True when the safe-rate target is met (and no run failed)."""
    results = [outcome.result for outcome in outcomes]
    total = len(outcomes)
    exact = results.count("ok")
    safe = exact + results.count("over")
    settled = [o for o in outcomes if not o.vignette.known_gap]
    settled_safe = sum(o.result in ("ok", "over") for o in settled)
    gaps_under = [o.vignette.id for o in outcomes if o.vignette.known_gap and o.result == "UNDER"]
    print(
        f"\n{exact} ok, {results.count('over')} over, {results.count('UNDER')} UNDER "
        f"({len(gaps_under)} of them known gaps), {results.count('ERROR')} failed runs "
        "(a failed run counts as neither accurate nor safe)"
    )
    accuracy_ok = total > 0 and 100 * exact / total >= ACCURACY_TARGET
    print(
        f"accuracy            {_rate(exact, total)}  exact level, target >= "
        f"{ACCURACY_TARGET:g}%  {_verdict(accuracy_ok)}"
    )
    all_ok = safe == total
    print(
        f"safe rate           {_rate(safe, total)}  never below the expected level, target "
        f"{SAFE_TARGET:g}%  {_verdict(all_ok)}{'' if strict else ' (reported)'}"
    )
    settled_ok = settled_safe == len(settled)
    print(
        f"safe rate, settled  {_rate(settled_safe, len(settled))}  without the "
        f"{total - len(settled)} known_gap vignettes, target {SAFE_TARGET:g}%  "
        f"{_verdict(settled_ok)}{' (reported)' if strict else ''}"
    )
    if gaps_under:
        print(
            "known gaps under-triaged (the reference's notes ask for more than any question; "
            "see known_gap in tests/vignettes/): " + ", ".join(gaps_under)
        )
    no_errors = "ERROR" not in results
    return no_errors and (all_ok if strict else settled_ok)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel runs")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these vignettes")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start from an empty answer cache, removed afterwards",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on any under-triage, known gaps included",
    )
    args = parser.parse_args(argv)
    vignettes = load()
    if args.only:
        unknown = sorted(set(args.only) - {vignette.id for vignette in vignettes})
        if unknown:
            parser.error(f"no such vignette: {', '.join(unknown)}")
        vignettes = [vignette for vignette in vignettes if vignette.id in args.only]
    # Most urgent expected level first; the files' order within a level.
    vignettes.sort(key=lambda vignette: rank(vignette.expected))
    cramp = cramp_command()
    folder = Path(tempfile.mkdtemp(prefix="cramp-triage-")) if args.cold else warm_folder()
    start = time.perf_counter()
    try:
        env = private_env(folder)
        # One run first fills the knowledge-base cache that the parallel runs share.
        subprocess.run([*cramp, "check", "--none"], capture_output=True, env=env, cwd=str(folder))
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda v: run_one(v, cramp, env, str(folder)), vignettes))
    finally:
        if args.cold:
            shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - start

    print(f"cramp triage on {len(outcomes)} vignettes (tests/vignettes/)")
    cache = "a fresh answer cache" if args.cold else f"the answer cache in {folder}"
    print(
        f"cramp as {' '.join(cramp)}; {seconds:.1f} s, {args.jobs} runs in parallel, with {cache}\n"
    )
    print(table(outcomes))
    return 0 if report(outcomes, args.strict) else 1


if __name__ == "__main__":
    raise SystemExit(main())
