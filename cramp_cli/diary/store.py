"""The diary's SQLite file: opening it safely, migrating it forward, reading and writing entries.

The only module that talks to sqlite3. No Typer, no Rich: problems are DiaryError (exit 1)
with a message that names the file and says what to do.

Safety rules:

- The file is created by os.open(O_EXCL) with mode 0600 in a folder made with 0700, before
  SQLite sees it; an existing file is never created over, truncated or replaced.
- Before anything is written, the header is read: a file that is not SQLite, belongs to
  another program, or was written by a newer cramp (PRAGMA user_version above LATEST) is
  refused and left byte for byte as it was.
- WAL journal, a busy timeout, and every write in its own BEGIN IMMEDIATE transaction:
  concurrent writers wait their turn, and a writer killed mid-transaction leaves nothing
  behind (SQLite rolls the unfinished transaction back on the next open).
- A read-only file can still be read; writing to it is refused with a clear error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from datetime import time as dt_time
from pathlib import Path
from typing import Any, NamedTuple

from cramp_cli import locations
from cramp_cli.diary.models import NIGHT_CUTOFF_HOUR, Entry, Medicine, new_id
from cramp_cli.errors import CrampError, ExitCode
from cramp_cli.i18n.text import _
from cramp_cli.safe_io import UnsafeFile, check_regular, reason_of, shown, stat_or_none
from cramp_cli.shapes import Shape

DB_ENV = "CRAMP_DB"
APPLICATION_ID = 0x4352414D  # "CRAM": marks the file as a cramp diary
DEFAULT_TIMEOUT = 5.0  # seconds to wait for another program's write to finish
FILE_MODE = 0o600
FOLDER_MODE = 0o700
_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TAG_SEPARATOR = ";"  # trigger tags are letters, digits and dashes: never a ';'


class DiaryError(CrampError):
    """The diary file cannot be used: locked, read-only, damaged, foreign or too new."""

    code = "diary"


def default_path() -> Path:
    """platformdirs' user data folder for cramp, then diary.sqlite3."""
    return Path(locations.default_diary_path())


def resolve_path(path: Path | str | None) -> Path:
    """--db, else CRAMP_DB (Typer passes it as the option's value), else the default.

    A blank CRAMP_DB means unset (Click passes an empty one as no value); one with stray
    spaces is refused, naming the variable (commands.diary checks where the value came from;
    here a value equal to CRAMP_DB is taken to be it)."""
    if path is None or str(path).strip() == "":
        return default_path()
    text = str(path)
    if DB_ENV in os.environ and str(Path(os.environ[DB_ENV])) == text:
        locations.env_path(DB_ENV)
    return Path(os.path.expanduser(text))


# ---------------------------------------------------------------- schema and migrations


def _v1(conn: sqlite3.Connection) -> None:
    """The first schema: entries, and their trigger tags in order."""
    conn.execute(
        """
        CREATE TABLE entries (
            id TEXT PRIMARY KEY NOT NULL,
            at_utc TEXT NOT NULL,
            utc_offset INTEGER NOT NULL,
            night TEXT NOT NULL,
            muscle TEXT NOT NULL,
            side TEXT CHECK (side IN ('left', 'right', 'both')),
            minutes REAL CHECK (minutes >= 0),
            severity INTEGER CHECK (severity BETWEEN 1 AND 10),
            woke INTEGER NOT NULL DEFAULT 0 CHECK (woke IN (0, 1)),
            relief TEXT,
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE entry_triggers (
            entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (entry_id, position)
        )
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    """The performance issue: the trigger tags move into `entries` (';'-joined, in order), and
    a time index that covers every column but the note. `history --limit N` reads N rows
    from its end; `report` scans only its window of the index, without touching the table.
    """
    conn.execute("ALTER TABLE entries ADD COLUMN triggers TEXT NOT NULL DEFAULT ''")
    tags: dict[str, list[str]] = {}
    for entry_id, tag in conn.execute(
        "SELECT entry_id, tag FROM entry_triggers ORDER BY entry_id, position"
    ):
        tags.setdefault(entry_id, []).append(tag)
    conn.executemany(
        "UPDATE entries SET triggers = ? WHERE id = ?",
        [(TAG_SEPARATOR.join(values), entry_id) for entry_id, values in tags.items()],
    )
    conn.execute("DROP TABLE entry_triggers")
    conn.execute(
        "CREATE INDEX entries_by_time ON entries "
        "(at_utc, id, night, muscle, side, minutes, severity, woke, relief, triggers)"
    )


def _v3(conn: sqlite3.Connection) -> None:
    """Narrow indexes on the night, so that `history` counts the entries that match its
    filters without reading the wide time index (on 100,000 entries, 12 ms became 3): the
    night alone for a count by dates, the night and muscle for a count of one muscle."""
    conn.execute("CREATE INDEX entries_by_night ON entries (night)")
    conn.execute("CREATE INDEX entries_by_night_muscle ON entries (night, muscle)")


def _v4(conn: sqlite3.Connection) -> None:
    """Issue 14: what else was noticed with a cramp (`log --with`, ';'-joined words), the
    level and advice cramp gave at logging time (a JSON list of lines), and the medicines
    the person takes. Rows already there keep every value, with no symptoms or advice."""
    conn.execute("ALTER TABLE entries ADD COLUMN symptoms TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "ALTER TABLE entries ADD COLUMN logged_level TEXT CHECK "
        "(logged_level IN ('emergency', 'urgent', 'see-doctor', 'self-care'))"
    )
    conn.execute("ALTER TABLE entries ADD COLUMN logged_advice TEXT NOT NULL DEFAULT ''")
    conn.execute(
        """
        CREATE TABLE medicines (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            class_id TEXT,
            since TEXT,
            stopped TEXT,
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )


# Version N is reached by running MIGRATIONS[N - 1] on version N - 1. Append only.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3, _v4)
LATEST = len(MIGRATIONS)


# ---------------------------------------------------------------- errors


def _read_only(path: Path | str) -> DiaryError:
    return DiaryError(
        _("the diary {name} is read-only; nothing was changed.").format(name=shown(path)),
        hint=_("Check the permissions of the file and its folder, or give another file with --db."),
    )


def _describe(err: sqlite3.Error, full_path: Path, timeout: float) -> DiaryError:
    path = shown(full_path)
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return DiaryError(
            _(
                "the diary {name} is locked by another program (waited {seconds} s); "
                "nothing was changed."
            ).format(name=path, seconds=f"{timeout:g}"),
            hint=_("Try again in a moment."),
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return _read_only(path)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "not a database" in text:
        return DiaryError(
            _("{name} is not a cramp diary or is damaged; it was left as it is.").format(name=path),
            hint=_(
                "Restore it from a backup, or move it aside to start a new diary "
                "(see 'Diary' in the README)."
            ),
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return DiaryError(
            _("cannot open the diary {name}.").format(name=path),
            hint=_("Check that its folder exists and that you may read and write it."),
        )
    if name.startswith("SQLITE_FULL"):
        return DiaryError(
            _("the disk holding {name} is full; nothing was changed.").format(name=path)
        )
    return DiaryError(
        _("the diary {name} could not be used ({reason}); nothing was changed.").format(
            name=path, reason=text
        )
    )


# ---------------------------------------------------------------- creating the file


def _check_file(path: Path) -> bool:
    """Whether the diary file exists; if it does, it is a regular file (a symbolic link is
    followed). Checked with stat before SQLite opens it: SQLite would block for ever reading
    a FIFO, and read a device without end. A folder on the way that cannot be entered, or a
    name too long for the system, is a one-line error naming the path (clipped)."""
    try:
        return check_regular(path)
    except UnsafeFile as err:
        if err.reason_key.startswith("is a folder"):
            message = _("{name} is a folder, not a diary file.").format(name=err.name)
            raise DiaryError(message, hint=_("Give a file name.")) from None
        raise DiaryError(
            _("cannot use the diary {name}: {reason}.").format(name=err.name, reason=err.reason)
        ) from None


def _make_folder(folder: Path) -> None:
    """Create the missing folders, each 0700; existing folders are left as they are."""
    missing: list[Path] = []
    current = folder
    while True:
        try:
            if stat_or_none(current) is not None:
                break
        except UnsafeFile as err:
            message = _("cannot use the folder {name} for the diary: {reason}.").format(
                name=err.name, reason=err.reason
            )
            raise DiaryError(message) from None
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        except OSError as err:
            raise DiaryError(
                _("cannot create the folder {name} for the diary ({reason}).").format(
                    name=shown(path), reason=_(reason_of(err))
                )
            ) from None
        os.chmod(path, FOLDER_MODE)


def _create_file(path: Path) -> None:
    """Create an empty diary file, mode 0600, only if there is none (never over one)."""
    _make_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return  # another process created it first: use theirs
    except OSError as err:
        raise DiaryError(
            _("cannot create the diary {name} ({reason}).").format(
                name=shown(path), reason=_(reason_of(err))
            )
        ) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, FILE_MODE)  # exactly 0600, whatever the umask
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------- the diary


def _utc_text(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    if utc.year >= 1000 and not utc.microsecond:  # the same text, several times faster
        return utc.replace(tzinfo=None).isoformat() + "Z"
    return utc.strftime(_UTC_FORMAT)


# Every offset a diary can hold: cramp takes -12:00 to +14:00 now, but older versions took
# any offset Python allows (up to 23:59 either way). Widening the windows by the difference
# costs a few index rows and keeps those entries in history and reports.
_STORED_OFFSET = timedelta(hours=24)
_BEFORE_EVERY_TIME = ""  # sorts before every at_utc text
_AFTER_EVERY_TIME = "~"  # sorts after every at_utc text (digits come before '~')


def _lower_bound(night: date) -> str:
    """A UTC time at or before every entry of this night (12:00 local at the largest offset)."""
    try:
        start = datetime.combine(night, dt_time(NIGHT_CUTOFF_HOUR)) - _STORED_OFFSET
    except OverflowError:
        return _BEFORE_EVERY_TIME
    return f"{start.isoformat()}Z"


def _upper_bound(night: date) -> str:
    """A UTC time after every entry of this night (12:00 next day local at the smallest)."""
    try:
        end = datetime.combine(night, dt_time(NIGHT_CUTOFF_HOUR)) + timedelta(days=1)
        end += _STORED_OFFSET
    except OverflowError:
        return _AFTER_EVERY_TIME
    return f"{end.isoformat()}Z"


def _upper_bound_before(night: date) -> str:
    """A UTC time after every entry of the nights before this one."""
    if night == date.min:
        return _BEFORE_EVERY_TIME
    return _upper_bound(night - timedelta(days=1))


_COLUMNS = (
    "id, at_utc, utc_offset, night, muscle, side, minutes, severity, woke, relief, note, triggers, "
    "symptoms, logged_level, logged_advice"
)
# What a read-only diary of format 3 (before issue 14) gives for the columns it lacks: it
# cannot be migrated, but it can be read.
_COLUMNS_V3 = _COLUMNS.replace(
    "symptoms, logged_level, logged_advice",
    "'' AS symptoms, NULL AS logged_level, '' AS logged_advice",
)
_VALUES = ", ".join("?" * (_COLUMNS.count(",") + 1))
READ_ONLY_FROM = 3  # the oldest format a read-only diary can be read in without migrating
# The columns of an import's staging table: the same, the id never empty.
_STAGED = _COLUMNS.replace("id, ", "id TEXT NOT NULL, ", 1)


_MEDICINE_COLUMNS = "id, name, class_id, since, stopped, note"


def _medicine_row(medicine: Medicine) -> tuple[Any, ...]:
    return (
        medicine.id,
        medicine.name,
        medicine.class_id,
        medicine.since.isoformat() if medicine.since else None,
        medicine.stopped.isoformat() if medicine.stopped else None,
        medicine.note,
    )


class DuplicateMedicine(DiaryError):
    """The same medicine is already in the diary and not stopped: a usage error (exit 2)."""

    code = "duplicate-medicine"
    exit_code = ExitCode.USAGE

    def __init__(self, existing: Medicine) -> None:
        since = f" since {existing.since}" if existing.since else ""
        super().__init__(
            f"{existing.name!r} is already in your medicines{since} (id {existing.id}) and "
            "not stopped; nothing was added.",
            hint=f"Run 'cramp meds stop {existing.name}' first if you stopped and started "
            "it again.",
        )
        self.existing = existing


class Counted(Shape):
    key: str
    count: int


class ReliefStats(NamedTuple):
    relief: str
    uses: int
    mean_minutes: float | None
    longest_minutes: float | None


class WeekStats(Shape):
    # 0 is the week starting on the window's first night, or on the diary's first night if it
    # began inside the window (no empty weeks before the diary); 1 the week after, ...
    index: int
    cramps: int
    nights: int
    woke_nights: int


class Seen(NamedTuple):
    """When the diary saw something: the night, the (UTC) time of the latest entry that
    counts, and for a single cramp its minutes."""

    night: date
    at: datetime
    minutes: float | None = None


SEEN_LIMIT = 1000  # the most recent cramps over a minutes threshold that a report lists


class Aggregates(NamedTuple):
    """What the report needs from the window of nights, worked out in SQL."""

    first_night: date
    last_night: date
    earliest_night: date | None  # the first night in the window with an entry
    older_entries: bool  # entries exist before the window
    cramps: int
    nights: int
    woke_nights: int
    mean_minutes: float | None
    longest_minutes: float | None
    timed: int
    mean_severity: float | None
    rated: int
    muscles: tuple[Counted, ...]
    sides: tuple[Counted, ...]
    triggers: tuple[Counted, ...]
    reliefs: tuple[ReliefStats, ...]
    weeks: tuple[WeekStats, ...] = ()
    # For the dates in the report, newest first: every night with a cramp, every night a
    # cramp woke you, and the cramps of at least `long_from` minutes (at most SEEN_LIMIT).
    latest_at: datetime | None = None
    cramp_nights: tuple[Seen, ...] = ()
    woke_nights_seen: tuple[Seen, ...] = ()
    long_cramps: tuple[Seen, ...] = ()


class Diary:
    """An open diary. Use `with Diary.open(path) as diary:`; it closes the connection."""

    def __init__(self, path: Path, conn: sqlite3.Connection, timeout: float) -> None:
        self.path = path
        self.conn = conn
        self.timeout = timeout
        self.version = LATEST  # a read-only diary may be older (READ_ONLY_FROM and up)

    @property
    def _columns(self) -> str:
        """The columns to read: an older read-only diary gives defaults for the new ones."""
        return _COLUMNS if self.version >= LATEST else _COLUMNS_V3

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        write: bool = True,
        create: bool | None = None,
        timeout: float | None = None,
    ) -> Diary | None:
        """Open the diary; None if there is no file and not `create` (default: `write`).

        A file of an older schema is migrated forward when it can be written. A file without
        write permission (chmod a-w, or a read-only folder) is opened read-only, even for
        root, and refused with a clear error if `write`.
        """
        wait = DEFAULT_TIMEOUT if timeout is None else timeout
        if not _check_file(path):
            if not (write if create is None else create):
                return None
            _create_file(path)
            _check_file(path)  # what was created (or another process made first) is a file
        if not os.access(path, os.R_OK):
            raise DiaryError(
                f"cannot read the diary {shown(path)} (permission denied).",
                hint="Check the permissions of the file.",
            )
        writable = _writable(path)
        if write and not writable:
            raise _read_only(path)
        uri = f"file:{_uri_path(path)}?mode={'rw' if writable else 'ro'}"
        if not writable:
            uri += _read_only_query(path)
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=wait, isolation_level=None)
        except sqlite3.Error as err:
            raise _describe(err, path, wait) from None
        diary = cls(path, conn, wait)
        try:
            with diary._errors():
                diary._prepare(writable)
        except BaseException:
            conn.close()
            raise
        return diary

    def _prepare(self, writable: bool) -> None:
        version = self._check_header()
        if version < LATEST and not writable and version >= READ_ONLY_FROM:
            self.version = version  # read as it is: nothing can be written to it anyway
        elif version < LATEST and not writable:
            raise DiaryError(
                f"the diary {self.path} is read-only and needs upgrading to this cramp's format.",
                hint="Make it writable once, or open a writable copy with --db.",
            )
        if writable:
            self._use_wal()
        if version < LATEST and writable:
            self._migrate()
        self.conn.execute("PRAGMA foreign_keys = ON")
        if writable:
            self.conn.execute("PRAGMA synchronous = FULL")

    def _check_header(self) -> int:
        """The schema version, after refusing foreign, damaged or newer files. Writes nothing.

        One read transaction, so the version and the list of tables agree even while another
        process is creating the diary (version 0 with tables would otherwise look foreign).
        """
        with self.snapshot():
            version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            application = int(self.conn.execute("PRAGMA application_id").fetchone()[0])
            tables = int(
                self.conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                ).fetchone()[0]
            )
        if application not in (0, APPLICATION_ID):
            raise self._foreign()
        if version > LATEST:
            raise DiaryError(
                f"the diary {self.path} was written by a newer version of cramp (format "
                f"{version}; this one knows up to {LATEST}); it was not changed.",
                hint="Upgrade cramp to use it.",
            )
        if version == 0 and application == 0 and tables:
            raise self._foreign()
        return version

    def _foreign(self) -> DiaryError:
        return DiaryError(
            f"{self.path} is a database of another program, not a cramp diary; "
            "it was left as it is.",
            hint="Give another file with --db.",
        )

    def _use_wal(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
                continue
            if str(mode).lower() != "wal":
                raise DiaryError(f"the diary {self.path} cannot use a write-ahead log ({mode}).")
            return

    def _migrate(self) -> None:
        with self.transaction():
            # Read again inside the write lock: another process may have migrated meanwhile.
            version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            if version > LATEST:
                raise DiaryError(f"the diary {self.path} was written by a newer version of cramp.")
            for step in MIGRATIONS[version:]:
                step(self.conn)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {LATEST}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transactions and errors

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise _describe(err, self.path, self.timeout) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock first (waiting up to the timeout), so the
        transaction never fails half-way for a lock. All or nothing."""
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every query inside sees the same state of the diary."""
        with self._errors():
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    # ------------------------------------------------------------ writing

    def _insert(self, entry: Entry) -> None:
        self.conn.execute(
            f"INSERT INTO entries ({_COLUMNS}) VALUES ({_VALUES})",
            _row(entry),
        )

    def add(self, entry: Entry) -> Entry:
        """Store a new entry in its own transaction; a (very unlikely) id clash gets a new id."""
        for _attempt in range(5):
            with self.transaction():
                if not self._exists(entry.id):
                    self._insert(entry)
                    return entry
            entry = entry.model_copy(update={"id": new_id()})
        raise DiaryError("could not find a free id for the entry; try again.")

    def add_many(self, entries: Sequence[Entry]) -> tuple[list[Entry], list[str]]:
        """Store entries in one transaction, skipping ids already there: (added, skipped ids)."""
        added: list[Entry] = []
        skipped: list[str] = []
        with self.transaction():
            present = self._present({entry.id for entry in entries})
            for entry in entries:
                if entry.id in present:
                    skipped.append(entry.id)
                    continue
                self._insert(entry)
                present.add(entry.id)
                added.append(entry)
        return added, skipped

    @contextlib.contextmanager
    def importing(self) -> Iterator[Importer]:
        """One BEGIN IMMEDIATE transaction for a whole import (all or nothing: an exception
        inside rolls everything back). Rows are staged one by one in a TEMP table keyed by id,
        which finds an id that the file repeats; Importer.finish() then adds them to the
        diary in one statement, in time order, skipping ids already there. Nothing holds
        every row in memory."""
        with self._errors():
            # A big import touches the whole time index: let it stay in memory (64 MiB).
            self.conn.execute("PRAGMA cache_size = -65536")
            self.conn.execute("PRAGMA temp.cache_size = -65536")
        with self.transaction():
            self.conn.execute("DROP TABLE IF EXISTS temp.import_rows")
            # Rows are appended in file order (cheap, whatever the size); the index on the id
            # alone is small enough to stay in memory while it finds repeated ids.
            self.conn.execute(f"CREATE TEMP TABLE import_rows (row INTEGER NOT NULL, {_STAGED})")
            self.conn.execute("CREATE UNIQUE INDEX temp.import_rows_by_id ON import_rows (id)")
            try:
                yield Importer(self)
            finally:
                self.conn.execute("DROP TABLE IF EXISTS temp.import_rows")

    def replace(self, entry: Entry) -> None:
        """Overwrite the stored entry with this id (in one transaction)."""
        with self.transaction():
            if not self._exists(entry.id):
                raise DiaryError(
                    f"the entry {entry.id} was deleted meanwhile; nothing was changed."
                )
            self.conn.execute("DELETE FROM entries WHERE id = ?", (entry.id,))
            self._insert(entry)

    def delete(self, entry_id: str) -> bool:
        with self.transaction():
            cursor = self.conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            return cursor.rowcount > 0

    # ------------------------------------------------------------ medicines

    def add_medicine(self, medicine: Medicine) -> Medicine:
        """Store a medicine; refused (DiaryError) when one of the same name, not stopped, is
        there already (names compared case-insensitively). A new id on a (rare) clash."""
        with self.transaction():
            same = self._current_named(medicine.name)
            if same is not None and medicine.stopped is None:
                raise DuplicateMedicine(same)
            for _attempt in range(5):
                if (
                    self.conn.execute(
                        "SELECT 1 FROM medicines WHERE id = ?", (medicine.id,)
                    ).fetchone()
                    is None
                ):
                    break
                medicine = medicine.model_copy(update={"id": new_id()})
            self.conn.execute(
                "INSERT INTO medicines (id, name, class_id, since, stopped, note) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                _medicine_row(medicine),
            )
        return medicine

    def stop_medicine(self, medicine_id: str, on: date) -> Medicine:
        """Mark a medicine stopped on a date (in one transaction); the changed medicine."""
        with self.transaction():
            row = self.conn.execute(
                f"SELECT {_MEDICINE_COLUMNS} FROM medicines WHERE id = ?", (medicine_id,)
            ).fetchone()
            if row is None:
                raise DiaryError(
                    f"the medicine {medicine_id} was deleted meanwhile; nothing was changed."
                )
            changed = self._medicines([row])[0].model_copy(update={"stopped": on})
            self.conn.execute(
                "UPDATE medicines SET stopped = ? WHERE id = ?", (on.isoformat(), medicine_id)
            )
        return changed

    def _current_named(self, name: str) -> Medicine | None:
        rows = self.conn.execute(
            f"SELECT {_MEDICINE_COLUMNS} FROM medicines WHERE stopped IS NULL"
        ).fetchall()
        key = name.casefold()
        return next((m for m in self._medicines(rows) if m.name.casefold() == key), None)

    def medicines(self) -> list[Medicine]:
        """Every medicine, ordered by start date (unknown first), then name, then id."""
        if self.version < 4:
            return []  # a read-only diary from before medicines were kept
        with self.snapshot():
            rows = self.conn.execute(f"SELECT {_MEDICINE_COLUMNS} FROM medicines").fetchall()
            found = self._medicines(rows)
        return sorted(
            found,
            key=lambda m: (m.since is not None, m.since or date.min, m.name.casefold(), m.id),
        )

    def _medicines(self, rows: list[tuple[Any, ...]]) -> list[Medicine]:
        try:
            return [_medicine(row) for row in rows]
        except (ValueError, TypeError) as err:
            raise DiaryError(
                f"the diary {self.path} holds a medicine cramp cannot read ({_first_line(err)}).",
                hint="Restore it from a backup, or fix it with the sqlite3 tool.",
            ) from None

    # ------------------------------------------------------------ reading

    def _exists(self, entry_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return row is not None

    def _present(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT id FROM entries WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def _entries(self, rows: list[tuple[Any, ...]]) -> list[Entry]:
        try:
            return [_entry(row) for row in rows]
        except (ValueError, TypeError) as err:
            raise DiaryError(
                f"the diary {self.path} holds an entry cramp cannot read ({_first_line(err)}).",
                hint="Restore it from a backup, or fix the entry with the sqlite3 tool.",
            ) from None

    def get(self, entry_id: str) -> Entry | None:
        with self._errors():
            rows = self.conn.execute(
                f"SELECT {self._columns} FROM entries WHERE id = ?", (entry_id,)
            ).fetchall()
            found = self._entries(rows)
        return found[0] if found else None

    def ids_starting(self, prefix: str, limit: int = 3) -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._errors():
            rows = self.conn.execute(
                "SELECT id FROM entries WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
                (pattern, limit),
            ).fetchall()
        return [row[0] for row in rows]

    def history(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        muscle: str | None = None,
        limit: int = 20,
    ) -> tuple[list[Entry], int]:
        """The newest entries first, at most `limit`, and how many match in all.

        The night filters also bound at_utc, so the time index does the work.
        """
        where: list[str] = []
        params: list[Any] = []
        # The night decides; the at_utc bounds follow from it and only let the time index
        # find the newest rows. The count needs the night alone (its own narrow index).
        by_night: list[str] = []
        night_params: list[Any] = []
        if since is not None:
            where.append("at_utc >= ?")
            params.append(_lower_bound(since))
            by_night.append("night >= ?")
            night_params.append(since.isoformat())
        if until is not None:
            where.append("at_utc < ?")
            params.append(_upper_bound(until))
            by_night.append("night <= ?")
            night_params.append(until.isoformat())
        if muscle is not None:
            by_night.append("muscle = ?")
            night_params.append(muscle)
        clause = f"WHERE {' AND '.join([*where, *by_night])}" if where or by_night else ""
        count_clause = f"WHERE {' AND '.join(by_night)}" if by_night else ""
        with self.snapshot():
            rows = self.conn.execute(
                f"SELECT {self._columns} FROM entries {clause} "
                "ORDER BY at_utc DESC, id DESC LIMIT ?",
                [*params, *night_params, limit],
            ).fetchall()
            total = int(
                self.conn.execute(
                    f"SELECT count(*) FROM entries {count_clause}", night_params
                ).fetchone()[0]
            )
            entries = self._entries(rows)
        return entries, total

    def count(self) -> int:
        with self._errors():
            return int(self.conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def iter_all(self, chunk: int = 2000) -> Generator[Entry, None, None]:
        """Every entry, oldest first, read in chunks inside one snapshot (for export)."""
        with self.snapshot():
            cursor = self.conn.execute(f"SELECT {self._columns} FROM entries ORDER BY at_utc, id")
            while True:
                rows = cursor.fetchmany(chunk)
                if not rows:
                    return
                yield from self._entries(rows)

    def aggregates(
        self, first_night: date, last_night: date, long_from: float | None = None
    ) -> Aggregates:
        """Counts, means and maxima over the nights first_night..last_night, in SQL, and the
        nights and cramps behind them (cramps of `long_from` minutes or more, if given)."""
        window = (
            "FROM entries e WHERE e.at_utc >= :lo AND e.at_utc < :hi "
            "AND e.night >= :first AND e.night <= :last"
        )
        params = {
            "lo": _lower_bound(first_night),
            "hi": _upper_bound(last_night),
            "first": first_night.isoformat(),
            "last": last_night.isoformat(),
        }
        q = self.conn.execute
        with self.snapshot():
            (
                cramps,
                nights,
                woke_nights,
                mean_minutes,
                longest,
                timed,
                mean_severity,
                rated,
                earliest,
            ) = q(
                "SELECT count(*), count(DISTINCT e.night), "
                "count(DISTINCT CASE WHEN e.woke THEN e.night END), "
                "avg(e.minutes), max(e.minutes), count(e.minutes), "
                "avg(e.severity), count(e.severity), min(e.night) " + window,
                params,
            ).fetchone()
            older = (
                q(
                    "SELECT 1 FROM entries WHERE at_utc < :hi AND night < :first LIMIT 1",
                    {"hi": _upper_bound_before(first_night), "first": params["first"]},
                ).fetchone()
                is not None
            )
            muscles = q(
                "SELECT e.muscle, count(*) AS n " + window + " GROUP BY e.muscle "
                "ORDER BY n DESC, e.muscle",
                params,
            ).fetchall()
            sides = q(
                "SELECT e.side, count(*) AS n " + window + " AND e.side IS NOT NULL "
                "GROUP BY e.side ORDER BY n DESC, e.side",
                params,
            ).fetchall()
            tags: Counter[str] = Counter()
            for (joined,) in q("SELECT e.triggers " + window + " AND e.triggers != ''", params):
                tags.update(joined.split(TAG_SEPARATOR))
            triggers = sorted(tags.items(), key=lambda item: (-item[1], item[0]))
            reliefs = q(
                "SELECT e.relief, count(*) AS n, avg(e.minutes), max(e.minutes) "
                + window
                + " AND e.relief IS NOT NULL GROUP BY e.relief ORDER BY n DESC, e.relief",
                params,
            ).fetchall()
            # One row a night (at most MAX_DAYS): the weeks, and the nights the report names.
            per_night = [
                (date.fromisoformat(night), int(n), latest, woke_latest, longest_that_night)
                for night, n, latest, woke_latest, longest_that_night in q(
                    "SELECT e.night, count(*), max(e.at_utc), "
                    "max(CASE WHEN e.woke THEN e.at_utc END), max(e.minutes) "
                    + window
                    # +e.night: read the covering time index, not the night index and rows
                    + " GROUP BY +e.night ORDER BY 1 DESC",
                    params,
                )
            ]
            long_cramps = (
                q(
                    "SELECT e.night, e.at_utc, e.minutes "
                    + window
                    + " AND e.minutes >= :long ORDER BY e.at_utc DESC, e.id DESC LIMIT :most",
                    {**params, "long": long_from, "most": SEEN_LIMIT},
                ).fetchall()
                if long_from is not None
                and any(row[4] is not None and row[4] >= long_from for row in per_night)
                else []
            )
        by_week: dict[int, list[int]] = {}
        start = first_night
        if earliest and not older:
            start = date.fromisoformat(earliest)
        for night, n, _first, woke_latest, _last in per_night:
            stats = by_week.setdefault((night - start).days // 7, [0, 0, 0])
            stats[0] += n
            stats[1] += 1
            stats[2] += woke_latest is not None
        return Aggregates(
            first_night=first_night,
            last_night=last_night,
            earliest_night=date.fromisoformat(earliest) if earliest else None,
            older_entries=older,
            cramps=int(cramps),
            nights=int(nights),
            woke_nights=int(woke_nights),
            mean_minutes=mean_minutes,
            longest_minutes=longest,
            timed=int(timed),
            mean_severity=mean_severity,
            rated=int(rated),
            muscles=tuple(Counted(key=key, count=int(n)) for key, n in muscles),
            sides=tuple(Counted(key=key, count=int(n)) for key, n in sides),
            triggers=tuple(Counted(key=key, count=int(n)) for key, n in triggers),
            reliefs=tuple(
                ReliefStats(key, int(n), mean, longest_relief)
                for key, n, mean, longest_relief in reliefs
            ),
            weeks=tuple(
                WeekStats(index=w, cramps=c, nights=n, woke_nights=k)
                for w, (c, n, k) in sorted(by_week.items())
            ),
            latest_at=max((_utc(row[2]) for row in per_night), default=None),
            cramp_nights=tuple(Seen(row[0], _utc(row[2])) for row in per_night),
            woke_nights_seen=tuple(
                Seen(row[0], _utc(row[3])) for row in per_night if row[3] is not None
            ),
            long_cramps=tuple(
                Seen(date.fromisoformat(n), _utc(at), float(m)) for n, at, m in long_cramps
            ),
        )


class Importer:
    """Stages the rows of one import inside Diary.importing(), then adds them. Rows are
    staged in batches (one statement for many rows); a batch that meets an id already staged
    is looked at row by row. Errors are DiaryErrors through the transaction around it."""

    BATCH = 500

    def __init__(self, diary: Diary) -> None:
        self._diary = diary
        self._conn = diary.conn
        self._batch: list[tuple[Any, ...]] = []
        self.staged = 0

    def add(self, entry: Entry, row: int) -> list[tuple[int, int]]:
        """Stage the entry. Returns, for rows whose id an earlier row of this import had
        (then they are not staged), (row, earlier row): usually nothing, as rows are staged
        in batches; finish() returns the rest."""
        self._batch.append((row, *_row(entry)))
        return self.flush() if len(self._batch) >= self.BATCH else []

    def flush(self) -> list[tuple[int, int]]:
        batch, self._batch = self._batch, []
        if not batch:
            return []
        staged = self._conn.executemany(
            f"INSERT INTO temp.import_rows (row, {_COLUMNS}) "
            f"VALUES (?, {_VALUES}) ON CONFLICT (id) DO NOTHING",
            batch,
        ).rowcount
        self.staged += staged
        if staged == len(batch):
            return []
        repeats = []
        for values in batch:
            (first,) = self._conn.execute(
                "SELECT row FROM temp.import_rows WHERE id = ?", (values[1],)
            ).fetchone()
            if first != values[0]:
                repeats.append((values[0], int(first)))
        return repeats

    def add_medicines(self, medicines: Sequence[Medicine]) -> int:
        """Add the medicines whose id the diary does not have yet: how many were added."""
        added = 0
        for medicine in medicines:
            added += self._conn.execute(
                "INSERT INTO medicines (id, name, class_id, since, stopped, note) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                _medicine_row(medicine),
            ).rowcount
        return added

    def finish(self, ids: Sequence[str]) -> tuple[int, set[str]]:
        """Add every staged row whose id the diary does not have yet: (how many were added,
        which of `ids` the diary had already). Call flush() first."""
        present = self._diary._present(ids)
        added = self._conn.execute(
            f"INSERT INTO entries ({_COLUMNS}) SELECT {_COLUMNS} FROM temp.import_rows "
            "WHERE true ORDER BY at_utc, id ON CONFLICT (id) DO NOTHING"
        )
        return added.rowcount, present


def _writable(path: Path) -> bool:
    """Writable by permission bits too, the file's and its folder's: root can write
    anything, but chmod a-w (on the file or the folder) means no."""
    try:
        bits = path.stat().st_mode & 0o222
        folder_bits = path.absolute().parent.stat().st_mode & 0o222
    except OSError:
        return False
    return (
        bool(bits and folder_bits)
        and os.access(path, os.W_OK)
        and os.access(path.absolute().parent, os.W_OK)
    )


def _read_only_query(path: Path) -> str:
    """What to add to a read-only diary's URI so that reading it creates nothing beside it.

    SQLite reading a WAL database (cramp's diaries are) wants its -shm index, and creates it
    and an empty -wal when the folder lets it, even with mode=ro; in a read-only folder it
    cannot, and the open fails. But nobody writes a read-only diary (cramp refuses to; the
    permission bits say no), so:

    - no -wal, or an empty one: everything is in the main file, which cannot change under us.
      immutable=1 tells SQLite just that: no locks, no -wal, no -shm, nothing created.
    - a -wal with changes not yet copied into the main file (a writer stopped before it
      could): immutable=1 would skip them. If the -shm is there too, mode=ro reads both as
      they are, creating nothing. Without it, SQLite would have to create it: refused, with
      the reason, rather than a report that silently misses entries.
    """
    wal = _sibling_size(path, "-wal")
    if not wal:
        return "&immutable=1"
    if _sibling_size(path, "-shm") is not None:
        return ""
    raise DiaryError(
        f"the diary {shown(path)} is read-only and its -wal file holds changes not yet "
        "merged into it; cramp cannot read them without creating its -shm file beside it, "
        "so nothing was read.",
        hint="Make the diary and its folder writable once (any cramp command then merges "
        "them), or read a copy of both files with --db.",
    )


def _sibling_size(path: Path, suffix: str) -> int | None:
    """The size of the regular file `path` + `suffix` (-wal, -shm), None if there is none."""
    try:
        info = os.stat(f"{path}{suffix}")
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def no_entries(first_night: date, last_night: date) -> Aggregates:
    """The aggregates of a diary that does not exist yet."""
    return Aggregates(
        first_night=first_night,
        last_night=last_night,
        earliest_night=None,
        older_entries=False,
        cramps=0,
        nights=0,
        woke_nights=0,
        mean_minutes=None,
        longest_minutes=None,
        timed=0,
        mean_severity=None,
        rated=0,
        muscles=(),
        sides=(),
        triggers=(),
        reliefs=(),
    )


def _row(entry: Entry) -> tuple[Any, ...]:
    """The entry as the values of _COLUMNS."""
    offset = entry.at.utcoffset() or timedelta(0)
    return (
        entry.id,
        _utc_text(entry.at),
        int(offset.total_seconds() // 60),
        entry.night.isoformat(),
        entry.muscle,
        entry.side,
        entry.minutes,
        entry.severity,
        int(entry.woke),
        entry.relief,
        entry.note,
        TAG_SEPARATOR.join(entry.triggers),
        TAG_SEPARATOR.join(entry.symptoms),
        entry.logged_level,
        json.dumps(list(entry.logged_advice), ensure_ascii=False) if entry.logged_advice else "",
    )


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _entry(row: tuple[Any, ...]) -> Entry:
    (entry_id, at_utc, offset, night, muscle, side, minutes, severity, woke, relief, note, tags) = (
        row[:12]
    )
    words, level, advice = row[12:15]
    at = datetime.fromisoformat(at_utc)
    if at.utcoffset() != timedelta(0):
        raise ValueError(f"at_utc {at_utc!r} is not UTC")
    triggers = tags.split(TAG_SEPARATOR) if tags else []
    return Entry(
        id=entry_id,
        at=at.astimezone(timezone(timedelta(minutes=offset))),
        night=date.fromisoformat(night),
        muscle=muscle,
        side=side,
        minutes=minutes,
        severity=severity,
        woke=bool(woke),
        triggers=tuple(triggers),
        relief=relief,
        note=note,
        symptoms=tuple(words.split(TAG_SEPARATOR)) if words else (),
        logged_level=level,
        logged_advice=tuple(_advice_lines(advice)),
    )


def _advice_lines(text: str) -> list[str]:
    if not text:
        return []
    lines = json.loads(text)
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise ValueError("logged_advice is not a list of lines")
    return lines


def _medicine(row: tuple[Any, ...]) -> Medicine:
    medicine_id, name, class_id, since, stopped, note = row
    return Medicine(
        id=medicine_id,
        name=name,
        class_id=class_id,
        since=date.fromisoformat(since) if since else None,
        stopped=date.fromisoformat(stopped) if stopped else None,
        note=note,
    )


def _first_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return " ".join(lines[:3])[:200] if lines else type(err).__name__


def _uri_path(path: Path) -> str:
    """The path for a file: URI, with the characters URIs treat specially escaped."""
    from urllib.parse import quote

    text = str(path.absolute())
    if sys.platform == "win32":
        text = "/" + text.replace("\\", "/")
    return quote(text, safe="/:")
