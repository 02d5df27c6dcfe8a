"""The answer cache: repeat a command's exact output without loading anything.

Most of a short command's time goes to importing Typer, Pydantic and PyYAML and reading the
knowledge base. The answers are pure functions of the knowledge base, the arguments and a
few environment variables, so a successful answer is stored under a key made of:

- the cramp version, its JSON schema version, and the size and time of its own code files;
- the content hash (SHA-256) of every knowledge-base file that would be loaded: built-in (or
  CRAMP_DATA_DIR), the user folder, CRAMP_KB and --kb. A file's hash is recomputed whenever
  its size or modification time changes;
- the arguments, the working folder, and the environment that shapes the output (format,
  colour, width, encoding, region).

A hit prints the stored text and exits with the stored status, without importing Typer,
Pydantic, PyYAML or Rich. The cache lives in platformdirs' user_cache_dir, one file per
answer (reading one answer never reads the others): a JSON header line with the exit status,
length and CRC-32 of the output, then the output's bytes, copied to stdout as they are. Files
are written to a temporary file and then renamed, so two processes never leave a half-written
file. Anything unreadable, corrupt or
unexpected is a miss, never an error; an unwritable cache is simply not written. Only
knowledge-base commands, `cramp report` and `cramp history` are cached (those two also key
on the diary file's size, time and inode, those of its write-ahead log, and tonight's date,
and are not cached while the diary was written in the last few seconds); the rest of the
diary, `cramp kb`, prompts and errors never are.
`CRAMP_NO_CACHE=1` or `cramp --no-cache ...` bypass it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
import time
import zlib
from typing import Any, NamedTuple

from cramp_cli import locations

FORMAT_VERSION = 2
NO_CACHE_ENV = "CRAMP_NO_CACHE"
CACHE_DIR_ENV = "CRAMP_CACHE_DIR"
CACHEABLE = {
    "why",
    "relieve",
    "prevent",
    "muscles",
    "check",
    "sources",
    "show",
    "lookalikes",
    "search",
    "report",
    "history",
}
# Commands whose answer also depends on the diary file.
DIARY_COMMANDS = {"report", "history"}
# Environment that can change the bytes of an answer.
KEY_ENV = (
    "CRAMP_REGION",
    "CRAMP_MAX_KB_BYTES",
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "PYTHONIOENCODING",
    "TZ",
)
RACY_NS = 3_000_000_000


class _Recording:
    """The answer of this run, while it is being produced (a miss)."""

    def __init__(self, key: str, folder: str) -> None:
        self.key = key
        self.folder = folder
        self.parts: list[str] = []


_RECORDING: _Recording | None = None
# Set by serve() when the command line says --no-cache: the validated-KB cache is bypassed too.
_BYPASSED = False


def disabled() -> bool:
    if _BYPASSED:
        return True
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def cache_dir() -> str:
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return override
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("cramp", appauthor=False), "answers")


def _split(argv: list[str]) -> tuple[list[str], bool, list[str]] | None:
    """(--kb paths, --no-cache, the command and its arguments), or None if not cacheable."""
    kb_paths: list[str] = []
    no_cache = False
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--kb" and index + 1 < len(argv):
            kb_paths.append(argv[index + 1])
            index += 2
        elif arg.startswith("--kb="):
            kb_paths.append(arg[len("--kb=") :])
            index += 1
        elif arg == "--no-cache":
            no_cache = True
            index += 1
        elif arg.startswith("-"):
            return None  # --help, --version, completion and the like
        else:
            return kb_paths, no_cache, argv[index:]
    return None


def _cacheable_command(command: list[str]) -> bool:
    name, rest = command[0], command[1:]
    if name not in CACHEABLE or any(arg in ("--help", "-h", "--ask") for arg in rest):
        return False
    if name == "check":
        # Without answers, `check` asks questions: never repeat an old conversation.
        answers = ("--sign", "-s", "--minutes", "--none", "--list")
        return any(arg.split("=")[0] in answers or arg.startswith("-s") for arg in rest)
    return True


def _files_under(path: str) -> list[str]:
    return locations.yaml_files(path) if os.path.isdir(path) else [path]


def _kb_files(kb_paths: list[str]) -> list[str]:
    builtin = os.environ.get("CRAMP_DATA_DIR")
    if not builtin:
        from importlib.util import find_spec

        spec = find_spec("cramp_cli.data")
        if spec is None or spec.origin is None:
            raise OSError("the built-in knowledge base is missing")
        builtin = os.path.dirname(os.path.abspath(spec.origin))
    files = _files_under(builtin)
    user = locations.user_kb_folder()
    if os.path.isdir(user):
        files += _files_under(user)
    for part in locations.env_kb_parts():
        files += _files_under(part)
    for path in kb_paths:
        files += _files_under(path)
    return files


def _code_stamp() -> list[int]:
    """Changes whenever cramp's own code changes, even without a new version number."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamp = [0, 0]
    for folder, _, names in os.walk(package):
        for name in names:
            if name.endswith((".py", ".json")):
                info = os.stat(os.path.join(folder, name))
                stamp[0] = max(stamp[0], info.st_mtime_ns)
                stamp[1] += info.st_size
    return stamp


def _open_regular(path: str) -> int | None:
    """A read-only descriptor, or None. Non-blocking, and regular files only: a FIFO or a
    device in a cache file's place must not hang the command (or feed it endless bytes)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            return descriptor
    except OSError:
        pass
    os.close(descriptor)
    return None


def _read_regular(path: str) -> bytes | None:
    """A regular file's bytes, or None."""
    descriptor = _open_regular(path)
    if descriptor is None:
        return None
    try:
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _load_json(path: str) -> Any:
    data = _read_regular(path)
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


ANSWER_SUFFIX = ".answer"
_ANSWER_MAGIC = b"cramp-answer "


def encode_answer(status: int, text: str, encoding: str) -> bytes:
    """An answer file: one header line (JSON: format, exit, encoding, length, crc32), then
    the bytes exactly as they go to stdout, so a hit copies them without decoding."""
    body = text.encode(encoding, errors="replace")
    header = {
        "format": FORMAT_VERSION,
        "exit": status,
        "encoding": encoding,
        "length": len(body),
        "crc32": zlib.crc32(body),
    }
    return _ANSWER_MAGIC + json.dumps(header).encode() + b"\n" + body


class _Header(NamedTuple):
    """What an answer file's header line says, and where its body begins in the file."""

    status: int
    encoding: str
    length: int
    crc32: int
    start: int


def _parse_header(chunk: memoryview) -> _Header | None:
    head = bytes(chunk[:512])
    end = head.find(b"\n")
    if not head.startswith(_ANSWER_MAGIC) or end < 0:
        return None
    try:
        header = json.loads(head[len(_ANSWER_MAGIC) : end])
    except (ValueError, RecursionError):
        return None
    if not (
        isinstance(header, dict)
        and header.get("format") == FORMAT_VERSION
        and header.get("exit") in (0, 3, 4, 5)
        and isinstance(header.get("encoding"), str)
        and type(header.get("length")) is int
        and type(header.get("crc32")) is int
    ):
        return None
    return _Header(header["exit"], header["encoding"], header["length"], header["crc32"], end + 1)


def _stdout_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _write_stdout(encoding: str, body: memoryview) -> None:
    if _can_copy_bytes(encoding):
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:  # a text layer that translates newlines, or another encoding: go through it
        sys.stdout.write(bytes(body).decode(encoding, errors="replace"))
        sys.stdout.flush()


def _can_copy_bytes(encoding: str) -> bool:
    """Whether stored bytes can go to stdout as they are."""
    has_buffer = getattr(sys.stdout, "buffer", None) is not None
    return has_buffer and os.linesep == "\n" and encoding == _stdout_encoding()


def _send(source: int, offset: int, length: int) -> int:
    """Copy `length` bytes of the file behind `source`, from `offset`, to stdout inside the
    kernel (sendfile); return how many went before it met an stdout it cannot take."""
    try:
        target = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return 0
    sent = 0
    while sent < length:
        try:
            count = os.sendfile(target, source, offset + sent, length - sent)
        except BrokenPipeError:
            raise
        except OSError:  # not a file, pipe or socket (EINVAL), or non-blocking (EAGAIN)
            break
        if count == 0:
            break
        sent += count
    return sent


def write_atomically(folder: str, name: str, data: Any) -> None:
    """JSON-encode `data` (or take bytes as they are) into a temporary file, then rename it."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    out.write(json.dumps(data, ensure_ascii=True).encode("ascii"))
            os.replace(temporary, os.path.join(folder, name))
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a cache that cannot be written is simply not written


def _fingerprint(files: list[str], folder: str) -> list[list[str]]:
    """(path, sha256) of each file, reusing a hash while size and mtime are unchanged.

    A file changed in the last few seconds is always hashed afresh: file times are coarse,
    so two quick writes of the same size can share a time (git's "racy clean" problem).
    """
    memo_path = os.path.join(folder, "hashes.json")
    memo = _load_json(memo_path)
    if not isinstance(memo, dict):
        memo = {}
    changed = False
    pairs = []
    now = time.time_ns()
    for path in files:
        info = os.stat(path)  # a missing file raises: the normal path reports it
        stamp = [info.st_size, info.st_mtime_ns]
        known = memo.get(path)
        recent = now - info.st_mtime_ns < RACY_NS
        if (
            not recent
            and isinstance(known, list)
            and len(known) == 3
            and known[:2] == stamp
            and isinstance(known[2], str)
        ):
            digest = known[2]
        else:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            if not recent:
                memo[path] = [*stamp, digest]
                changed = True
        pairs.append([path, digest])
    if changed:
        write_atomically(folder, "hashes.json", memo)
    return pairs


def kb_key(kb_paths: list[str]) -> str | None:
    """The key of the validated knowledge base that these paths would load, or None."""
    if disabled():
        return None
    try:
        from cramp_cli import __version__

        folder = cache_dir()
        parts = [
            FORMAT_VERSION,
            __version__,
            _code_stamp(),
            _fingerprint(_kb_files(kb_paths), folder),
        ]
    except Exception:
        return None
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _option_value(args: list[str], name: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1 :]
    return None


def _diary_stamp(args: list[str]) -> list[object] | None:
    """What a `report` or `history` depends on besides the knowledge base: the diary file as
    it is now, and tonight's date (a report's window ends at the current night, which turns
    at 12:00) and the UTC offset (times are shown in local time).
    None (do not cache) while the diary is missing or was written in the last few seconds."""
    from datetime import datetime, timedelta

    path = _option_value(args, "--db") or os.environ.get("CRAMP_DB", "").strip()
    if not path:
        path = locations.default_diary_path()
    path = os.path.abspath(os.path.expanduser(path))
    stats: list[list[int]] = []
    now = time.time_ns()
    for name in (path, path + "-wal"):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            if name == path:
                return None
            continue
        if now - info.st_mtime_ns < RACY_NS:
            return None
        stats.append([info.st_size, info.st_mtime_ns, info.st_ino])
    moment = datetime.now().astimezone()
    night = (moment - timedelta(hours=12)).date().isoformat()
    offset = moment.utcoffset()
    return [path, stats, night, offset.total_seconds() if offset else 0]


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def request_key(argv: list[str], folder: str) -> str | None:
    split = _split(argv)
    if split is None:
        return None
    kb_paths, no_cache, command = split
    if no_cache or disabled() or not _cacheable_command(command):
        return None
    diary = _diary_stamp(command[1:]) if command[0] in DIARY_COMMANDS else None
    if command[0] in DIARY_COMMANDS and diary is None:
        return None
    from cramp_cli import __version__

    try:
        size = os.get_terminal_size(sys.stdout.fileno()) if _is_terminal() else None
    except (OSError, ValueError):
        size = None
    parts = [
        FORMAT_VERSION,
        __version__,
        _code_stamp(),
        _fingerprint(_kb_files(kb_paths), folder),
        argv,
        os.getcwd(),
        [os.environ.get(name) for name in KEY_ENV],
        _is_terminal(),
        list(size) if size else None,
        getattr(sys.stdout, "encoding", None),
        diary,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def serve(argv: list[str]) -> int | None:
    """On a hit, print the stored answer and return its exit status; on a miss, start
    recording and return None. Any trouble with the cache is a miss; only a failure to
    write a whole answer raises (BrokenPipeError, OutputFailed)."""
    global _RECORDING, _BYPASSED
    _RECORDING = None
    try:
        split = _split(argv)
        _BYPASSED = split is not None and split[1]
        folder = cache_dir()
        key = request_key(argv, folder)
        if key is None:
            return None
        status = _serve_answer(os.path.join(folder, key + ANSWER_SUFFIX))
        if status is not None:
            return status
        _RECORDING = _Recording(key, folder)
    except (BrokenPipeError, OutputFailed):
        raise
    except Exception:
        _RECORDING = None
    return None


_CHUNK = 256 * 1024


class OutputFailed(Exception):
    """A whole stored answer could not be written to stdout (a full disk, say): the command
    must not run again, or part of the answer would be printed twice."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _serve_answer(path: str) -> int | None:
    """Print the stored answer at `path` and return its exit status, or None if there is no
    whole answer there. The body is checked in fixed-size chunks, then a large one goes from
    file to stdout by sendfile: a multi-megabyte answer is never held in memory whole."""
    descriptor = _open_regular(path)
    if descriptor is None:
        return None
    try:
        try:
            whole = _check_answer(descriptor)
        except OSError:
            return None
        if whole is None:
            return None
        header, first = whole
        try:
            _print_answer(descriptor, header, first)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputFailed(err) from err
        return header.status
    finally:
        os.close(descriptor)


def _check_answer(descriptor: int) -> tuple[_Header, memoryview] | None:
    """The header and the first chunk of the body, if the whole body has the length and
    CRC-32 that the header says."""
    chunk = bytearray(_CHUNK)
    view = memoryview(chunk)
    filled = os.readv(descriptor, [chunk])
    header = _parse_header(view[:filled])
    if header is None or os.fstat(descriptor).st_size != header.start + header.length:
        return None
    first = view[header.start : filled]
    crc, remaining = zlib.crc32(first), header.length - len(first)
    while remaining > 0:
        filled = os.readv(descriptor, [chunk])
        if not 0 < filled <= remaining:
            return None
        crc, remaining = zlib.crc32(view[:filled], crc), remaining - filled
    return (header, first) if crc == header.crc32 else None


def _print_answer(descriptor: int, header: _Header, first: memoryview) -> None:
    if len(first) == header.length:  # the whole body (else later reads reused its buffer)
        _write_stdout(header.encoding, first)
        return
    sent = 0
    if _can_copy_bytes(header.encoding):
        sys.stdout.flush()
        sent = _send(descriptor, header.start, header.length)
    if sent < header.length:
        rest = os.pread(descriptor, header.length - sent, header.start + sent)
        _write_stdout(header.encoding, memoryview(rest))


def record(text: str) -> None:
    """Called with each piece of an answer as it is printed."""
    if _RECORDING is not None:
        _RECORDING.parts.append(text)


def finish(status: object) -> None:
    """Store the recorded answer if the command succeeded (or gave a check verdict)."""
    global _RECORDING
    recording, _RECORDING = _RECORDING, None
    code = 0 if status is None else status
    if recording is None or not recording.parts or code not in (0, 3, 4, 5):
        return
    try:
        answer = encode_answer(int(code), "".join(recording.parts), _stdout_encoding())
    except (LookupError, TypeError, ValueError):
        return
    write_atomically(recording.folder, recording.key + ANSWER_SUFFIX, answer)
