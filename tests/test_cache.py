"""The caches through the real installed command, in subprocesses, each test with its own.

"The cache is never a risk": a changed file invalidates it; a corrupt, truncated, unreadable
or unwritable cache is ignored (and rebuilt when possible), never fatal, never trusted; two
processes building it at once do not corrupt it; CRAMP_NO_CACHE=1 and --no-cache bypass it;
the output is byte-identical with and without it.

Three files are covered: the answers (<sha256>.json), the validated knowledge base
(kb-<sha256>.json) and the content hashes of the knowledge-base files (hashes.json).
CI sets CRAMP_INSTALLED_BIN to a cramp installed from the wheel; otherwise the console script
beside this Python is used. Others may edit this tree while the tests run, and the cache key
includes cramp's own code: a scenario that fails while the code or data changed under it is
run again (see _steadily).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cramp_cli import cache
from tests.conftest import DATA

CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(Path(sys.executable).parent / "cramp")
ANSWER_NAME = re.compile(r"^[0-9a-f]{64}\.answer$")
KB_NAME = re.compile(r"^kb-[0-9a-f]{64}\.json$")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Environment that shapes the output or the cache: each sandbox sets what it needs.
_DROPPED = (
    *cache.KEY_ENV,
    "CRAMP_",
    "XDG_",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONWARNINGS",
)
HEAVY = {"typer", "click", "pydantic", "yaml", "rich"}
WORKERS = max(2, 2 * (os.cpu_count() or 1))

# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Done:
    out: bytes
    err: str
    code: int

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    def imported(self) -> set[str]:
        """Top-level modules imported, from PYTHONPROFILEIMPORTTIME's report on stderr."""
        found = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", self.err, re.M)
        return {name.split(".")[0] for name in found}

    def real_err(self) -> str:
        """stderr without PYTHONPROFILEIMPORTTIME's lines."""
        return "".join(
            line for line in self.err.splitlines(True) if not line.startswith("import time:")
        )


class Sandbox:
    """A private cramp: its own answer cache, user folders and working folder."""

    def __init__(self, root: Path, cwd: Path | None = None, **env: str) -> None:
        self.root = root
        self.cache = root / "cache"
        self.cwd = cwd or root / "cwd"
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not any(key == name or key.startswith(name) for name in _DROPPED)
        }
        self.env.update(
            COLUMNS="80",
            CRAMP_CACHE_DIR=str(self.cache),
            XDG_CACHE_HOME=str(root / "xdg-cache"),
            XDG_DATA_HOME=str(root / "xdg-data"),
            XDG_CONFIG_HOME=str(root / "xdg-config"),
            XDG_STATE_HOME=str(root / "xdg-state"),
        )
        self.env.update(env)

    def _env(self, extra: dict[str, str | None]) -> dict[str, str]:
        env = dict(self.env)
        for key, value in extra.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def start(self, *args: str, **extra: str | None) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [CRAMP, *args],
            cwd=self.cwd,
            env=self._env(extra),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def run(self, *args: str, stdin: bytes | None = None, **extra: str | None) -> Done:
        done = subprocess.run(
            [CRAMP, *args],
            cwd=self.cwd,
            env=self._env(extra),
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=30,  # a cache file that blocks (a FIFO) must not hang the suite
        )
        return Done(done.stdout, done.stderr.decode("utf-8", "replace"), done.returncode)

    def answers(self) -> list[Path]:
        return _answers(self.cache)

    def kb_file(self) -> Path:
        found = [path for path in _listing(self.cache) if KB_NAME.match(path.name)]
        assert len(found) == 1, found
        return found[0]


def _listing(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _answers(folder: Path) -> list[Path]:
    return [path for path in _listing(folder) if ANSWER_NAME.match(path.name)]


def _leftovers(folder: Path) -> list[Path]:
    return [path for path in _listing(folder) if path.name.startswith(".tmp-")]


def _identity(path: Path) -> tuple[int, int]:
    """Changes when a file is written again (a new file is renamed over it)."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _served(path: Path) -> tuple[int | None, bytes]:
    """What a hit on the answer file at `path` prints, and its exit status (None: a miss)."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    with contextlib.redirect_stdout(stream):
        status = cache._serve_answer(str(path))
    stream.flush()
    return status, stream.buffer.getvalue()  # type: ignore[attr-defined]


def _answer_document(path: Path) -> dict[str, Any]:
    status, out = _served(path)
    assert status is not None, f"{path} is not a whole answer"
    assert status in (0, 3, 4, 5)
    return {"exit": status, "stdout": out.decode("utf-8")}


def _run_all(jobs: Iterable[tuple[Sandbox, tuple[str, ...], dict[str, str | None]]]) -> list[Done]:
    """Run several commands, a few at a time; results in the order given."""
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(box.run, *args, **extra) for box, args, extra in jobs]
        return [future.result() for future in futures]


def _at_once(box: Sandbox, commands: list[tuple[str, ...]]) -> list[Done]:
    """Start every command before waiting for any: they build the cache at the same time."""
    processes = [box.start(*args) for args in commands]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        results.append(Done(out, err.decode("utf-8", "replace"), process.returncode))
    return results


def _tree_stamp() -> tuple[Any, ...]:
    """cramp's code and data as the cache key sees them (others may be editing this tree)."""
    data = tuple(
        (path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in _listing(DATA)
    )
    return (*cache._code_stamp(), data)


def _steadily(scenario: Callable[[int], None]) -> None:
    """Run a scenario; run it again (at most twice) if it failed while the code or the data
    changed under it: a changed cramp is a new cache key, so an expected hit is a miss."""
    for attempt in range(3):
        before = _tree_stamp()
        try:
            scenario(attempt)
            return
        except AssertionError:
            if attempt == 2 or _tree_stamp() == before:
                raise


def _assert_right(done: Done, expected: Done, what: str = "") -> None:
    assert done.real_err() == "", f"{what}: {done.err}"
    assert done.code == expected.code, what
    assert done.out == expected.out, what


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _user_cause(title: str) -> str:
    return (
        "causes:\n"
        "  - id: my-own-cause\n"
        "    group: belief\n"
        f"    title: {title}\n"
        "    summary: Something I noticed myself.\n"
        "    details: It seems to happen after long drives.\n"
        "    who: [everyone]\n"
        "    when: [night]\n"
        "    sources: [seed-article]\n"
        "    evidence: {grade: none, note: Only my own notes.}\n"
    )


def _titles(done: Done) -> list[str]:
    assert done.code == 0, done.err
    return [item["title"] for item in json.loads(done.out)["items"]]


# ---------------------------------------------------------------- a warm cache to break


@dataclass(frozen=True)
class Warm:
    """A cache filled by `why --json`, and the right answer (computed without any cache)."""

    template: Sandbox
    reference: Done
    stamp: tuple[Any, ...]


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], tuple[Sandbox, Done]]:
    """A copy of a warm cache in a new sandbox (same working folder, so the same keys)."""
    base = tmp_path_factory.mktemp("warm")
    state: dict[str, Warm] = {}

    def build() -> Warm:
        template = Sandbox(base / f"template-{len(list(base.iterdir()))}")
        reference = template.run("why", "--json", CRAMP_NO_CACHE="1")
        assert reference.code == 0, reference.err
        assert not template.cache.exists()
        _assert_right(template.run("why", "--json"), reference, "filling the cache")
        assert len(template.answers()) == 1
        template.kb_file()
        assert (template.cache / "hashes.json").is_file()
        return Warm(template, reference, _tree_stamp())

    def copy(root: Path) -> tuple[Sandbox, Done]:
        current = state.get("warm")
        if current is None or current.stamp != _tree_stamp():
            current = state["warm"] = build()
        box = Sandbox(root, cwd=current.template.cwd)
        shutil.copytree(current.template.cache, box.cache)
        return box, current.reference

    return copy


# ---------------------------------------------------------------- byte-identical

COMMANDS: list[tuple[tuple[str, ...], int]] = [
    (("why",), 0),
    (("relieve", "--muscle", "calf"), 0),
    (("prevent", "--who", "pregnancy"), 0),
    (("check", "--sign", "chest-pain", "--exit-code"), 5),
    (("search", "magnesum"), 0),
    (("show", "cold"), 0),
    (("sources",), 0),
]
FORMATS: dict[str, tuple[tuple[str, ...], dict[str, str | None]]] = {
    "json": (("--json",), {}),
    "plain": (("--format", "plain"), {}),
    "markdown": (("--format", "markdown"), {}),
    "jsonl": (("--format", "jsonl"), {}),
    "rich-colour": ((), {"FORCE_COLOR": "1"}),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_identical_without_cache_on_a_miss_and_on_a_hit(
    fmt: str, tmp_path: Path
) -> None:
    flags, extra = FORMATS[fmt]

    def scenario(attempt: int) -> None:
        box = Sandbox(tmp_path / f"try-{attempt}")
        commands = [((*args, *flags), code) for args, code in COMMANDS]

        def phase(**more: str | None) -> list[Done]:
            return _run_all((box, args, {**extra, **more}) for args, _ in commands)

        uncached = phase(CRAMP_NO_CACHE="1")
        assert not box.cache.exists(), "CRAMP_NO_CACHE=1 wrote to the cache"
        misses = phase()
        stored = {path: _identity(path) for path in box.answers()}
        assert len(stored) == len(commands), "one answer file per command"
        hits = phase(PYTHONPROFILEIMPORTTIME="1")
        for (args, code), before, miss, hit in zip(commands, uncached, misses, hits, strict=True):
            what = " ".join(args)
            assert before.code == code, f"{what}: {before.err}"
            assert before.err == "", what
            assert before.out, what
            _assert_right(miss, before, f"{what} (miss)")
            _assert_right(hit, before, f"{what} (hit)")
            assert not hit.imported() & HEAVY, f"{what}: a hit imported {hit.imported() & HEAVY}"
        # The hits read the stored answers and rewrote nothing.
        assert {path: _identity(path) for path in box.answers()} == stored
        for path in stored:
            _answer_document(path)
        if fmt == "rich-colour":
            assert b"\x1b[" in uncached[0].out, "FORCE_COLOR=1 should give colour"

    _steadily(scenario)


def test_a_hit_imports_nothing_heavy_and_a_miss_fills_both_caches(tmp_path: Path) -> None:
    def scenario(attempt: int) -> None:
        box = Sandbox(tmp_path / f"try-{attempt}")
        first = box.run("why", "--json", PYTHONPROFILEIMPORTTIME="1")
        assert first.code == 0 and first.real_err() == ""
        assert {"typer", "yaml"} <= first.imported()
        assert len(box.answers()) == 1
        box.kb_file()
        second = box.run("why", "--json", PYTHONPROFILEIMPORTTIME="1")
        assert second.out == first.out and second.code == 0
        assert not second.imported() & HEAVY
        # A new question reuses the validated knowledge base: no YAML is parsed.
        other = box.run("prevent", "--json", PYTHONPROFILEIMPORTTIME="1")
        assert other.code == 0 and other.real_err() == ""
        assert "typer" in other.imported()
        assert "yaml" not in other.imported()
        assert len(box.answers()) == 2

    _steadily(scenario)


# ---------------------------------------------------------------- large answers


def _many_causes(count: int) -> str:
    """A user file of `count` causes: enough of them make an answer several chunks long."""
    template = _user_cause("My own cause number {n}").split("\n", 1)[1]
    return "causes:\n" + "".join(
        template.replace("my-own-cause", f"my-own-cause-{n}").replace("{n}", str(n))
        for n in range(count)
    )


@pytest.mark.parametrize("fmt", ["--json", "--format=jsonl"])
def test_a_large_answer_is_byte_identical_on_a_hit(fmt: str, tmp_path: Path) -> None:
    # Past the first chunk, a hit copies the file to stdout with sendfile: through a pipe
    # here, and byte for byte what the command itself printed.
    kb = _write(tmp_path / "many.yaml", _many_causes(1500))
    box = Sandbox(tmp_path)
    reference = box.run("--kb", str(kb), "why", fmt, CRAMP_NO_CACHE="1")
    assert reference.code == 0, reference.err
    assert len(reference.out) > cache._CHUNK
    _assert_right(box.run("--kb", str(kb), "why", fmt), reference, "the miss")
    [answer] = box.answers()
    stamp = _identity(answer)
    _assert_right(box.run("--kb", str(kb), "why", fmt), reference, "the hit")
    assert _identity(answer) == stamp, "the second run should be a hit"
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        subprocess.run(
            [CRAMP, "--kb", str(kb), "why", fmt],
            cwd=box.cwd,
            env=box.env,
            stdout=handle,
            check=True,
        )
    assert out.read_bytes() == reference.out, "a hit into a regular file"


def _large_answer(path: Path, size: int = 3 * 256 * 1024 + 17) -> str:
    text = "".join(f"line {n:07d} of a large answer\n" for n in range(size // 29 + 1))
    path.write_bytes(cache.encode_answer(0, text, "utf-8"))
    return text


def test_a_large_answer_served_to_a_stream_without_a_descriptor(tmp_path: Path) -> None:
    answer = tmp_path / "big.answer"
    text = _large_answer(answer)
    assert _served(answer) == (0, text.encode("utf-8"))


@pytest.mark.parametrize("where", [0, 100_000, 300_000, -1])
def test_a_large_answer_with_one_byte_changed_anywhere_is_a_miss(
    where: int, tmp_path: Path
) -> None:
    # In the first chunk, a middle one or the last: every chunk is checked before a byte
    # is printed.
    answer = tmp_path / "big.answer"
    _large_answer(answer)
    data = bytearray(answer.read_bytes())
    data[where] ^= 0x01 if where else 0x20
    answer.write_bytes(bytes(data))
    assert _served(answer) == (None, b"")


@pytest.mark.parametrize("change", ["one-byte-short", "one-byte-long"])
def test_a_large_answer_of_the_wrong_length_is_a_miss(change: str, tmp_path: Path) -> None:
    answer = tmp_path / "big.answer"
    _large_answer(answer)
    data = answer.read_bytes()
    answer.write_bytes(data[:-1] if change == "one-byte-short" else data + b"x")
    assert _served(answer) == (None, b"")


# ---------------------------------------------------------------- a changed file invalidates


def test_a_changed_builtin_file_invalidates(tmp_path: Path, kb_copy: Path) -> None:
    box = Sandbox(tmp_path / "box", CRAMP_DATA_DIR=str(kb_copy))
    causes = kb_copy / "causes.yaml"
    text = causes.read_text(encoding="utf-8")
    assert "title: What a night cramp is\n" in text
    first = box.run("why", "--json")
    assert "What a night cramp is" in _titles(first)
    _write(causes, text.replace("What a night cramp is", "What a night cramp really is"))
    second = box.run("why", "--json")
    assert "What a night cramp really is" in _titles(second)
    assert "What a night cramp is" not in _titles(second)
    # The new answer is cached in turn, and an undo brings the old one back.
    assert box.run("why", "--json").out == second.out
    _write(causes, text)
    assert box.run("why", "--json").out == first.out


def test_a_same_size_edit_within_the_same_second_invalidates(tmp_path: Path, kb_copy: Path) -> None:
    """A coarse file clock gives two quick writes of the same size the same time: the file's
    size and time are then the same, and only its content changed."""
    box = Sandbox(tmp_path / "box", CRAMP_DATA_DIR=str(kb_copy))
    causes = kb_copy / "causes.yaml"
    text = causes.read_text(encoding="utf-8")
    changed = text.replace("What a night cramp is", "What a night cramp IS")
    assert len(changed.encode()) == len(text.encode()) and changed != text
    _write(causes, text)  # just written, as an editor would
    written = causes.stat()
    first = box.run("why", "--json")
    assert "What a night cramp is" in _titles(first)
    _write(causes, changed)
    os.utime(causes, ns=(written.st_atime_ns, written.st_mtime_ns))
    assert causes.stat().st_size == written.st_size
    assert causes.stat().st_mtime_ns == written.st_mtime_ns
    second = box.run("why", "--json")
    if time.time_ns() - written.st_mtime_ns >= cache.RACY_NS:
        pytest.skip("this machine is too slow to edit within the racy window")
    assert "What a night cramp IS" in _titles(second)
    assert "What a night cramp is" not in _titles(second)


def test_a_changed_kb_flag_file_invalidates(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    mine = _write(tmp_path / "mine.yaml", _user_cause("My first title"))
    assert "My first title" in _titles(box.run("--kb", str(mine), "why", "--json"))
    _write(mine, _user_cause("My second, longer title"))
    titles = _titles(box.run("--kb", str(mine), "why", "--json"))
    assert "My second, longer title" in titles and "My first title" not in titles
    # --kb=PATH is the same flag.
    _write(mine, _user_cause("My third title"))
    assert "My third title" in _titles(box.run(f"--kb={mine}", "why", "--json"))


def test_a_changed_cramp_kb_file_invalidates(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    mine = _write(tmp_path / "env" / "mine.yaml", _user_cause("From the environment"))
    assert "From the environment" in _titles(box.run("why", "--json", CRAMP_KB=str(mine)))
    _write(mine, _user_cause("Changed in the environment"))
    titles = _titles(box.run("why", "--json", CRAMP_KB=str(mine)))
    assert "Changed in the environment" in titles and "From the environment" not in titles
    # A folder in CRAMP_KB: a file added to it counts too.
    _write(mine.parent / "more.yaml", _user_cause("Another one").replace("my-own", "my-other"))
    titles = _titles(box.run("why", "--json", CRAMP_KB=str(mine.parent)))
    assert {"Changed in the environment", "Another one"} <= set(titles)


def test_a_file_added_to_or_removed_from_the_user_folder_invalidates(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    paths = box.run("kb", "paths", "--json")
    assert paths.code == 0, paths.err
    layers = json.loads(paths.out)["layers"]
    user_folder = Path(next(layer["source"] for layer in layers if layer["name"] == "user"))
    assert user_folder.is_relative_to(box.root), "the user folder should be the sandbox's"
    before = box.run("why", "--json")
    assert "Mine, from the user folder" not in _titles(before)
    added = _write(user_folder / "mine.yaml", _user_cause("Mine, from the user folder"))
    assert "Mine, from the user folder" in _titles(box.run("why", "--json"))
    added.unlink()  # the folder stays, empty
    assert box.run("why", "--json").out == before.out


# ---------------------------------------------------------------- broken cache files


def _replace_with(path: Path, make: Callable[[Path], None]) -> None:
    path.unlink()
    make(path)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "no-such-file.json")


def _fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(path)


def _device(path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    path.symlink_to("/dev/zero")  # endless bytes: reading it must not be tried


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.json").write_text("{}", encoding="utf-8")


def _unreadable(path: Path) -> None:
    if IS_ROOT:
        pytest.skip("root reads a chmod 000 file anyway (the FIFO and device cases cover it)")
    path.chmod(0)


def _json(value: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(json.dumps(value), encoding="utf-8")

    return write


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _in_place(make: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda path: _replace_with(path, make)


# What every cache file may become. Each entry: (breaks the file, the file can be rebuilt).
BROKEN: dict[str, tuple[Callable[[Path], None], bool]] = {
    "garbage-bytes": (_bytes(b"\x00\xff\xfe\x80 not json at all \x9c"), True),
    "truncated": (_truncate, True),
    "empty": (_bytes(b""), True),
    "json-list": (_json([1, 2, 3]), True),
    "deeply-nested": (_bytes(b"[" * 200_000 + b"]" * 200_000), True),
    "directory": (_in_place(_directory), False),
    "dangling-symlink": (_in_place(_dangling), True),
    "fifo": (_in_place(_fifo), True),
    "device": (_in_place(_device), True),
    "unreadable": (_unreadable, True),
}


def _answer(status: int, text: str, **header: Any) -> Callable[[Path], None]:
    """A well-formed answer file whose header is then changed: never trusted."""

    def write(path: Path) -> None:
        data = cache.encode_answer(status, text, "utf-8")
        head, _, body = data.partition(b"\n")
        fields = json.loads(head[len(b"cramp-answer ") :]) | header
        path.write_bytes(b"cramp-answer " + json.dumps(fields).encode() + b"\n" + body)

    return write


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x20  # same length, one letter's case changed
    path.write_bytes(bytes(data))


ANSWER_BROKEN: dict[str, tuple[Callable[[Path], None], bool]] = {
    **BROKEN,
    "one-byte-changed": (_flip_a_byte, True),
    "length-wrong": (_answer(0, "WRONG\n", length=3), True),
    "crc-wrong": (_answer(0, "WRONG\n", crc32=1), True),
    "exit-99-header": (_answer(0, "WRONG\n", exit=99), True),
    "future-format-header": (_answer(0, "WRONG\n", format=99), True),
    "stdout-not-text": (_json({"format": 1, "exit": 0, "stdout": 5}), True),
    "exit-99": (_json({"format": 1, "exit": 99, "stdout": "WRONG\n"}), True),
    "exit-missing": (_json({"format": 1, "stdout": "WRONG\n"}), True),
    "future-format": (_json({"format": 99, "exit": 0, "stdout": "WRONG\n"}), True),
    "empty-object": (_json({}), True),
    "json-string": (_json("hello"), True),
}


def _edit_kb(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document)
        path.write_text(json.dumps(document), encoding="utf-8")

    return edit


def _set(section: str, index: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document[section][index].update(values)

    return change


def _drop_section(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: document.pop(name)


def _empty_section(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: document.__setitem__(name, [])


def _wrong_origins(document: dict[str, Any]) -> None:
    document["origins"] = []


def _maybe_grade(document: dict[str, Any]) -> None:
    document["causes"][1]["evidence"]["grade"] = "maybe"


KB_BROKEN: dict[str, tuple[Callable[[Path], None], bool]] = {
    **BROKEN,
    "grade-maybe": (_edit_kb(_maybe_grade), True),
    "unknown-field": (_edit_kb(_set("causes", 0, surprise=True)), True),
    "section-missing": (_edit_kb(_drop_section("triage")), True),
    "origins-not-a-mapping": (_edit_kb(_wrong_origins), True),
    # Each entry valid, the whole not: a source, a sign or a relief item that is not there.
    "dangling-source": (_edit_kb(_set("causes", 1, sources=["no-such-source"])), True),
    "no-sources-at-all": (_edit_kb(_empty_section("sources")), True),
    "no-signs-at-all": (_edit_kb(_empty_section("signs")), True),
    "dangling-relief": (_edit_kb(_set("muscles", 0, relief=["no-such-relief"])), True),
}
HASHES_BROKEN: dict[str, tuple[Callable[[Path], None], bool]] = {
    **BROKEN,
    "entries-of-the-wrong-shape": (
        lambda path: path.write_text(
            json.dumps(
                {key: ["x", None] for key in json.loads(path.read_text(encoding="utf-8"))}
                | {"/elsewhere.yaml": 5}
            ),
            encoding="utf-8",
        ),
        True,
    ),
}


def _check_rebuilt_answer(path: Path, reference: Done) -> None:
    assert path.is_file() and not path.is_symlink()
    document = _answer_document(path)
    assert document["stdout"].encode("utf-8") == reference.out
    assert document["exit"] == reference.code


@pytest.mark.parametrize("how", ANSWER_BROKEN)
def test_a_broken_answer_file_is_ignored_and_rebuilt(
    how: str, tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    breaks, rebuilt = ANSWER_BROKEN[how]

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        [answer] = box.answers()
        breaks(answer)
        _assert_right(box.run("why", "--json"), reference, how)
        assert not _leftovers(box.cache)
        if rebuilt:
            _check_rebuilt_answer(answer, reference)
            stamp = _identity(answer)
            _assert_right(box.run("why", "--json"), reference, f"{how}, then a hit")
            assert _identity(answer) == stamp, "the rebuilt answer should be a hit"
        else:
            _assert_right(box.run("why", "--json"), reference, f"{how}, again")

    _steadily(scenario)


@pytest.mark.parametrize("how", KB_BROKEN)
def test_a_broken_kb_cache_is_ignored_and_rebuilt(
    how: str, tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    breaks, rebuilt = KB_BROKEN[how]

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        kb_file = box.kb_file()
        good = kb_file.read_bytes()
        for answer in box.answers():
            answer.unlink()  # so the command has to load the knowledge base
        breaks(kb_file)
        _assert_right(box.run("why", "--json"), reference, how)
        assert not _leftovers(box.cache)
        if how not in BROKEN:
            # `show` follows the references that a tampered copy could break.
            shown = box.run("show", "fatigue-overexertion", "--json")
            assert shown.code == 0 and shown.err == "", shown.err
            assert json.loads(shown.out)["items"][0]["id"] == "fatigue-overexertion"
        if rebuilt:
            assert kb_file.is_file() and not kb_file.is_symlink()
            assert kb_file.read_bytes() == good, "the rebuilt copy should be the validated KB"

    _steadily(scenario)


def test_a_rebuilt_kb_cache_is_used_again(
    tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    """The checks that reject a broken copy accept the good one: no YAML is parsed."""

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        kb_file = box.kb_file()
        kb_file.write_text("{}", encoding="utf-8")
        for answer in box.answers():
            answer.unlink()
        first = box.run("why", "--json", PYTHONPROFILEIMPORTTIME="1")
        _assert_right(first, reference)
        assert "yaml" in first.imported()
        other = box.run("lookalikes", "--json", PYTHONPROFILEIMPORTTIME="1")
        assert other.code == 0 and other.real_err() == ""
        assert "yaml" not in other.imported()

    _steadily(scenario)


@pytest.mark.parametrize("how", HASHES_BROKEN)
def test_a_broken_hashes_file_is_ignored_and_rebuilt(
    how: str, tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    breaks, rebuilt = HASHES_BROKEN[how]

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        hashes = box.cache / "hashes.json"
        known = json.loads(hashes.read_text(encoding="utf-8"))
        breaks(hashes)
        started = time.time_ns()
        _assert_right(box.run("why", "--json"), reference, how)
        assert not _leftovers(box.cache)
        # The hashes are recomputed, so the key is the same: the stored answer is a hit.
        assert len(box.answers()) == 1
        settled = [path for path in known if started - os.stat(path).st_mtime_ns > cache.RACY_NS]
        if rebuilt and settled:  # a file changed in the last seconds is never remembered
            assert hashes.is_file() and not hashes.is_symlink()
            memo = json.loads(hashes.read_text(encoding="utf-8"))
            for path in settled:
                assert memo[path] == known[path]

    _steadily(scenario)


def test_wrong_remembered_hashes_never_give_a_wrong_answer(
    tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    """hashes.json of the right shape but wrong digests: at worst a new key (a miss)."""

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        hashes = box.cache / "hashes.json"
        memo = json.loads(hashes.read_text(encoding="utf-8"))
        hashes.write_text(
            json.dumps({path: [*value[:2], "0" * 64] for path, value in memo.items()}),
            encoding="utf-8",
        )
        _assert_right(box.run("why", "--json"), reference)
        _assert_right(box.run("why", "--json"), reference, "again")

    _steadily(scenario)


# ---------------------------------------------------------------- an unwritable cache


def _unwritable_places(root: Path) -> Iterator[tuple[str, dict[str, str | None]]]:
    a_file = _write(root / "a-file", "not a folder\n")
    yield "a regular file", {"CRAMP_CACHE_DIR": str(a_file)}
    yield "under a regular file", {"CRAMP_CACHE_DIR": str(a_file / "answers")}
    yield (
        "the default place, under a file",
        {
            "CRAMP_CACHE_DIR": None,
            "XDG_CACHE_HOME": str(a_file),
        },
    )
    if Path("/proc/self").is_dir():
        yield "/proc", {"CRAMP_CACHE_DIR": "/proc/self/nonexistent/cramp"}
    read_only = root / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    yield "a read-only folder", {"CRAMP_CACHE_DIR": str(read_only / "cache")}


def test_an_unwritable_cache_is_never_fatal(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    reference = box.run("why", "--json", CRAMP_NO_CACHE="1")
    assert reference.code == 0
    places = list(_unwritable_places(tmp_path))
    jobs = [(box, ("why", "--json"), extra) for _, extra in places]
    for (where, _), done in zip(places, _run_all(jobs), strict=True):
        _assert_right(done, reference, where)
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder\n"
    if not IS_ROOT:
        assert list((tmp_path / "read-only").iterdir()) == []


def test_the_default_cache_place_follows_xdg(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    first = box.run("why", "--json", CRAMP_CACHE_DIR=None)
    assert first.code == 0 and first.err == ""
    folder = tmp_path / "box" / "xdg-cache"
    if sys.platform.startswith("linux"):
        assert len(_answers(folder / "cramp" / "answers")) == 1
    assert box.run("why", "--json", CRAMP_CACHE_DIR=None).out == first.out
    assert not box.cache.exists()


# ---------------------------------------------------------------- concurrency

DIFFERENT = [
    ("why", "--json"),
    ("prevent", "--json"),
    ("relieve", "--muscle", "calf", "--json"),
    ("sources", "--json"),
    ("show", "cold", "--json"),
    ("search", "magnesum", "--json"),
    ("lookalikes", "--json"),
    ("muscles", "--json"),
]


def _assert_sound(folder: Path, answers: int) -> None:
    assert not _leftovers(folder), _leftovers(folder)
    for path in _listing(folder):
        assert path.suffix in (".json", ".answer"), path
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    assert len(_answers(folder)) == answers
    for path in _answers(folder):
        _answer_document(path)


@pytest.mark.parametrize("same", [True, False], ids=["same-command", "different-commands"])
def test_processes_building_the_cache_at_once_do_not_corrupt_it(same: bool, tmp_path: Path) -> None:
    commands = [DIFFERENT[0]] * 8 if same else DIFFERENT

    def scenario(attempt: int) -> None:
        box = Sandbox(tmp_path / f"try-{attempt}")
        unique = list(dict.fromkeys(commands))
        references = dict(
            zip(
                unique,
                _run_all((box, args, {"CRAMP_NO_CACHE": "1"}) for args in unique),
                strict=True,
            )
        )
        assert not box.cache.exists()
        for args, done in zip(commands, _at_once(box, commands), strict=True):
            _assert_right(done, references[args], " ".join(args))
        _assert_sound(box.cache, len(unique))
        stored = {path: _identity(path) for path in box.answers()}
        for args, done in zip(commands, _at_once(box, commands), strict=True):
            _assert_right(done, references[args], f"{' '.join(args)} (second round)")
        assert {path: _identity(path) for path in box.answers()} == stored, "all hits"
        _assert_sound(box.cache, len(unique))

    _steadily(scenario)


# ---------------------------------------------------------------- bypassing the cache


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("why", "--json"), {"CRAMP_NO_CACHE": "1"}),
        (("why", "--json"), {"CRAMP_NO_CACHE": "yes"}),
        (("--no-cache", "why", "--json"), {}),
        (("--no-cache", "show", "cold"), {}),
    ],
    ids=["env-1", "env-yes", "flag", "flag-show"],
)
def test_bypassing_writes_nothing(
    args: tuple[str, ...], extra: dict[str, str | None], tmp_path: Path
) -> None:
    box = Sandbox(tmp_path / "box")
    first = box.run(*args, **extra)
    assert first.code == 0 and first.err == "" and first.out
    assert _listing(box.cache) == [], "nothing may be written to the cache folder"


@pytest.mark.parametrize("value", ["0", "", "false", "no"])
def test_cramp_no_cache_off_still_caches(value: str, tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "box")
    done = box.run("why", "--json", CRAMP_NO_CACHE=value)
    assert done.code == 0 and done.err == ""
    assert len(box.answers()) == 1
    box.kb_file()


def test_bypassing_does_not_read_the_cache_either(
    tmp_path: Path, warm: Callable[[Path], tuple[Sandbox, Done]]
) -> None:
    """A stored answer replaced by other text (valid shape): served on a hit, so the test
    can tell; never printed when the cache is bypassed."""

    def scenario(attempt: int) -> None:
        box, reference = warm(tmp_path / f"try-{attempt}")
        [answer] = box.answers()
        answer.write_bytes(cache.encode_answer(0, "PLANTED\n", "utf-8"))
        planted = answer.read_bytes()
        _assert_right(box.run("why", "--json", CRAMP_NO_CACHE="1"), reference, "env")
        _assert_right(box.run("--no-cache", "why", "--json"), reference, "flag")
        assert answer.read_bytes() == planted, "a bypass must not write either"
        assert box.run("why", "--json").out == b"PLANTED\n", "the planted answer is the key's"

    _steadily(scenario)


# ---------------------------------------------------------------- never cached


def test_prompts_help_errors_diary_changes_and_kb_commands_store_no_answer(
    tmp_path: Path,
) -> None:
    box = Sandbox(tmp_path / "box")
    no = b"n\n" * 40
    expected: list[tuple[tuple[str, ...], int, bytes | None]] = [
        (("check",), 2, None),  # no answers and no terminal: a usage error
        (("check", "--ask"), 0, no),
        (("check", "--ask", "--json"), 0, no),
        (("--help",), 0, None),
        (("why", "--help"), 0, None),
        (("check", "--sign", "chest-pain", "-h"), 0, None),
        (("--version",), 0, None),
        (("schema", "why"), 0, None),
        (("kb", "paths", "--json"), 0, None),
        (("history",), 0, None),
        (("relieve", "--muscle", "bak-calf"), 2, None),
        (("show", "no-such-entry"), 2, None),
        (("why", "--min-evidence", "maybe"), 2, None),
    ]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda job: box.run(*job[0], stdin=job[2]), expected))
    for (args, code, _), done in zip(expected, results, strict=True):
        assert done.code == code, f"{' '.join(args)}: {done.err}"
        assert "Traceback" not in done.err
    assert box.answers() == [], [path.name for path in box.answers()]
    # A diary written in the last few seconds may change again within the same file time:
    # history (like report) is not cached then.
    logged = box.run("log", "--muscle", "calf", "--minutes", "2")
    assert logged.code == 0, logged.err
    history = box.run("history", "--json")
    assert history.code == 0, history.err
    assert "calf" in history.text
    assert box.answers() == []


@pytest.mark.parametrize("command", ["report", "history"])
def test_a_diary_answer_is_cached_until_the_diary_changes(command: str, tmp_path: Path) -> None:
    """`report` and `history` key on the diary file and tonight's date: a new entry is seen
    at once."""
    db = tmp_path / "diary.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CRAMP_")},
        "CRAMP_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }

    def cramp(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CRAMP, *args], env=env, capture_output=True, text=True, timeout=120, check=True
        )

    def cramps() -> int:
        document = json.loads(cramp(command, "--db", str(db), "--json").stdout)
        return int(document["cramps"]) if command == "report" else len(document["items"])

    def age(path: Path) -> None:  # as if written a minute ago, past the "racy" window
        for name in (path, Path(f"{path}-wal")):
            if name.exists():
                old = name.stat().st_mtime_ns - 60 * 10**9
                os.utime(name, ns=(old, old))

    cramp("log", "--db", str(db), "--muscle", "calf", "--minutes", "3")
    age(db)
    assert cramps() == 1
    [answer] = _answers(tmp_path / "cache")
    stamp = _identity(answer)
    assert cramps() == 1
    assert _answers(tmp_path / "cache") == [answer]
    assert _identity(answer) == stamp, "the second run should be a hit"
    cramp("log", "--db", str(db), "--muscle", "shin", "--minutes", "2")
    assert cramps() == 2  # just written: never served from the cache
    age(db)
    assert cramps() == 2
