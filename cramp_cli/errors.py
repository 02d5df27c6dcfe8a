"""The one error family of cramp, and the exit codes it maps to.

Code below the CLI layer raises CrampError subclasses; cli.py turns them into one line on
stderr and the exit code they carry. Nothing here imports the rest of cramp.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the command could not do its job (for example a broken knowledge base)
    USAGE = 2  # bad arguments or values, as Click uses it
    SEE_DOCTOR = 3  # only with `cramp check --exit-code`
    URGENT = 4
    EMERGENCY = 5
    INTERNAL = 70  # a bug (sysexits EX_SOFTWARE)
    INTERRUPTED = 130


class CrampError(Exception):
    """An error the user can act on: a message, a stable kebab-case code and an exit code."""

    code = "cramp-error"
    exit_code = ExitCode.FAILURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class UsageError(CrampError):
    code = "usage"
    exit_code = ExitCode.USAGE


class UnknownNameError(UsageError):
    """A name (muscle, tag, item id) that the knowledge base does not know."""

    code = "unknown-name"


class KnowledgeBaseError(CrampError):
    """A knowledge-base file is missing, unreadable, malformed or inconsistent."""

    code = "knowledge-base"
    exit_code = ExitCode.FAILURE

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        item: str | None = None,
        field: str | None = None,
    ) -> None:
        self.bare_message = message
        self.file = file
        self.line = line
        self.item = item
        self.field = field
        place = file if line is None else f"{file}:{line}"
        parts = [place]
        if item:
            parts.append(item)
        if field:
            parts.append(field)
        super().__init__(f"{': '.join(parts)}: {message}")


class OutputError(CrampError):
    """The answer could not be written: a full disk or a failing device behind stdout."""

    code = "output"


# Errors that writing to stdout can meet, other than a closed pipe (which exits quietly).
# EBADF is a stdout that was closed when cramp started (cramp_cli.streams).
_OUTPUT_ERRNOS = {
    errno.ENOSPC,
    errno.EFBIG,
    errno.EIO,
    errno.EBADF,
    getattr(errno, "EDQUOT", errno.ENOSPC),
}


def output_error(err: BaseException) -> OutputError | None:
    """The error to show for a failed write of the answer, or None if `err` is not one.
    Writes to stdout carry no file name; cramp's own files do."""
    if isinstance(err, OSError) and err.errno in _OUTPUT_ERRNOS and err.filename is None:
        return cannot_write(err)
    return None


def cannot_write(err: OSError) -> OutputError:
    return OutputError(f"cannot write the answer ({err.strerror or err}).")
