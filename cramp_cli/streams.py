"""The process's standard streams, made safe at start-up and checked once at the end.

Used by the console entry (cramp_cli.entry), which must stay light: the standard library's
io, os and sys only (cramp_cli.errors, itself light, only when something failed).

- A standard descriptor that was closed when cramp started (`cramp why >&-`) is pointed at the
  null device at once, before cramp opens any file: otherwise the next file opened, the diary
  for one, would get descriptor 1 and receive the answer. A closed stdout is remembered, and
  writing the answer to it fails as "stdout is closed" (exit 1).
- stderr never fails a command: a message that cannot be written (`2>/dev/full`, `2>&-`) is
  dropped, and the exit code stays what it would have been.
- At the end stdout is flushed once more. If the answer could not be written the exit code is
  1, whenever the reader went: a closed pipe quietly, a full device or a closed stdout with one
  line on stderr. stdout is then pointed at the null device, so that the interpreter's own last
  flush cannot fail again ("Exception ignored ...") or change the exit code (120).
"""

from __future__ import annotations

import errno
import io
import os
import sys

_silenced = False  # set once the answer is known to be lost: nothing more is tried
_stdout: object = None  # sys.stdout as start-up left it, flushed at the end whatever replaced it


class _ClosedStdout(io.RawIOBase):
    """What stdout writes to when descriptor 1 was closed at start."""

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1  # the null device, put there by repair()

    def write(self, data: object) -> int:
        if _silenced:
            return len(data)  # type: ignore[arg-type]
        raise OSError(errno.EBADF, "stdout is closed")


class _WholeFile(io.FileIO):
    """stdout's file, writing all it is given or raising. The standard one can take part of a
    large write and say so only in its return value, which the layers above ignore: an answer
    cut short by a reader going away (`cramp export | head`) then passed for a success."""

    def write(self, data: object) -> int:
        view = memoryview(data).cast("B")  # type: ignore[arg-type]
        done = 0
        while done < len(view):
            written = super().write(view[done:])
            if written is None:  # a non-blocking stdout that is full
                raise BlockingIOError(errno.EAGAIN, "stdout would block")
            done += written
        return done


class _ForgivingStderr(io.FileIO):
    """stderr that drops what it cannot write instead of failing the command."""

    def write(self, data: object) -> int:
        try:
            return super().write(data)  # type: ignore[arg-type]
        except OSError:
            return len(data)  # type: ignore[arg-type]


def repair() -> None:
    """Point closed standard descriptors at the null device and give Python streams for them."""
    global _stdout
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        opened = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)
        else:
            os.set_inheritable(fd, True)
        if fd == 0:
            sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)  # noqa: SIM115
        elif fd == 1:
            closed = io.BufferedWriter(_ClosedStdout())
            sys.stdout = io.TextIOWrapper(closed, encoding="utf-8", errors="replace")
        else:
            sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    _write_whole()
    make_forgiving()
    _stdout = sys.stdout


def _write_whole() -> None:
    stdout = sys.stdout
    if not isinstance(stdout, io.TextIOWrapper):
        return
    layer = stdout.buffer
    if isinstance(layer, io.BufferedWriter):
        layer = layer.raw
    if not isinstance(layer, io.FileIO) or isinstance(layer, _WholeFile):
        return
    try:
        if stdout.fileno() != 1:
            return
        stdout.flush()
    except (ValueError, OSError):
        return
    raw = _WholeFile(1, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw) if isinstance(stdout.buffer, io.BufferedWriter) else raw,
        encoding=stdout.encoding,
        errors=stdout.errors,
        line_buffering=stdout.line_buffering,
        write_through=stdout.write_through,
    )


def make_forgiving() -> None:
    """A character the terminal or pipe cannot encode becomes "?" instead of a crash, and a
    message stderr cannot take is dropped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:  # noqa: SIM105  (contextlib is one more import at start-up)
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    stderr = sys.stderr
    if not isinstance(stderr, io.TextIOWrapper) or not isinstance(stderr.buffer, io.BufferedWriter):
        return  # not the process's own stderr (a test's capture, say): leave it alone
    if isinstance(stderr.buffer.raw, _ForgivingStderr):
        return
    try:
        if stderr.fileno() != 2:
            return
        stderr.flush()
    except (ValueError, OSError):
        pass
    raw = _ForgivingStderr(2, "w", closefd=False)
    sys.stderr = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=stderr.encoding, errors="replace", line_buffering=True
    )


def silence() -> None:
    """The answer is lost: later writes to stdout go nowhere and cannot fail."""
    global _silenced
    _silenced = True
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def say(line: str) -> None:
    """One line on stderr, if stderr can take it."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (AttributeError, ValueError, OSError):
        pass


def failure(err: BaseException) -> int:
    """The exit code for an exception that reached the console entry, said in one line."""
    from cramp_cli.errors import ExitCode, output_error

    failed = output_error(err)
    if isinstance(err, BrokenPipeError) or failed is not None:
        silence()
        if failed is not None:
            say(f"Error: {failed}")
        return ExitCode.FAILURE
    if os.environ.get("CRAMP_DEBUG") == "1":
        import traceback

        traceback.print_exception(err)
    say(f"Error: internal error ({type(err).__name__}: {err}).")
    return ExitCode.INTERNAL


def finish(code: int | str | None) -> int | str | None:
    """Flush the answer; if it cannot be written, exit 1 (unless the command already failed)."""
    try:
        for stream in (sys.stdout, _stdout):
            flush = getattr(stream, "flush", None)
            if flush is not None:
                flush()
    except (OSError, ValueError) as err:
        silence()
        if code in (0, None):
            if isinstance(err, OSError) and err.errno not in (errno.EPIPE, None):
                from cramp_cli.errors import cannot_write

                say(f"Error: {cannot_write(err)}")
            return 1
    return code
