"""Where cramp finds the user's files: one answer for the loader, the diary and the cache.

Standard library and platformdirs only, so the answer cache can use it before anything
heavy is imported, and so the cache hashes exactly the files the loader would read.
"""

from __future__ import annotations

import os

KB_ENV = "CRAMP_KB"
YAML_SUFFIXES = (".yaml", ".yml")


def user_data_folder() -> str:
    from platformdirs import user_data_dir

    return user_data_dir("cramp", appauthor=False)


def user_kb_folder() -> str:
    """The folder whose YAML files are loaded automatically: user_data_dir/kb."""
    return os.path.join(user_data_folder(), "kb")


def default_diary_path() -> str:
    return os.path.join(user_data_folder(), "diary.sqlite3")


def env_kb_parts() -> list[str]:
    """The paths in CRAMP_KB, separated by os.pathsep; blanks ignored."""
    return [part for part in os.environ.get(KB_ENV, "").split(os.pathsep) if part.strip()]


def yaml_files(folder: str) -> list[str]:
    """A folder's *.yaml and *.yml files, in name order."""
    return sorted(
        os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(YAML_SUFFIXES)
    )


def kb_store_dir() -> str | None:
    """The folder of the compiled store of the user's knowledge-base files; None when
    CRAMP_NO_CACHE turns it off. CRAMP_CACHE_DIR, when set, is cramp's cache folder."""
    if os.environ.get("CRAMP_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return None
    root = os.environ.get("CRAMP_CACHE_DIR", "").strip()
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("cramp", appauthor=False)
    return os.path.join(root, "kb")
