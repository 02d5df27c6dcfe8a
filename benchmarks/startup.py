"""Start-up time of `cramp` as users feel it: a new question each run, against a minimal Typer app.

    python benchmarks/startup.py [--rounds N] [--quick] [--seed S] [--repo PATH]

What runs. A wheel of the repo under test (default: the repo this script is in; --repo PATH
for another) is built from a copy of it and installed the ordinary way (not editable, pip
byte-compiles it) in a fresh temporary venv. Every timed command is that venv's `cramp`
console script, run from a temporary folder outside the repo with a private environment:
its own HOME and XDG_* folders, PATH, LANG=C.UTF-8, TZ=UTC, TERM=xterm-256color, and none of
the caller's variables (no CRAMP_*, PYTHON*, NO_COLOR, COLUMNS...). No cache variable is set:
the benchmark defeats any answer cache by asking a different question every run.

The yardstick is a minimal one-command Typer app run by the same venv's python (so the same
Typer, Click and Rich), in the same loop. Each round runs every command once, in an order
shuffled with a fixed seed, so a slow spell of the machine is spread over all of them. Times
are wall clock from spawn to reaped; each row gives the median, min and max of its runs
(--rounds, default 20) and the ratio of its median to the yardstick's median of the same run.

A different question every run, so no run can benefit from an earlier one: the muscle ids
and aliases, warning signs, ids, title words, tags and grades are read once (untimed, in a
separate private HOME) from `cramp muscles/check --list/sources/why/relieve/prevent/lookalikes
--json`, and dealt without replacement (fixed seed) to:

  why --json               --who TAG, --when TAG, --min-evidence GRADE, none, then pairs
  relieve --muscle X --json  every muscle id and alias, then with --min-evidence GRADE
  now MUSCLE --no-timer    every muscle id and alias (Rich, on a pty)
  check --sign A,B --json  a different pair of signs
  search WORD --json       a different word from the items' titles
  show ID --json           a different id (causes, relief, prevention, look-alikes, sources,
                           signs, muscles)
  why (piped)              plain text, filters as for why --json
  ... (Rich, pty)          the same five commands without --json on a pseudo-terminal
                           (os.openpty; stdout and stderr on it, stdin /dev/null; its size
                           set with TIOCSWINSZ, a new width from 60 to 140 columns each run)
  --help (Rich, pty)       `cramp --help` (the grouped command list) on a pty of a new width
                           each run, against the minimal app's own --help on a pty of the
                           same width
  log ... (piped)          a new entry each run (muscle, side, minutes, severity, time) into
                           the private HOME's default diary
  --version
The script checks and prints that no question was asked twice in the same HOME. The first
run in the main HOME (a `cramp muscles --json`, which no timed run asks) and the app's first
run are untimed.

One more row in the same loop, a user file present: a private HOME whose user
knowledge-base folder ($XDG_DATA_HOME/cramp/kb/) holds one small valid YAML file (copies of
one shipped cause, relief and prevention item, with new ids). The first run after the file
was written (a `cramp muscles --json`, once the file is a few seconds old) is untimed; every
later run counts. Each run is a new JSON answer, the command rotating through why, relieve,
check, search and show.

Then the first run after install, in a loop of its own after the main one (so that
reinstalling cramp cannot touch the main loop's runs): each round reinstalls the same wheel
into the same venv, whose dependencies are already there, with `pip install --no-deps
--force-reinstall` (untimed: a real fresh install, pip removing the files and writing and
byte-compiling them again), gives it a new, empty private HOME, and times the very first
`cramp why --json` (filters dealt as above) of that install and HOME. In each round that run
and one run of the minimal app go in a shuffled order, so the yardstick runs just before or
just after it; its ratio is to the median of those yardstick runs (the machine is often
slower for a moment after pip, and this yardstick shares that). Its ratio to the main
loop's yardstick is printed too, for comparison.

Targets (ratio of the median to the yardstick's median, same run):

  the JSON answers and `why` piped            <= 1.2x
  the same answers with Rich on a pty         <= 1.6x
  --help on a pty                             <= 1.3x the minimal app's --help on a pty
  log (piped), a new entry                    <= 1.3x
  the first run after install                 <= 1.3x
  an answer with a user file present          <= 1.3x
  --version                                   <= 0.6x

Ownership: this script times start-up on the shipped knowledge base and a small diary;
benchmarks/scale.py owns size (a knowledge base 100x the shipped one, and `report` and
`history` on a 100,000-entry diary). Neither measures what the other does.

Output: the versions (Python, Typer, ...), the CPU count and the method; a table (command,
median ms, min, max, ratio, target, result); one PASS/FAIL line per target with its ratio.
Exit status: 0 when every target passes, 1 when a target fails, 2 when a command (or a set-up
step) could not run (its stderr is printed). --quick runs 3 rounds for the test suite: it
still prints PASS/FAIL, but its exit status ignores the targets (only a command that could
not run makes it non-zero).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import (  # the folder of this script, added just above
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    NO_PAGER,
    QUICK_ROUNDS,
    REPO,
    WIDTHS,
    Bench,
    Deck,
    Failed,
    Install,
    Invocation,
    Target,
    Vocabulary,
    check_deck,
    checked,
    describe_machine,
    finish,
    install,
    measure,
    private_env,
    random_width,
    reinstall,
    relieve_deck,
    search_deck,
    settle,
    show_deck,
    user_kb_folder,
    vocabulary,
    why_deck,
    write_kb,
    write_minimal_app,
)

APP = "minimal Typer app"
APP_HELP = "minimal Typer app --help (pty)"
APP_INSTALL = "minimal Typer app (install loop)"
MAX_KB_FILE = 2 * 1024 * 1024
START = datetime(2020, 1, 1, 0, 0)  # the first logged entry; one a day after it

ANSWER = Target(1.2, APP, "app")
RICH = Target(1.6, APP, "app")
SLOWER = Target(1.3, APP, "app")


class Homes:
    """A new private HOME (folder and environment) on demand."""

    def __init__(self, root: Path, found: Install):
        self.root, self.found, self.count = root, found, 0

    def new(self, name: str) -> dict[str, str]:
        self.count += 1
        return private_env(self.root / f"{self.count:03d}-{name}", self.found)


def benches(
    found: Install,
    words: Vocabulary,
    homes: Homes,
    main: dict[str, str],
    with_file: dict[str, str],
    app: Path,
    seed: int,
) -> tuple[list[Bench], list[Bench], list[Deck]]:
    cramp = found.cramp
    why, relieve, check = why_deck(words, seed), relieve_deck(words, seed), check_deck(words, seed)
    search, show = search_deck(words, seed), show_deck(words, seed)
    # `cramp now` on a terminal: the one screen for a cramp (no timer: the run must end).
    now = Deck("now", [[(name, "--no-timer") for name in words.muscle_names]], seed)
    kinds = {
        "why": why,
        "relieve": relieve,
        "check": check,
        "search": search,
        "show": show,
        "now": now,
    }
    widths = random.Random(f"{seed}-widths")

    def answer(
        command: str, target: Target, name: str, *, json: bool = True, tty: bool = False
    ) -> Bench:
        deck = kinds[command]

        def call(_: int) -> Invocation:
            question = (command, *deck.draw(), *(("--json",) if json else ()))
            columns = random_width(widths) if tty else None
            return Invocation([cramp, NO_PAGER, *question], main, columns, question)

        return Bench(name, call, (target,))

    help_widths: list[int] = []

    def help_width(number: int) -> int:
        while len(help_widths) <= number:
            help_widths.append(random_width(widths))
        return help_widths[number]

    entries = random.Random(f"{seed}-log")

    def log(number: int) -> Invocation:
        at = START + timedelta(days=number, minutes=entries.randrange(24 * 60))
        question = (
            "log",
            "--muscle",
            entries.choice(words.muscle_names),
            "--side",
            entries.choice(["left", "right", "both"]),
            "--minutes",
            f"{entries.randint(1, 100) / 10:g}",
            "--severity",
            str(entries.randint(1, 10)),
            "--at",
            at.strftime("%Y-%m-%dT%H:%M"),
        )
        return Invocation([cramp, NO_PAGER, *question], main, None, question)

    rotation = ["why", "relieve", "check", "search", "show"]

    def user_file(number: int) -> Invocation:
        command = rotation[number % len(rotation)]
        question = (command, *kinds[command].draw(), "--json")
        return Invocation([cramp, NO_PAGER, *question], with_file, None, question)

    rows = [
        answer("why", ANSWER, "why --json"),
        answer("relieve", ANSWER, "relieve --muscle X --json"),
        answer("check", ANSWER, "check --sign A,B --json"),
        answer("search", ANSWER, "search WORD --json"),
        answer("show", ANSWER, "show ID --json"),
        answer("why", ANSWER, "why (piped, plain)", json=False),
        answer("why", RICH, "why (Rich, pty)", json=False, tty=True),
        answer("relieve", RICH, "relieve --muscle X (Rich, pty)", json=False, tty=True),
        answer("now", RICH, "now MUSCLE --no-timer (Rich, pty)", json=False, tty=True),
        answer("check", RICH, "check --sign A,B (Rich, pty)", json=False, tty=True),
        answer("search", RICH, "search WORD (Rich, pty)", json=False, tty=True),
        answer("show", RICH, "show ID (Rich, pty)", json=False, tty=True),
        Bench(
            "--help (Rich, pty)",
            lambda n: Invocation([cramp, "--help"], main, help_width(n)),
            (Target(1.3, APP_HELP, "app --help"),),
        ),
        Bench("log, a new entry (piped)", log, (SLOWER,)),
        Bench("any --json answer, user file present", user_file, (SLOWER,)),
        Bench(
            "--version",
            lambda _: Invocation([cramp, "--version"], main),
            (Target(0.6, APP, "app"),),
        ),
        Bench(APP, lambda _: Invocation([found.python, str(app)], main)),
        Bench(
            APP_HELP,
            lambda n: Invocation([found.python, str(app), "--help"], main, help_width(n)),
        ),
    ]

    def first_run(_: int) -> Invocation:
        reinstall(found.venv, found.wheel)  # untimed
        env = homes.new("first-run")
        question = ("why", *why.draw(), "--json")
        return Invocation([cramp, NO_PAGER, *question], env, None, question)

    after_install = [
        Bench(
            "why --json, first run after install",
            first_run,
            (Target(1.3, APP_INSTALL, "app"),),
        ),
        Bench(APP_INSTALL, lambda _: Invocation([found.python, str(app)], main)),
    ]
    return rows, after_install, list(kinds.values())


def install_note(rows: list[Bench], after_install: list[Bench]) -> list[str]:
    """The first run after install against the main loop's yardstick too: right after pip the
    machine is often slower for a moment, which the install loop's own yardstick shares."""
    first, app = after_install[0].median(), after_install[1].median()
    loop_app = next(bench for bench in rows if bench.name == APP).median()
    if first is None or app is None or not loop_app:
        return []
    return [
        f"First run after install: {first * 1000:.1f} ms, {first / app:.2f}x the minimal app "
        f"in its own loop ({app * 1000:.1f} ms, judged) and {first / loop_app:.2f}x the main "
        f"loop's ({loop_app * 1000:.1f} ms, for comparison)."
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=None, help=f"default {DEFAULT_ROUNDS}")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_ROUNDS} rounds; targets are printed but do not change the exit status",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="shuffle and question seed")
    parser.add_argument(
        "--repo", type=Path, default=REPO, help=f"the repo to build (default {REPO})"
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    root = Path(tempfile.mkdtemp(prefix="cramp-startup-"))
    started = time.perf_counter()
    try:
        found = install(args.repo.resolve(), root)
        work = root / "cwd"  # every command runs here: outside the repo
        work.mkdir()
        homes = Homes(root / "homes", found)
        with_file = homes.new("user-file")
        kb = user_kb_folder(with_file)
        written = write_kb(found, kb, "items", 1, MAX_KB_FILE)
        words = vocabulary(found, homes.new("vocabulary"), work)
        main_env = homes.new("main")
        app = write_minimal_app(root)
        # Untimed: the first run of each HOME and of the app (a question no timed run asks).
        checked([found.cramp, "muscles", "--json"], main_env, work, "cramp muscles --json")
        settle(*(Path(path) for path in written["files"]))
        checked([found.cramp, "muscles", "--json"], with_file, work, "cramp muscles --json")
        checked([found.python, str(app)], main_env, work, APP)
        rows, after_install, decks = benches(
            found, words, homes, main_env, with_file, app, args.seed
        )
        print(f"cramp start-up benchmark: {describe_machine(found)}.")
        print(
            f"Method: {rounds} rounds; each round runs every command once, order shuffled "
            f"(seed {args.seed}); each run a fresh process of the installed (non-editable) "
            "wheel's `cramp`, private HOME/XDG, cwd outside the repo, a new question every "
            "run; wall time spawn-to-reaped; ratio = median / median of a minimal Typer app "
            "(same venv) in the same loop."
        )
        print(
            f"User file: {len(written['files'])} file(s), {written['items']} items, "
            f"{written['bytes']:,} bytes in $XDG_DATA_HOME/cramp/kb/. Pty: {WIDTHS[0]}-{WIDTHS[1]} "
            f"columns, a new width each run. Set-up: {time.perf_counter() - started:.0f} s.\n"
        )
        measure(rows, rounds, args.seed, work)
        measure(after_install, rounds, args.seed + 1, work)
        return finish(
            rows + after_install, decks, quick=args.quick, notes=install_note(rows, after_install)
        )
    except Failed as err:
        sys.stdout.flush()
        sys.stderr.write(f"error: {err}\n")
        return 2
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
