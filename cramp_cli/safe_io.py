"""Opening the user's files without trusting them: the standard library only.

Every file cramp reads from outside (a knowledge-base file, the diary, a file to import) is
opened here first:

- without blocking: a FIFO is opened with O_NONBLOCK and refused from fstat before any read
  (a FIFO opened for reading would wait for a writer for ever);
- it must be a regular file, unless the caller also accepts a pipe (an import of `-`, or a
  named pipe the user gives on purpose);
- it is read with a size limit, so /dev/zero or a huge file cannot eat the memory;
- any problem is an UnsafeFile: a short reason and the path clipped to a readable length,
  for the caller to turn into its own one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def N_(message: str) -> str:
    """Marks a reason for the catalogue (UnsafeFile translates it)."""
    return message


def _(message: str) -> str:
    """`message` in the language of the run (cramp_cli.i18n.text, a leaf, imported when needed)."""
    from cramp_cli.i18n.text import _ as translated

    return translated(message)


# Paths longer than this are shown with their middle cut out.
SHOWN_CHARS = 80
_READ_CHUNK = 1 << 20

_REASONS = {
    errno.ENOENT: N_("no such file"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENAMETOOLONG: N_("the name is too long for this system"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ELOOP: N_("too many symbolic links"),
    errno.EISDIR: N_("is a folder, not a file"),
}


def shown(path: object, limit: int = SHOWN_CHARS) -> str:
    """The path as text for a message, its middle cut out if it is long, control characters
    (which could move the cursor of a terminal) escaped."""
    text = os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    if len(text) <= limit:
        return text
    keep = limit - 1
    head = keep // 2
    return f"{text[:head]}…{text[len(text) - (keep - head) :]}"


class UnsafeFile(Exception):
    """A path that cannot be read as asked: `reason` says why, `name` is the clipped path."""

    def __init__(self, path: object, reason: str) -> None:
        self.name = shown(path)
        self.reason = _(reason)  # in the language of the run
        self.reason_key = reason  # in English, for code that tells reasons apart
        super().__init__(f"{self.name}: {self.reason}")


class TooLarge(UnsafeFile):
    def __init__(self, path: object, limit: int) -> None:
        super().__init__(
            path, _("is larger than the {limit}-byte limit").format(limit=f"{limit:,}")
        )
        self.limit = limit


def reason_of(err: OSError) -> str:
    """A short reason for a failed system call on a path."""
    return _REASONS.get(err.errno or 0) or (err.strerror or type(err).__name__).lower()


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return N_("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return N_("is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return N_("is a device, not a regular file")
    if stat.S_ISSOCK(mode):
        return N_("is a socket, not a regular file")
    return N_("is not a regular file")


def open_regular(path: str | Path, *, allow_pipe: bool = False) -> int:
    """A file descriptor open for reading on `path`, which must be a regular file (or, with
    `allow_pipe`, a named pipe, which waits for its writer). Without `allow_pipe` it never
    blocks: a FIFO is seen for what it is before anything waits on it."""
    if str(path) == "":
        raise UnsafeFile(path, N_("the path is empty"))
    if allow_pipe:
        info = stat_or_none(path)
        if info is not None and stat.S_ISFIFO(info.st_mode):
            return _open_pipe(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as err:
        raise UnsafeFile(path, reason_of(err)) from None
    except ValueError:
        raise UnsafeFile(path, N_("the name holds a NUL byte")) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafeFile(path, kind_of(mode))
    except OSError as err:
        os.close(descriptor)
        raise UnsafeFile(path, reason_of(err)) from None
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _open_pipe(path: str | Path) -> int:
    """A named pipe the user gave on purpose, opened the ordinary way: it waits for the
    pipe's writer, as `cat pipe` does. (Opened without blocking, a pipe whose writer has
    not come yet would read as empty.)"""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise UnsafeFile(path, reason_of(err)) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISFIFO(mode):  # replaced between the look and the open
        os.close(descriptor)
        raise UnsafeFile(path, kind_of(mode))
    return descriptor


def read_limited(descriptor: int, limit: int, path: object) -> bytes:
    """Everything the descriptor gives, at most `limit` bytes; more is TooLarge."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := os.read(descriptor, min(_READ_CHUNK, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TooLarge(path, limit)
    except OSError as err:
        raise UnsafeFile(path, reason_of(err)) from None
    return b"".join(chunks)


def read_regular(path: str | Path, limit: int, *, allow_pipe: bool = False) -> bytes:
    """The bytes of a regular file (or a pipe, with `allow_pipe`), at most `limit` of them."""
    descriptor = open_regular(path, allow_pipe=allow_pipe)
    try:
        return read_limited(descriptor, limit, path)
    finally:
        os.close(descriptor)


def stat_or_none(path: str | Path) -> os.stat_result | None:
    """os.stat of `path` (symbolic links followed), or None if there is nothing there. Any
    other failure (permission denied on a folder on the way, a name too long for the system,
    a loop of links) is an UnsafeFile; Path.exists() and is_dir() would raise or say False."""
    if str(path) == "":
        raise UnsafeFile(path, N_("the path is empty"))
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the name
        reason = reason_of(err) if isinstance(err, OSError) else N_("the name holds a NUL byte")
        raise UnsafeFile(path, reason) from None


def check_regular(path: str | Path) -> bool:
    """Whether `path` exists; if it does, it must be a regular file (lstat is not enough: a
    symbolic link to a FIFO is followed, as opening it would). Never opens the file."""
    info = stat_or_none(path)
    if info is None:
        return False
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(path, kind_of(info.st_mode))
    return True


def list_folder(path: str | Path) -> list[str]:
    """The names in a folder; a folder that cannot be read is an UnsafeFile."""
    try:
        return os.listdir(path)
    except OSError as err:
        raise UnsafeFile(path, reason_of(err)) from None
