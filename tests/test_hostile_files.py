"""Issue 12, items 1, 7 and 8: special files, unreadable places and over-long names are one-line
errors; a read-only diary is read without creating anything beside it; paths from the
environment are checked.

A FIFO or a device is tried in a real process with a timeout and a memory cap, so that the code
before this issue (which hung, or read /dev/zero without end) fails the test instead of hanging
the suite. Unreadable places need a user that permission bits apply to: as root (CI), the test
forks, drops to uid 65534 in the child and runs the CLI there (the interpreter itself may live
where that user cannot read, so a fresh process could not even start).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cramp_cli.diary.store import Diary
from tests.conftest import REPO, run

NOBODY = 65534
VALID_KB = "causes: []\n"
NAME_MAX = os.pathconf("/", "PC_NAME_MAX")
PATH_MAX = os.pathconf("/", "PC_PATH_MAX")


def _one_line(stderr: str) -> str:
    """The one error line (CRAMP_CACHE_DIR's deprecation warning aside)."""
    lines = [line for line in stderr.strip().splitlines() if "is deprecated" not in line]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _refused(exit_code: int, stderr: str, *words: str, code: int = 1) -> str:
    assert exit_code == code, stderr
    line = _one_line(stderr)
    assert "internal error" not in line
    for word in words:
        assert word in line, line
    return line


# ---------------------------------------------------------------- special files (real processes)


def _cramp(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """cramp in a real process: 20 s at most, and 1 GB of memory (the code before this issue
    read /dev/zero until the memory ran out)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    full = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "cramp_cli", *args],
            capture_output=True,
            text=True,
            env=full,
            cwd=cwd,
            timeout=20,
            preexec_fn=cap,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"cramp {' '.join(args)} hung")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


SPECIAL_CASES = {
    "--kb FIFO": (["--kb", "{fifo}", "why"], {}),
    "CRAMP_KB FIFO": (["why"], {"CRAMP_KB": "{fifo}"}),
    "FIFO in the user folder": (["why"], {"XDG_DATA_HOME": "{xdg}"}),
    "CRAMP_DATA_DIR FIFO": (["why"], {"CRAMP_DATA_DIR": "{data}"}),
    "kb validate FIFO": (["kb", "validate", "{fifo}"], {}),
    "--db FIFO": (["history", "--db", "{fifo}"], {}),
    "CRAMP_DB FIFO": (["report"], {"CRAMP_DB": "{fifo}"}),
    "--db link to FIFO": (["export", "--db", "{link}"], {}),
    "--kb /dev/zero": (["--kb", "/dev/zero", "why"], {}),
    "kb validate /dev/zero": (["kb", "validate", "/dev/zero"], {}),
    "--db /dev/zero": (["history", "--db", "/dev/zero"], {}),
}


@pytest.mark.parametrize("case", SPECIAL_CASES)
def test_a_fifo_or_a_device_is_refused_without_blocking_or_reading_it(
    case: str, tmp_path: Path, fifo: Path
) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "cramp" / "kb").mkdir(parents=True)
    os.mkfifo(xdg / "cramp" / "kb" / "mine.yaml")
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("__init__.py", "__pyc*"))
    (data / "causes.yaml").unlink()
    os.mkfifo(data / "causes.yaml")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(fifo)
    places = {"fifo": str(fifo), "xdg": str(xdg), "data": str(data), "link": str(link)}
    args, env = SPECIAL_CASES[case]
    done = _cramp(
        [arg.format(**places) for arg in args],
        {key: value.format(**places) for key, value in env.items()},
        tmp_path,
    )
    stderr = done.stderr if args[:2] != ["kb", "validate"] else done.stdout + done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "internal error" not in stderr and "Traceback" not in stderr
    kind = "a device" if "/dev/zero" in args else "named pipe (FIFO)"
    assert f"{kind}, not a regular file" in stderr  # it says what the file is
    if args[:2] != ["kb", "validate"]:
        _one_line(done.stderr)


# ---------------------------------------------------------------- over-long names, empty paths


LONG_NAMES = {
    "component": lambda base: str(base / ("n" * (NAME_MAX + 1))),
    "path": lambda base: str(base) + "/d" * (PATH_MAX // 2 + 1),
}


@pytest.mark.parametrize("kind", LONG_NAMES)
@pytest.mark.parametrize(
    "args",
    [
        ["--kb", "{name}", "why"],
        ["kb", "validate", "{name}"],
        ["history", "--db", "{name}"],
        ["log", "--muscle", "calf", "--db", "{name}/diary.sqlite3"],
        ["why", "--env", "CRAMP_KB"],
    ],
)
def test_a_name_too_long_for_the_system_is_one_clipped_line(
    kind: str, args: list[str], tmp_path: Path
) -> None:
    name = LONG_NAMES[kind](tmp_path)
    env = {}
    if args[-2:] == ["--env", "CRAMP_KB"]:
        args, env = args[:-2], {"CRAMP_KB": name}
    result = run(*[arg.format(name=name) for arg in args], env=env)
    output = result.stdout + result.stderr if "validate" in args else result.stderr
    assert result.exit_code == 1, output
    assert "too long" in output
    assert "internal error" not in output
    assert len(output) < 600  # the name is clipped, not echoed whole
    assert "…" in output


@pytest.mark.parametrize("args", [["--kb", "", "why"], ["history", "--db", ""]])
def test_an_empty_path_argument_is_a_usage_error(args: list[str]) -> None:
    result = run(*args)
    _refused(result.exit_code, result.stderr, args[args.index("") - 1], "empty", code=2)


def test_a_blank_cramp_db_still_means_the_default(tmp_path: Path) -> None:
    assert run("history", env={"CRAMP_DB": ""}).exit_code == 0
    assert run("history", env={"CRAMP_DB": "  "}).exit_code == 0


# ---------------------------------------------------------------- paths from the environment


@pytest.mark.parametrize(
    "variable",
    [
        "CRAMP_DB",
        "CRAMP_KB",
        "CRAMP_DATA_DIR",
        "CRAMP_CACHE_DIR",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
    ],
)
@pytest.mark.parametrize("padding", [(" ", ""), ("", " "), ("", "\n"), ("\t", "")])
def test_a_path_with_stray_spaces_in_the_environment_is_refused_naming_it(
    variable: str, padding: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "somewhere"
    target.mkdir()
    (target / "mine.yaml").write_text(VALID_KB)
    value = str(target / "mine.yaml") if variable == "CRAMP_KB" else str(target)
    if variable == "CRAMP_DB":
        value = str(target / "diary.sqlite3")
    args = ["history"] if variable == "CRAMP_DB" else ["--kb", str(target / "mine.yaml"), "why"]
    result = run(*args, env={variable: padding[0] + value + padding[1]})
    _refused(result.exit_code, result.stderr, variable, "spaces", code=2)
    assert not (target / "diary.sqlite3").exists()


def test_one_padded_part_of_cramp_kb_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID_KB)
    (tmp_path / "b.yaml").write_text(VALID_KB)
    value = f"{tmp_path / 'a.yaml'}{os.pathsep} {tmp_path / 'b.yaml'}"
    result = run("why", env={"CRAMP_KB": value})
    _refused(result.exit_code, result.stderr, "CRAMP_KB", "spaces", code=2)


@pytest.mark.parametrize(
    "variable", ["CRAMP_DATA_DIR", "CRAMP_CACHE_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"]
)
@pytest.mark.parametrize("root", ["/", "//", "/tmp/.."])
def test_the_root_folder_is_never_a_data_or_cache_folder(
    variable: str, root: str, tmp_path: Path
) -> None:
    (tmp_path / "mine.yaml").write_text(VALID_KB)
    args = ["--kb", str(tmp_path / "mine.yaml"), "why"]  # the cache is used for the store
    if variable == "XDG_DATA_HOME":
        args = ["history"]
    there = {path: path.exists() for path in (Path("/cramp"), Path("/kb"))}
    result = run(*args, env={variable: root})
    _refused(result.exit_code, result.stderr, variable, "root folder")
    assert {path: path.exists() for path in there} == there


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A folder that belongs to another user (uid 65534)."""
    if os.getuid() != 0:
        pytest.skip("needs root to give a folder to another user")
    folder = tmp_path / "theirs"
    folder.mkdir()
    os.chown(folder, NOBODY, NOBODY)
    return folder


@pytest.mark.parametrize("variable", ["XDG_DATA_HOME", "XDG_CACHE_HOME", "CRAMP_CACHE_DIR"])
def test_a_data_or_cache_folder_of_another_user_is_refused(
    variable: str, tmp_path: Path, foreign: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(VALID_KB)
    if variable.startswith("XDG_"):
        base = tmp_path / "base"
        base.mkdir()
        shutil.move(foreign, base / "cramp")
        value, folder = str(base), base / "cramp"
    else:
        value, folder = str(foreign), foreign
    for args in (["--kb", str(mine), "why"], ["history"]):
        if variable != "XDG_DATA_HOME" and args == ["history"]:
            continue
        result = run(*args, env={variable: value})
        line = _refused(result.exit_code, result.stderr, variable, "another user")
        assert str(folder) in line
    assert os.listdir(folder) == []


def test_a_knowledge_base_folder_of_another_user_is_refused(
    foreign: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(foreign)
    shutil.copytree(REPO / "data", foreign, ignore=shutil.ignore_patterns("__init__.py", "__py*"))
    os.chown(foreign, NOBODY, NOBODY)
    result = run("why", env={"CRAMP_DATA_DIR": str(foreign)})
    _refused(result.exit_code, result.stderr, "CRAMP_DATA_DIR", "another user")


def test_the_environment_checks_cost_no_system_call_when_nothing_is_set() -> None:
    """The answer path reads these on every run: unset, they are string checks only."""
    from cramp_cli import locations

    for variable in ("CRAMP_DB", "CRAMP_KB", "CRAMP_DATA_DIR", "CRAMP_CACHE_DIR"):
        assert locations.env_path(variable, "") is None
        assert locations.env_path(variable, "   ") is None
    assert locations.env_kb_parts() == []


# ---------------------------------------------------------------- as another user


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    """A folder user 65534 owns and can reach (pytest's tmp_path is under a 0700 folder)."""
    if os.getuid() != 0:
        pytest.skip("runs as root and drops to uid 65534 (CI runs as root)")
    home = Path(tempfile.mkdtemp(prefix="cramp-nobody-", dir="/tmp"))
    os.chmod(home, 0o755)
    os.chown(home, NOBODY, NOBODY)
    yield home
    for root, folders, _ in os.walk(home):
        for folder in folders:
            os.chmod(os.path.join(root, folder), 0o755)
    shutil.rmtree(home)


def _mkdirs(path: Path) -> Path:
    """Folders made and given to user 65534."""
    path.mkdir(parents=True, exist_ok=True)
    for part in [path, *path.parents]:
        if not part.name.startswith("cramp-nobody-") and part != Path("/"):
            os.chown(part, NOBODY, NOBODY)
        else:
            break
    return path


def as_nobody(home: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the CLI in a forked child that has dropped to uid/gid 65534: exit code, stdout,
    stderr. The CLI runs in process there, with the modules the parent has already imported
    (a warm-up run as root imports the rest), as the interpreter may not be readable by 65534.
    """
    full_env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        **(env or {}),
    }
    import csv  # noqa: F401  (modules the CLI may import late, imported while we can)
    import hashlib  # noqa: F401
    import urllib.parse  # noqa: F401

    import cramp_cli.diary.transfer
    import cramp_cli.knowledge.loader  # noqa: F401

    run(*args, env=full_env)  # the warm-up: imports what this command needs
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.chdir(home)
            result = run(*args, env=full_env)
            report = {
                "exit_code": result.exit_code,
                "stdout": result.stdout,
                "stderr": result.stderr,
            }
        except BaseException as err:
            report = {"exit_code": -1, "stdout": "", "stderr": f"child failed: {err!r}"}
        os.write(writer, json.dumps(report).encode())
        os._exit(0)
    os.close(writer)
    chunks = []
    while chunk := os.read(reader, 1 << 16):
        chunks.append(chunk)
    os.close(reader)
    os.waitpid(child, 0)
    report: dict[str, Any] = json.loads(b"".join(chunks))
    assert report["exit_code"] != -1, report["stderr"]
    return report


def _nobody_kb(home: Path) -> Path:
    kb = _mkdirs(home / "data" / "cramp" / "kb")
    (kb / "mine.yaml").write_text(VALID_KB)
    os.chown(kb / "mine.yaml", NOBODY, NOBODY)
    return kb


@pytest.mark.parametrize(
    ("locked", "mode"),
    [("data/cramp", 0o000), ("data/cramp/kb", 0o000), ("data/cramp/kb", 0o300)],
)
def test_a_user_knowledge_base_folder_one_cannot_read_is_one_line(
    nobody_home: Path, locked: str, mode: int
) -> None:
    _nobody_kb(nobody_home)
    os.chmod(nobody_home / locked, mode)
    for args in (["why"], ["kb", "paths"]):
        report = as_nobody(nobody_home, *args)
        line = _refused(report["exit_code"], report["stderr"], "permission denied")
        assert str(nobody_home / locked) in line or str(nobody_home / "data/cramp/kb") in line


def test_a_knowledge_base_file_one_cannot_read_is_one_line(nobody_home: Path) -> None:
    kb = _nobody_kb(nobody_home)
    os.chmod(kb / "mine.yaml", 0)
    for args in (["why"], ["--kb", str(kb / "mine.yaml"), "why"]):
        report = as_nobody(nobody_home, *args)
        _refused(report["exit_code"], report["stderr"], str(kb / "mine.yaml"), "permission")


@pytest.mark.parametrize("args", [["history"], ["report"], ["export"], ["log", "-m", "calf"]])
def test_a_diary_folder_one_cannot_enter_is_one_line(nobody_home: Path, args: list[str]) -> None:
    folder = _mkdirs(nobody_home / "locked")
    os.chmod(folder, 0)
    report = as_nobody(nobody_home, *args, "--db", str(folder / "diary.sqlite3"))
    _refused(report["exit_code"], report["stderr"], str(folder), "permission denied")


# ---------------------------------------------------------------- read-only diaries


def _diary(folder: Path, notes: tuple[str, ...] = ("first", "second")) -> Path:
    db = folder / "diary.sqlite3"
    for note in notes:
        assert run("log", "-m", "calf", "--note", note, "--db", str(db)).exit_code == 0
    for path in (folder, *folder.iterdir()):
        os.chown(path, NOBODY, NOBODY)
    return db


def _read_all(home: Path, db: Path) -> list[dict[str, Any]]:
    """history, report and export of a diary as user 65534: each must succeed."""
    outputs = []
    for args in (["history", "--json"], ["report", "--json"], ["export", "--format", "json"]):
        report = as_nobody(home, *args, "--db", str(db))
        assert report["exit_code"] == 0, report["stderr"]
        outputs.append(json.loads(report["stdout"]))
    return outputs


def _notes(history: dict[str, Any]) -> set[str]:
    return {item["note"] for item in history["items"]}


@pytest.mark.parametrize("what", ["file", "folder", "both"])
def test_reading_a_read_only_diary_creates_nothing_beside_it(nobody_home: Path, what: str) -> None:
    folder = _mkdirs(nobody_home / "diary")
    db = _diary(folder)
    if what in ("file", "both"):
        os.chmod(db, 0o444)
    if what in ("folder", "both"):
        os.chmod(folder, 0o555)
    before = sorted(os.listdir(folder))
    history, _, _ = _read_all(nobody_home, db)
    assert _notes(history) == {"first", "second"}
    assert sorted(os.listdir(folder)) == before == ["diary.sqlite3"]
    report = as_nobody(nobody_home, "log", "-m", "calf", "--db", str(db))
    _refused(report["exit_code"], report["stderr"], "read-only", str(db))
    assert sorted(os.listdir(folder)) == before


def test_root_too_creates_nothing_beside_a_read_only_diary(tmp_path: Path) -> None:
    """root ignores permission bits: cramp reads them itself (chmod a-w means read-only)."""
    db = _diary(tmp_path)
    os.chmod(db, 0o444)
    assert _notes(json.loads(run("history", "--json", "--db", str(db)).stdout)) == {
        "first",
        "second",
    }
    assert sorted(os.listdir(tmp_path)) == ["diary.sqlite3"]
    os.chmod(db, 0o644)
    os.chmod(tmp_path, 0o555)
    try:
        assert run("history", "--db", str(db)).exit_code == 0
        assert sorted(os.listdir(tmp_path)) == ["diary.sqlite3"]
        result = run("log", "-m", "calf", "--db", str(db))
        _refused(result.exit_code, result.stderr, "read-only")
    finally:
        os.chmod(tmp_path, 0o755)


def test_a_writable_wal_diary_may_keep_its_wal_files(tmp_path: Path) -> None:
    db = _diary(tmp_path, ("one",))
    assert run("history", "--db", str(db)).exit_code == 0
    assert set(os.listdir(tmp_path)) <= {"diary.sqlite3", "diary.sqlite3-wal", "diary.sqlite3-shm"}


def _uncheckpointed(folder: Path) -> Path:
    """A diary whose last entry is only in its -wal, as a writer stopped before checkpointing
    leaves it: the files are copied while the writer still has them open."""
    db = _diary(folder, ("kept",))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    with Diary.open(db) as diary:
        assert diary is not None
        conn.execute("SELECT count(*) FROM entries").fetchone()
        run("log", "-m", "calf", "--note", "only-in-the-wal", "--db", str(db))
        saved = {suffix: Path(f"{db}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}
    conn.close()
    for suffix, content in saved.items():
        Path(f"{db}{suffix}").write_bytes(content)
        os.chown(f"{db}{suffix}", NOBODY, NOBODY)
    assert Path(f"{db}-wal").stat().st_size > 0
    return db


def test_a_read_only_wal_diary_with_unmerged_entries_is_read_in_full(nobody_home: Path) -> None:
    folder = _mkdirs(nobody_home / "diary")
    db = _uncheckpointed(folder)
    for name in os.listdir(folder):
        os.chmod(folder / name, 0o444)
    os.chmod(folder, 0o555)
    kept = ("diary.sqlite3", "diary.sqlite3-wal")  # the -shm is an index SQLite may update
    before = {name: (folder / name).read_bytes() for name in kept}
    history, _, export = _read_all(nobody_home, db)
    assert _notes(history) == {"kept", "only-in-the-wal"}
    assert len(export["entries"] if "entries" in export else export["items"]) == 2
    assert sorted(os.listdir(folder)) == [*kept[:1], "diary.sqlite3-shm", kept[1]]
    assert {name: (folder / name).read_bytes() for name in kept} == before


def test_a_read_only_wal_diary_whose_index_is_gone_says_it_cannot_read_it(
    nobody_home: Path,
) -> None:
    folder = _mkdirs(nobody_home / "diary")
    db = _uncheckpointed(folder)
    Path(f"{db}-shm").unlink()
    os.chmod(db, 0o444)
    report = as_nobody(nobody_home, "history", "--db", str(db))
    _refused(report["exit_code"], report["stderr"], str(db), "-wal")
    assert sorted(os.listdir(folder)) == ["diary.sqlite3", "diary.sqlite3-wal"]
