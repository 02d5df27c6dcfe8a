"""How cramp scales: a knowledge base 100 times the shipped one, and a 100,000-entry diary.

    python benchmarks/scale.py [--factor 100] [--rounds N] [--quick] [--seed S]

Knowledge base. In a temporary folder, synthetic causes, relief and prevention items are
written: copies of the real items (same fields, sources and tags) with new unique ids such
as `synthetic-cause-000123`, split into YAML files of at most 2 MiB (the loader's limit is
5 MiB a file), so that the shipped files plus these are FACTOR times the shipped YAML in
bytes. `cramp --kb DIR kb validate` must accept them. Then `cramp why --json` and
`cramp search calf --json` are run with the shipped knowledge base alone and with `--kb DIR`:

- cold: the first run with an empty cache folder (YAML parsed and validated, answer and
  knowledge-base caches filled);
- warm: the median of ROUNDS runs after that (interleaved and shuffled across the four
  configurations, fixed seed).

Peak RSS is measured with GNU time (`/usr/bin/time -f %M`, the child's own maximum resident
set size in KiB), wrapped round every timed run alike, when it is present; otherwise with
os.wait4()'s ru_maxrss for each child. Neither resource.getrusage(RUSAGE_CHILDREN) deltas
(a high-water mark over all children so far: a child smaller than an earlier one reads 0)
nor plain wait4 is exact on Linux: a child's ru_maxrss starts at the RSS of the process that
started it (this script, which has parsed YAML and built 100,000 diary entries), while
GNU time's own footprint is a couple of MiB.

Diary. A 100-entry and a 100,000-entry diary are made: the file is created by one
`cramp log --db PATH` (the command's own schema, migrations and permissions), then the rest
is added through the diary store's API (Diary.open(...).add_many(...), one transaction).
The entries are spread over the last 1,000 nights. Timed, interleaved: `cramp report --json`
and `cramp history --limit 20` on both, as a user gets them (cached until the diary changes)
and with `--no-cache` (the diary itself read: how the SQL side scales), and the minimal
Typer app.

Targets (ratios, so they mean the same on any machine): warm 100x/shipped <= 1.3x time and
<= 2x peak RSS; report on the big diary < 1.5x the minimal Typer app; history on the big
diary within 1.2x of the small one, cached and uncached. A MISS is reported, not failed:
the exit status is 0 unless a command fails (1). --quick: factor 10, 10,000 entries,
3 rounds.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import (  # the folder of this script, added just above
    Run,
    cramp_command,
    private_env,
    run_pipe,
    typer_version,
    write_minimal_app,
)

DEFAULT_FACTOR = 100
DEFAULT_ROWS = 100_000
SMALL_ROWS = 100
DEFAULT_ROUNDS = 10
QUICK = {"factor": 10, "rows": 10_000, "rounds": 3}
DEFAULT_SEED = 20240501
FILE_BYTES = 2 * 1024 * 1024
SECTIONS = {"causes": "cause", "relief": "relief", "prevention": "prevention"}
PLACEHOLDER = "QQQQQQ"
RACY_SECONDS = 3.5  # cramp re-hashes a file changed in the last 3 s (cache.RACY_NS)
DIARY_NIGHTS = 1000


class Failed(Exception):
    """A command exited with an unexpected status."""


GNU_TIME = "/usr/bin/time"


@functools.cache
def gnu_time_works() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    handle, path = tempfile.mkstemp(suffix=".rss")
    os.close(handle)
    try:
        done = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", path, sys.executable, "-c", "pass"],
            capture_output=True,
            timeout=60,
        )
        return done.returncode == 0 and _last_int(Path(path)) is not None
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        os.unlink(path)


def _last_int(path: Path) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    return int(lines[-1]) if lines and lines[-1].isdigit() else None


def rss_method() -> str:
    if gnu_time_works():
        return f"{GNU_TIME} -f %M, the child's own peak (its extra exec is in every timing alike)"
    return (
        "os.wait4() ru_maxrss per child (no GNU time here; on Linux a child's figure is at "
        "least this script's own RSS when it was started, so small values are floored)"
    )


def checked(name: str, argv: Sequence[str], env: dict[str, str], cwd: str) -> Run:
    """Run with stdout to a pipe; its peak RSS from GNU time if there is one, else wait4."""
    if gnu_time_works():
        handle, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(handle)
        try:
            done = run_pipe([GNU_TIME, "-f", "%M", "-o", rss_file, *argv], env, cwd)
            done.maxrss_kib = _last_int(Path(rss_file))
        finally:
            os.unlink(rss_file)
    else:
        done = run_pipe(argv, env, cwd)
    if done.returncode != 0:
        raise Failed(
            f"{name} exited {done.returncode}: {' '.join(argv)}\n"
            + done.stderr.decode("utf-8", "replace")[-2000:]
        )
    return done


def _mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _ratio(new: float | None, old: float | None) -> float | None:
    return None if new is None or not old else new / old


# ---------------------------------------------------------------- the synthetic knowledge base


def builtin_folder() -> Path:
    from importlib.util import find_spec

    spec = find_spec("cramp_cli.data")
    if spec is None or spec.origin is None:
        raise Failed("cramp_cli.data (the built-in knowledge base) is not importable")
    return Path(spec.origin).resolve().parent


def builtin_files() -> list[Path]:
    """The files the loader reads: *.yaml only (patterns.yml belongs to the diary)."""
    return sorted(builtin_folder().glob("*.yaml"))


def _yaml() -> Any:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class NoAliases(base):  # type: ignore[misc, valid-type]
        # cramp refuses anchors and aliases: never share a node, even an identical one.
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml, NoAliases


@dataclass
class SyntheticKb:
    folder: Path
    files: list[Path]
    items: int
    shipped_bytes: int
    shipped_entries: int
    bytes: int = 0

    @property
    def total_bytes(self) -> int:
        return self.shipped_bytes + self.bytes

    @property
    def total_entries(self) -> int:
        return self.shipped_entries + self.items


def _templates(yaml: Any, dumper: type, section: str, kind: str) -> list[str]:
    """Each real item of a section as YAML text of a one-item list, id and title marked."""
    texts = []
    for path in builtin_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in document.get(section) or ():
            item = {key: value for key, value in item.items() if key != "override"}
            item["id"] = f"synthetic-{kind}-{PLACEHOLDER}"
            item["title"] = f"{item['title']} (synthetic {PLACEHOLDER})"
            texts.append(
                yaml.dump([item], Dumper=dumper, sort_keys=False, width=100, allow_unicode=True)
            )
    return texts


def make_kb(folder: Path, factor: int) -> SyntheticKb:
    """Synthetic items so that shipped + synthetic = factor x the shipped YAML, in bytes."""
    yaml, dumper = _yaml()
    shipped = builtin_files()
    shipped_bytes = sum(path.stat().st_size for path in shipped)
    shipped_entries = 0
    for path in shipped:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        shipped_entries += sum(
            len(value) for key, value in document.items() if isinstance(value, list)
        )
    folder.mkdir(parents=True, exist_ok=True)
    templates = {
        section: _templates(yaml, dumper, section, kind) for section, kind in SECTIONS.items()
    }
    weights = {section: sum(map(len, texts)) for section, texts in templates.items()}
    extra = (factor - 1) * shipped_bytes
    kb = SyntheticKb(folder, [], 0, shipped_bytes, shipped_entries)
    number = 0
    for section, texts in templates.items():
        share = extra * weights[section] / sum(weights.values())
        parts: list[list[str]] = [[]]
        part_bytes = written = 0
        while written < share:
            number += 1
            text = texts[(number - 1) % len(texts)].replace(PLACEHOLDER, f"{number:06d}")
            size = len(text.encode("utf-8"))
            if part_bytes + size > FILE_BYTES and parts[-1]:
                parts.append([])
                part_bytes = 0
            parts[-1].append(text)
            part_bytes += size
            written += size
            kb.items += 1
        for part in parts:
            if part:
                _write_part(kb, section, part)
    return kb


def _write_part(kb: SyntheticKb, section: str, items: list[str]) -> None:
    path = kb.folder / f"synthetic-{len(kb.files) + 1:02d}-{section}.yaml"
    header = f"# Synthetic {section} written by benchmarks/scale.py.\n{section}:\n"
    path.write_text(header + "".join(items), encoding="utf-8")
    kb.files.append(path)
    kb.bytes += path.stat().st_size


# ---------------------------------------------------------------- timing the knowledge base


@dataclass
class Config:
    command: str  # "why --json" or "search calf --json"
    kb: str  # "shipped" or "{factor}x"
    argv: list[str]
    env: dict[str, str]
    cold: Run | None = None
    warm: list[Run] = field(default_factory=list)

    @property
    def warm_seconds(self) -> float:
        return statistics.median(run.seconds for run in self.warm)

    @property
    def warm_rss(self) -> float | None:
        values = [run.maxrss_kib for run in self.warm if run.maxrss_kib is not None]
        return statistics.median(values) if values else None


def kb_configs(root: Path, kb_dir: Path, label: str) -> list[Config]:
    cramp = cramp_command()
    configs = []
    for command in (["why", "--json"], ["search", "calf", "--json"]):
        for kb, flags in (("shipped", []), (label, ["--kb", str(kb_dir)])):
            folder = root / f"{command[0]}-{kb}"
            configs.append(
                Config(" ".join(command), kb, [*cramp, *flags, *command], private_env(folder))
            )
    return configs


def time_kb(configs: list[Config], rounds: int, seed: int, cwd: str) -> None:
    for config in configs:  # cold: each has its own, empty, cache folder
        config.cold = checked(f"{config.command} ({config.kb}, cold)", config.argv, config.env, cwd)
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(configs)
        rng.shuffle(order)
        for config in order:
            name = f"{config.command} ({config.kb}, warm)"
            config.warm.append(checked(name, config.argv, config.env, cwd))


def kb_tables(configs: list[Config], label: str) -> str:
    heading = (
        f"{'command':<20} {'KB':<8} {'cold ms':>9} {'cold RSS MiB':>12} "
        f"{'warm median ms':>14} {'warm min':>8} {'warm max':>8} {'warm RSS MiB':>12} "
        f"{'stdout KiB':>10}"
    )
    lines = [heading, "-" * len(heading)]
    for config in configs:
        assert config.cold is not None
        times = [run.seconds for run in config.warm]
        lines.append(
            f"{config.command:<20} {config.kb:<8} {_ms(config.cold.seconds):>9} "
            f"{_mib(config.cold.maxrss_kib):>12} {_ms(config.warm_seconds):>14} "
            f"{_ms(min(times)):>8} {_ms(max(times)):>8} {_mib(config.warm_rss):>12} "
            f"{len(config.cold.stdout) / 1024:>10.1f}"
        )
    heading = f"{'command':<20} {'measure':<14} {label + '/shipped':>14}  {'target':<9} result"
    lines += ["", heading, "-" * (len(heading) + 4)]
    by_key = {(config.command, config.kb): config for config in configs}
    for command in dict.fromkeys(config.command for config in configs):
        small, big = by_key[command, "shipped"], by_key[command, label]
        assert small.cold is not None and big.cold is not None
        rows: list[tuple[str, float | None, float | None]] = [
            ("warm time", _ratio(big.warm_seconds, small.warm_seconds), 1.3),
            ("warm peak RSS", _ratio(big.warm_rss, small.warm_rss), 2.0),
            ("cold time", _ratio(big.cold.seconds, small.cold.seconds), None),
            ("cold peak RSS", _ratio(big.cold.maxrss_kib, small.cold.maxrss_kib), None),
        ]
        for measure, ratio, limit in rows:
            shown = "-" if ratio is None else f"{ratio:.2f}"
            target = "-" if limit is None else f"<= {limit:g}x"
            result = (
                "-" if limit is None or ratio is None else ("PASS" if ratio <= limit else "MISS")
            )
            lines.append(f"{command:<20} {measure:<14} {shown:>14}  {target:<9} {result}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the diary


def _kb_ids(name: str, section: str) -> list[str]:
    yaml, _ = _yaml()
    document = yaml.safe_load((builtin_folder() / name).read_text(encoding="utf-8"))
    return [item["id"] for item in document[section]]


def make_diary(path: Path, rows: int, seed: int, env: dict[str, str], cwd: str) -> str:
    """A diary of `rows` entries: one through `cramp log --db`, the rest through the store."""
    checked(
        "cramp log (creating the diary)",
        [
            *cramp_command(),
            "log",
            "--db",
            str(path),
            "--muscle",
            "calf",
            "--at",
            "now",
            "--minutes",
            "2",
            "--severity",
            "5",
            "--json",
        ],
        env,
        cwd,
    )
    from cramp_cli.diary.models import Entry, night_of
    from cramp_cli.diary.store import Diary

    rng = random.Random(seed + rows)
    muscles = _kb_ids("muscles.yaml", "muscles")
    reliefs = [*_kb_ids("relief.yaml", "relief"), None, None]
    triggers = ["long-walk", "hill-climb", "late-coffee", "hot-day", "new-shoes", "standing"]
    now = datetime.now().astimezone().replace(microsecond=0)
    entries = []
    for number in range(rows - 1):
        at = now - timedelta(seconds=rng.randint(3600, DIARY_NIGHTS * 86400))
        entries.append(
            Entry(
                id=f"{number:010x}",
                at=at,
                night=night_of(at),
                muscle=rng.choice(muscles),
                side=rng.choice(["left", "right", "both", None]),
                minutes=round(rng.uniform(0.2, 12), 1),
                severity=rng.randint(1, 10),
                woke=rng.random() < 0.6,
                triggers=tuple(rng.sample(triggers, rng.randint(0, 2))),
                relief=rng.choice(reliefs),
                note="" if rng.random() < 0.8 else "after a long day on my feet",
            )
        )
    opened = Diary.open(path)
    if opened is None:
        raise Failed(f"the diary store could not open {path}")
    with opened as diary:
        _, skipped = diary.add_many(entries)
        if skipped:
            raise Failed(f"{len(skipped)} synthetic entries clashed with existing ids")
        total = diary.count()
    if total != rows:
        raise Failed(f"{path} holds {total} entries, expected {rows}")
    return "cramp log --db, then cramp_cli.diary.store Diary.add_many (one transaction)"


@dataclass
class Timed:
    name: str
    argv: list[str]
    # (base, limit, strict "<"); a limit of None shows the ratio to the base with no target
    target: tuple[str, float | None, bool] | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def rss(self) -> float | None:
        values = [run.maxrss_kib for run in self.runs if run.maxrss_kib is not None]
        return statistics.median(values) if values else None


APP = "minimal Typer app"
RACY_SECONDS = 3.5  # cramp_cli.cache.RACY_NS, and a margin


def time_diary(
    big: Path,
    small: Path,
    big_rows: int,
    app: list[str],
    rounds: int,
    seed: int,
    env: dict[str, str],
    cwd: str,
) -> str:
    cramp = cramp_command()
    small_history = f"cramp history --limit 20 --db SMALL ({SMALL_ROWS})"
    small_uncached_history = f"cramp --no-cache history --limit 20 SMALL ({SMALL_ROWS})"
    small_uncached_report = f"cramp --no-cache report --json SMALL ({SMALL_ROWS})"
    timed = [
        Timed(
            f"cramp report --json --db BIG ({big_rows:,})",
            [*cramp, "report", "--json", "--db", str(big)],
            (APP, 1.5, True),
        ),
        Timed(
            f"cramp report --json --db SMALL ({SMALL_ROWS})",
            [*cramp, "report", "--json", "--db", str(small)],
        ),
        Timed(
            f"cramp history --limit 20 --db BIG ({big_rows:,})",
            [*cramp, "history", "--limit", "20", "--db", str(big)],
            (small_history, 1.2, False),
        ),
        Timed(small_history, [*cramp, "history", "--limit", "20", "--db", str(small)]),
        # Uncached, the diary itself is read: how the SQL side scales.
        Timed(
            f"cramp --no-cache history --limit 20 BIG ({big_rows:,})",
            [*cramp, "--no-cache", "history", "--limit", "20", "--db", str(big)],
            (small_uncached_history, 1.2, False),
        ),
        Timed(
            small_uncached_history,
            [*cramp, "--no-cache", "history", "--limit", "20", "--db", str(small)],
        ),
        Timed(
            f"cramp --no-cache report --json BIG ({big_rows:,})",
            [*cramp, "--no-cache", "report", "--json", "--db", str(big)],
            (small_uncached_report, None, False),
        ),
        Timed(
            small_uncached_report,
            [*cramp, "--no-cache", "report", "--json", "--db", str(small)],
        ),
        Timed(APP, app),
    ]
    for item in timed:  # warm-up: byte code, the knowledge-base cache, the page cache
        checked(item.name, item.argv, env, cwd)
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(timed)
        rng.shuffle(order)
        for item in order:
            item.runs.append(checked(item.name, item.argv, env, cwd))
    by_name = {item.name: item for item in timed}
    heading = (
        f"{'command':<56} {'median ms':>9} {'min':>7} {'max':>7} {'RSS MiB':>8}  "
        f"{'ratio':>6}  {'target':<28} result"
    )
    lines = [heading, "-" * (len(heading) + 4)]
    for item in timed:
        times = [run.seconds for run in item.runs]
        ratio, target, result = "-", "-", "-"
        if item.target is not None:
            base, limit, strict = item.target
            value = item.median / by_name[base].median
            ratio = f"{value:.2f}"
            compared = "the minimal app" if base == APP else "the SMALL diary"
            if limit is not None:
                target = f"{'<' if strict else '<='} {limit:g}x {compared}"
                result = "PASS" if (value < limit if strict else value <= limit) else "MISS"
        lines.append(
            f"{item.name:<56} {_ms(item.median):>9} {_ms(min(times)):>7} {_ms(max(times)):>7} "
            f"{_mib(item.rss):>8}  {ratio:>6}  {target:<28} {result}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=None, help=f"default {DEFAULT_FACTOR}")
    parser.add_argument("--rows", type=int, default=None, help=f"default {DEFAULT_ROWS:,}")
    parser.add_argument("--rounds", type=int, default=None, help=f"default {DEFAULT_ROUNDS}")
    parser.add_argument("--quick", action="store_true", help="factor 10, 10,000 entries, 3 rounds")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="shuffle and data seed")
    args = parser.parse_args(argv)
    factor = args.factor or (QUICK["factor"] if args.quick else DEFAULT_FACTOR)
    rows = args.rows or (QUICK["rows"] if args.quick else DEFAULT_ROWS)
    rounds = args.rounds or (QUICK["rounds"] if args.quick else DEFAULT_ROUNDS)
    if factor < 2 or rows <= SMALL_ROWS or rounds < 1:
        parser.error(f"--factor must be at least 2, --rows over {SMALL_ROWS}, --rounds >= 1")
    label = f"{factor}x"
    root = Path(tempfile.mkdtemp(prefix="cramp-scale-"))
    cwd = str(root)
    try:
        print(
            f"cramp at scale: Python {sys.version.split()[0]}, Typer {typer_version()}, "
            f"cramp as {' '.join(cramp_command())}; {rounds} warm rounds, interleaved "
            f"(shuffled, seed {args.seed})."
        )
        print(f"Peak RSS: {rss_method()}.\nTimes: wall clock, start to reaped.\n")

        started = time.perf_counter()
        kb = make_kb(root / "kb", factor)
        written_at = time.time()
        print(
            f"Knowledge base {label}: {kb.items:,} synthetic items in {len(kb.files)} files "
            f"({kb.bytes / 2**20:.1f} MiB) in {time.perf_counter() - started:.1f} s; with the "
            f"shipped {kb.shipped_bytes / 1024:.0f} KiB ({kb.shipped_entries} entries): "
            f"{kb.total_bytes / kb.shipped_bytes:.1f}x the bytes, "
            f"{kb.total_entries / kb.shipped_entries:.1f}x the entries."
        )
        validate_env = private_env(root / "validate")
        done = checked(
            "cramp --kb DIR kb validate",
            [*cramp_command(), "--kb", str(kb.folder), "kb", "validate"],
            validate_env,
            cwd,
        )
        print(f"cramp --kb DIR kb validate: exit 0 in {done.seconds:.1f} s.")
        # A file written in the last 3 s is re-hashed on every run: let them age first.
        time.sleep(max(0.0, written_at + RACY_SECONDS - time.time()))

        configs = kb_configs(root / "runs", kb.folder, label)
        time_kb(configs, rounds, args.seed, cwd)
        print(
            f"\n`cramp why --json` and `cramp search calf --json`, shipped KB vs {label} "
            "(cold = first run, empty cache folder; warm = median after):\n"
        )
        print(kb_tables(configs, label))

        diary_env = private_env(root / "diary-env")
        started = time.perf_counter()
        big, small = root / "diary" / "big.sqlite3", root / "diary" / "small.sqlite3"
        how = make_diary(big, rows, args.seed, diary_env, cwd)
        make_diary(small, SMALL_ROWS, args.seed, diary_env, cwd)
        print(
            f"\nDiaries: {rows:,} and {SMALL_ROWS} entries over the last {DIARY_NIGHTS} nights "
            f"({big.stat().st_size / 2**20:.1f} MiB), made in "
            f"{time.perf_counter() - started:.1f} s via {how}.\n"
        )
        app = write_minimal_app(root)
        # A diary written in the last few seconds is never answered from the cache (its file
        # time may not change on the next write): wait that out, as any real diary has.
        time.sleep(max(0.0, RACY_SECONDS - (time.time() - big.stat().st_mtime)))
        time.sleep(max(0.0, RACY_SECONDS - (time.time() - small.stat().st_mtime)))
        print(time_diary(big, small, rows, app, rounds, args.seed, diary_env, cwd))
        print("\nA MISS is a finding to look at, not a failure: this script exits 0.")
        if hasattr(os, "getloadavg"):
            print(
                "\nLoad average (1, 5, 15 min) at the end: "
                + ", ".join(f"{x:.2f}" for x in os.getloadavg())
            )
    except Failed as err:
        sys.stdout.flush()
        sys.stderr.write(f"error: {err}\n")
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
