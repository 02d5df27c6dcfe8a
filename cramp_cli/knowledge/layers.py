"""Where the knowledge-base files are: the built-in data folder and the user's layers.

Standard library only: the answer path asks this on every run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from cramp_cli import locations, safe_io
from cramp_cli.errors import KnowledgeBaseError

DATA_DIR_ENV = "CRAMP_DATA_DIR"
# The hazard log: in the built-in data folder beside the knowledge base, but read only by
# `cramp kb validate` and the tests, so answers never parse it.
HAZARD_FILE = "hazards.yaml"
# The largest knowledge-base file read from outside (CRAMP_MAX_KB_BYTES may change it).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "CRAMP_MAX_KB_BYTES"


def max_bytes() -> int:
    """CRAMP_MAX_KB_BYTES when it is a positive whole number of plain digits, else the default
    ("²" passes str.isdigit but not int; 5,000 digits pass both checks but not int)."""
    raw = os.environ.get(MAX_BYTES_ENV, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 18 and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_BYTES


@contextmanager
def unsafe_as_kb_error() -> Iterator[None]:
    """A path that cannot be read safely becomes a knowledge-base error naming it (clipped)."""
    try:
        yield
    except safe_io.UnsafeFile as err:
        raise KnowledgeBaseError(err.reason, file=err.name) from None


def read_bytes(path: Path) -> bytes:
    """A knowledge-base file from outside cramp: a regular file (a FIFO is never opened for
    reading, a device never read), at most max_bytes() of it."""
    limit = max_bytes()
    with unsafe_as_kb_error():
        try:
            return safe_io.read_regular(path, limit)
        except safe_io.TooLarge as err:
            reason = f"file is over the {limit:,}-byte limit ({MAX_BYTES_ENV})"
            raise KnowledgeBaseError(reason, file=err.name) from None


def folder_files(folder: Path) -> list[Path]:
    with unsafe_as_kb_error():
        return [Path(path) for path in locations.yaml_files(str(folder))]


def user_kb_dir() -> Path:
    """The folder whose *.yaml files are loaded automatically: user_data_dir/kb."""
    return Path(locations.user_kb_folder())


def _stat(path: Path) -> os.stat_result | None:
    with unsafe_as_kb_error():
        return safe_io.stat_or_none(path)


def expand(path: Path) -> list[Path]:
    """A file as itself, a folder as its YAML files in name order. Anything else (a FIFO, a
    device) is refused here, before anything opens it."""
    info = _stat(path)
    if info is None:
        from cramp_cli.i18n.text import _

        raise KnowledgeBaseError(_("no such file or folder"), file=safe_io.shown(path))
    if stat.S_ISDIR(info.st_mode):
        return folder_files(path)
    if not stat.S_ISREG(info.st_mode):
        from cramp_cli.i18n.text import _

        raise KnowledgeBaseError(_(safe_io.kind_of(info.st_mode)), file=safe_io.shown(path))
    return [path]


def exists(path: Path) -> bool:
    """Whether anything is at `path`; an error when it cannot be reached."""
    return _stat(path) is not None


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False when nothing is there, an error when it cannot be
    reached (Path.is_dir() raises PermissionError for a folder on the way one cannot enter)."""
    info = _stat(path)
    return info is not None and stat.S_ISDIR(info.st_mode)


def data_dir() -> Path | None:
    """CRAMP_DATA_DIR, the folder read instead of the shipped knowledge base, or None. Not
    the root folder, and the user's own."""
    value = locations.env_path(DATA_DIR_ENV)
    if value is None:
        return None
    locations.checked_base(DATA_DIR_ENV, value)
    return Path(locations.checked_folder(value, "knowledge-base folder", DATA_DIR_ENV))


def env_kb_paths() -> list[Path]:
    return [Path(part) for part in locations.env_kb_parts()]


class Layer(NamedTuple):
    """A set of knowledge-base paths of one precedence, lowest first in a list of layers."""

    name: str
    paths: tuple[Path, ...]
    origin: str  # where the paths came from, for `cramp kb paths`


def user_layers(flag_paths: Iterable[Path] = ()) -> list[Layer]:
    """The user's layers, lowest precedence first: user folder, CRAMP_KB, --kb."""
    folder = user_kb_dir()
    return [
        Layer("user", (folder,) if is_folder(folder) else (), str(folder)),
        Layer("environment", tuple(env_kb_paths()), locations.KB_ENV),
        Layer("flag", tuple(flag_paths), "--kb"),
    ]
