"""Terminals of every width: at 40, 60, 80 and 120 columns every command's terminal view fits,
cuts nothing with "…", never splits an id or a level word across lines, and prints every
address whole (wrapped if it must be, never cut), as a link where the terminal can follow one."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from cramp_cli.knowledge.load import load_kb
from tests.conftest import run

KB = load_kb()
WIDTHS = (40, 60, 80, 120)
SGR = re.compile(r"\x1b\[[0-9;]*m")
LINK = re.compile(r"\x1b\]8;([^;\x1b]*);([^\x1b]*)\x1b\\")
ID_KEYS = frozenset({"id", "level", "muscle", "rule", "ask_if", "signs", "sign"})


def _strings_under_id_keys(document: Any, key: str = "") -> Iterator[str]:
    """Every id and level word in a JSON result: the values of keys such as id and level."""
    if isinstance(document, dict):
        for name, value in document.items():
            yield from _strings_under_id_keys(value, name)
    elif isinstance(document, list):
        for value in document:
            yield from _strings_under_id_keys(value, key)
    elif isinstance(document, str) and key in ID_KEYS and len(document) > 3:
        yield document


def _entry_time(days_ago: int, hour: int) -> str:
    when = datetime.now().replace(hour=hour, minute=10, second=0, microsecond=0)
    return (when - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary whose report meets warning signs, with a long note and a long cramp."""
    db = tmp_path_factory.mktemp("diary") / "diary.sqlite3"
    entries = [
        ("--muscle", "calf", "--side", "left", "--minutes", "12", "--woke"),
        ("--muscle", "shin", "--minutes", "3", "--relief", "relief-front-calf"),
        ("--muscle", "hamstring", "--severity", "8", "--trigger", "long-walk,hot"),
        ("--muscle", "foot", "--note", "after a long walk with the dog " * 6),
    ]
    for days_ago, args in enumerate(entries * 3):
        done = run("log", "--db", str(db), *args, "--at", _entry_time(days_ago, 2), "--json")
        assert done.exit_code == 0, done.stderr
    return db


def _commands(db: str) -> list[list[str]]:
    firsts = {type(item).__name__: item.id for item in reversed(KB.items)}
    shown = [["show", item_id] for item_id in sorted(firsts.values())]
    return [
        ["now", "--no-timer"],
        *(["now", muscle.id, "--no-timer"] for muscle in KB.muscles),
        ["why"],
        ["prevent"],
        ["relieve"],
        *(["relieve", "--muscle", muscle.id] for muscle in KB.muscles),
        ["lookalikes"],
        ["muscles"],
        ["sources"],
        *(["sources", source.id] for source in KB.sources),
        *shown,
        ["show", KB.signs[0].id],
        ["search", "magnesium"],
        ["check", "--list"],
        ["check", "--none"],
        ["check", "--minutes", "12"],
        ["check", "--sign", ",".join(sign.id for sign in KB.signs), "--explain"],
        ["kb", "paths"],
        ["kb", "show", "nhs-leg-cramps"],
        ["kb", "validate"],
        ["log", "--db", db, "--muscle", "back-thigh", "--relief", "relief-back-thigh"],
        ["history", "--db", db],
        ["history", "--db", db, "--long"],
        ["report", "--db", db],
        ["report", "--for-doctor", "--db", db, "--entries"],
    ]


def _screen(args: list[str], width: int) -> tuple[str, list[tuple[str, str]]]:
    """The command's terminal view as a person reads it, and the links it carries."""
    result = run(*args, "--format", "table", env={"FORCE_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code in (0, 1), (args, result.stderr)
    links = LINK.findall(result.stdout)
    return SGR.sub("", LINK.sub("", result.stdout)), links


def _ids(args: list[str]) -> set[str]:
    result = run(*args, "--json")
    return set(_strings_under_id_keys(json.loads(result.stdout)))


def _not_in_view(args: list[str]) -> set[str]:
    """Ids the terminal view leaves out on purpose: a muscle's stretch panel, and each line of
    relieve's "Also helps", are titled by name."""
    if args[0] == "relieve":
        return {item.id for item in KB.relief}
    if args[0] == "now":
        named = {muscle.id for muscle in KB.muscles}
        return named | {item.id for item in KB.items if getattr(item, "muscle", None)}
    if args[0] == "lookalikes":
        return {item.id for item in KB.lookalikes}
    if args[0] == "history" and "--long" not in args:  # short ids and names, as git log
        named = {muscle.id for muscle in KB.muscles} | {item.id for item in KB.relief}
        return _entry_ids(args) | named
    return set()


def _entry_ids(args: list[str]) -> set[str]:
    return {entry["id"] for entry in json.loads(run(*args, "--json").stdout)["items"]}


def _check_screen(args: list[str], width: int) -> None:
    screen, links = _screen(args, width)
    lines = screen.splitlines()
    assert lines, args
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, (args, width, too_wide)
    if args[0] != "history" or "--long" in args:  # a one-line entry clips its note, as git log
        assert "…" not in screen, (args, width, [line for line in lines if "…" in line])
    flat = "".join(screen.split())
    plain = run(*args, "--format", "plain").stdout
    lowered = [line.lower() for line in lines]
    for word in _ids(args) - _not_in_view(args):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", plain):
            assert any(word.lower() in line for line in lowered), (args, width, word, "cut")
    wide = " ".join(_screen(args, 400)[0].split())
    for line in lines:
        if line[:1] in "╭╰┏┗":  # a panel's title or subtitle, in its border: whole words only
            label = " ".join(line.strip("╭╰┏┗─━╮╯┓┛ ").split())
            pattern = rf"(?<![\w-]){re.escape(label)}(?![\w-])"
            assert not label or re.search(pattern, wide), (args, width, label, "cut title")
    words = _ids(args)
    for before, after in pairwise(lines):
        tail = (before.strip(" │┃").split() or [""])[-1]
        head = (after.strip(" │┃").split() or [""])[0]
        if "/" in tail + head:
            continue  # an address may wrap: it is checked whole below
        for word in words:
            # A word that starts at the end of one line and ends at the start of the next.
            pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
            for found in re.finditer(pattern, tail + head):
                assert not found.start() < len(tail) < found.end(), (args, width, word, "split")
    for url in re.findall(r"https?://\S+", plain):
        if url[:25] not in flat:
            continue  # a list that leaves addresses to the view of one source
        assert url in flat, (args, width, url)
        assert url in {target for _, target in links}, (args, width, url)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_fits_and_cuts_nothing(width: int, diary: Path) -> None:
    failures = []
    for args in _commands(str(diary)):
        try:
            _check_screen(args, width)
        except AssertionError as err:
            failures.append(str(err)[:300])
    assert not failures, "\n".join(failures)


def test_addresses_are_links_on_a_terminal_and_bare_text_in_a_pipe() -> None:
    source = next(source for source in KB.sources if source.url and len(source.url) > 100)
    terminal = run("sources", source.id, env={"FORCE_COLOR": "1", "COLUMNS": "40"}).stdout
    assert source.url in {target for _, target in LINK.findall(terminal)}
    for fmt in ("table", "plain"):
        out = run("sources", source.id, "--format", fmt, env={"COLUMNS": "40"}).stdout
        assert "\x1b" not in out
        assert source.url in "".join(out.split())


def test_questions_wrap_to_the_terminal_they_are_asked_on(tmp_path: Path) -> None:
    """The answer goes to a file, the questions to a 40-column terminal: they fit it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 40, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(XDG_DATA_HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path))
    cramp = str(Path(sys.executable).with_name("cramp"))
    process = subprocess.Popen(
        [cramp, "check", "--ask", "--json"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    try:
        while b"[y/n/?]" not in seen and select.select([master], [], [], 30)[0]:
            seen += os.read(master, 65536)
    finally:
        process.kill()
        process.wait()
        os.close(master)
    lines = seen.decode().replace("\r", "").splitlines()
    assert "[y/n/?]" in seen.decode()
    assert all(len(line.rstrip()) <= 40 for line in lines), lines
