"""`cramp export` and `cramp import`: the diary as CSV or JSON, and back, losslessly.

Export writes every field (the time with its UTC offset, so the wall-clock time survives).
A CSV export is safe to open in a spreadsheet: a cell that a spreadsheet would run as a
formula gets a leading ' (models.spreadsheet_cell). Both formats say how many entries they
hold, so a cut-off file is refused on import:

- CSV: a first line `# cramp diary export (format 2)`, the header, the rows, and a last line
  `# end of cramp diary export: N entries`;
- JSON: a top-level `count` beside `items`, and the medicines (`cramp meds`) in `medicines`.

Import streams: rows are read, checked and stored one by one inside one transaction, and
any problem rolls the whole import back (the first few problems are reported as `row N: ...`
in one line). A file without the marks (an older export, another program's CSV) is imported
as it is, and the caller warns that its completeness could not be checked.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Literal, TextIO

from cramp_cli.diary.models import (
    FIELDS,
    Entry,
    Memo,
    ValueProblem,
    build_entry,
    build_medicine,
    csv_row,
    plain_cell,
)
from cramp_cli.errors import CrampError, UsageError
from cramp_cli.i18n.text import _
from cramp_cli.results import SCHEMA_VERSION
from cramp_cli.safe_io import TooLarge, UnsafeFile, kind_of, open_regular, reason_of, shown

if TYPE_CHECKING:
    from cramp_cli.diary.store import Diary
    from cramp_cli.knowledge.kb import KnowledgeBase

# A CSV import streams, so its limit is generous: a million-entry export is about 100 MB.
MAX_IMPORT_BYTES = 512 * 1024 * 1024
# A JSON document is parsed whole, in memory: about 250,000 entries fit.
MAX_JSON_IMPORT_BYTES = 64 * 1024 * 1024
MAX_NUMBER_CHARS = 4300  # of one number in a JSON import: where Python's int() gives up
MAX_PROBLEMS_SHOWN = 3
MAX_LISTED = 1000  # rows listed one by one in the import's result
CSV_FORMAT = 2
START_MARK = f"# cramp diary export (format {CSV_FORMAT})"
_START = re.compile(r"^# cramp diary export \(format (\d{1,6})\)$")
_END = re.compile(r"^# end of cramp diary export: (\d{1,12}) entr(?:y|ies)$")
_SNIFF = 8192
Kind = Literal["csv", "json"]


class InvalidImport(UsageError):
    """The file to import has a problem; nothing was stored."""

    code = "invalid-import"


def end_mark(count: int) -> str:
    return f"# end of cramp diary export: {count} {'entry' if count == 1 else 'entries'}"


def write_csv(entries: Iterable[Entry], stream: IO[str]) -> int:
    """The CSV export: start mark, header, one row per entry, end mark. Returns the count."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([START_MARK])
    writer.writerow(FIELDS)
    count = 0
    for entry in entries:
        writer.writerow(csv_row(entry))
        count += 1
    writer.writerow([end_mark(count)])
    return count


# ---------------------------------------------------------------- writing a file whole


def _cannot_write(path: str, err: OSError, doing: str = "write") -> CrampError:
    reason = _(reason_of(err))
    if err.errno == errno.ENOENT:
        reason = _("its folder does not exist")
    elif err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        reason = _("{reason}: nothing was written").format(reason=reason)
    if doing == "write":
        return CrampError(
            _("cannot write {name} ({reason}).").format(name=shown(path), reason=reason)
        )
    return CrampError(f"cannot {doing} {shown(path)} ({reason}).")


@contextlib.contextmanager
def atomic_output(path: str, *, force: bool, command: str = "cramp export") -> Iterator[TextIO]:
    """A text stream whose content appears at `path` only once it is complete.

    It is written to a temporary file (mode 0600) in the same folder, flushed and synced, then
    linked to `path`, which fails if the name exists meanwhile (never overwriting anything), or
    with `force` renamed over it. Any failure, Ctrl-C included, removes the temporary file:
    nothing is left behind. An existing `path` that is not a regular file is refused, and so,
    without `force`, is any existing `path`."""
    if path == "":
        raise UsageError(_("--output is empty: give a file name."))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise _cannot_write(path, err) from None
    if mode is not None:
        if not stat.S_ISREG(mode):
            raise CrampError(
                _("cannot write {name}: it {kind}.").format(name=shown(path), kind=_(kind_of(mode)))
            )
        if not force:
            raise _exists(path, command)
    folder = os.path.dirname(path) or "."
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".cramp-export-", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _cannot_write(path, err) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _put_in_place(temporary, path, force=force, command=command)
    except OSError as err:
        _remove(temporary)
        raise _cannot_write(path, err) from None
    except BaseException:
        _remove(temporary)
        raise
    _sync_folder(folder)


def _exists(path: str, command: str = "cramp export") -> UsageError:
    return UsageError(
        _("{name} already exists; {command} does not overwrite files.").format(
            name=shown(path), command=command
        ),
        hint=_("Choose another name, remove the file first, or add --force to replace it."),
    )


def _put_in_place(temporary: str, path: str, *, force: bool, command: str) -> None:
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if `path` exists: no race with another writer
    except FileExistsError:
        _remove(temporary)
        raise _exists(path, command) from None
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links on this file system: claim the name, then rename over the claim.
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            _remove(temporary)
            raise _exists(path, command) from None
        try:
            os.replace(temporary, path)
        except BaseException:
            _remove(path)
            raise
        return
    _remove(temporary)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: str) -> None:
    """Make the new name itself durable (best effort: not every system can sync a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# ---------------------------------------------------------------- the file to import


class _Limited(io.RawIOBase):
    """A binary stream that refuses to give more than `limit` bytes (TooLarge)."""

    def __init__(self, raw: BinaryIO, limit: int, name: str) -> None:
        self._raw = raw
        self._left = limit
        self.limit = limit
        self.name_shown = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._raw.read(min(len(view), self._left + 1))
        except OSError as err:
            raise UnsafeFile(self.name_shown, reason_of(err)) from None
        if not data:
            return 0
        if len(data) > self._left:
            raise TooLarge(self.name_shown, self.limit)
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._raw.close()
        super().close()


class Source:
    """The file to import, open for reading with the size limit: a regular file, a pipe
    (a named pipe the user gave), or stdin (`-`)."""

    def __init__(self, raw: BinaryIO, name: str) -> None:
        self.name = name
        self._limited = _Limited(raw, MAX_IMPORT_BYTES, name)
        self.stream = io.BufferedReader(self._limited, buffer_size=1 << 16)

    @classmethod
    def open(cls, file: str) -> Source:
        """`-` is stdin. Devices, folders, sockets, unreadable paths and over-long names are
        UnsafeFile; an empty name is a UsageError."""
        if file == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                raise UnsafeFile("stdin", "is closed")
            return cls(stdin, "stdin")
        if file.strip() == "":
            raise UsageError(_("FILE is empty: give the file to import, or - for stdin."))
        path = os.path.expanduser(file)
        descriptor = open_regular(path, allow_pipe=True)
        try:
            size = os.fstat(descriptor).st_size
            regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
        except OSError as err:
            os.close(descriptor)
            raise UnsafeFile(path, reason_of(err)) from None
        if regular and size > MAX_IMPORT_BYTES:
            os.close(descriptor)
            raise TooLarge(path, MAX_IMPORT_BYTES)
        return cls(os.fdopen(descriptor, "rb", buffering=0), shown(path))

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def head(self) -> bytes:
        """The first bytes, without consuming them."""
        return self.stream.peek(_SNIFF)[:_SNIFF]

    def kind(self) -> Kind:
        lowered = self.name.lower()
        if lowered.endswith(".csv"):
            return "csv"
        if lowered.endswith(".json"):
            return "json"
        start = self.head().lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        return "json" if start in (b"{", b"[") else "csv"


# ---------------------------------------------------------------- reading rows


class Rows:
    """The rows of a file to import, read one by one: (row number from 1, values).

    `marked` says whether the file carries cramp's completeness marks; when it does, the
    iteration ends with an InvalidImport if the file is cut short or the count disagrees."""

    def __init__(self, source: Source, kind: Kind) -> None:
        self.source = source
        self.kind = kind
        self.marked = False
        # A JSON export's `medicines`, as read (checked by import_rows); CSV carries none.
        self.medicines: list[Any] = []
        name = source.name
        if b"\x00" in source.head():
            raise InvalidImport(
                _("{name} is a binary file, not CSV or JSON; nothing was imported.").format(
                    name=name
                )
            )

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            if self.kind == "json":
                yield from self._json()
            else:
                yield from self._csv()
        except TooLarge as err:
            raise InvalidImport(
                _("{name} {reason}; nothing was imported.").format(name=err.name, reason=err.reason)
            ) from None

    # ------------------------------------------------------------ CSV

    def _csv(self) -> Iterator[tuple[int, dict[str, Any]]]:
        name = self.source.name
        text = io.TextIOWrapper(self.source.stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, strict=True)
        try:
            yield from self._csv_rows(reader, name)
        except csv.Error as err:
            raise InvalidImport(
                f"{name}:{reader.line_num}: not valid CSV ({err}); nothing was imported."
            ) from None
        except UnicodeDecodeError:
            raise InvalidImport(
                _("{name}:{line}: not UTF-8 text; nothing was imported.").format(
                    name=name, line=reader.line_num + 1
                ),
                hint=_("Save the file as UTF-8."),
            ) from None

    def _csv_rows(
        self, reader: Iterator[list[str]], name: str
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        lines = _non_blank(reader)
        header = next(lines, None)
        if header is None:
            return
        if header[0].startswith("#"):
            self._start(header, name)
            header = next(lines, None)
            if header is None:
                raise _truncated(name, "it ends before the header")
        columns = [column.strip().lower() for column in header]
        unknown = [column for column in columns if column not in FIELDS]
        if unknown:
            raise InvalidImport(
                _("{name}: unknown column {column}; nothing was imported.").format(
                    name=name, column=repr(unknown[0][:40])
                ),
                hint=_("The columns are: {columns}.").format(columns=",".join(FIELDS)),
            )
        if len(set(columns)) != len(columns):
            raise InvalidImport(
                _("{name}: a column appears twice; nothing was imported.").format(name=name)
            )
        number = 0
        end: int | None = None
        for cells in reader:  # as _non_blank, inline: this loop runs once a row
            if not (cells and cells[0].strip()) and not any(cell.strip() for cell in cells):
                continue
            if end is not None:
                raise InvalidImport(
                    f"{name}: there are lines after the end mark; nothing was imported."
                )
            if self.marked and cells[0].startswith("#"):
                end = _end(cells, name)
                continue
            number += 1
            if len(cells) != len(columns):
                if self.marked and next(lines, None) is None:
                    raise _truncated(name, f"its last row, {number}, is cut short")
                raise InvalidImport(
                    f"{name}: row {number} has {len(cells)} cells, the header "
                    f"{len(columns)}; nothing was imported."
                )
            if self.marked:
                cells = [plain_cell(cell) for cell in cells]
            yield number, dict(zip(columns, cells, strict=True))
        if self.marked:
            if end is None:
                raise _truncated(name, "its end mark is missing")
            if end != number:
                raise _truncated(name, f"its end mark says {end:,} entries, but it has {number:,}")

    def _start(self, cells: list[str], name: str) -> None:
        match = _START.match(cells[0].strip()) if not any(c.strip() for c in cells[1:]) else None
        if match is None:
            raise InvalidImport(
                f"{name}: the first line {cells[0][:40]!r} is not a header; nothing was imported.",
                hint=f"The columns are: {','.join(FIELDS)}.",
            )
        if int(match.group(1)) > CSV_FORMAT:
            raise InvalidImport(
                f"{name} was written by a newer cramp (CSV format {match.group(1)}); "
                "nothing was imported.",
                hint="Upgrade cramp to import it.",
            )
        self.marked = True

    # ------------------------------------------------------------ JSON

    def _json(self) -> Iterator[tuple[int, dict[str, Any]]]:
        name = self.source.name
        raw = self.source.stream.read(MAX_JSON_IMPORT_BYTES + 1)
        if len(raw) > MAX_JSON_IMPORT_BYTES:
            raise InvalidImport(
                f"{name} is over the {MAX_JSON_IMPORT_BYTES:,}-byte limit for JSON; "
                "nothing was imported.",
                hint="Export as CSV (cramp export --format csv): CSV imports have a larger limit.",
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise InvalidImport(
                f"{name}:{line}: not UTF-8 text; nothing was imported.",
                hint="Save the file as UTF-8.",
            ) from None
        del raw
        document = _parse_json(text, name)
        del text
        if isinstance(document, dict):
            version = document.get("schema_version")
            if isinstance(version, int) and version > SCHEMA_VERSION:
                raise InvalidImport(
                    f"{name} was written by a newer cramp (schema version {version}); "
                    "nothing was imported.",
                    hint="Upgrade cramp to import it.",
                )
            medicines = document.get("medicines", [])
            if not isinstance(medicines, list):
                raise InvalidImport(
                    f"{name}: 'medicines' must be a list of medicines; nothing was imported."
                )
            self.medicines = medicines
            rows = document.get("items")
            if not isinstance(rows, list):
                raise InvalidImport(
                    f"{name}: expected the output of 'cramp export' (an object with 'items') "
                    "or a list of entries; nothing was imported."
                )
            if "count" in document:
                count = document["count"]
                if type(count) is not int or count < 0:
                    raise InvalidImport(
                        f"{name}: 'count' must be the number of items; nothing was imported."
                    )
                self.marked = True
                if count != len(rows):
                    raise _truncated(
                        name, f"its count says {count:,} entries, but it has {len(rows):,}"
                    )
        elif isinstance(document, list):
            rows = document
        else:
            raise InvalidImport(f"{name}: expected a list of entries; nothing was imported.")
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise InvalidImport(
                    f"{name}: row {number}: expected an object with the entry's fields; "
                    "nothing was imported."
                )
            yield number, row


def _parse_json(text: str, name: str) -> Any:
    def number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
        def parse(literal: str) -> Any:
            if len(literal) > MAX_NUMBER_CHARS:
                raise InvalidImport(
                    f"{name}: a number of {len(literal):,} characters (at most "
                    f"{MAX_NUMBER_CHARS}); nothing was imported."
                )
            return kind(literal)

        return parse

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as err:
        rest = text[err.pos :].rstrip()
        cut_literal = bool(rest) and any(
            word.startswith(rest) for word in ("null", "true", "false")
        )  # cut inside null, true or false: JSON stops at its first letter
        if err.msg.startswith("Unterminated string") or not rest or cut_literal:
            raise _truncated(name, f"its JSON ends too early ({err.msg})") from None
        raise InvalidImport(
            f"{name}:{err.lineno}: not valid JSON ({err.msg}); nothing was imported."
        ) from None
    except (RecursionError, ValueError) as err:
        raise InvalidImport(
            f"{name}: not valid JSON ({str(err)[:80]}); nothing was imported."
        ) from None


def _end(cells: list[str], name: str) -> int:
    match = _END.match(cells[0].strip()) if not any(c.strip() for c in cells[1:]) else None
    if match is None:
        raise InvalidImport(
            f"{name}: the line {cells[0][:40]!r} is not an entry nor the end mark; "
            "nothing was imported."
        )
    return int(match.group(1))


def _said(err: ValueProblem) -> str:
    """A field's problem as one phrase: "minutes must be ...", in the language of the run."""
    return _("{field} {problem}").format(field=err.field, problem=err.message)


def _truncated(name: str, why: str) -> InvalidImport:
    return InvalidImport(
        _("{name} looks truncated: {why}; nothing was imported.").format(name=name, why=why),
        hint=_("Export the diary again and import the complete file."),
    )


def _non_blank(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    for cells in reader:
        if cells and any(cell.strip() for cell in cells):
            yield cells


# ---------------------------------------------------------------- storing


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a row's objects hold no cycles and are freed as
    soon as it is stored, but a million rows would run the collector thousands of times
    (about 15% of an import's time)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Outcome:
    """What an import did: counts, and the status of the first MAX_LISTED rows."""

    def __init__(self) -> None:
        self.imported = 0
        self.skipped = 0
        self.rows = 0
        self.listed: list[tuple[str, Literal["imported", "skipped"]]] = []
        self.medicines = 0  # medicines added (a JSON export's; ids already there are skipped)


def import_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
    kb: KnowledgeBase,
    name: str,
    open_diary: Callable[[], Diary],
) -> Outcome:
    """Check and store every row in one transaction: all or nothing.

    The diary is opened (`open_diary()`) at the first good row, so a file that is wrong from
    its first row creates nothing. Ids already in the diary are skipped. A row without an id
    gets one from its content: a row identical to an earlier one is the same entry, and is
    counted as skipped. A row whose given id an earlier row had is a problem. Problems are
    collected (the rest of the file is still checked, not stored) and reported together,
    the first MAX_PROBLEMS_SHOWN of them; then everything is rolled back.
    """
    outcome = Outcome()
    problems: list[str] = []
    found = 0
    repeats = 0  # rows identical to an earlier row without an id
    listed: list[tuple[str, int]] = []  # (id, row) of the first MAX_LISTED rows
    given_id: set[int] = set()  # rows in the batch being staged that gave their id
    identical: set[int] = set()  # listed rows that repeat an earlier row without an id
    memo: Memo = {}
    now = datetime.now().astimezone().replace(microsecond=0)  # once: what rows are checked against

    def problem(text: str) -> None:
        nonlocal found
        found += 1
        if len(problems) < MAX_PROBLEMS_SHOWN:
            problems.append(text)

    def repeated(pairs: list[tuple[int, int]], ids: dict[int, str]) -> None:
        nonlocal repeats
        for number, earlier in pairs:
            if number in given_id:
                problem(f"row {number}: id {ids[number]} is also row {earlier}")
                continue
            repeats += 1
            if number <= MAX_LISTED:
                identical.add(number)

    with contextlib.ExitStack() as stack:
        stack.enter_context(_no_cyclic_gc())
        importer = None
        batch_ids: dict[int, str] = {}
        for number, row in rows:
            outcome.rows = number
            try:
                entry = build_entry(row, kb, now=now, memo=memo)
            except ValueProblem as err:
                problem(_("row {number}: {problem}").format(number=number, problem=_said(err)))
                continue
            except CrampError as err:  # an unknown muscle or relief item, with suggestions
                problem(
                    _("row {number}: {problem}").format(
                        number=number, problem=err.message.rstrip(".")
                    )
                )
                continue
            if found:
                continue  # checked, not stored: it will all be rolled back
            if importer is None:
                diary = stack.enter_context(open_diary())
                importer = stack.enter_context(diary.importing())
            if row.get("id") not in (None, ""):
                given_id.add(number)
            batch_ids[number] = entry.id
            if len(listed) < MAX_LISTED:
                listed.append((entry.id, number))
            pairs = importer.add(entry, number)
            if len(batch_ids) >= importer.BATCH or pairs:
                repeated(pairs, batch_ids)
                batch_ids.clear()
                given_id.clear()
        if importer is not None and not found:
            repeated(importer.flush(), batch_ids)
        medicines = []
        for number, raw in enumerate(getattr(rows, "medicines", []), start=1):
            try:
                medicines.append(build_medicine(raw, kb))
            except ValueProblem as err:
                problem(_("medicine {number}: {problem}").format(number=number, problem=_said(err)))
        if medicines and not found and importer is None:
            diary = stack.enter_context(open_diary())
            importer = stack.enter_context(diary.importing())
        if found:
            more = found - len(problems)
            extra = _(" (and {more} more)").format(more=more) if more > 0 else ""
            raise InvalidImport(
                _("{name}: {problems}{extra}. Nothing was imported.").format(
                    name=name, problems=_("; ").join(problems), extra=extra
                )
            )
        if importer is not None:
            outcome.medicines = importer.add_medicines(medicines)
            added, present = importer.finish([entry_id for entry_id, _row in listed])
            outcome.imported = added
            outcome.skipped = importer.staged - added + repeats
            outcome.listed = [
                (entry_id, "skipped" if row in identical or entry_id in present else "imported")
                for entry_id, row in listed
            ]
    return outcome
