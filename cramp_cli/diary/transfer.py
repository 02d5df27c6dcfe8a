"""`cramp export` and `cramp import`: the diary as CSV or JSON, and back, losslessly.

Export writes every field (the time with its UTC offset, so the wall-clock time survives);
import reads the same shapes, checks every row before anything is stored, and reports the
problems as `row N: field ...` in one line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

from cramp_cli.diary.models import FIELDS, Entry, ValueProblem, build_entry, csv_row
from cramp_cli.errors import CrampError, UsageError
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.results import SCHEMA_VERSION

MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 3
Kind = Literal["csv", "json"]


class InvalidImport(UsageError):
    """The file to import has a problem; nothing was stored."""

    code = "invalid-import"


def write_csv(entries: Iterable[Entry], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(FIELDS)
    for entry in entries:
        writer.writerow(csv_row(entry))


def detect(raw: bytes, name: str) -> Kind:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith(".json"):
        return "json"
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"{", b"[") else "csv"


def _text(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        raise InvalidImport(f"{name} is a binary file, not CSV or JSON; nothing was imported.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InvalidImport(
            f"{name}:{line}: not UTF-8 text; nothing was imported.",
            hint="Save the file as UTF-8.",
        ) from None


def read_rows(raw: bytes, name: str, kind: Kind) -> list[tuple[int, dict[str, Any]]]:
    """(row number from 1, values) for every row of the file."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidImport(
            f"{name} is {len(raw):,} bytes, over the {MAX_IMPORT_BYTES:,}-byte limit; "
            "nothing was imported."
        )
    text = _text(raw, name)
    return _json_rows(text, name) if kind == "json" else _csv_rows(text, name)


def _json_rows(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        where = f":{err.lineno}" if isinstance(err, json.JSONDecodeError) else ""
        raise InvalidImport(
            f"{name}{where}: not valid JSON ({getattr(err, 'msg', err)}); nothing was imported."
        ) from None
    if isinstance(document, dict):
        version = document.get("schema_version")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise InvalidImport(
                f"{name} was written by a newer cramp (schema version {version}); "
                "nothing was imported.",
                hint="Upgrade cramp to import it.",
            )
        rows = document.get("items")
        if not isinstance(rows, list):
            raise InvalidImport(
                f"{name}: expected the output of 'cramp export' (an object with 'items') "
                "or a list of entries; nothing was imported."
            )
    elif isinstance(document, list):
        rows = document
    else:
        raise InvalidImport(f"{name}: expected a list of entries; nothing was imported.")
    numbered: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InvalidImport(
                f"{name}: row {number}: expected an object with the entry's fields; "
                "nothing was imported."
            )
        numbered.append((number, row))
    return numbered


def _csv_rows(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return []
        columns = [column.strip().lower() for column in header]
        unknown = [column for column in columns if column not in FIELDS]
        if unknown:
            raise InvalidImport(
                f"{name}: unknown column {unknown[0]!r}; nothing was imported.",
                hint=f"The columns are: {','.join(FIELDS)}.",
            )
        if len(set(columns)) != len(columns):
            raise InvalidImport(f"{name}: a column appears twice; nothing was imported.")
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, cells in enumerate(_non_blank(reader), start=1):
            if len(cells) != len(columns):
                raise InvalidImport(
                    f"{name}: row {number} has {len(cells)} cells, the header "
                    f"{len(columns)}; nothing was imported."
                )
            rows.append((number, dict(zip(columns, cells, strict=True))))
        return rows
    except csv.Error as err:
        raise InvalidImport(
            f"{name}:{reader.line_num}: not valid CSV ({err}); nothing was imported."
        ) from None


def _non_blank(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    for cells in reader:
        if cells and any(cell.strip() for cell in cells):
            yield cells


def build_entries(
    rows: list[tuple[int, dict[str, Any]]], kb: KnowledgeBase, name: str
) -> list[Entry]:
    """Every row checked first; any problem stops the import before anything is stored."""
    entries: list[Entry] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        try:
            entry = build_entry(row, kb)
        except ValueProblem as err:
            problems.append(f"row {number}: {err}")
            continue
        except CrampError as err:  # an unknown muscle or relief item, with suggestions
            problems.append(f"row {number}: {err.message.rstrip('.')}")
            continue
        if entry.id in first_row:
            problems.append(f"row {number}: id {entry.id} is also row {first_row[entry.id]}")
            continue
        first_row[entry.id] = number
        entries.append(entry)
    if problems:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        extra = f" (and {more} more)" if more > 0 else ""
        raise InvalidImport(f"{name}: {shown}{extra}. Nothing was imported.")
    return entries
