"""Issue 12, a hostile world, for `cramp export` and `cramp import`: CSV that spreadsheets
open safely, exports that appear whole or not at all, cut-off files refused, import files
read safely, bounded numbers, and big imports that stream, all or nothing."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cramp_cli.cli import app
from cramp_cli.diary import transfer
from tests.conftest import REPO, run

GOOD = "2025-03-05T02:10:00+01:00"
START = "# cramp diary export (format 2)"


def count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def one_line_error(result: Any, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return str(lines[0])


def log(db: Path, *args: str) -> None:
    result = run("log", "--db", str(db), "-m", "calf", *args)
    assert result.exit_code == 0, result.stderr


def export(db: Path, *args: str) -> str:
    result = run("export", "--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def import_text(db: Path, text: str, *args: str) -> Any:
    return CliRunner().invoke(
        app, ["import", "-", "--db", str(db), *args], input=text, catch_exceptions=False
    )


def notes(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT note FROM entries ORDER BY at_utc")]


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    db = tmp_path / "source.sqlite3"
    for day, note in enumerate(["=1+2", "+SUM(A1)", "-3", "@cmd", "'quoted", "plain", ""], 1):
        log(db, "--at", f"2025-03-{day:02d}T02:10+01:00", "--note", note)
    return db


# ---------------------------------------------------------------- 4. spreadsheets


def test_csv_cells_that_a_spreadsheet_would_run_begin_with_a_quote(diary: Path) -> None:
    text = export(diary, "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[1]
    cells = [row[header.index("note")] for row in rows[2:-1]]
    assert cells == ["'=1+2", "'+SUM(A1)", "'-3", "'@cmd", "''quoted", "plain", ""]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_notes_come_back_exactly_including_the_escape_character(
    diary: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.sqlite3"
    result = import_text(target, export(diary, "--format", "csv"), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # a complete, marked file: no warning
    assert json.loads(result.stdout)["completeness_checked"] is True
    assert (
        notes(target)
        == notes(diary)
        == [
            "=1+2",
            "+SUM(A1)",
            "-3",
            "@cmd",
            "'quoted",
            "plain",
            "",
        ]
    )


NOTE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r")
    | st.just("\n")
    | st.sampled_from("=+-@'\"#,;"),
    max_size=1000,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=NOTE_TEXT)
def test_any_note_survives_a_csv_round_trip(tmp_path_factory: Any, note: str) -> None:
    folder = tmp_path_factory.mktemp("notes")
    source, target = folder / "a.sqlite3", folder / "b.sqlite3"
    log(source, "--at", GOOD, "--note", note)
    stored = notes(source)
    text = export(source, "--format", "csv")
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    result = import_text(target, text)
    assert result.exit_code == 0, result.stderr
    assert notes(target) == stored
    assert export(target, "--format", "csv") == export(source, "--format", "csv")


def test_an_older_export_keeps_a_leading_quote_and_warns_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    text = f"id,at,muscle,note\nabcdef0123,{GOOD},calf,'tis the season\n"
    result = import_text(db, text, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)  # stdout stays clean JSON
    assert document["completeness_checked"] is False
    assert "could not check that it is complete" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert notes(db) == ["'tis the season"]


# ---------------------------------------------------------------- 5. truncation


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_csv_export_cut_between_rows_is_refused(diary: Path, tmp_path: Path, cut: int) -> None:
    lines = export(diary, "--format", "csv").splitlines(keepends=True)
    db = tmp_path / "d.sqlite3"
    line = one_line_error(import_text(db, "".join(lines[:-cut])), 2)
    assert "looks truncated" in line
    assert "nothing was imported" in line
    assert count(db) == 0


def test_a_csv_export_cut_inside_a_row_is_refused(diary: Path, tmp_path: Path) -> None:
    text = export(diary, "--format", "csv")
    db = tmp_path / "d.sqlite3"
    line = one_line_error(import_text(db, text[: len(text) // 2]), 2)
    assert "looks truncated" in line
    assert count(db) == 0


def test_an_end_mark_that_disagrees_is_refused(diary: Path, tmp_path: Path) -> None:
    text = export(diary, "--format", "csv").replace(": 7 entries", ": 9 entries")
    db = tmp_path / "d.sqlite3"
    assert "says 9 entries, but it has 7" in one_line_error(import_text(db, text), 2)
    assert count(db) == 0


def test_a_real_export_piped_through_head_is_refused(diary: Path, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    command = (
        f"{sys.executable} -m cramp_cli export --format csv --db {diary} | head -n 5 | "
        f"{sys.executable} -m cramp_cli import - --db {db}"
    )
    done = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 2, done.stderr
    assert "looks truncated" in done.stderr
    assert "Traceback" not in done.stderr
    assert count(db) == 0


def test_json_export_carries_its_count_and_a_cut_one_is_refused(
    diary: Path, tmp_path: Path
) -> None:
    text = export(diary)
    document = json.loads(text)
    assert document["count"] == len(document["items"]) == 7
    db = tmp_path / "d.sqlite3"
    line = one_line_error(import_text(db, text[: len(text) - 200], "--format", "json"), 2)
    assert "looks truncated" in line
    document["items"].pop()
    line = one_line_error(import_text(db, json.dumps(document)), 2)
    assert "count says 7 entries, but it has 6" in line
    assert count(db) == 0


def test_a_json_list_without_count_imports_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    result = import_text(db, json.dumps([{"at": GOOD, "muscle": "calf"}]), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 1
    assert "could not check that it is complete" in result.stderr


# ---------------------------------------------------------------- 5. atomic export


def _fail_after(monkeypatch: pytest.MonkeyPatch, rows: int, error: BaseException) -> None:
    real = transfer.csv_row
    calls = {"n": 0}

    def failing(entry: Any) -> list[str]:
        calls["n"] += 1
        if calls["n"] > rows:
            raise error
        return real(entry)

    monkeypatch.setattr(transfer, "csv_row", failing)


def test_a_failed_export_leaves_nothing_and_a_rerun_works(
    diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "backup.csv"
    with monkeypatch.context() as patch:
        _fail_after(patch, 3, OSError(errno.ENOSPC, "No space left on device"))
        result = run("export", "--db", str(diary), "--format", "csv", "--output", str(out))
    line = one_line_error(result, 1)
    assert "backup.csv" in line and "no space left" in line.lower()
    assert list(folder.iterdir()) == []
    again = run("export", "--db", str(diary), "--format", "csv", "--output", str(out))
    assert again.exit_code == 0, again.stderr
    assert out.read_text(encoding="utf-8") == export(diary, "--format", "csv")
    assert [p.name for p in folder.iterdir()] == ["backup.csv"]


def test_ctrl_c_during_an_export_leaves_nothing(
    diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    _fail_after(monkeypatch, 2, KeyboardInterrupt())
    result = CliRunner().invoke(
        app, ["export", "--db", str(diary), "--format", "csv", "--output", str(folder / "x.csv")]
    )
    assert result.exit_code != 0
    assert list(folder.iterdir()) == []


def _big_diary(db: Path, rows: int) -> None:
    lines = ["id,at,muscle,note"]
    lines += [
        f"{n:010x},2025-0{1 + n % 9}-{1 + n % 28:02d}T02:{n % 60:02d}:{n // 60 % 60:02d}Z,"
        f"calf,note number {n}"
        for n in range(rows)
    ]
    result = import_text(db, "\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr


def test_a_real_write_failure_efbig_leaves_nothing_behind(tmp_path: Path) -> None:
    """A real process whose file-size limit (RLIMIT_FSIZE) makes its writes fail with EFBIG,
    as a full disk would fail them."""
    db = tmp_path / "big.sqlite3"
    _big_diary(db, 3000)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "backup.csv"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    argv = [sys.executable, "-m", "cramp_cli", "export", "--format", "csv"]
    argv += ["--db", str(db), "--output", str(out)]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=60, cwd=REPO, preexec_fn=limit
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "backup.csv" in done.stderr and "nothing was written" in done.stderr
    assert list(folder.iterdir()) == []
    again = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert again.returncode == 0, again.stderr
    assert out.read_text(encoding="utf-8").endswith("# end of cramp diary export: 3000 entries\n")


def test_force_replaces_an_existing_file_atomically(diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    result = run("export", "--db", str(diary), "--output", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["count"] == 7
    assert out.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json", "source.sqlite3"]


def test_force_needs_output(diary: Path) -> None:
    assert "--output" in one_line_error(run("export", "--db", str(diary), "--force"), 2)


def test_a_file_that_appears_meanwhile_is_never_overwritten(
    diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "race.csv"
    real = transfer.csv_row

    def sneaky(entry: Any) -> list[str]:
        if not out.exists():
            out.write_text("someone else's file", encoding="utf-8")
        return real(entry)

    monkeypatch.setattr(transfer, "csv_row", sneaky)
    result = run("export", "--db", str(diary), "--format", "csv", "--output", str(out))
    assert "already exists" in one_line_error(result, 2)
    assert out.read_text(encoding="utf-8") == "someone else's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.csv", "source.sqlite3"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda t: t, "is a folder"),
        (lambda t: Path("/dev/null"), "is a device"),
        (lambda t: t / "missing" / "x.csv", "its folder does not exist"),
        (lambda t: t / ("n" * 300 + ".csv"), "too long"),
        (lambda t: t / "file" / "x.csv", "not a folder"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line_exit_1(
    diary: Path, tmp_path: Path, where: Any, message: str
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("export", "--db", str(diary), "--output", str(where(tmp_path)), "--force")
    line = one_line_error(result, 1)
    assert message in line
    assert len(line) < 250  # the path is clipped
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ---------------------------------------------------------------- permissions (as nobody)


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Run as user nobody (effective ids) in this process: root passes every permission
    check, so without this an unreadable or unwritable place cannot be tested. Only the
    effective ids change, so they can be set back; cramp's modules are imported already."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


NOBODY = 65534


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder that user nobody can reach, and a home in it that nobody owns, with the
    XDG folders."""
    folder = Path(tempfile.mkdtemp(prefix="cramp-shared-"))
    folder.chmod(0o755)
    home = folder / "home"
    home.mkdir()
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        path = home / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    for path in (home, *home.iterdir()):
        path.chmod(0o700)
        os.chown(path, NOBODY, NOBODY)
    monkeypatch.setenv("HOME", str(home))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_an_unwritable_output_folder_is_one_line_exit_1(diary: Path, shared: Path) -> None:
    source = shared / "home" / "diary.sqlite3"
    shutil.copy(diary, source)
    os.chown(source, NOBODY, NOBODY)
    folder = shared / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / "x.csv"
    run("export", "--db", str(source), "--output", str(shared / "warm.csv"))  # imports warm
    with as_nobody():
        result = run("export", "--db", str(source), "--output", str(out))
    assert "permission denied" in one_line_error(result, 1)
    assert list(folder.iterdir()) == []


def test_an_unreadable_import_file_is_one_line_exit_1(shared: Path) -> None:
    file = shared / "secret.csv"
    file.write_text(f"at,muscle\n{GOOD},calf\n", encoding="utf-8")
    file.chmod(0o600)
    db = shared / "home" / "d.sqlite3"
    run("import", str(file), "--db", str(shared / "warm.sqlite3"))  # imports warm
    with as_nobody():
        result = run("import", str(file), "--db", str(db))
    line = one_line_error(result, 1)
    assert "secret.csv" in line and "permission denied" in line
    assert not db.exists()


# ---------------------------------------------------------------- reading the import safely


def test_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    line = one_line_error(run("import", "/dev/zero", "--db", str(tmp_path / "d.sqlite3")), 1)
    assert "/dev/zero" in line and "device" in line


def test_an_empty_name_is_a_usage_error(tmp_path: Path) -> None:
    assert "empty" in one_line_error(run("import", "", "--db", str(tmp_path / "d")), 2)


def test_an_over_long_name_is_clipped(tmp_path: Path) -> None:
    name = str(tmp_path / ("x" * 5000))
    line = one_line_error(run("import", name, "--db", str(tmp_path / "d.sqlite3")), 1)
    assert "too long" in line
    assert len(line) < 250


def test_a_named_pipe_the_user_gives_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    db = tmp_path / "d.sqlite3"

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as stream:
            stream.write(f"at,muscle\n{GOOD},calf\n")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = run("import", str(fifo), "--db", str(db), "--json")
    thread.join(10)
    assert result.exit_code == 0, result.stderr
    assert count(db) == 1


def test_a_named_pipe_whose_writer_comes_later_is_waited_for(tmp_path: Path) -> None:
    """`cramp import pipe` started before anything writes to the pipe waits for the writer,
    as `cat pipe` would; it must not read the pipe as an empty file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    db = tmp_path / "d.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "cramp_cli", "import", str(fifo), "--db", str(db), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # cramp is started and waiting before the writer comes
    try:  # without blocking: ENXIO if cramp is no longer there to read
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as err:
        process.kill()
        pytest.fail(f"cramp did not wait for the writer ({err}): {process.communicate()}")
    os.write(writer, f"at,muscle\n{GOOD},calf\n".encode())
    os.close(writer)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert json.loads(stdout)["imported"] == 1
    assert count(db) == 1


@pytest.mark.parametrize("from_stdin", [True, False])
def test_the_size_limit_holds_for_stdin_and_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_stdin: bool
) -> None:
    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 1000)
    text = "at,muscle\n" + f"{GOOD},calf\n" * 100
    db = tmp_path / "d.sqlite3"
    if from_stdin:
        result = import_text(db, text)
    else:
        file = tmp_path / "big.csv"
        file.write_text(text, encoding="utf-8")
        result = run("import", str(file), "--db", str(db))
    line = one_line_error(result, 2)
    assert "1,000-byte limit" in line
    assert count(db) == 0


@pytest.mark.parametrize(
    "literal", ["9" * 5000, "1." + "5" * 5000, "1e" + "9" * 5000, "-" + "1" * 4301]
)
def test_a_huge_number_in_json_is_one_line(tmp_path: Path, literal: str) -> None:
    text = f'[{{"at": "{GOOD}", "muscle": "calf", "severity": {literal}}}]'
    db = tmp_path / "d.sqlite3"
    line = one_line_error(import_text(db, text), 2)
    assert "number" in line and "nothing was imported" in line
    assert len(line) < 300
    assert count(db) == 0


# ---------------------------------------------------------------- 6. big imports


def _rows(count_: int, *, ids: bool) -> list[str]:
    rows = []
    for n in range(count_):
        at = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:{n // 60 % 60:02d}Z"
        prefix = f"{n:012x}," if ids else ""
        rows.append(f"{prefix}{at},calf,{n % 10 + 1},note {n}")
    return rows


def test_twenty_thousand_rows_are_all_stored_and_the_result_stays_bounded(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.sqlite3"
    text = "id,at,muscle,severity,note\n" + "\n".join(_rows(20_000, ids=True)) + "\n"
    result = import_text(db, text, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["imported"], document["skipped"], document["rows"]) == (20_000, 0, 20_000)
    assert len(document["items"]) == 1000
    assert count(db) == 20_000
    again = json.loads(import_text(db, text, "--json").stdout)
    assert (again["imported"], again["skipped"]) == (0, 20_000)


def test_a_bad_last_row_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    log(db, "--at", GOOD)
    rows = _rows(20_000, ids=True)
    rows[-1] = rows[-1].replace(",calf,", ",elbow,")
    line = one_line_error(
        import_text(db, "id,at,muscle,severity,note\n" + "\n".join(rows) + "\n"), 2
    )
    assert "row 20000: unknown muscle 'elbow'" in line
    assert count(db) == 1


def test_a_repeated_id_late_in_the_file_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    rows = _rows(5000, ids=True)
    rows.append(rows[10].replace("note 10", "another note"))
    line = one_line_error(
        import_text(db, "id,at,muscle,severity,note\n" + "\n".join(rows) + "\n"), 2
    )
    assert "row 5001: id 00000000000a is also row 11" in line
    assert not db.exists() or count(db) == 0


def test_rows_without_ids_get_ids_from_their_content(tmp_path: Path) -> None:
    text = "at,muscle,severity,note\n" + "\n".join(_rows(20_000, ids=False)) + "\n"
    one, two = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    first = json.loads(import_text(one, text, "--json").stdout)
    assert (first["imported"], first["skipped"]) == (20_000, 0)
    assert json.loads(import_text(two, text, "--json").stdout)["items"] == first["items"]
    assert all(len(item["id"]) == 20 for item in first["items"])
    # The same file again: every row is found, nothing is added.
    again = json.loads(import_text(one, text, "--json").stdout)
    assert (again["imported"], again["skipped"]) == (0, 20_000)
    assert count(one) == 20_000


def test_identical_rows_without_ids_are_one_entry(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    row = f"{GOOD},calf,3,same"
    other = f"{GOOD},calf,3,same but different"
    text = "at,muscle,severity,note\n" + "\n".join([row, row, other, row]) + "\n"
    document = json.loads(import_text(db, text, "--json").stdout)
    assert (document["imported"], document["skipped"], document["rows"]) == (2, 2, 4)
    assert [item["status"] for item in document["items"]] == [
        "imported",
        "skipped",
        "imported",
        "skipped",
    ]
    assert count(db) == 2


# ---------------------------------------------------------------- the import's shortcut

_LOOSE_TEXT = st.text(max_size=30) | st.sampled_from(["", " ", "1e309", "nan", "-0", "²"])


def _field(valid: st.SearchStrategy[Any], junk: st.SearchStrategy[Any]) -> Any:
    """Valid values most of the time, so that whole rows pass often enough for the property
    to be tested at the edges of each field; sometimes junk, sometimes nothing (None)."""
    return st.one_of(valid, valid, valid, junk, st.none())


_ROW = st.fixed_dictionaries(
    {
        "at": st.datetimes(
            min_value=datetime(1899, 12, 30),
            max_value=datetime(2026, 1, 1),
            timezones=st.timezones(),
        ).map(lambda moment: moment.isoformat()),
        "muscle": st.sampled_from(["calf", "back-calf", "shin", "foot", "Calf", " thigh"]),
        "id": _field(st.text("0123456789abcdefABCDEF", min_size=8, max_size=32), _LOOSE_TEXT),
        "side": _field(st.sampled_from(["left", "Right", "both", ""]), _LOOSE_TEXT),
        "minutes": _field(
            st.sampled_from(["0", "1440", "1440.5", "1441", "0.5", 1440, 1441, 0, -0.0, 2.5]),
            _LOOSE_TEXT | st.floats() | st.integers(-5, 2000),
        ),
        "severity": _field(
            st.sampled_from([1, 10, 0, 11, "10", "11", 10.0, 11.0]),
            _LOOSE_TEXT | st.integers(-1, 12) | st.floats(0, 11),
        ),
        "woke": st.sampled_from(["true", "no", "", "maybe", True, 1, None]),
        "triggers": _field(
            st.lists(
                st.sampled_from(
                    ["long-walk", "Hot Day", "A", "x" * 40, *"abcdefghijklmnopqrstuvw"]
                ),
                max_size=23,
                unique=True,
            )
            | st.sampled_from([19, 20, 21, 22]).map(lambda n: [f"tag-{i}" for i in range(n)]),
            _LOOSE_TEXT | st.lists(_LOOSE_TEXT | st.just("x" * 41), max_size=25),
        ),
        "relief": _field(st.sampled_from(["relief-back-calf", ""]), _LOOSE_TEXT),
        "note": _field(
            st.text(max_size=40) | st.sampled_from([999, 1000, 1001, 1003]).map(lambda n: "n" * n),
            st.sampled_from(["a\x07b", "\r\nx", "x\u0085", "\x1f"]),
        ),
    }
)


@settings(max_examples=500, deadline=None)
@given(row=_ROW)
def test_an_imported_entry_passes_every_check_of_the_entry_shape(row: dict[str, Any]) -> None:
    """build_entry skips Entry's own checks (they cost a third of an import): whatever it
    accepts must pass them all, as a diary entry built the ordinary way."""
    from cramp_cli.diary.models import Entry, ValueProblem, build_entry
    from cramp_cli.errors import CrampError
    from cramp_cli.knowledge.snapshot import built_in

    try:
        entry = build_entry(row, built_in())
    except (ValueProblem, CrampError):
        return
    assert Entry(**entry.values()) == entry
