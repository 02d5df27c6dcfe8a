"""What benchmarks/startup.py and benchmarks/scale.py share. Standard library only.

- The install under test: a wheel built from a copy of the repo (so the repo gets no build/
  folder), installed (not editable) in a fresh temporary venv with its dependencies.
- Private environments: a temporary HOME and XDG_* folders, a fixed PATH, LANG, TZ and TERM,
  no CRAMP_*, PYTHON* or other caller variables; every command runs from a temporary folder
  outside the repo.
- Running one process, on pipes or on a pseudo-terminal of a given size, timed from spawn to
  reaped; optionally under GNU time for its own peak RSS.
- Question decks: questions dealt without replacement, so no timed run repeats an earlier one.
- The interleaved loop (every command once a round, in an order shuffled with a fixed seed),
  the table, the PASS/FAIL lines and the exit status.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import platform
import pty
import random
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ROUNDS = 20
QUICK_ROUNDS = 3
DEFAULT_SEED = 20240501
TTY_ROWS = 50
WIDTHS = (60, 140)  # the terminal width of a Rich run, drawn per run
GNU_TIME = "/usr/bin/time"
# Every timed answer runs with the pager off: on a pseudo-terminal a tall answer would otherwise
# wait in less for a key, and the time of a pager is not cramp's.
NO_PAGER = "--no-pager"
# A file changed in the last few seconds may be re-hashed on every run by a cache that keys on
# file times (cramp's did, for 3 s): files the benchmark writes are left to age this long.
SETTLE_SECONDS = 3.5

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


class Failed(Exception):
    """A set-up step or a command could not run: the benchmark exits 2."""


# ---------------------------------------------------------------- running one process


@dataclass
class Run:
    seconds: float
    returncode: int
    output: bytes  # stdout; on a pseudo-terminal, stdout and stderr together
    errors: bytes  # stderr (empty on a pseudo-terminal)
    maxrss_kib: int | None = None  # from GNU time, when asked for

    def tail(self) -> str:
        text = (self.errors or self.output).decode("utf-8", "replace")
        return text[-3000:]


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
        words = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    return int(words[-1]) if words and words[-1].isdigit() else None


def _read_back(handle: Any) -> bytes:
    handle.seek(0)
    data: bytes = handle.read()
    return data


def run(
    argv: Sequence[str],
    env: dict[str, str],
    cwd: str | Path,
    *,
    tty_columns: int | None = None,
    rss: bool = False,
    timeout: float = 600,
) -> Run:
    """Run once: on pipes (stdin /dev/null, stdout read to the end, stderr to a file), or with
    tty_columns on a fresh pseudo-terminal of that many columns and TTY_ROWS rows (stdout and
    stderr both on it, stdin /dev/null so nothing waits for input), read as it is written so
    the child never blocks. The time is wall clock from spawn to reaped. With rss, the command
    runs under GNU time (`-f %M -o FILE`): its own peak RSS in KiB."""
    rss_file = None
    if rss and gnu_time_works():
        handle, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(handle)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file, *argv]
    try:
        if tty_columns is None:
            done = _run_pipe(argv, env, str(cwd), timeout)
        else:
            done = _run_tty(argv, env, str(cwd), tty_columns, timeout)
        if rss_file is not None:
            done.maxrss_kib = _last_int(Path(rss_file))
        return done
    finally:
        if rss_file is not None:
            os.unlink(rss_file)


def _run_pipe(argv: Sequence[str], env: dict[str, str], cwd: str, timeout: float) -> Run:
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
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        elapsed = time.perf_counter() - start
        return Run(elapsed, proc.returncode, out, _read_back(errors))


def _run_tty(
    argv: Sequence[str], env: dict[str, str], cwd: str, columns: int, timeout: float
) -> Run:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TTY_ROWS, columns, 0, 0))
    chunks: list[bytes] = []
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
        )
    finally:
        os.close(slave)
    deadline = start + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.perf_counter()))
            if not ready:
                proc.kill()  # nothing for too long: give up, still reap below
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every copy of the slave side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    code = proc.wait()
    elapsed = time.perf_counter() - start
    return Run(elapsed, code, b"".join(chunks), b"")


# ---------------------------------------------------------------- the install under test


_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".venv",
    "venv*",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".tox",
    ".nox",
)


def _tool_env() -> dict[str, str]:
    """The caller's environment for pip and venv (its index and cache settings), without
    variables that would point Python at other code."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "CRAMP_")) and key not in ("VIRTUAL_ENV", "PIP_USER")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _step(argv: Sequence[str], what: str, cwd: Path) -> str:
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env=_tool_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise Failed(
            f"{what} failed (exit {done.returncode}): {' '.join(argv)}\n"
            + (done.stderr or done.stdout)[-3000:]
        )
    return done.stdout


@dataclass
class Install:
    repo: Path
    wheel: Path
    venv: Path
    versions: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def cramp(self) -> str:
        return str(self.bin / "cramp")

    @property
    def python(self) -> str:
        return str(self.bin / "python")


def build_wheel(repo: Path, work: Path) -> Path:
    """A wheel of `repo`, built from a copy of it (the repo gets no build/ or egg-info)."""
    if not (repo / "pyproject.toml").is_file():
        raise Failed(f"{repo} has no pyproject.toml: not a repo to build")
    source = work / "source"
    shutil.copytree(repo, source, ignore=_NOT_COPIED, symlinks=True)
    dist = work / "dist"
    _step(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
        "building the wheel",
        work,
    )
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        raise Failed(f"expected one wheel in {dist}, found {[w.name for w in wheels]}")
    shutil.rmtree(source, ignore_errors=True)
    return wheels[0]


@functools.cache
def _outside_pip() -> bool:
    """Whether this interpreter's pip can install into another venv (`pip --python`, 22.3+):
    then a venv needs no pip of its own, which saves bootstrapping one."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "--version"],
            env=_tool_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    found = re.match(r"pip (\d+)\.(\d+)", done.stdout)
    return done.returncode == 0 and found is not None and (int(found[1]), int(found[2])) >= (22, 3)


def _pip(venv: Path, args: list[str], what: str) -> None:
    python = str(venv / "bin" / "python")
    if _outside_pip():
        pip = [sys.executable, "-m", "pip", "--python", python]
    else:
        pip = [python, "-m", "pip"]
    _step([*pip, *args], what, venv.parent)


def make_venv(folder: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed the ordinary way (its dependencies from the
    configured index or cache, every module byte-compiled by pip)."""
    flags = ["--without-pip"] if _outside_pip() else []
    _step([sys.executable, "-m", "venv", *flags, str(folder)], "creating a venv", folder.parent)
    _pip(folder, ["install", "-q", str(wheel)], "installing the wheel")
    return folder


def reinstall(venv: Path, wheel: Path) -> None:
    """A real fresh install of cramp into a venv that has its dependencies: pip removes the
    installed files and writes and byte-compiles them again."""
    _pip(venv, ["install", "-q", "--no-deps", "--force-reinstall", str(wheel)], "reinstalling")


_VERSIONS = """
import json, sys
from importlib.metadata import PackageNotFoundError, version
found = {"python": sys.version.split()[0]}
for name in ("cramp", "typer", "click", "rich", "pydantic", "pyyaml"):
    try:
        found[name] = version(name)
    except PackageNotFoundError:
        found[name] = "not installed"
print(json.dumps(found))
"""


def install(repo: Path, work: Path) -> Install:
    wheel = build_wheel(repo, work / "build")
    venv = make_venv(work / "venv", wheel)
    versions = json.loads(_step([str(venv / "bin" / "python"), "-c", _VERSIONS], "versions", work))
    return Install(repo, wheel, venv, versions)


def describe_machine(found: Install) -> str:
    v = found.versions
    packages = ", ".join(
        f"{name} {v[key]}"
        for key, name in (
            ("typer", "Typer"),
            ("click", "Click"),
            ("rich", "Rich"),
            ("pydantic", "Pydantic"),
            ("pyyaml", "PyYAML"),
        )
        if v.get(key) not in (None, "not installed")
    )
    return (
        f"cramp {v['cramp']} ({found.wheel.name}, built from {found.repo}); "
        f"Python {v['python']}, {packages}; {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )


def private_env(home: Path, found: Install) -> dict[str, str]:
    """A new environment, not the caller's: a private HOME and XDG_* folders under `home`,
    PATH with the venv first, LANG=C.UTF-8, TZ=UTC, TERM=xterm-256color; no COLUMNS or LINES
    (a terminal run gets its size from the pseudo-terminal), no CRAMP_*, PYTHON*, NO_COLOR,
    FORCE_COLOR or any other variable of the caller that could change what cramp prints."""
    folders = {
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
        "TMPDIR": home / "tmp",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {key: str(value) for key, value in folders.items()}
    env.update(
        HOME=str(home),
        PATH=os.pathsep.join([str(found.bin), os.defpath.lstrip(os.pathsep) or "/usr/bin:/bin"]),
        LANG="C.UTF-8",
        TZ="UTC",
        TERM="xterm-256color",
    )
    if "LD_LIBRARY_PATH" in os.environ:  # some Python builds need it to start at all
        env["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]
    return env


def user_kb_folder(env: dict[str, str]) -> Path:
    """cramp's user knowledge-base folder in this environment (the XDG data folder on Linux)."""
    return Path(env["XDG_DATA_HOME"]) / "cramp" / "kb"


def write_minimal_app(folder: Path) -> Path:
    path = folder / "minimal_typer_app.py"
    path.write_text(MINIMAL_APP, encoding="utf-8")
    return path


def checked(argv: Sequence[str], env: dict[str, str], cwd: Path, what: str) -> Run:
    """An untimed run that must succeed."""
    done = run(argv, env, cwd)
    if done.returncode != 0:
        raise Failed(f"{what} exited {done.returncode}: {' '.join(argv)}\n{done.tail()}")
    return done


def cramp_json(found: Install, env: dict[str, str], cwd: Path, *args: str) -> dict[str, Any]:
    done = checked([found.cramp, *args, "--json"], env, cwd, f"cramp {' '.join(args)} --json")
    try:
        document = json.loads(done.output)
    except ValueError as err:
        raise Failed(f"cramp {' '.join(args)} --json printed no JSON: {err}") from None
    if not isinstance(document, dict):
        raise Failed(f"cramp {' '.join(args)} --json printed no JSON object")
    return document


def settle(*paths: Path) -> None:
    """Wait until every path is at least SETTLE_SECONDS old (see SETTLE_SECONDS)."""
    newest = max((path.stat().st_mtime for path in paths), default=0.0)
    time.sleep(max(0.0, newest + SETTLE_SECONDS - time.time()))


# ---------------------------------------------------------------- knowledge-base files

# Runs with the venv's python, which has PyYAML (a cramp dependency): copies of the shipped
# items of the given sections (causes, relief, prevention; same fields, sources and tags, new
# ids), as files of at most MAX_BYTES. Mode "factor F": shipped + copies = F times the
# shipped YAML in bytes; mode "items N": N copies per section, in one file. Prints a JSON
# summary.
KB_WRITER = r"""
import json, sys
from importlib.util import find_spec
from pathlib import Path

import yaml

out, mode, amount, max_bytes = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
KINDS = {"causes": "cause", "relief": "relief", "prevention": "prevention"}
SECTIONS = {section: KINDS[section] for section in sys.argv[5].split(",")}
MARK = "QQQQQQ"
spec = find_spec("cramp_cli.data")
if spec is None or not spec.submodule_search_locations:
    sys.exit("cramp_cli.data (the shipped knowledge base) is not importable")
shipped = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.yaml"))
base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class NoAliases(base):
    def ignore_aliases(self, data):  # cramp refuses anchors and aliases
        return True


documents = [yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in shipped]
shipped_bytes = sum(path.stat().st_size for path in shipped)
shipped_entries = sum(
    len(value) for doc in documents for value in doc.values() if isinstance(value, list)
)
templates = {}
for section, kind in SECTIONS.items():
    templates[section] = []
    for doc in documents:
        for item in doc.get(section) or ():
            # A copy names no medicines: one name may belong to only one class of a layer.
            skip = ("override", "names", "names_source")
            item = {key: value for key, value in item.items() if key not in skip}
            item["id"] = f"synthetic-{kind}-{MARK}"
            item["title"] = f"{item['title']} (synthetic {MARK})"
            templates[section].append(
                yaml.dump([item], Dumper=NoAliases, sort_keys=False, width=100, allow_unicode=True)
            )
out.mkdir(parents=True, exist_ok=True)
files, items, written_bytes, number = [], 0, 0, 0


def write(section, texts):
    global written_bytes
    path = out / f"synthetic-{len(files) + 1:02d}-{section}.yaml"
    path.write_text(
        f"# Synthetic {section}, written by cramp's benchmarks.\n{section}:\n" + "".join(texts),
        encoding="utf-8",
    )
    files.append(str(path))
    written_bytes += path.stat().st_size


if mode == "items":  # one file, `amount` copies of each section's first items
    body = []
    for section, texts in templates.items():
        body.append(f"{section}:\n")
        for index in range(int(amount)):
            number += 1
            items += 1
            body.append(texts[index % len(texts)].replace(MARK, f"{number:06d}"))
    path = out / "bench-notes.yaml"
    path.write_text("# Written by cramp's benchmarks.\n" + "".join(body), encoding="utf-8")
    files.append(str(path))
    written_bytes += path.stat().st_size
else:
    weights = {section: sum(map(len, texts)) for section, texts in templates.items()}
    extra = (amount - 1) * shipped_bytes
    for section, texts in templates.items():
        share = extra * weights[section] / sum(weights.values())
        part, part_bytes, done = [], 0, 0
        while done < share:
            number += 1
            text = texts[(number - 1) % len(texts)].replace(MARK, f"{number:06d}")
            size = len(text.encode("utf-8"))
            if part and part_bytes + size > max_bytes:
                write(section, part)
                part, part_bytes = [], 0
            part.append(text)
            part_bytes += size
            done += size
            items += 1
        if part:
            write(section, part)
print(json.dumps({
    "files": files, "items": items, "bytes": written_bytes,
    "shipped_bytes": shipped_bytes, "shipped_entries": shipped_entries,
}))
"""


def write_kb(
    found: Install,
    folder: Path,
    mode: str,
    amount: float,
    max_bytes: int,
    sections: Sequence[str] = ("causes", "relief", "prevention"),
) -> Any:
    """Synthetic knowledge-base files in `folder` (see KB_WRITER); their summary."""
    folder.mkdir(parents=True, exist_ok=True)
    args = [str(folder), mode, str(amount), str(max_bytes), ",".join(sections)]
    out = _step(
        [found.python, "-c", KB_WRITER, *args],
        "writing knowledge-base files",
        folder,
    )
    return json.loads(out)


# ---------------------------------------------------------------- questions


_STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        "about after again also been before being does doing from have into just more most much "
        "only other over same some such than that their them then there these they this those "
        "very what when where which while with your",
    )
)


@dataclass
class Vocabulary:
    """What cramp can be asked about, read once (untimed) from its own JSON output."""

    muscle_ids: list[str]
    muscle_names: list[str]  # ids and aliases
    signs: list[str]
    show_ids: list[str]  # every item but the sources
    source_ids: list[str]
    words: list[str]
    who: list[str]
    when: list[str]
    grades: list[str]
    relief_ids: list[str]


def vocabulary(found: Install, env: dict[str, str], cwd: Path) -> Vocabulary:
    def ask(*args: str) -> list[dict[str, Any]]:
        items = cramp_json(found, env, cwd, *args).get("items")
        if not isinstance(items, list) or not items:
            raise Failed(f"cramp {' '.join(args)} --json listed no items")
        return [item for item in items if isinstance(item, dict)]

    muscles = ask("muscles")
    signs = ask("check", "--list")
    sources = ask("sources")
    causes = ask("why")
    relief = ask("relieve")
    prevention = ask("prevent")
    lookalikes = ask("lookalikes")
    entries = [*causes, *relief, *prevention]
    names: list[str] = [str(muscle["id"]) for muscle in muscles]
    names += [str(alias) for muscle in muscles for alias in muscle.get("aliases") or ()]
    relief_ids = {str(item["id"]) for item in relief}
    relief_ids.update(str(ref) for muscle in muscles for ref in muscle.get("relief") or ())
    show_ids = [
        str(item["id"]) for item in (*causes, *relief, *prevention, *lookalikes, *signs, *muscles)
    ]
    words: set[str] = set()
    for item in (*entries, *lookalikes, *sources):
        words.update(re.findall(r"[a-z]{4,}", str(item.get("title", "")).lower()))
    grades = {
        str(item["evidence"]["grade"])
        for item in entries
        if isinstance(item.get("evidence"), dict) and item["evidence"].get("grade")
    }
    return Vocabulary(
        muscle_ids=[str(muscle["id"]) for muscle in muscles],
        muscle_names=list(dict.fromkeys(names)),
        signs=[str(sign["id"]) for sign in signs],
        show_ids=list(dict.fromkeys(show_ids)),
        source_ids=[str(item["id"]) for item in sources],
        words=sorted(words - _STOP_WORDS),
        who=sorted({str(tag) for item in entries for tag in item.get("who") or ()}),
        when=sorted({str(tag) for item in entries for tag in item.get("when") or ()}),
        grades=sorted(grades),
        relief_ids=sorted(relief_ids),
    )


class Deck:
    """Questions dealt without replacement. The groups are shuffled one by one (fixed seed) and
    dealt in order, so the plainest questions come first. If the deck runs out, it is dealt
    again and `repeated` counts the repeats (reported: those runs may benefit from earlier
    ones)."""

    def __init__(self, name: str, groups: Iterable[Iterable[tuple[str, ...]]], seed: int):
        self.name = name
        self._rng = random.Random(f"{seed}-{name}")
        self._questions: list[tuple[str, ...]] = []
        for group in groups:
            part = list(dict.fromkeys(group))
            self._rng.shuffle(part)
            self._questions += [q for q in part if q not in self._questions]
        if not self._questions:
            raise Failed(f"no questions for {name}")
        self._next = 0
        self._dealt: list[tuple[str, ...]] = []
        self.repeated = 0

    def draw(self) -> tuple[str, ...]:
        if self._next == len(self._questions):
            self._next = 0
            self._rng.shuffle(self._questions)
        if len(self._dealt) >= len(self._questions):
            self.repeated += 1
        question = self._questions[self._next]
        self._next += 1
        self._dealt.append(question)
        return question

    def at(self, index: int) -> tuple[str, ...]:
        """The index-th question dealt (dealing up to it): two benches that ask the same
        questions in the same order (paired comparisons) use this instead of draw()."""
        while len(self._dealt) <= index:
            self.draw()
        return self._dealt[index]


def why_deck(words: Vocabulary, seed: int) -> Deck:
    singles: list[tuple[str, ...]] = [()]
    singles += [("--who", tag) for tag in words.who]
    singles += [("--min-evidence", grade) for grade in words.grades]
    singles += [("--when", tag) for tag in words.when]
    pairs = [("--who", w, "--min-evidence", g) for w in words.who for g in words.grades]
    pairs += [("--who", w, "--when", t) for w in words.who for t in words.when]
    return Deck("why", [singles, pairs], seed)


def relieve_deck(words: Vocabulary, seed: int) -> Deck:
    plain = [("--muscle", name) for name in words.muscle_names]
    graded = [
        ("--muscle", n, "--min-evidence", g) for n in words.muscle_names for g in words.grades
    ]
    return Deck("relieve", [plain, graded], seed)


def check_deck(words: Vocabulary, seed: int) -> Deck:
    signs = words.signs
    pairs = [("--sign", f"{a},{b}") for i, a in enumerate(signs) for b in signs[i + 1 :] if a != b]
    return Deck("check", [pairs], seed)


def search_deck(words: Vocabulary, seed: int) -> Deck:
    return Deck("search", [[(word,) for word in words.words]], seed)


def show_deck(words: Vocabulary, seed: int, *, sources: bool = True) -> Deck:
    """Ids of every kind; with sources=False none of a source, whose answer lists every item
    that cites it (so it grows with the knowledge base)."""
    ids = [*words.show_ids, *(words.source_ids if sources else ())]
    return Deck("show", [[(item,) for item in dict.fromkeys(ids)]], seed)


# ---------------------------------------------------------------- the loop


@dataclass
class Invocation:
    argv: list[str]
    env: dict[str, str]
    tty_columns: int | None = None  # None: pipes
    question: tuple[str, ...] | None = None  # None: a fixed command (no question to vary)


@dataclass(frozen=True)
class Target:
    limit: float
    base: str  # the name of the bench the ratio is to
    base_label: str  # how the target names it: "app", "shipped KB", ...
    metric: str = "time"  # or "rss"

    @property
    def label(self) -> str:
        what = "" if self.metric == "time" else " RSS"
        return f"<= {self.limit:g}x {self.base_label}{what}"


@dataclass
class Bench:
    name: str
    next: Callable[[int], Invocation]  # the round number -> what to run (untimed)
    targets: tuple[Target, ...] = ()
    runs: list[Run] = field(default_factory=list)
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    failure: str | None = None

    def median(self, metric: str = "time") -> float | None:
        if metric == "time":
            values: list[float] = [done.seconds for done in self.runs]
        else:
            values = [done.maxrss_kib for done in self.runs if done.maxrss_kib is not None]
        return statistics.median(values) if values else None


def measure(benches: list[Bench], rounds: int, seed: int, cwd: Path, *, rss: bool = False) -> None:
    """Every bench once a round, in an order shuffled with `seed`. A bench whose command fails
    is kept out of later rounds; its failure is reported."""
    rng = random.Random(seed)
    for number in range(rounds):
        order = [bench for bench in benches if bench.failure is None]
        rng.shuffle(order)
        for bench in order:
            try:
                call = bench.next(number)
            except Failed as err:
                bench.failure = str(err)
                continue
            done = run(call.argv, call.env, cwd, tty_columns=call.tty_columns, rss=rss)
            if done.returncode != 0:
                bench.failure = (
                    f"exited {done.returncode}: {' '.join(call.argv)}"
                    f"{f' (on a {call.tty_columns}-column pty)' if call.tty_columns else ''}\n"
                    f"{done.tail()}"
                )
                continue
            bench.runs.append(done)
            if call.question is not None:
                bench.asked.append((call.env["HOME"], call.question))


def repeated_questions(benches: list[Bench]) -> list[str]:
    """Questions asked twice in the same private HOME (one could have helped the other)."""
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    repeats = []
    for bench in benches:
        for key in bench.asked:
            if key in seen:
                repeats.append(f"{bench.name}: {' '.join(key[1])} (also in {seen[key]})")
            seen.setdefault(key, bench.name)
    return repeats


def questions_asked(benches: list[Bench]) -> int:
    return sum(len(bench.asked) for bench in benches)


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def _mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


@dataclass
class Verdict:
    bench: Bench
    target: Target
    ratio: float | None  # None: it or its base could not run

    @property
    def passed(self) -> bool:
        return self.ratio is not None and self.ratio <= self.target.limit

    @property
    def word(self) -> str:
        return "PASS" if self.passed else "FAIL"


def verdicts(benches: list[Bench]) -> list[Verdict]:
    by_name = {bench.name: bench for bench in benches}
    found = []
    for bench in benches:
        for target in bench.targets:
            value, base = bench.median(target.metric), by_name[target.base].median(target.metric)
            ratio = None if value is None or not base or bench.failure else value / base
            found.append(Verdict(bench, target, ratio))
    return found


def table(benches: list[Bench], *, rss: bool = False) -> str:
    """One row per bench and target: command, median, min, max (ms), [peak RSS], ratio, target,
    result. A bench with no target shows its ratio to the first base named by any target."""
    results = verdicts(benches)
    width = max(len(bench.name) for bench in benches)
    rss_heading = f" {'RSS MiB':>7}" if rss else ""
    heading = (
        f"{'command':<{width}} {'median ms':>9} {'min':>7} {'max':>7}{rss_heading} "
        f"{'ratio':>6}  {'target':<22} result"
    )
    lines = [heading, "-" * (len(heading) + 2)]
    for bench in benches:
        times = [done.seconds for done in bench.runs]
        first = True
        rows: list[Verdict | None] = [v for v in results if v.bench is bench] or [None]
        for verdict in rows:
            if first:
                name = bench.name
                median, low, high = (
                    bench.median(),
                    min(times, default=None),
                    max(times, default=None),
                )
                stats = f"{_ms(median):>9} {_ms(low):>7} {_ms(high):>7}"
                if rss:
                    stats += f" {_mib(bench.median('rss')):>7}"
            else:
                name, stats = "", " " * (9 + 8 + 8 + (8 if rss else 0))
            if verdict is None:
                ratio, target, result = "-", "-", "error" if bench.failure else "-"
            else:
                ratio = "-" if verdict.ratio is None else f"{verdict.ratio:.2f}"
                target = verdict.target.label
                result = "error" if bench.failure else verdict.word
            lines.append(f"{name:<{width}} {stats} {ratio:>6}  {target:<22} {result}")
            first = False
    return "\n".join(lines)


def target_lines(benches: list[Bench]) -> list[str]:
    lines = []
    for verdict in verdicts(benches):
        what = "time" if verdict.target.metric == "time" else "peak RSS"
        if verdict.ratio is None:
            lines.append(
                f"FAIL  {verdict.bench.name}: could not be measured (target {verdict.target.label})"
            )
            continue
        lines.append(
            f"{verdict.word}  {verdict.bench.name}: {what} {verdict.ratio:.2f}x "
            f"{verdict.target.base_label} (target {verdict.target.label})"
        )
    return lines


def finish(
    benches: list[Bench],
    decks: Sequence[Deck],
    *,
    quick: bool,
    rss: bool = False,
    notes: Sequence[str] = (),
) -> int:
    """Print the table, the PASS/FAIL lines, the notes and the failures; return the exit
    status: 2 if a command could not run, else 1 if a target failed (not with --quick),
    else 0."""
    print(table(benches, rss=rss))
    print()
    results = verdicts(benches)
    for line in target_lines(benches):
        print(line)
    if notes:
        print()
        for line in notes:
            print(line)
    repeats = repeated_questions(benches)
    ran_out = [f"{deck.name} ({deck.repeated} repeats)" for deck in decks if deck.repeated]
    print(
        f"\nQuestions: {questions_asked(benches)} timed runs asked a question; "
        + (
            f"{len(repeats)} repeated one asked before in the same HOME"
            if repeats
            else "none repeated a question asked before in the same HOME"
        )
        + (f"; decks dealt again: {', '.join(ran_out)}" if ran_out else "")
        + "."
    )
    for line in repeats[:10]:
        print(f"  repeated: {line}")
    if hasattr(os, "getloadavg"):
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"Load average (1, 5, 15 min) at the end: {load}")
    failed = [bench for bench in benches if bench.failure]
    missed = sum(not verdict.passed for verdict in results)
    print(
        f"\n{len(results) - missed} of {len(results)} targets PASS, {missed} FAIL"
        + (f"; {len(failed)} command(s) could not run" if failed else "")
        + (" (--quick: targets do not change the exit status)" if quick else "")
        + "."
    )
    if failed:
        sys.stdout.flush()
        for bench in failed:
            sys.stderr.write(f"error: {bench.name}: {bench.failure}\n")
        return 2
    if missed and not quick:
        return 1
    return 0


def random_width(rng: random.Random) -> int:
    return rng.randint(*WIDTHS)
