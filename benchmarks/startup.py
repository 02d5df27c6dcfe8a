"""Start-up time of `cramp`, against a one-command Typer app and `python -c pass`.

    python benchmarks/startup.py [--rounds N] [--quick] [--seed S] [--importtime]

Every command is a fresh process, run with the interpreter running this script (so the
minimal app uses the same Typer as cramp). The runs are interleaved: each round runs every
command once, in an order shuffled with a fixed seed, so that a slow spell of the machine
is spread over all commands instead of landing on one.

The timed runs are warm-cache runs: a private answer cache (CRAMP_CACHE_DIR and
XDG_CACHE_HOME in a temporary folder) is filled by one untimed run of each command first,
which is how a repeated command runs for a user. The "no cache" column is a single run of
each command with CRAMP_NO_CACHE=1 (YAML parsed and validated, Typer and Pydantic loaded).

The targets are ratios, not absolute times, so they mean the same on a slow and a fast
machine. A MISS is reported, not failed: the exit status is 0 unless a command could not
run (then 1). --importtime adds the ten slowest imports (cumulative) of `cramp why --json`,
once answered from the cache and once with CRAMP_NO_CACHE=1 (python -X importtime).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import random
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ROUNDS = 20
QUICK_ROUNDS = 3
DEFAULT_SEED = 20240501
COLUMNS = 80
ROWS = 24

# Variables of the caller's environment that would change what cramp does or prints.
_DROPPED_ENV = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERM",
    "COLORTERM",
    "PYTHONIOENCODING",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONDONTWRITEBYTECODE",
)

MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def main() -> None:
    """Print a line."""
    print("hello from a minimal Typer app")


if __name__ == "__main__":
    app()
'''


# ---------------------------------------------------------------- running one process


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: bytes
    stderr: bytes
    maxrss_kib: int | None  # this child's peak resident set size, from wait4()


def _maxrss_kib(value: int) -> int:
    # ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS.
    return value // 1024 if sys.platform == "darwin" else value


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, int | None]:
    """Reap the child; its exit code and its own peak RSS (os.wait4 reports it per child)."""
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        return code, _maxrss_kib(usage.ru_maxrss)
    return proc.wait(), None


def _read_all(handle: object) -> bytes:
    assert hasattr(handle, "seek") and hasattr(handle, "read")
    handle.seek(0)
    data: bytes = handle.read()
    return data


def run_pipe(argv: Sequence[str], env: dict[str, str], cwd: str) -> Run:
    """Run with stdout to a pipe (read to the end), stderr to a file, stdin from /dev/null."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            cwd=cwd,
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.stdout.close()
        code, rss = _wait(proc)
        elapsed = time.perf_counter() - start
        return Run(elapsed, code, out, _read_all(errors), rss)


def run_tty(argv: Sequence[str], env: dict[str, str], cwd: str) -> Run:
    """Run with stdout on a pseudo-terminal of ROWS x COLUMNS; its output is read and kept
    (so the child never blocks on a full terminal buffer)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    chunks: list[bytes] = []
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(argv), stdin=subprocess.DEVNULL, stdout=slave, stderr=errors, env=env, cwd=cwd
            )
        finally:
            os.close(slave)
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 60)
                if not ready:
                    break  # nothing for a minute: give up reading, still reap below
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every copy of the slave side is closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(master)
        code, rss = _wait(proc)
        elapsed = time.perf_counter() - start
        return Run(elapsed, code, b"".join(chunks), _read_all(errors), rss)


def run(argv: Sequence[str], env: dict[str, str], cwd: str, mode: str = "pipe") -> Run:
    return run_tty(argv, env, cwd) if mode == "tty" else run_pipe(argv, env, cwd)


# ---------------------------------------------------------------- what to run


def cramp_command(*python_flags: str) -> list[str]:
    """The installed console script beside this Python, else `python -m cramp_cli`.

    With python_flags (such as -X importtime), the script is run by this interpreter.
    """
    script = Path(sys.executable).parent / ("cramp.exe" if os.name == "nt" else "cramp")
    if script.is_file():
        if python_flags:
            return [sys.executable, *python_flags, str(script)]
        return [str(script)]
    return [sys.executable, *python_flags, "-m", "cramp_cli"]


def write_minimal_app(folder: Path) -> list[str]:
    path = folder / "minimal_typer_app.py"
    path.write_text(MINIMAL_APP, encoding="utf-8")
    return [sys.executable, str(path)]


def private_env(folder: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without cramp's variables and output switches, with the
    caches, data and config in `folder`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CRAMP_") and key not in _DROPPED_ENV
    }
    for name in ("cache", "data", "config", "state"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    env.update(
        CRAMP_CACHE_DIR=str(folder / "cache" / "answers"),
        XDG_CACHE_HOME=str(folder / "cache"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_STATE_HOME=str(folder / "state"),
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
    )
    env.update(extra)
    return env


def typer_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("typer")
    except PackageNotFoundError:
        return "not installed"


# ---------------------------------------------------------------- the benchmark


@dataclass(frozen=True)
class Target:
    base: str  # "app" (the minimal Typer app) or "pass" (python -c pass)
    limit: float

    @property
    def label(self) -> str:
        return f"<= {self.limit:g}x {self.base}"


@dataclass
class Command:
    name: str
    argv: list[str]
    mode: str = "pipe"
    targets: tuple[Target, ...] = ()
    times: list[float] = field(default_factory=list)
    no_cache: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)


APP = "minimal Typer app"
PASS = "python -c pass"


def commands(app: list[str]) -> list[Command]:
    cramp = cramp_command()
    fast = Target("app", 1.2)
    return [
        Command("cramp why --json", [*cramp, "why", "--json"], targets=(fast, Target("pass", 7))),
        Command(
            "cramp relieve --muscle calf --json",
            [*cramp, "relieve", "--muscle", "calf", "--json"],
            targets=(fast,),
        ),
        Command(
            "cramp check --sign numbness --json",
            [*cramp, "check", "--sign", "numbness", "--json"],
            targets=(fast,),
        ),
        Command("cramp why (piped)", [*cramp, "why"], targets=(fast,)),
        Command("cramp why (tty, rich)", [*cramp, "why"], "tty", (Target("app", 1.6),)),
        Command("cramp --version", [*cramp, "--version"], targets=(Target("app", 0.6),)),
        Command(APP, app),
        Command(PASS, [sys.executable, "-c", "pass"]),
    ]


def _fail(command: Command, done: Run, what: str) -> None:
    sys.stdout.flush()
    sys.stderr.write(
        f"error: {command.name} ({what}) exited {done.returncode}: {' '.join(command.argv)}\n"
        + done.stderr.decode("utf-8", "replace")[-2000:]
    )
    raise SystemExit(1)


def _checked(command: Command, env: dict[str, str], cwd: str, what: str) -> Run:
    done = run(command.argv, env, cwd, command.mode)
    if done.returncode != 0:
        _fail(command, done, what)
    return done


def _answers(folder: str) -> set[str]:
    with contextlib.suppress(OSError):
        return {name for name in os.listdir(folder) if not name.startswith((".", "hashes"))}
    return set()


def measure(
    cmds: list[Command], rounds: int, seed: int, folder: Path
) -> tuple[dict[str, str], int]:
    env = private_env(folder)
    cwd = str(folder)
    for command in cmds:  # warm the cache: one untimed run each
        _checked(command, env, cwd, "warm-up")
    before = _answers(env["CRAMP_CACHE_DIR"])
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(cmds)
        rng.shuffle(order)
        for command in order:
            command.times.append(_checked(command, env, cwd, "timed").seconds)
    # A timed run that missed the cache stores a new answer (cramp's code changed meanwhile).
    misses = len(_answers(env["CRAMP_CACHE_DIR"]) - before)
    cold_env = {**env, "CRAMP_NO_CACHE": "1"}
    for command in cmds:
        command.no_cache = _checked(command, cold_env, cwd, "no cache").seconds
    return env, misses


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def verdicts(cmds: list[Command]) -> dict[str, list[tuple[Target, bool]]]:
    """Each command's targets, and whether its median meets each."""
    base = {"app": _named(cmds, APP).median, "pass": _named(cmds, PASS).median}
    return {
        command.name: [
            (target, command.median / base[target.base] <= target.limit)
            for target in command.targets
        ]
        for command in cmds
    }


def _named(cmds: list[Command], name: str) -> Command:
    return next(command for command in cmds if command.name == name)


def table(cmds: list[Command]) -> str:
    app, nothing = _named(cmds, APP).median, _named(cmds, PASS).median
    results = verdicts(cmds)
    heading = (
        f"{'command':<36} {'median ms':>9} {'min':>7} {'max':>7} {'no cache':>9} "
        f"{'x app':>6} {'x pass':>7}  {'target':<26} result"
    )
    lines = [heading, "-" * (len(heading) + 4)]
    for command in cmds:
        checks = results[command.name]
        lines.append(
            f"{command.name:<36} {_ms(command.median):>9} {_ms(min(command.times)):>7} "
            f"{_ms(max(command.times)):>7} {_ms(command.no_cache):>9} "
            f"{command.median / app:>6.2f} {command.median / nothing:>7.2f}  "
            f"{', '.join(target.label for target, _ in checks) or '-':<26} "
            f"{', '.join('PASS' if ok else 'MISS' for _, ok in checks) or '-'}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- -X importtime


def importtime(env: dict[str, str], cwd: str, top: int = 10) -> list[tuple[int, int, str]]:
    """(cumulative us, self us, module) of the `top` slowest imports of `cramp why --json`."""
    argv = [*cramp_command("-X", "importtime"), "why", "--json"]
    done = run_pipe(argv, env, cwd)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(1)
    rows = []
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the heading line
        rows.append((int(parts[1]), int(parts[0]), parts[2].strip()))
    rows.sort(reverse=True)
    return rows[:top]


def importtime_report(env: dict[str, str], cwd: str) -> str:
    out = []
    for title, extra in (
        ("answered from the warm cache", {}),
        ("CRAMP_NO_CACHE=1", {"CRAMP_NO_CACHE": "1"}),
    ):
        run_pipe([*cramp_command(), "why", "--json"], {**env, **extra}, cwd)  # byte-compile
        rows = importtime({**env, **extra}, cwd)
        out.append(f"\nTop 10 cumulative imports of `cramp why --json`, {title}:")
        out.append(f"{'cumulative ms':>13} {'self ms':>8}  module")
        out += [f"{total / 1000:>13.1f} {own / 1000:>8.1f}  {name}" for total, own, name in rows]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=None, help=f"default {DEFAULT_ROUNDS}")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="shuffle seed")
    parser.add_argument(
        "--importtime", action="store_true", help="also the slowest imports of why --json"
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    folder = Path(tempfile.mkdtemp(prefix="cramp-startup-"))
    try:
        cmds = commands(write_minimal_app(folder))
        env, misses = measure(cmds, rounds, args.seed, folder)
        print(
            f"cramp start-up: {rounds} rounds, interleaved (each round runs every command once, "
            f"shuffled, seed {args.seed})"
        )
        print(
            f"Python {sys.version.split()[0]} ({sys.executable}), Typer {typer_version()}, "
            f"cramp as {' '.join(cramp_command())}"
        )
        print(
            "Timings are warm-cache: a private answer cache was filled by one untimed run of "
            "each command.\n'no cache' is one run with CRAMP_NO_CACHE=1. Times in ms "
            f"(wall clock, start to reaped); tty = pseudo-terminal {COLUMNS}x{ROWS}.\n"
        )
        print(table(cmds))
        if hasattr(os, "getloadavg"):
            print(
                "\nLoad average (1, 5, 15 min) at the end: "
                + ", ".join(f"{x:.2f}" for x in os.getloadavg())
            )
        if misses:
            print(
                f"\nwarning: {misses} timed run(s) missed the answer cache (cramp's code or "
                "knowledge base changed during the run); their times are not warm."
            )
        checks = [ok for found in verdicts(cmds).values() for _, ok in found]
        print(
            f"\n{checks.count(False)} of {len(checks)} targets missed "
            "(a benchmark reports; it does not fail)."
        )
        if args.importtime:
            print(importtime_report(env, str(folder)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
