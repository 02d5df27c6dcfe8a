"""How cramp scales: a knowledge base 100 times the shipped one, and a 100,000-entry diary.

    python benchmarks/scale.py [--factor 100] [--rows 100000] [--rounds N] [--quick]
                               [--import-rows 1000000] [--seed S] [--repo PATH]

What runs: as in benchmarks/startup.py (see there), a wheel of the repo under test (default
the repo this script is in, or --repo PATH) installed, not editable, in a fresh temporary
venv; each timed command is that venv's `cramp`, run from a temporary folder outside the repo
with a private HOME/XDG environment and none of the caller's variables; a new question every
run; every command once a round in an order shuffled with a fixed seed; medians, min and
max of wall time from spawn to reaped. Every run, the minimal Typer app included, goes
through GNU time (`/usr/bin/time -f %M -o FILE`) for the command's own peak RSS; its small
extra exec is in every timing alike. Without GNU time the RSS targets are left out (said so).

Ownership: this script owns size; startup.py owns start-up on the shipped knowledge base and
a small diary (first run, Rich, --help, log, a small user file). Neither times what the other
does.

Knowledge base. Synthetic causes and prevention items are written to a temporary folder:
copies of the shipped items (same fields, sources and tags) with new unique ids such as
`synthetic-cause-000123`, split into YAML files of at most 2 MiB (the loader's limit is
5 MiB a file), so that the shipped files plus these are FACTOR times the shipped YAML in
bytes. (Relief items are not copied: every copy names a muscle, so `relieve --muscle X`
would list 100 times as much, and its answer must not grow with the knowledge base.) They
are given as a user layer with `--kb DIR`. `cramp --kb DIR kb validate` must accept them
(untimed), and the first answer with the new files (`cramp --kb DIR muscles --json`, a
question no timed run asks, after the files are a few seconds old) is untimed: it may compile
them once. Every later run counts.

Then, in one loop, four kinds of new question whose answer does not grow with the knowledge
base, each asked once a round of the shipped knowledge base alone and once of it with the
FACTOR x layer, the same question for both (a new one each round):

  show ID --json                  the id of a shipped cause, relief or prevention item,
                                  look-alike, sign or muscle (not of a source: its answer
                                  lists every item that cites it, so it grows)
  check --sign A,B --json         a pair of warning signs
  search WORD --json --limit 10   a word from the items' titles
  relieve --muscle X --json       a muscle id or alias (then with --min-evidence)

Targets: with the FACTOR x layer, the median time <= 2x and the median peak RSS <= 2x the same
kind of question on the shipped knowledge base alone. The mean answer size of each pair is
printed too, as a check that it did not grow.

Diary. A diary of ROWS entries spread over the last 1,000 nights is made through the public
CLI, untimed: a JSON file in the format of `cramp export` (the `night` field left for cramp
to work out) is written, and `cramp import FILE` adds it to the private HOME's default diary
(it must report ROWS imported). In the same loop:

  report --json --days N          N different each run
  history --limit L --until DATE  L from 16 to 24 and a different DATE (today, or a week
                                  earlier...) each run
  the minimal Typer app           the yardstick, same venv

Targets: report <= 1.5x and history <= 1.2x the minimal app's median.

Big import. A CSV of IMPORT_ROWS rows (default 1,000,000) without ids, as another program
would write it (random times over the last 1,000 nights, the columns of `cramp export`), is
imported once with `cramp import FILE --json` into a new diary in its own private HOME, timed
from spawn to reaped, its peak RSS from GNU time. It must report every row imported. Targets
(absolute, not ratios): under 60 s and under 300 MiB of peak RSS. Printed after the table
as one line with its verdicts.

Exit status: 0 when every target passes, 1 when a target fails, 2 when a command or a set-up
step could not run (its stderr is printed). --quick (factor 10, 10,000 entries, 3 rounds, a
20,000-row import; for the test suite) still prints PASS/FAIL, but its exit status ignores
the targets: only a command that could not run makes it non-zero.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import (  # the folder of this script, added just above
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    GNU_TIME,
    NO_PAGER,
    QUICK_ROUNDS,
    REPO,
    Bench,
    Deck,
    Failed,
    Install,
    Invocation,
    Target,
    Vocabulary,
    check_deck,
    checked,
    cramp_json,
    describe_machine,
    finish,
    gnu_time_works,
    install,
    measure,
    private_env,
    relieve_deck,
    run,
    search_deck,
    settle,
    show_deck,
    vocabulary,
    write_kb,
    write_minimal_app,
)

DEFAULT_FACTOR = 100
DEFAULT_ROWS = 100_000
DEFAULT_IMPORT_ROWS = 1_000_000
QUICK = {"factor": 10, "rows": 10_000, "rounds": QUICK_ROUNDS, "import_rows": 20_000}
IMPORT_SECONDS = 60.0  # absolute targets for the big import
IMPORT_MIB = 300.0
MAX_KB_FILE = 2 * 1024 * 1024
DIARY_NIGHTS = 1000
APP = "minimal Typer app"
TRIGGERS = ("long-walk", "hill-climb", "late-coffee", "hot-day", "new-shoes", "standing")


# ---------------------------------------------------------------- the diary


def write_diary(path: Path, rows: int, words: Vocabulary, seed: int) -> None:
    """`rows` entries in the JSON format of `cramp export` (a list of entries)."""
    rng = random.Random(f"{seed}-diary")
    now = datetime.now(UTC).replace(microsecond=0)
    reliefs = [*words.relief_ids, None, None]
    entries = []
    for number in range(rows):
        at = now - timedelta(seconds=rng.randint(3600, DIARY_NIGHTS * 86400))
        entries.append(
            {
                "id": f"{number:010x}",
                "at": at.isoformat(),
                "muscle": rng.choice(words.muscle_ids),
                "side": rng.choice(["left", "right", "both", None]),
                "minutes": round(rng.uniform(0.2, 12), 1),
                "severity": rng.randint(1, 10),
                "woke": rng.random() < 0.6,
                "triggers": rng.sample(TRIGGERS, rng.randint(0, 2)),
                "relief": rng.choice(reliefs),
                "note": "" if rng.random() < 0.8 else "after a long day on my feet",
            }
        )
    path.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")


def write_import_csv(path: Path, rows: int, words: Vocabulary, seed: int) -> None:
    """`rows` CSV rows without ids, as another program might write them."""
    rng = random.Random(f"{seed}-import")
    now = datetime.now(UTC).replace(microsecond=0)
    reliefs = [*words.relief_ids, "", ""]
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("at,muscle,side,minutes,severity,woke,triggers,relief,note\n")
        for _ in range(rows):
            at = now - timedelta(seconds=rng.randint(3600, DIARY_NIGHTS * 86400))
            triggers = ";".join(rng.sample(TRIGGERS, rng.randint(0, 2)))
            note = "" if rng.random() < 0.8 else "after a long day on my feet"
            stream.write(
                f"{at.isoformat()},{rng.choice(words.muscle_ids)},"
                f"{rng.choice(['left', 'right', 'both', ''])},{round(rng.uniform(0.2, 12), 1)},"
                f"{rng.randint(1, 10)},{'true' if rng.random() < 0.6 else 'false'},"
                f"{triggers},{rng.choice(reliefs)},{note}\n"
            )


def big_import(
    found: Install, env: dict[str, str], work: Path, file: Path, rows: int, rss: bool
) -> tuple[str, bool]:
    """Import `file` once into a new diary: the line to print, and whether it met the targets."""
    done = run([found.cramp, "import", str(file), "--json"], env, work, rss=rss, timeout=900)
    if done.returncode != 0:
        raise Failed(f"cramp import of {rows:,} rows exited {done.returncode}\n{done.tail()}")
    imported = json.loads(done.output).get("imported")
    if imported != rows:
        raise Failed(f"cramp import added {imported} of {rows:,} rows")
    passed = done.seconds < IMPORT_SECONDS
    verdicts = [f"time {'PASS' if passed else 'FAIL'}"]
    memory = "peak RSS not measured"
    if rss and done.maxrss_kib is not None:
        mib = done.maxrss_kib / 1024
        memory = f"peak RSS {mib:.0f} MiB"
        verdicts.append(f"RSS {'PASS' if mib < IMPORT_MIB else 'FAIL'}")
        passed = passed and mib < IMPORT_MIB
    line = (
        f"Big import: {rows:,} CSV rows without ids ({file.stat().st_size / 2**20:.0f} MiB) in "
        f"{done.seconds:.1f} s, {memory} (targets < {IMPORT_SECONDS:g} s, < {IMPORT_MIB:g} MiB): "
        + ", ".join(verdicts)
        + "."
    )
    return line, passed


def report_deck(rounds: int, seed: int) -> Deck:
    return Deck("report", [[(str(days),) for days in range(10, 10 + max(60, 2 * rounds))]], seed)


def history_deck(rounds: int, seed: int) -> Deck:
    today = datetime.now(UTC).date()
    questions = [
        (str(16 + k % 9), (today - timedelta(days=7 * k)).isoformat())
        for k in range(max(60, 2 * rounds))
    ]
    return Deck("history", [questions], seed)


# ---------------------------------------------------------------- the loop


def _paired(
    cramp: str,
    env: dict[str, str],
    layer: tuple[str, ...],
    command: str,
    deck: Deck,
    flags: tuple[str, ...],
) -> Callable[[int], Invocation]:
    """Round n asks the deck's n-th question: the shipped and the big knowledge base get the
    same question in the same round, and a new one each round."""

    def call(number: int) -> Invocation:
        question = (command, *deck.at(number), *flags)
        return Invocation([cramp, NO_PAGER, *layer, *question], env, None, question)

    return call


def benches(
    found: Install,
    words: Vocabulary,
    shipped: dict[str, str],
    big: dict[str, str],
    diary: dict[str, str],
    kb: Path,
    label: str,
    app: Path,
    rounds: int,
    seed: int,
    rss: bool,
) -> tuple[list[Bench], list[Deck]]:
    cramp = found.cramp
    kinds = [
        ("show ID --json", "show", show_deck(words, seed, sources=False), ("--json",)),
        ("check --sign A,B --json", "check", check_deck(words, seed), ("--json",)),
        (
            "search WORD --json --limit 10",
            "search",
            search_deck(words, seed),
            ("--json", "--limit", "10"),
        ),
        ("relieve --muscle X --json", "relieve", relieve_deck(words, seed), ("--json",)),
    ]
    rows: list[Bench] = []
    for name, command, deck, flags in kinds:
        base = f"{name}, shipped KB"
        targets = [Target(2.0, base, "shipped")]
        if rss:
            targets.append(Target(2.0, base, "shipped", "rss"))
        rows.append(Bench(base, _paired(cramp, shipped, (), command, deck, flags)))
        layer = ("--kb", str(kb))
        rows.append(
            Bench(
                f"{name}, {label} KB",
                _paired(cramp, big, layer, command, deck, flags),
                tuple(targets),
            )
        )

    reports, histories = report_deck(rounds, seed), history_deck(rounds, seed)

    def report(_: int) -> Invocation:
        question = ("report", "--json", "--days", *reports.draw())
        return Invocation([cramp, NO_PAGER, *question], diary, None, question)

    def history(_: int) -> Invocation:
        limit, until = histories.draw()
        question = ("history", "--limit", limit, "--until", until)
        return Invocation([cramp, NO_PAGER, *question], diary, None, question)

    rows += [
        Bench("report --json --days N, big diary", report, (Target(1.5, APP, "app"),)),
        Bench("history --limit ~20 --until D, big diary", history, (Target(1.2, APP, "app"),)),
        Bench(APP, lambda _: Invocation([found.python, str(app)], diary)),
    ]
    return rows, [deck for _, _, deck, _ in kinds] + [reports, histories]


def answer_sizes(rows: list[Bench], label: str) -> list[str]:
    by_name = {bench.name: bench for bench in rows}
    lines = []
    for bench in rows:
        if not bench.name.endswith(", shipped KB") or not bench.runs:
            continue
        name = bench.name.removesuffix(", shipped KB")
        other = by_name.get(f"{name}, {label} KB")
        if other is None or not other.runs:
            continue
        small = sum(len(done.output) for done in bench.runs) / len(bench.runs)
        large = sum(len(done.output) for done in other.runs) / len(other.runs)
        lines.append(
            f"  {name}: {small / 1024:.1f} KiB shipped, {large / 1024:.1f} KiB {label} "
            f"({large / small if small else 0:.2f}x)"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=None, help=f"default {DEFAULT_FACTOR}")
    parser.add_argument("--rows", type=int, default=None, help=f"default {DEFAULT_ROWS:,}")
    parser.add_argument("--rounds", type=int, default=None, help=f"default {DEFAULT_ROUNDS}")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=None,
        help=f"rows of the big CSV import, default {DEFAULT_IMPORT_ROWS:,}",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="factor 10, 10,000 entries, 3 rounds, a 20,000-row import; targets do not change "
        "the exit status",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="shuffle, question and data seed"
    )
    parser.add_argument(
        "--repo", type=Path, default=REPO, help=f"the repo to build (default {REPO})"
    )
    args = parser.parse_args(argv)
    factor = args.factor or (QUICK["factor"] if args.quick else DEFAULT_FACTOR)
    rows = args.rows or (QUICK["rows"] if args.quick else DEFAULT_ROWS)
    rounds = args.rounds or (QUICK["rounds"] if args.quick else DEFAULT_ROUNDS)
    import_rows = args.import_rows or (QUICK["import_rows"] if args.quick else DEFAULT_IMPORT_ROWS)
    if factor < 2 or rows < 1 or rounds < 1 or import_rows < 1:
        parser.error("--factor must be at least 2, --rows, --rounds and --import-rows at least 1")
    label = f"{factor}x"
    root = Path(tempfile.mkdtemp(prefix="cramp-scale-"))
    started = time.perf_counter()
    try:
        found = install(args.repo.resolve(), root)
        work = root / "cwd"  # every command runs here: outside the repo
        work.mkdir()
        words = vocabulary(found, private_env(root / "home-vocabulary", found), work)
        shipped = private_env(root / "home-shipped", found)
        big = private_env(root / "home-big-kb", found)
        diary = private_env(root / "home-diary", found)
        rss = gnu_time_works()
        print(f"cramp at scale: {describe_machine(found)}.")
        print(
            f"Method: {rounds} rounds; each round runs every command once, order shuffled "
            f"(seed {args.seed}); each run a fresh process of the installed (non-editable) "
            "wheel's `cramp`, private HOME/XDG, cwd outside the repo, a new question every "
            "run; wall time spawn-to-reaped"
            + (f", peak RSS from {GNU_TIME} -f %M around every run" if rss else "")
            + "; medians; KB ratios to the same question on the shipped KB, diary ratios to "
            "a minimal Typer app (same venv) in the same loop."
        )
        if not rss:
            print(f"No working GNU time at {GNU_TIME}: peak RSS is not measured or judged.")

        step = time.perf_counter()
        kb = root / "kb"
        made = write_kb(found, kb, "factor", factor, MAX_KB_FILE, ("causes", "prevention"))
        total = made["shipped_bytes"] + made["bytes"]
        print(
            f"\nKnowledge base {label}: {made['items']:,} synthetic causes and prevention items "
            f"in {len(made['files'])} files ({made['bytes'] / 2**20:.1f} MiB, none over "
            f"{MAX_KB_FILE // 2**20} MiB) in {time.perf_counter() - step:.1f} s; with the "
            f"shipped {made['shipped_bytes'] / 1024:.0f} KiB ({made['shipped_entries']} "
            f"entries): {total / made['shipped_bytes']:.1f}x the bytes, "
            f"{(made['shipped_entries'] + made['items']) / made['shipped_entries']:.1f}x the "
            "entries."
        )
        done = checked(
            [found.cramp, "--kb", str(kb), "kb", "validate"],
            big,
            work,
            "cramp --kb DIR kb validate",
        )
        print(f"cramp --kb DIR kb validate: exit 0 in {done.seconds:.1f} s (untimed).")
        step = time.perf_counter()
        export = root / "diary.json"
        write_diary(export, rows, words, args.seed)
        imported = cramp_json(found, diary, work, "import", str(export))
        if imported.get("imported") != rows:
            raise Failed(f"cramp import added {imported.get('imported')} entries, not {rows}")
        database = Path(diary["XDG_DATA_HOME"]) / "cramp" / "diary.sqlite3"
        size = f"{database.stat().st_size / 2**20:.1f} MiB" if database.is_file() else "?"
        print(
            f"Diary: {rows:,} entries over the last {DIARY_NIGHTS} nights, written as an export "
            f"file ({export.stat().st_size / 2**20:.1f} MiB of JSON) and added with `cramp import` "
            f"into the private default diary ({size}) in {time.perf_counter() - step:.1f} s "
            "(untimed)."
        )
        # One wait for both: files written in the last few seconds are left to age.
        settle(*(Path(path) for path in made["files"]), *database.parent.glob("diary.sqlite3*"))
        done = checked(
            [found.cramp, "--kb", str(kb), "muscles", "--json"],
            big,
            work,
            "the first run with --kb DIR",
        )
        print(
            f"First answer with the new files (cramp --kb DIR muscles --json): "
            f"{done.seconds:.1f} s (excluded; it may compile them once)."
        )
        checked([found.cramp, "muscles", "--json"], shipped, work, "cramp muscles --json")

        checked([found.cramp, "history", "--limit", "1"], diary, work, "cramp history --limit 1")
        app = write_minimal_app(root)
        checked([found.python, str(app)], diary, work, APP)
        print(f"Set-up: {time.perf_counter() - started:.0f} s.\n")

        loop, decks = benches(
            found, words, shipped, big, diary, kb, label, app, rounds, args.seed, rss
        )
        measure(loop, rounds, args.seed, work, rss=rss)

        csv_file = root / "import.csv"
        write_import_csv(csv_file, import_rows, words, args.seed)
        importing = private_env(root / "home-import", found)
        imported, import_passed = big_import(found, importing, work, csv_file, import_rows, rss)
        csv_file.unlink()

        sizes = ["Mean answer size, shipped KB vs the big one (bounded: search lists at most 10):"]
        status = finish(
            loop,
            decks,
            quick=args.quick,
            rss=rss,
            notes=[*sizes, *answer_sizes(loop, label), "", imported],
        )
        if status == 0 and not import_passed and not args.quick:
            return 1
        return status
    except Failed as err:
        sys.stdout.flush()
        sys.stderr.write(f"error: {err}\n")
        return 2
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
