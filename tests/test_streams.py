"""Broken streams and Ctrl-C, in real processes of the installed command (issue 12, item 3).

Every command, with stdout closed (`>&-`), stderr closed (`2>&-`), a pipe whose reader is gone
before cramp starts or goes after one byte, and stdout or stderr on a full device (/dev/full):
the exit code is the documented one (1 when the answer could not be written), there is no
traceback and at most one line on stderr. Ctrl-C at many moments, from the first milliseconds
on, exits 130 without a traceback. Each process has its own HOME, XDG folders and diary.

CI sets CRAMP_INSTALLED_BIN to a cramp installed from the built wheel; otherwise the console
script beside this Python is used (as tests/test_installed.py does).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import cramp_cli.entry

SCRIPTS = Path(sys.executable).parent
CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(SCRIPTS / "cramp")
FULL = Path("/dev/full")
needs_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")

IMPORTED = (
    "id,at,night,muscle,side,minutes,severity,woke,triggers,relief,note\n"
    "0000000001,2025-01-01T23:00:00+00:00,,back-calf,,,,false,,,first\n"
)
# As cramp export writes it, marked complete: its import has no warning to give on stderr.
IMPORTED_FILE = f"# cramp diary export (format 2)\n{IMPORTED}# end of cramp diary export: 1 entry\n"

COMMANDS: list[list[str]] = [
    ["why"],
    ["why", "--json"],
    ["relieve", "--muscle", "calf"],
    ["prevent"],
    ["muscles"],
    ["check", "--none"],
    ["check", "--sign", "pregnant"],
    ["lookalikes"],
    ["sources"],
    ["show", "magnesium"],
    ["search", "magnesium"],
    ["schema", "why"],
    ["kb", "paths"],
    ["kb", "show", "magnesium"],
    ["history"],
    ["report"],
    ["export"],
    ["export", "--format", "csv"],
    ["log", "--muscle", "calf"],
    ["import", "{home}/in.csv"],
    ["--help"],
    ["--version"],
]


class Home:
    """A private HOME, XDG folders and diary for one process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        (root / "in.csv").write_text(IMPORTED_FILE, encoding="utf-8")
        self.db = root / "diary.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CRAMP_", "PYTHON")) and key not in ("NO_COLOR", "FORCE_COLOR")
        }
        env.update(
            HOME=str(self.root),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_STATE_HOME=str(self.root / "state"),
            CRAMP_DB=str(self.db),
            COLUMNS="80",
            **extra,
        )
        return env

    def argv(self, args: list[str]) -> list[str]:
        return [CRAMP, *(arg.replace("{home}", str(self.root)) for arg in args)]


class Homes:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0

    def __call__(self) -> Home:
        self.count += 1
        return Home(self.base / f"home{self.count}")


@pytest.fixture
def homes(tmp_path: Path) -> Homes:
    return Homes(tmp_path)


class Run:
    def __init__(self, code: int, stdout: bytes, stderr: str, home: Home) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.home = home

    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def _spawn(home: Home, args: list[str], *, shell_redirect: str = "", **popen: Any) -> Run:
    argv = home.argv(args)
    if shell_redirect:  # as a shell does it: `exec cramp ... >&-`
        argv = ["sh", "-c", f'exec "$0" "$@" {shell_redirect}', *argv]
    popen.setdefault("stdin", subprocess.DEVNULL)
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    env = popen.pop("env", None) or home.env()
    done = subprocess.run(argv, env=env, timeout=60, check=False, **popen)
    return Run(done.returncode, done.stdout or b"", (done.stderr or b"").decode(), home)


def _quiet(run: Run, most: int = 1) -> None:
    """No traceback, nothing Python says at shutdown, at most `most` lines on stderr."""
    assert "Traceback" not in run.stderr, run.stderr
    assert "Exception ignored" not in run.stderr, run.stderr
    assert len(run.lines()) <= most, run.stderr


def _diary_is_whole(home: Home) -> None:
    """The diary, if there is one, is an intact SQLite file that cramp can still read."""
    if not home.db.exists():
        return
    with sqlite3.connect(home.db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    listed = _spawn(home, ["history", "--json"])
    assert listed.code == 0, listed.stderr
    json.loads(listed.stdout)


def _normal(homes: Homes, args: list[str]) -> Run:
    run = _spawn(homes(), args)
    assert run.code == 0, run.stderr
    assert run.stdout
    return run


def _reader_gone(home: Home, args: list[str], **env: str) -> Run:
    """stdout is a pipe whose reader closed it before cramp started."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return _spawn(home, args, stdout=write_end, env=home.env(**env))
    finally:
        os.close(write_end)


def _reader_leaves(home: Home, args: list[str], keep: int, **env: str) -> tuple[Run, bytes]:
    """The reader takes `keep` bytes, then closes the pipe."""
    process = subprocess.Popen(
        home.argv(args),
        env=home.env(**env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    kept = b""
    while len(kept) < keep:
        chunk = process.stdout.read(keep - len(kept))
        if not chunk:
            break
        kept += chunk
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=60)
    return Run(code, b"", stderr, home), kept


def _all(jobs: list[Callable[[], None]]) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_on_broken_streams(args: list[str], homes: Homes) -> None:
    normal = _normal(homes, args)
    as_json = "--json" in args
    stable = args[0] != "log" and args != ["kb", "paths"]  # a new id; the HOME's paths

    def closed_stdout() -> None:
        run = _spawn(homes(), args, shell_redirect=">&-")
        assert run.code == 1, run.stderr
        _quiet(run)
        if as_json:
            assert json.loads(run.stderr)["error"]["message"] == (
                "cannot write the answer (stdout is closed)."
            )
        else:
            assert run.lines() == ["Error: cannot write the answer (stdout is closed)."]
        _diary_is_whole(run.home)

    def closed_stderr() -> None:
        run = _spawn(homes(), args, shell_redirect="2>&-", stderr=None)
        assert run.code == normal.code
        assert run.stdout == normal.stdout or not stable
        _diary_is_whole(run.home)

    def gone_before(unbuffered: str) -> Callable[[], None]:
        def job() -> None:
            run = _reader_gone(homes(), args, PYTHONUNBUFFERED=unbuffered)
            assert run.code == 1, run.stderr
            assert run.stderr == ""
            _diary_is_whole(run.home)

        return job

    def leaves_after_one_byte(unbuffered: str) -> Callable[[], None]:
        def job() -> None:
            run, kept = _reader_leaves(homes(), args, 1, PYTHONUNBUFFERED=unbuffered)
            assert kept == normal.stdout[:1] or not stable
            # 0 only when the whole answer was in the pipe before the reader left.
            assert run.code in (0, 1)
            assert run.stderr == ""
            _diary_is_whole(run.home)

        return job

    def full_stdout() -> None:
        with FULL.open("wb") as full:
            run = _spawn(homes(), args, stdout=full)
        assert run.code == 1
        _quiet(run)
        message = "cannot write the answer (No space left on device)."
        if as_json:
            assert json.loads(run.stderr)["error"]["message"] == message
        else:
            assert run.lines() == [f"Error: {message}"]
        _diary_is_whole(run.home)

    def full_stderr() -> None:
        with FULL.open("wb") as full:
            run = _spawn(homes(), args, stderr=full)
        assert run.code == normal.code
        assert run.stdout == normal.stdout or not stable

    jobs = [closed_stdout, closed_stderr]
    for unbuffered in ("", "1") if args[0] in ("why", "export", "--help", "--version") else ("",):
        jobs += [gone_before(unbuffered), leaves_after_one_byte(unbuffered)]
    if FULL.exists():
        jobs += [full_stdout, full_stderr]
    _all(jobs)


def test_a_closed_stdout_never_lands_in_the_diary(homes: Homes) -> None:
    """With fd 1 closed the diary would be opened as fd 1; the answer must not go into it."""
    home = homes()
    for _ in range(2):
        run = _spawn(home, ["log", "--muscle", "calf", "--note", "x" * 500], shell_redirect=">&-")
        assert run.code == 1, run.stderr
    with sqlite3.connect(home.db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    listed = _spawn(home, ["history", "--json"])
    assert listed.code == 0, listed.stderr
    assert len(json.loads(listed.stdout)["items"]) == 2


def test_closed_stdin_reads_as_empty(homes: Homes) -> None:
    run = _spawn(homes(), ["import", "-"], shell_redirect="<&-", stdin=None)
    assert run.code == 0, run.stderr
    _quiet(run, most=0)
    assert run.stdout.startswith(b"Imported: 0 entries")


# A diary big enough that its export does not fit a pipe's buffer (64 KiB).
BIG_ROWS = 3000


@pytest.fixture(scope="module")
def big_diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = Home(tmp_path_factory.mktemp("big") / "home")
    rows = [IMPORTED.splitlines()[0]]
    for n in range(BIG_ROWS):
        day, minute = divmod(n, 60)
        rows.append(
            f"{n + 2:010x},2024-{1 + day // 28:02d}-{1 + day % 28:02d}T23:{minute:02d}:00+00:00,"
            f",back-calf,left,2,5,true,,,row {n} with a note that takes some room"
        )
    source = home.root / "big.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = _spawn(home, ["import", str(source)])
    assert done.code == 0, done.stderr
    return home.db


def _home_with(homes: Homes, db: Path) -> Home:
    home = homes()
    home.db.write_bytes(db.read_bytes())
    return home


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_reader_stops_part_way(fmt: str, big_diary: Path, homes: Homes) -> None:
    def job(keep: int, unbuffered: str) -> Callable[[], None]:
        def run_it() -> None:
            home = _home_with(homes, big_diary)
            args = ["export", "--format", fmt]
            run, kept = _reader_leaves(home, args, keep, PYTHONUNBUFFERED=unbuffered)
            assert len(kept) == keep
            assert run.code == 1, run.stderr
            assert run.stderr == "", run.stderr

        return run_it

    _all([job(keep, u) for keep in (1, 4096, 100_000) for u in ("", "1")])


# --- Ctrl-C ---------------------------------------------------------------------------------

_ENTRY = Path(cramp_cli.entry.__file__).resolve()
_HANDLER_LINE = (
    next(
        number
        for number, line in enumerate(_ENTRY.read_text(encoding="utf-8").splitlines(), 1)
        if "signal.signal(signal.SIGINT" in line
    )
    if "signal.signal(signal.SIGINT" in _ENTRY.read_text(encoding="utf-8")
    else 0
)
_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _stopped_in_the_zip_check(stderr: str) -> bool:
    """Python itself was interrupted while it checked whether the script is a zip archive,
    before it ran a line of the script: it prints "Failed checking if argv[0] is an import
    path entry" with the KeyboardInterrupt, and then runs the script as usual."""
    return (
        stderr.startswith("Failed checking if argv[0] is an import path entry")
        and stderr.rstrip().endswith("KeyboardInterrupt")
        and "cramp_cli" not in stderr
    )


def _before_the_handler(stderr: str) -> bool:
    """Whether a KeyboardInterrupt traceback stopped before entry.py installed its handler:
    no frame of cramp but its package __init__ and entry.py above the handler's line, and no
    frame of Typer (imported only later)."""
    # Python itself may be stopped before it has a site module ("Fatal Python error:
    # init_import_site ... KeyboardInterrupt", no Python frame): nothing of cramp ran yet.
    if (
        stderr.startswith("Fatal Python error: init_import_site")
        and "KeyboardInterrupt" in stderr
        and "cramp_cli" not in stderr
    ):
        return True
    if _stopped_in_the_zip_check(stderr):
        return True
    # Python's site module may be stopped while it runs the editable install's .pth line:
    # the import finder is then missing, and the console script cannot import cramp at all.
    if (
        stderr.startswith("Error processing line")
        and "KeyboardInterrupt" in stderr
        and stderr.rstrip().endswith("No module named 'cramp_cli'")
    ):
        return True
    # Python's own start-up may end its traceback with "KeyboardInterrupt:" (an empty
    # message), after "python: failed to set __main__.__loader__".
    if not stderr.rstrip().rstrip(":").endswith("KeyboardInterrupt"):
        return False
    for file, line in _FRAME.findall(stderr):
        path = Path(file)
        if "typer" in path.parts or "rich" in path.parts:
            return False
        in_cramp = path.parent.name in ("cramp_cli", "commands", "knowledge", "render", "diary")
        if path.name == "entry.py" and path.parent.name == "cramp_cli":
            if int(line) >= _HANDLER_LINE:
                return False
        elif in_cramp and (path.name, path.parent.name) != ("__init__.py", "cramp_cli"):
            return False
    return True


def _interrupt(
    home: Home, args: list[str], delay: float, stdin: int = subprocess.DEVNULL
) -> tuple[Run, bytes]:
    process = subprocess.Popen(
        home.argv(args),
        env=home.env(),
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    return Run(process.returncode, stdout, stderr.decode(), home), stdout


def _judge(run: Run, finished_ok: bool = True) -> str:
    """'130', 'done' (it finished first) or 'early' (before entry.py's handler)."""
    if run.code == 130:
        assert "Traceback" not in run.stderr, run.stderr
        assert "Exception ignored" not in run.stderr, run.stderr
        return "130"
    if run.code == 0 and finished_ok:
        if not _stopped_in_the_zip_check(run.stderr):
            _quiet(run)
        return "done"
    assert run.code in (-signal.SIGINT, 1), (run.code, run.stderr)
    assert run.stderr == "" or _before_the_handler(run.stderr), run.stderr
    return "early"


DELAYS = [0.0, 0.001, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3]


@pytest.mark.parametrize(
    "args",
    [["search", "magnesium"], ["log", "--muscle", "calf"], ["relieve", "--muscle", "calf"]],
    ids=" ".join,
)
def test_ctrl_c_at_any_moment_exits_130_without_a_traceback(args: list[str], homes: Homes) -> None:
    outcomes: list[str] = []

    def job(delay: float) -> Callable[[], None]:
        def run_it() -> None:
            run, _ = _interrupt(homes(), args, delay)
            outcomes.append(_judge(run))
            _diary_is_whole(run.home)  # a diary entry is stored whole, or not at all

        return run_it

    # On a busy machine a dozen processes started at once may all be interrupted before
    # entry.py runs ("early", which is allowed): stretch the delays until some land later.
    for stretch in (1, 3, 10):
        _all([job(delay * stretch) for delay in DELAYS])
        if "130" in outcomes:
            break
    assert "130" in outcomes, outcomes


def test_ctrl_c_while_check_waits_on_stdin(homes: Homes) -> None:
    """An interview reading answers from a pipe that never sends: 130, and "not assessed"."""

    def job(delay: float) -> Callable[[], None]:
        def run_it() -> None:
            read_end, write_end = os.pipe()
            try:
                run, stdout = _interrupt(homes(), ["check", "--ask"], delay, stdin=read_end)
            finally:
                os.close(read_end)
                os.close(write_end)
            outcome = _judge(run, finished_ok=False)
            if delay >= 1.0:  # surely past start-up, even on a busy machine
                assert outcome == "130"
            if outcome == "130" and "Question 1" in run.stderr:
                assert b"not assessed" in stdout.lower()

        return run_it

    _all([job(delay) for delay in (0.0, 0.01, 0.05, 0.2, 0.5, 1.0)])


def test_ctrl_c_during_a_long_export(big_diary: Path, homes: Homes) -> None:
    """The reader reads nothing, so export blocks on a full pipe; Ctrl-C ends it with 130."""

    def job(delay: float) -> Callable[[], None]:
        def run_it() -> None:
            home = _home_with(homes, big_diary)
            run, _ = _interrupt(home, ["export", "--format", "csv"], delay)
            outcome = _judge(run, finished_ok=False)
            if delay >= 1.0:  # surely past start-up, even on a busy machine
                assert outcome == "130"

        return run_it

    _all([job(delay) for delay in (0.0, 0.02, 0.1, 0.3, 0.6, 1.0)])


def test_ctrl_c_ignored_by_the_parent_stays_ignored(homes: Homes) -> None:
    """Started with SIGINT ignored (as `cmd &` in a script), cramp keeps ignoring it."""
    home = homes()
    process = subprocess.Popen(
        home.argv(["search", "magnesium"]),
        env=home.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    for _ in range(5):
        time.sleep(0.02)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout


def test_ctrl_c_inside_a_callback_python_can_only_ignore_still_ends_with_130() -> None:
    """Ctrl-C can land in a weakref callback of the import system, where Python prints
    "Exception ignored" and goes on (newcomer-check met it once): cramp delivers it again."""
    code = (
        "import sys, time, weakref\n"
        "import cramp_cli.entry as entry\n"
        "class Thing: pass\n"
        "def callback(_): raise KeyboardInterrupt\n"
        "thing = Thing(); ref = weakref.ref(thing, callback)\n"
        "def run():\n"
        "    global thing\n"
        "    thing = None  # the callback runs here, as if Ctrl-C had landed in it\n"
        "    for _ in range(300): time.sleep(0.01)\n"
        "    print('not interrupted')\n"
        "entry._run = run\n"
        "entry.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
