"""Where the knowledge-base files are: the built-in data folder and the user's layers.

Standard library only: the answer path asks this on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from cramp_cli import locations
from cramp_cli.errors import KnowledgeBaseError

DATA_DIR_ENV = "CRAMP_DATA_DIR"
# The hazard log: in the built-in data folder beside the knowledge base, but read only by
# `cramp kb validate` and the tests, so answers never parse it.
HAZARD_FILE = "hazards.yaml"
# The largest knowledge-base file read from outside (CRAMP_MAX_KB_BYTES may change it).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "CRAMP_MAX_KB_BYTES"


def max_bytes() -> int:
    raw = os.environ.get(MAX_BYTES_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def folder_files(folder: Path) -> list[Path]:
    return [Path(path) for path in locations.yaml_files(str(folder))]


def user_kb_dir() -> Path:
    """The folder whose *.yaml files are loaded automatically: user_data_dir/kb."""
    return Path(locations.user_kb_folder())


def expand(path: Path) -> list[Path]:
    """A file as itself, a folder as its YAML files in name order."""
    if path.is_dir():
        return folder_files(path)
    if not path.exists():
        raise KnowledgeBaseError("no such file or folder", file=str(path))
    return [path]


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
        Layer("user", (folder,) if folder.is_dir() else (), str(folder)),
        Layer("environment", tuple(env_kb_paths()), locations.KB_ENV),
        Layer("flag", tuple(flag_paths), "--kb"),
    ]
