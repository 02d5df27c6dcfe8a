"""The knowledge base an answer reads: the compiled built-in one, plus the user's own files.

- No user files: the snapshot shipped in the package, opened read-only. No YAML, no Pydantic.
- User files (the user folder, CRAMP_KB, --kb): read and hashed on every run. The whole
  knowledge base they give is compiled once into the user's store, a file named by their
  content, cramp's version and the snapshot's, in a folder only the user can write
  (cramp_cli.locations.kb_store_dir). Each run re-checks the store against the built-in
  snapshot: no warning sign or rule lowered or narrowed, the same triage and diary
  patterns; and the content rules hold for every entry an answer reads from it.
- CRAMP_DATA_DIR (a changed copy of data/, for checking it): everything is read from YAML
  and checked in memory, on every run.

Any store that is missing, damaged, foreign or fails a check is compiled again; a store
folder someone else could write to is not used (one warning line), and the knowledge base
is then checked in memory.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cramp_cli import __version__, locations
from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import snapshot
from cramp_cli.knowledge.kb import ENTRY_SECTIONS, KnowledgeBase
from cramp_cli.knowledge.layers import data_dir, expand, read_bytes, user_layers

# At most this many compiled stores are kept; the oldest go first.
KEEP_STORES = 4


def load_kb(flag_paths: Iterable[Path] = (), use_store: bool = True) -> KnowledgeBase:
    """The knowledge base to answer from.

    Precedence, highest first: --kb, CRAMP_KB, the user folder, then the built-in knowledge
    base (or CRAMP_DATA_DIR's folder instead of it).
    """
    layers = user_layers(tuple(flag_paths))
    files = [
        (layer.name, file) for layer in layers for path in layer.paths for file in expand(path)
    ]
    if data_dir() is not None:
        from cramp_cli.knowledge.loader import load_in_memory

        return load_in_memory(files)
    if not files:
        return snapshot.built_in()
    key = _key(files)
    folder = locations.kb_store_dir() if use_store else None
    if folder is not None and not _private_folder(Path(folder)):
        folder = None
    if folder is not None:
        path = Path(folder) / f"kb-{key}.sqlite3"
        found = _open_store(path)
        if found is not None:
            return found
    from cramp_cli.knowledge.loader import load_in_memory

    kb = load_in_memory(files)
    if folder is not None:
        _store(kb, Path(folder), key)
    return kb


def _key(files: list[tuple[str, Path]]) -> str:
    """The store's name: what the user's files hold, this cramp, and its snapshot."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(f"cramp {__version__} format {snapshot.FORMAT}\n".encode())
    digest.update(_snapshot_stamp().encode())
    for layer, path in files:
        # The loader is never reached for a file the key could not read, so read_bytes's
        # errors are the ones the user sees: the path, clipped, and what is wrong with it.
        content = read_bytes(path)
        digest.update(f"\n{layer}\n{path}\n{len(content)}\n".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:32]


@functools.cache
def _snapshot_stamp() -> str:
    """The shipped snapshot's size and time, read once per process (it cannot change under
    an installed cramp)."""
    info = snapshot.BUILT_IN_PATH.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


def _warn(message: str) -> None:
    print(f"cramp: warning: {message}", file=sys.stderr)


def _private_folder(folder: Path) -> bool:
    """Whether the store folder is the user's own and no one else can write to it; made
    (private) when missing. Anything else is not used, with one warning line."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as err:
        _warn(f"not using the knowledge-base store {folder} ({err.strerror}).")
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(f"not using the knowledge-base store {folder}: it is not a folder.")
        return False
    if _others_could_change(info):
        _warn(
            f"not using the knowledge-base store {folder}: other users could change it "
            "(it must be your own folder, writable only by you)."
        )
        return False
    return True


def _private_file(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and not _others_could_change(info)


def _others_could_change(info: os.stat_result) -> bool:
    """Owned by someone else, or writable by its group or by anyone (POSIX only)."""
    return hasattr(os, "getuid") and (info.st_uid != os.getuid() or bool(info.st_mode & 0o022))


def _open_store(path: Path) -> KnowledgeBase | None:
    """The compiled store, if it is there, readable, private and passes the floors."""
    if not _private_file(path):
        return None
    from cramp_cli.knowledge import content_rules

    built_in = snapshot.built_in()
    vetted: dict[str, frozenset[str]] = {}

    def check(section: str, entry: Any, data: str) -> None:
        """An entry word for word as the built-in one is vetted; any other meets the
        content rules here, as it did when it was compiled."""
        if section not in ENTRY_SECTIONS:
            return
        if section not in vetted:
            vetted[section] = built_in._sections.texts(section)  # type: ignore[attr-defined]
        if data in vetted[section] or not content_rules.check_entry(section, entry):
            return
        with contextlib.suppress(OSError):
            path.unlink()
        raise KnowledgeBaseError(
            f"{getattr(entry, 'id', section)!r} breaks a content rule in the compiled "
            "store of your knowledge-base files, so the store was removed",
            file=str(path),
        )

    try:
        kb = snapshot.open_kb(path, check)
        problem = _floors(built_in, kb)
    except (
        snapshot.SnapshotError,
        sqlite3.Error,
        KnowledgeBaseError,
        ValueError,
        TypeError,
        KeyError,
    ):  # damaged, foreign or tampered: compiled again
        problem = "it cannot be read"
    if problem is None:
        return kb
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def _floors(built_in: KnowledgeBase, kb: KnowledgeBase) -> str | None:
    """floor_problem, made quick: what is stored word for word as the built-in one needs no
    closer look. Only when a sign, rule, the triage or the patterns differ are they read."""
    from cramp_cli.knowledge.floors import floor_problem

    mine: Any = kb._sections
    theirs: Any = built_in._sections
    for section in ("triage", "patterns"):
        if mine.rows(section) != theirs.rows(section):
            return floor_problem(built_in, kb) or f"the {section} section differs"
    if mine.rows("symptoms") != theirs.rows("symptoms"):
        problem = floor_problem(built_in, kb)
        if problem is not None:
            return problem
    for section in ("signs", "rules"):
        stored = dict(mine.rows(section))
        if any(stored.get(entry_id) != data for entry_id, data in theirs.rows(section)):
            return floor_problem(built_in, kb)
    return None


def _store(kb: KnowledgeBase, folder: Path, key: str) -> None:
    """Keep the compiled knowledge base for the next run; the oldest stores beyond
    KEEP_STORES go. A store that cannot be written only costs speed."""
    from cramp_cli.knowledge import compile as compiler

    try:
        compiler.write(kb, folder / f"kb-{key}.sqlite3", {"key": key})
        stores = sorted(
            folder.glob("kb-*.sqlite3"), key=lambda path: path.stat().st_mtime_ns, reverse=True
        )
        for old in stores[KEEP_STORES:]:
            old.unlink()
    except OSError:
        pass
