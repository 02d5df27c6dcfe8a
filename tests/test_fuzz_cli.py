"""Fuzz: the real command line, in process, with generated arguments, environments and files.

Every example builds a sandbox of its own (HOME, XDG folders, a diary, an output folder and
special files: a FIFO, a folder, an unreadable file and folder, a link to the FIFO), writes the
generated files into it (knowledge-base YAML, CSV or JSON to import, a diary), and runs one to
three command lines through Typer's CliRunner against cramp_cli.cli.app, as a user would type
them. Commands and options come from the Click objects themselves, so a new option is fuzzed
without touching this file.

Each run must end with a documented exit code (0-5 or 130), never 70 and never an exception
escaping the CLI, with at most one error line on stderr and no traceback. Nothing may be
written outside the sandbox. A run that takes longer than the watchdog allows is a failure
("hung on ..."): the main thread gets a signal, and a FIFO that a read is stuck on is opened
for writing so the read ends.

CI runs a fixed, derandomised set of examples; CRAMP_FUZZ_EXAMPLES=5000 runs that many random
ones instead (CRAMP_FUZZ_TIMEOUT changes the watchdog, in seconds).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import stat
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from cramp_cli.cli import REGISTRY, app, build
from tests.test_user_kb import MY_PREVENTION

EXAMPLES = int(os.environ.get("CRAMP_FUZZ_EXAMPLES", "0") or 0)
TIMEOUT = float(os.environ.get("CRAMP_FUZZ_TIMEOUT", "10"))
ALLOWED_EXITS = {0, 1, 2, 3, 4, 5, 130}
MEMORY_HEADROOM = 1536 * 1024 * 1024  # more than any honest run needs; /dev/zero needs more
SANDBOX = "\u27eaS\u27eb"  # stands for the example's sandbox folder until it exists
ROOT_GUARDED = ("/cramp", "/kb")  # where a data or cache folder of "/" would write

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES or 200,
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)


# --- the commands, as Click knows them -----------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    opts: tuple[str, ...]  # empty for a positional argument
    flag: bool
    choices: tuple[str, ...]
    many: bool  # a positional that takes any number of values


def _params(command: Any) -> tuple[Param, ...]:
    params = []
    for param in command.params:
        opts = (*param.opts, *getattr(param, "secondary_opts", ()))
        is_option = param.param_type_name == "option"
        params.append(
            Param(
                name=param.name or "",
                opts=tuple(opts) if is_option else (),
                flag=bool(getattr(param, "is_flag", False)),
                choices=tuple(getattr(param.type, "choices", ()) or ()),
                many=param.nargs == -1,
            )
        )
    return tuple(params)


def _commands() -> dict[tuple[str, ...], tuple[Param, ...]]:
    found: dict[tuple[str, ...], tuple[Param, ...]] = {}

    def walk(path: tuple[str, ...], command: Any) -> None:
        found[path] = _params(command)
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk((*path, name), sub)

    for name, listed in REGISTRY.items():
        walk((name,), build(listed))
    return found


COMMANDS = _commands()
ROOT_PARAMS = _params(get_command(app))
ALL_OPTIONS = sorted({opt for params in COMMANDS.values() for p in params for opt in p.opts})


# --- values --------------------------------------------------------------------------------

SPECIAL_PATHS = [
    f"{SANDBOX}/sp/fifo",
    f"{SANDBOX}/sp/fifo-link",
    f"{SANDBOX}/sp/folder",
    f"{SANDBOX}/sp/unreadable",
    f"{SANDBOX}/sp/locked",
    f"{SANDBOX}/sp/locked/inner.yaml",
    f"{SANDBOX}/sp/file.txt/child",
    f"{SANDBOX}/" + "n" * 5000,
    f"{SANDBOX}/" + "d/" * 2100 + "x",
    f"{SANDBOX}/missing/folder/x",
    "/dev/zero",
    "/dev/null",
    "/",
    "",
    " ",
    "-",
    "~",
    f" {SANDBOX}/out/spaced ",
    f"{SANDBOX}/out/new.csv",
    f"{SANDBOX}/out/new.json",
    f"{SANDBOX}/out/a b\u3075\n.csv",
    "relative/x.csv",
    "x.json",
]
INPUT_PATHS = [f"{SANDBOX}/in/input{n}" for n in range(3)]
TEXT_ALPHABET = st.characters(codec="utf-8", exclude_characters="\x00")
WEIRD_TEXT = [
    "",
    " ",
    "x" * 5000,
    "\x1b[31mred",
    "a\nb",
    "tab\there",
    "\r=1",
    "\t=1",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "'=1",
    "\u202ecalf",
    "ふくらはぎ",
    "🦵",
    "--json",
    "-",
    "--",
]
NAMES = {
    "muscle": ["calf", "back-calf", "shin", "foot", "hamstring", "quads", "CALF", "Calf "],
    "side": ["left", "right", "both", "LEFT", "middle"],
    "who": ["pregnancy", "athletes", "everyone", "older-adults", "Pregnancy"],
    "when": ["night", "before-bed", "in-bed", "hot-weather"],
    "region": ["gb", "uk", "us", "eu", "au", "any", "UK", "mars"],
    "sign": ["pregnant", "chest-pain", "long-cramp", "leg-swelling", "frequent", "wound"],
    "min_evidence": ["strong", "moderate", "weak", "none", "against", "Good Evidence", "some"],
    "trigger": ["long-walk", "Long walk", "hot day", "a" * 41],
    "relief": ["relief-back-calf", "relief-front-calf", "relief-foot", "relief-bak-calf"],
    "clear": ["side", "minutes", "severity", "triggers", "relief", "note", "woke", "all"],
    "entry_id": ["stretch-before-bed", "cold", "chest-pain", "relief-foot", "dehydration"],
    "source_id": ["nhs-leg-cramps", "seed-article", "mayo-muscle-cramp", "nope"],
    "command": [*REGISTRY, "log edit", "kb paths", "error", "nope"],
    "text": ["calf", "cramp", "quinine", "magnesium", "pregnan", "*", "[", "(?i)"],
}
NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "10",
    "11",
    "100",
    "500",
    "501",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "1_000",
    "0x10",
    "\u0663",  # Arabic-Indic three
    "\uff13",  # full-width three
    "\u00b2",  # superscript two: isdigit() but not int()
    " 3 ",
    "",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 5000,
    "1e-400",
]
DATES = [
    "now",
    "today",
    "0001-01-01",
    "0001-01-01T00:00",
    "0001-01-01T00:00+14:00",
    "9999-12-31",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-12:00",
    "1900-01-01",
    "1899-12-31",
    "1970-01-01T00:00:00Z",
    "2024-02-29",
    "2025-02-29",
    "2025-03-30T02:30",  # inside Europe's spring gap
    "2025-03-09T02:30",  # inside the United States' spring gap
    "2025-10-26T01:30",  # repeated in Europe's autumn
    "2025-03-05T02:10+14:00",
    "2025-03-05T02:10-12:00",
    "2025-03-05T02:10+23:59",
    "2025-03-05T02:10-23:59",
    "2025-03-05 02:10",
    "2025-03-05T02:10:00.123456789",
    "2038-01-19T03:14:08",
    "2100-01-01",
    "2025-13-01",
    "2025-00-00",
    "20250305",
    "2025-W10-3",
    "\u0662\u0660\u0662\u0665-\u0660\u0663-\u0660\u0665",
    "9" * 5000,
]


@st.composite
def generated_dates(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes())
    shape = draw(st.sampled_from(["date", "naive", "offset", "z"]))
    if shape == "date":
        return moment.date().isoformat()
    text = moment.isoformat(timespec=draw(st.sampled_from(["minutes", "seconds"])))
    if shape == "offset":
        minutes = draw(st.integers(-24 * 60 + 1, 24 * 60 - 1))
        sign = "-" if minutes < 0 else "+"
        text += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    elif shape == "z":
        text += "Z"
    return text


texts = st.one_of(st.sampled_from(WEIRD_TEXT), st.text(TEXT_ALPHABET, max_size=30))
numbers = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.floats().map(repr),
    st.decimals(allow_nan=False).map(str),
)
dates = st.one_of(st.sampled_from(DATES), generated_dates())
paths = st.sampled_from(SPECIAL_PATHS + INPUT_PATHS)
entry_ids = st.one_of(
    st.sampled_from(["67dd199317", "0000000000", "ffffffffff", "67DD199317", "67dd19931"]),
    st.text("0123456789abcdef", min_size=10, max_size=10),
)

NUMERIC = {"minutes", "severity", "days", "limit"}
DATED = {"at", "since", "until"}
PATHLIKE = {"db", "output", "kb", "file", "files"}


def value_for(param: Param) -> st.SearchStrategy[str]:
    """Values for one option or argument: mostly near its meaning, sometimes anything."""
    if param.choices:
        near = st.sampled_from([*param.choices, "JSON", "Csv", "xml", "", "table "])
    elif param.name in NUMERIC:
        near = numbers
    elif param.name in DATED:
        near = dates
    elif param.name in PATHLIKE:
        near = paths
    elif param.name == "entry_id":
        near = st.one_of(st.sampled_from(NAMES["entry_id"]), entry_ids)
    elif param.name in NAMES:
        near = st.sampled_from(NAMES[param.name])
    else:
        near = texts
    return st.one_of(near, near, near, near, near, near, texts, numbers, dates)


@st.composite
def near_miss(draw: st.DrawFn, words: list[str]) -> str:
    """A word with one letter dropped, doubled, swapped or changed in case."""
    word = draw(st.sampled_from(words))
    if len(word) < 2:
        return word
    at = draw(st.integers(0, len(word) - 2))
    how = draw(st.sampled_from(["drop", "double", "swap", "upper", "eq"]))
    if how == "drop":
        return word[:at] + word[at + 1 :]
    if how == "double":
        return word[:at] + word[at] + word[at:]
    if how == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if how == "upper":
        return word.upper()
    return word + "="


@st.composite
def option_tokens(draw: st.DrawFn, params: tuple[Param, ...]) -> list[str]:
    """One option with its value, or one positional value, or a stray token."""
    options = [p for p in params if p.opts]
    arguments = [p for p in params if not p.opts]
    kind = draw(st.sampled_from(["option"] * 12 + ["argument"] * 4 + ["stray"]))
    if kind == "argument" and not arguments:
        kind = "option"
    if kind == "option" and options:
        param = draw(st.sampled_from(options))
        opt = draw(st.sampled_from(param.opts))
        if param.flag:
            return [opt]
        value = draw(value_for(param))
        if opt.startswith("--") and draw(st.booleans()):
            return [f"{opt}={value}"]
        return [opt, value]
    if kind == "argument" and arguments:
        param = draw(st.sampled_from(arguments))
        count = draw(st.integers(1, 3)) if param.many else 1
        return [draw(value_for(param)) for _ in range(count)]
    return [
        draw(
            st.one_of(
                near_miss(ALL_OPTIONS),
                st.sampled_from(["--help", "-h", "--", "-", "--json", "-x", "--no-color"]),
                texts,
            )
        )
    ]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    words: list[str] = []
    if draw(st.integers(0, 3)) == 0:  # a root option first, mostly --kb
        root = [p for p in ROOT_PARAMS if p.name == "kb"] * 4 + list(ROOT_PARAMS)
        words += draw(option_tokens(tuple(root)))
    path = draw(st.sampled_from(sorted(COMMANDS)))
    if draw(st.integers(0, 19)) == 0:
        path = (draw(st.one_of(near_miss(sorted(REGISTRY)), texts)),)
    words += list(path)
    params = COMMANDS.get(path, ())
    for _ in range(draw(st.integers(0, 5))):
        words += draw(option_tokens(params))
    return words


# --- files ---------------------------------------------------------------------------------

VALID_KB = MY_PREVENTION + "disabled: [vitamin-d]\n"
HOSTILE_KB = [
    "",
    "\ufeff" + VALID_KB,
    "disabled: [vitamin-d, chest-pain]\n",
    "- just\n- a list\n",
    "causes: 1e99999\n",
    "causes:\n  - id: " + "9" * 5000 + "\n",
    "causes: " + "[" * 5000 + "]" * 5000 + "\n",
    "a: &x [1]\nb: *x\n",
    "a: 1\na: 2\n",
    "!!python/object/apply:os.system ['true']\n",
    "triage:\n  signs:\n    - id: chest-pain\n      override: true\n      level: routine\n",
    "prevention:\n  - id: x\n    title: '=1+1'\n    evidence: {grade: strong}\n",
    "? [a, b]\n: c\n",
    "causes:\n  - " + "x" * 200_000 + "\n",
]


def _csv_cell(text: str) -> str:
    if any(char in text for char in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def diary_rows(draw: st.DrawFn) -> dict[str, Any]:
    pick = draw
    return {
        "id": pick(st.one_of(entry_ids, st.sampled_from(["", "x", "1" * 5000]))),
        "at": pick(dates),
        "night": pick(st.one_of(st.just(""), dates)),
        "muscle": pick(st.one_of(st.sampled_from(NAMES["muscle"]), texts)),
        "side": pick(st.sampled_from(["", "left", "right", "both", "up"])),
        "minutes": pick(st.one_of(st.just(""), numbers)),
        "severity": pick(st.one_of(st.just(""), numbers)),
        "woke": pick(st.sampled_from(["true", "false", "", "yes", "1", "TRUE"])),
        "triggers": pick(st.sampled_from(["", "long-walk", "a;b", "hot day", ";;"])),
        "relief": pick(st.sampled_from(["", "relief-foot", "relief-nope"])),
        "note": pick(texts),
    }


def _as_json_value(text: str) -> Any:
    """A field as JSON would carry it: numbers as numbers when they are, else text."""
    with contextlib.suppress(ValueError):
        return json.loads(text)
    return text


@st.composite
def import_contents(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(diary_rows(), max_size=4))
    fields = list(rows[0]) if rows else ["id", "at", "night", "muscle"]
    kind = draw(st.sampled_from(["csv", "json", "garbage"]))
    if kind == "csv":
        lines = [",".join(fields)] + [",".join(_csv_cell(row[f]) for f in fields) for row in rows]
        text = "\n".join(lines) + "\n"
    elif kind == "json":
        items = [
            {f: (_as_json_value(v) if f in NUMERIC else v) for f, v in row.items()} for row in rows
        ]
        shape = draw(st.sampled_from(["export", "list", "odd"]))
        if shape == "export":
            document: Any = {"schema_version": 1, "command": "export", "items": items}
        elif shape == "list":
            document = items
        else:
            document = draw(
                st.sampled_from([{"items": {}}, {"items": "x"}, {"schema_version": 99}, 5, None])
            )
        text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    else:
        return draw(
            st.one_of(
                st.binary(max_size=200),
                st.sampled_from(
                    [
                        b"",
                        b"\xef\xbb\xbf",
                        b"[" * 100_000,
                        b'{"items": [' + b"9" * 5000 + b"]}",
                        b'{"items": [{"minutes": 1e999}]}',
                        b"id,at\n" + b"a" * 300_000 + b"\n",
                        b"\xff\xfe\x00i\x00d",
                    ]
                ),
            )
        )
    raw = text.encode()
    if draw(st.integers(0, 3)) == 0:  # cut it anywhere, as a broken download or `head` would
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@st.composite
def kb_contents(draw: st.DrawFn) -> bytes:
    text = draw(st.one_of(st.just(VALID_KB), st.sampled_from(HOSTILE_KB)))
    raw = text.encode()
    how = draw(st.sampled_from(["whole", "whole", "cut", "bytes"]))
    if how == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif how == "bytes":
        raw = draw(st.binary(max_size=100))
    return raw


def diary_contents(template: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.just(template),
        st.integers(0, len(template)).map(lambda n: template[:n]),
        st.sampled_from([b"", b"SQLite format 3\x00" + b"\x00" * 200, b"id,at\n", b"\xff" * 4096]),
    )


# --- environments --------------------------------------------------------------------------

ENV_PATHS = [f"{SANDBOX}/xdg/data", f"{SANDBOX}/out", "", " ", *SPECIAL_PATHS]


def _env_strategy(template: bytes) -> st.SearchStrategy[dict[str, str | None]]:
    del template
    maybe = st.one_of  # most variables stay unset in most examples
    paths_env = st.sampled_from(ENV_PATHS)
    values: dict[str, st.SearchStrategy[str | None]] = {
        "CRAMP_DB": maybe(st.none(), paths_env),
        "CRAMP_KB": maybe(
            st.none(),
            paths_env,
            st.lists(st.sampled_from([*ENV_PATHS, *INPUT_PATHS]), max_size=3).map(":".join),
        ),
        "CRAMP_DATA_DIR": maybe(st.none(), st.none(), paths_env),
        "CRAMP_REGION": maybe(st.none(), st.sampled_from(NAMES["region"]), texts),
        "CRAMP_CACHE_DIR": maybe(st.none(), paths_env),
        "CRAMP_NO_CACHE": maybe(st.none(), st.sampled_from(["1", "0", "", " ", "yes", "FALSE"])),
        "CRAMP_MAX_KB_BYTES": maybe(st.none(), numbers),
        "NO_COLOR": maybe(st.none(), st.sampled_from(["1", "", "0"])),
        "TTY_COMPATIBLE": maybe(st.none(), st.none(), st.just("1")),
        "COLUMNS": maybe(st.none(), st.sampled_from(["0", "1", "-1", "5", "abc", "", "100000"])),
        "TERM": maybe(st.none(), st.sampled_from(["dumb", "xterm-256color", "", "vt100", "x"])),
        "TZ": maybe(
            st.none(),
            st.sampled_from(
                ["UTC", "Europe/London", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]
            ),
        ),
    }
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        own = f"{SANDBOX}/xdg/{name.lower()}"
        values[name] = st.one_of(st.just(own), st.just(own), st.just(own), paths_env)
    return st.fixed_dictionaries(values)


# --- scenarios -----------------------------------------------------------------------------


@dataclass
class Scenario:
    steps: list[list[str]]
    env: dict[str, str | None]
    files: dict[str, bytes]  # sandbox-relative name: contents
    stdin: bytes = b""
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # hypothesis shows the failing example with this
        return f"Scenario(\n{self.describe()}\n)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def describe(self) -> str:
        env = {k: _short(v) for k, v in self.env.items() if v is not None}
        files = {k: _short(v) for k, v in self.files.items()}
        steps = "\n".join("  cramp " + " ".join(_short(a) for a in step) for step in self.steps)
        return f"{steps}\n  env={env}\n  files={files}\n  stdin={_short(self.stdin)}"


def _short(value: object, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 20]}...({len(text)} chars)"


_TEMPLATE: list[bytes] = []


def template_diary() -> bytes:
    """A real diary of two entries, made once by the CLI itself."""
    if not _TEMPLATE:
        folder = tempfile.mkdtemp(prefix="cramp-fuzz-template-")
        try:
            env = {"CRAMP_DB": f"{folder}/diary.sqlite3", "TZ": None}
            for note in ("=1+1", "after a walk"):
                result = CliRunner().invoke(
                    app,
                    ["log", "--muscle", "calf", "--minutes", "12", "--note", note, "--woke"],
                    env=env,
                    catch_exceptions=False,
                )
                assert result.exit_code == 0, result.stderr
            with open(f"{folder}/diary.sqlite3", "rb") as stream:
                _TEMPLATE.append(stream.read())
        finally:
            shutil.rmtree(folder)
    return _TEMPLATE[0]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    template = template_diary()
    files: dict[str, bytes] = {}
    for n in range(3):
        files[f"in/input{n}"] = draw(
            st.one_of(import_contents(), kb_contents(), diary_contents(template))
        )
    for _ in range(draw(st.integers(0, 2))):  # the user's own knowledge-base folder
        name = draw(st.sampled_from(["mine.yaml", "b.yml", "z.yaml", "notes.txt"]))
        files[f"xdg/xdg_data_home/cramp/kb/{name}"] = draw(kb_contents())
    diary = draw(st.sampled_from(["none", "template", "template", "other"]))
    if diary == "template":
        files["xdg/xdg_data_home/cramp/diary.sqlite3"] = template
    elif diary == "other":
        files["xdg/xdg_data_home/cramp/diary.sqlite3"] = draw(diary_contents(template))
    steps = draw(st.lists(command_lines(), min_size=1, max_size=3))
    stdin = draw(st.one_of(st.just(b""), import_contents()))
    return Scenario(steps=steps, env=draw(_env_strategy(template)), files=files, stdin=stdin)


# --- running one scenario ------------------------------------------------------------------


class Hung(BaseException):
    """Raised in the main thread by the watchdog. Not an Exception, so that neither the CLI's
    own handler (which would call it an internal error) nor CliRunner catches it."""


def _make_sandbox(root: str, files: dict[str, bytes]) -> None:
    for sub in ("home", "out", "in", "sp/folder", "sp/locked", "xdg/xdg_data_home"):
        os.makedirs(f"{root}/{sub}", exist_ok=True)
    for sub in ("xdg_cache_home", "xdg_config_home", "xdg_state_home"):
        os.makedirs(f"{root}/xdg/{sub}", exist_ok=True)
    os.mkfifo(f"{root}/sp/fifo")
    os.symlink(f"{root}/sp/fifo", f"{root}/sp/fifo-link")
    for name in ("unreadable", "file.txt", "locked/inner.yaml"):
        with open(f"{root}/sp/{name}", "wb") as stream:
            stream.write(VALID_KB.encode())
    os.chmod(f"{root}/sp/unreadable", 0)
    os.chmod(f"{root}/sp/locked", 0)
    for name, contents in files.items():
        os.makedirs(os.path.dirname(f"{root}/{name}"), exist_ok=True)
        with open(f"{root}/{name}", "wb") as stream:
            stream.write(contents)


def _remove_sandbox(root: str) -> None:
    for folder, subfolders, _ in os.walk(root):
        for sub in subfolders:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, sub), stat.S_IRWXU, follow_symlinks=False)
    os.chmod(f"{root}/sp/locked", stat.S_IRWXU)
    shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def _watchdog(root: str, what: str, fired: list[str]) -> Iterator[None]:
    """At TIMEOUT, raise Hung in the main thread; a second later, if still stuck (a read of a
    FIFO inside C code does not return to Python), open every FIFO for writing so it ends."""

    def on_alarm(signum: int, frame: Any) -> None:
        fired.append(what)
        raise Hung(what)

    def unblock() -> None:
        fired.append(what)
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    if stat.S_ISFIFO(os.lstat(path).st_mode):
                        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    timer = threading.Timer(TIMEOUT + 1, unblock)
    timer.daemon = True
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    timer.start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        timer.cancel()
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_cap() -> Iterator[None]:
    """Cap the address space, so that reading /dev/zero without limit fails fast with a
    MemoryError (reported as a failure) instead of taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
    cap = size + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def _time_zone(zone: str | None) -> Iterator[None]:
    before = os.environ.get("TZ")
    if zone is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _fill(text: str, root: str) -> str:
    return text.replace(SANDBOX, root)


@dataclass
class Outcome:
    args: list[str]
    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None
    traceback: str
    hung: bool


def _invoke(args: list[str], env: dict[str, str | None], stdin: bytes, root: str) -> Outcome:
    fired: list[str] = []
    exception: BaseException | None = None
    exit_code = None
    stdout = stderr = ""
    trace = ""
    try:
        with _watchdog(root, " ".join(args), fired), _memory_cap():
            result = CliRunner().invoke(app, args, env=env, input=stdin, catch_exceptions=True)
        exit_code = result.exit_code
        stdout, stderr = result.stdout, result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            exception = result.exception
            trace = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    except Hung as err:
        exception = err
    return Outcome(args, exit_code, stdout, stderr, exception, trace, bool(fired))


def run_scenario(scenario: Scenario, debug: bool = False) -> list[Outcome]:
    """Run every step of a scenario in a sandbox of its own, and remove it afterwards."""
    root = tempfile.mkdtemp(prefix="cramp-fuzz-")
    before = {path for path in ROOT_GUARDED if os.path.lexists(path)}
    cwd = os.getcwd()
    outcomes = []
    try:
        _make_sandbox(root, scenario.files)
        env: dict[str, str | None] = {
            name: None if value is None else _fill(value, root)
            for name, value in scenario.env.items()
            if name != "TZ"
        }
        env.update(
            HOME=f"{root}/home",
            PAGER="cat",
            MANPAGER="cat",
            CRAMP_DEBUG="1" if debug else None,
            FORCE_COLOR=None,
        )
        os.chdir(f"{root}/out")
        with _time_zone(scenario.env.get("TZ")):
            for step in scenario.steps:
                args = [_fill(arg, root) for arg in step]
                outcomes.append(_invoke(args, env, scenario.stdin, root))
                if outcomes[-1].hung:
                    break
    finally:
        os.chdir(cwd)
        _remove_sandbox(root)
        for path in ROOT_GUARDED:
            if path not in before and os.path.lexists(path):
                scenario.notes.append(f"wrote {path} outside the sandbox")
                shutil.rmtree(path, ignore_errors=True)
    return outcomes


# --- judging one run -----------------------------------------------------------------------

WARNING = "cramp: warning: "


def problem(outcome: Outcome) -> str | None:
    """What is wrong with one run, in one line; None if nothing is."""
    if outcome.hung:
        return f"hung on cramp {_short(outcome.args)} (more than {TIMEOUT:g} s)"
    if outcome.exception is not None:
        return f"exception escaped the CLI: {type(outcome.exception).__name__}: {outcome.exception}"
    code = outcome.exit_code
    if code == 70:
        return f"exit 70 (internal error): {_short(outcome.stderr.strip(), 300)}"
    if code not in ALLOWED_EXITS:
        return f"exit {code}, not a documented exit code"
    stderr = outcome.stderr
    if "Traceback (most recent call last)" in stderr:
        return "a traceback on stderr"
    lines = [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(WARNING)  # warnings come before the answer
    ]
    errors = [line for line in lines if line.startswith(("Error:", '{"error"'))]
    if len(errors) > 1:
        return f"{len(errors)} error lines on stderr"
    if errors and code in (0, 3, 4, 5):
        return f"exit {code} with an error line: {errors[0][:200]}"
    if errors:
        first = lines.index(errors[0])
        after = lines[first + 1 :]
        if after:
            return f"the error runs over {len(after) + 1} lines: {stderr[-300:]!r}"
    helped = bool(lines) and lines[0].startswith("Usage:")  # a group without its command
    if code in (1, 2) and not errors and not helped and not outcome.stdout and len(lines) != 1:
        return f"exit {code} with neither an answer nor a one-line error: {stderr[:200]!r}"
    return None


def problems(scenario: Scenario, outcomes: list[Outcome]) -> list[str]:
    found = [f"cramp {_short(o.args, 200)}: {p}" for o in outcomes if (p := problem(o))]
    return found + scenario.notes


def explain(scenario: Scenario, found: list[str]) -> str:
    """The failure message: what went wrong, the scenario, and the traceback behind it (an
    exit 70 hides it, so the scenario is run again with CRAMP_DEBUG=1 to show it)."""
    traces = [o.traceback for o in run_scenario(scenario, debug=True) if o.traceback]
    trace = (
        "\n".join(_short(line, 300)[1:-1] for line in traces[0].splitlines()[-12:])
        if traces
        else "(no traceback)"
    )
    return "\n".join([*found, "scenario:", scenario.describe(), trace])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and signals (POSIX)")
@FUZZ_SETTINGS
@given(scenario=scenarios())
def test_the_cli_survives_a_hostile_world(scenario: Scenario) -> None:
    outcomes = run_scenario(scenario)
    found = problems(scenario, outcomes)
    assert not found, explain(scenario, found)
