"""The diary's SQLite file, for real: permissions, migrations, refusals, locks, concurrent
writers and a writer killed mid-transaction. No mocks of sqlite3; every file is under tmp_path.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cramp_cli.diary import store
from cramp_cli.diary.models import Entry, new_id, night_of
from cramp_cli.diary.store import LATEST, Diary, DiaryError
from tests.conftest import REPO, run

AT = "2025-03-05T02:10:00+01:00"


def _entry(minutes: float = 3.0, at: datetime | None = None) -> Entry:
    moment = at or datetime(2025, 3, 5, 2, 10, tzinfo=timezone(timedelta(hours=1)))
    return Entry(
        id=new_id(),
        at=moment,
        night=night_of(moment),
        muscle="back-calf",
        side="left",
        minutes=minutes,
        severity=5,
        woke=True,
        triggers=("long-walk",),
    )


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def _log(db: Path, *extra: str) -> object:
    return run("log", "--muscle", "calf", "--at", AT, "--db", str(db), *extra)


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# ---------------------------------------------------------------- where, and who may read it


def test_default_location_is_the_user_data_folder_with_private_modes(tmp_path: Path) -> None:
    result = run("log", "--muscle", "calf", "--at", AT)
    assert result.exit_code == 0, result.stderr
    data_home = tmp_path / "xdg_data_home"  # set by conftest: the real home is never touched
    path = data_home / "cramp" / "diary.sqlite3"
    assert path.is_file()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert _rows(path) == 1


def test_db_option_and_environment_variable_choose_the_file(tmp_path: Path) -> None:
    by_flag = tmp_path / "a" / "b" / "flag.sqlite3"
    assert _log(by_flag).exit_code == 0
    assert _rows(by_flag) == 1
    for folder in (by_flag.parent, by_flag.parent.parent):
        assert folder.stat().st_mode & 0o777 == 0o700  # every folder cramp made
    by_env = tmp_path / "env.sqlite3"
    result = run("log", "--muscle", "calf", "--at", AT, env={"CRAMP_DB": str(by_env)})
    assert result.exit_code == 0, result.stderr
    assert _rows(by_env) == 1
    assert by_env.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "xdg_data_home" / "cramp" / "diary.sqlite3").exists()


def test_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    assert _log(folder / "diary.sqlite3").exit_code == 0
    assert folder.stat().st_mode & 0o777 == 0o755


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    assert _log(path).exit_code == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(entries)")}
    assert "entries_by_time" in indexes


def test_reading_a_missing_diary_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "diary.sqlite3"
    for args in (["history"], ["report"], ["export"], ["log", "delete", "abcdef12", "--yes"]):
        result = run(*args, "--db", str(path))
        assert result.exit_code in (0, 2), result.stderr
    assert not path.parent.exists()


# ---------------------------------------------------------------- migrations


V1_SCHEMA = """
CREATE TABLE entries (
    id TEXT PRIMARY KEY NOT NULL, at_utc TEXT NOT NULL, utc_offset INTEGER NOT NULL,
    night TEXT NOT NULL, muscle TEXT NOT NULL,
    side TEXT CHECK (side IN ('left', 'right', 'both')), minutes REAL CHECK (minutes >= 0),
    severity INTEGER CHECK (severity BETWEEN 1 AND 10),
    woke INTEGER NOT NULL DEFAULT 0 CHECK (woke IN (0, 1)), relief TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE entry_triggers (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (entry_id, position)
);
INSERT INTO entries VALUES
    ('0123456789', '2025-03-05T01:10:00Z', 60, '2025-03-04', 'back-calf', 'left', 3.5, 6, 1,
     'massage', 'written by version 1');
INSERT INTO entry_triggers VALUES ('0123456789', 0, 'long-walk'), ('0123456789', 1, 'heat');
PRAGMA user_version = 1;
"""


def test_a_version_1_diary_is_migrated_forward_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
    result = run("history", "--db", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["items"]
    assert entry == {
        "id": "0123456789",
        "at": "2025-03-05T02:10:00+01:00",
        "night": "2025-03-04",
        "muscle": "back-calf",
        "side": "left",
        "minutes": 3.5,
        "severity": 6,
        "woke": True,
        "triggers": ["long-walk", "heat"],
        "relief": "massage",
        "note": "written by version 1",
        "symptoms": [],
        "logged_level": None,
        "logged_advice": [],
    }
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(entries)")}
    assert "entries_by_time" in indexes
    assert _log(path).exit_code == 0
    assert _rows(path) == 2


def test_an_empty_file_is_version_0_and_becomes_a_diary(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch(mode=0o640)
    os.chmod(path, 0o640)
    assert _log(path).exit_code == 0
    assert _rows(path) == 1
    assert path.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_every_migration_step_runs_in_order_from_version_0() -> None:
    conn = sqlite3.connect(":memory:")
    for version, step in enumerate(store.MIGRATIONS, start=1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    columns = [row[1] for row in conn.execute("PRAGMA table_info(entries)")]
    assert columns[:3] == ["id", "at_utc", "utc_offset"]


@pytest.mark.parametrize("args", [["history"], ["log", "--muscle", "calf"], ["report"]])
def test_a_diary_from_a_newer_cramp_is_refused_and_left_unchanged(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "db").mkdir()
    path = tmp_path / "db" / "new.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (id TEXT, future_column BLOB)")
        conn.execute(f"PRAGMA user_version = {LATEST + 7}")
        conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    before = _fingerprint(path)
    result = run(*args, "--db", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line
    assert "newer version of cramp" in line and str(path) in line
    assert _fingerprint(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["new.sqlite3"]


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "bad-header"],
)
@pytest.mark.parametrize("args", [["history"], ["log", "--muscle", "calf"], ["import", "-"]])
def test_a_corrupt_file_is_a_clear_error_and_never_overwritten(
    tmp_path: Path, content: bytes, args: list[str]
) -> None:
    path = tmp_path / "diary.sqlite3"
    path.write_bytes(content)
    before = _fingerprint(path)
    result = run(*args, "--db", str(path))
    assert result.exit_code in (1, 2), result.stderr  # import of empty stdin is 2 or 1
    if args[0] != "import":
        assert result.exit_code == 1
        assert "not a cramp diary or is damaged" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert _fingerprint(path) == before


def test_a_truncated_diary_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    with Diary.open(path) as diary:  # type: ignore[union-attr]
        diary.add_many([_entry(minutes=n % 30) for n in range(3000)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    before = _fingerprint(path)
    result = run("history", "--db", str(path), "--limit", "5000")
    assert result.exit_code == 1, result.stdout[-300:]
    assert "damaged" in result.stderr
    assert _fingerprint(path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
        conn.execute("INSERT INTO users VALUES ('ann')")
    before = _fingerprint(path)
    result = _log(path)
    assert result.exit_code == 1
    assert "another program" in result.stderr
    assert _fingerprint(path) == before


def test_a_folder_as_the_diary_path_is_refused(tmp_path: Path) -> None:
    result = _log(tmp_path)
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


# ---------------------------------------------------------------- read-only and locked


def test_a_read_only_diary_can_be_read_but_not_written(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    assert _log(path).exit_code == 0
    os.chmod(path, 0o400)
    try:
        before = _fingerprint(path)
        result = _log(path)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "read-only" in result.stderr and "nothing was changed" in result.stderr
        assert _fingerprint(path) == before
        listed = run("history", "--db", str(path), "--json")
        assert listed.exit_code == 0, listed.stderr
        assert len(json.loads(listed.stdout)["items"]) == 1
        assert _fingerprint(path) == before
    finally:
        os.chmod(path, 0o600)


def test_a_diary_locked_past_the_timeout_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "diary.sqlite3"
    assert _log(path).exit_code == 0
    monkeypatch.setattr(store, "DEFAULT_TIMEOUT", 0.3)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE entries SET note = 'held'")
    try:
        started = time.monotonic()
        result = _log(path, "--json")
        assert time.monotonic() - started < 5
        assert result.exit_code == 1
        assert result.stdout == ""
        error = json.loads(result.stderr)["error"]
        assert error["code"] == "diary"
        assert "locked" in error["message"] and "nothing was changed" in error["message"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _rows(path) == 1
    assert _log(path).exit_code == 0
    assert _rows(path) == 2


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE entries SET note = 'held'")
print("locked", flush=True)
time.sleep(0.7)
conn.execute("COMMIT")
"""


def test_a_writer_waits_for_a_short_lock(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    assert _log(path).exit_code == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    result = _log(path)  # waits (busy timeout 5 s) until the holder commits
    assert holder.wait(timeout=30) == 0
    assert result.exit_code == 0, result.stderr
    assert _rows(path) == 2


# ---------------------------------------------------------------- concurrency and crashes


WRITER = """
import sys, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from cramp_cli.diary.models import Entry, new_id, night_of
from cramp_cli.diary.store import Diary

path, worker, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
start = float(sys.argv[4])
time.sleep(max(0.0, start - time.time()))
with Diary.open(path) as diary:
    for n in range(count):
        at = datetime(2025, 1, 1, 23, 0, tzinfo=timezone.utc) + timedelta(minutes=worker * 1000 + n)
        diary.add(Entry(id=new_id(), at=at, night=night_of(at), muscle="back-calf",
                        minutes=n % 10, note=f"worker {worker} entry {n}"))
print("done", worker)
"""


def test_eight_processes_logging_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "diary.sqlite3"  # not created yet: creation races too
    start = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(worker), "200", str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for worker in range(8)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert out.startswith("done")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1600
        assert conn.execute("SELECT count(DISTINCT id) FROM entries").fetchone()[0] == 1600
        assert conn.execute("SELECT count(DISTINCT note) FROM entries").fetchone()[0] == 1600
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert path.stat().st_mode & 0o777 == 0o600


KILLED = """
import sys, time
from datetime import datetime, timezone, timedelta
from pathlib import Path
from cramp_cli.diary.models import Entry, new_id, night_of
from cramp_cli.diary.store import Diary

diary = Diary.open(Path(sys.argv[1]))
with diary.transaction():
    for n in range(500):
        at = datetime(2025, 2, 1, 23, 0, tzinfo=timezone.utc) + timedelta(minutes=n)
        diary._insert(Entry(id=new_id(), at=at, night=night_of(at), muscle="foot",
                            note="x" * 900))
    print("inserted", flush=True)
    time.sleep(120)
"""


def test_a_writer_killed_mid_transaction_leaves_the_diary_consistent(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    with Diary.open(path) as diary:  # type: ignore[union-attr]
        diary.add_many([_entry() for _ in range(5)])
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "inserted", process.stderr.read() if process.stderr else ""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM entries WHERE muscle = 'foot'").fetchone()[0] == 0
    result = run("history", "--db", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 5
    assert _log(path).exit_code == 0
    assert _rows(path) == 6


# ---------------------------------------------------------------- the store API


def test_add_many_skips_ids_already_present_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    first = [_entry() for _ in range(3)]
    with Diary.open(path) as diary:  # type: ignore[union-attr]
        added, skipped = diary.add_many(first)
        assert (len(added), skipped) == (3, [])
        added, skipped = diary.add_many([*first[:2], _entry()])
        assert len(added) == 1
        assert skipped == [first[0].id, first[1].id]
        assert diary.count() == 4


def test_a_damaged_row_is_a_diary_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    assert _log(path).exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE entries SET night = 'yesterday'")
    result = run("history", "--db", str(path))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr
    with pytest.raises(DiaryError), Diary.open(path) as diary:  # type: ignore[union-attr]
        diary.history()
