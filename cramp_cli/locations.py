"""Where cramp finds the user's files and keeps its own: one answer for the loader, the
diary and the compiled store of the user's knowledge-base files.

Standard library and platformdirs only, so anything may use it without importing much.
"""

from __future__ import annotations

import os
import sys

KB_ENV = "CRAMP_KB"
YAML_SUFFIXES = (".yaml", ".yml")

# Deprecated (issue 11): they once governed the answer cache, which is gone. For one release
# they still govern the compiled store of the user's own knowledge-base files, with a warning.
NO_CACHE_ENV = "CRAMP_NO_CACHE"
CACHE_DIR_ENV = "CRAMP_CACHE_DIR"
KB_STORE_FOLDER = "kb"
_OFF_WORDS = ("", "0", "false", "no")  # CRAMP_NO_CACHE values that leave the store on


def _xdg(variable: str, default: str) -> str | None:
    """On Linux, the XDG base directory platformdirs would give, worked out the same way
    without importing it (its Unix module alone costs a few milliseconds on every start);
    None elsewhere. tests/test_locations.py checks both agree."""
    if not sys.platform.startswith("linux"):
        return None
    base = os.environ.get(variable, "")
    if not base.strip() or not os.path.isabs(
        base
    ):  # the XDG spec: a relative path is to be ignored
        base = os.path.expanduser(default)
    return os.path.join(base, "cramp")


def user_data_folder() -> str:
    found = _xdg("XDG_DATA_HOME", "~/.local/share")
    if found is not None:
        return found
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


def store_turned_off_by_env() -> bool:
    """CRAMP_NO_CACHE set to a true value: anything but blank, 0, false or no (any case)."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in _OFF_WORDS


def cache_dir_override() -> str | None:
    """CRAMP_CACHE_DIR as an absolute path, or None when it is unset or blank."""
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    return os.path.abspath(value) if value else None


def user_cache_folder() -> str:
    """The root of cramp's cache: CRAMP_CACHE_DIR, else platformdirs' user cache folder."""
    override = cache_dir_override()
    if override is not None:
        return override
    found = _xdg("XDG_CACHE_HOME", "~/.cache")
    if found is not None:
        return found
    from platformdirs import user_cache_dir

    return user_cache_dir("cramp", appauthor=False)


def kb_store_dir() -> str | None:
    """Where the compiled store of the user's own knowledge-base files lives: the `kb` folder
    of cramp's cache; None when CRAMP_NO_CACHE turns the store off.

    The one place that reads the two variables for the store; `cramp --no-cache` is the
    caller's (options.SESSION.use_store). Whoever writes here must still make the folder
    private and check that it is, and re-check every safety floor on what it reads back.
    """
    if store_turned_off_by_env():
        return None
    return os.path.join(user_cache_folder(), KB_STORE_FOLDER)


def deprecation_warnings(no_cache_flag: bool) -> list[str]:
    """One line for each deprecated cache switch in use, for stderr (never stdout).

    A switch is in use when it still changes something: the flag; CRAMP_NO_CACHE set to a
    true value; CRAMP_CACHE_DIR set and not blank. Those that change nothing stay quiet, as
    removing them will change nothing either.
    """
    store = "the compiled store of your own knowledge-base files"
    head = "is deprecated and will be removed in the next release: cramp no longer stores answers"
    warnings = []
    if no_cache_flag:
        warnings.append(f"--no-cache {head}, and the flag now only turns off {store}.")
    if store_turned_off_by_env():
        warnings.append(f"{NO_CACHE_ENV} {head}, and it now only turns off {store}.")
    if cache_dir_override() is not None:
        warnings.append(
            f"{CACHE_DIR_ENV} {head}, and it now only moves {store} (into its "
            f"'{KB_STORE_FOLDER}' folder); without it the store is in your user cache folder."
        )
    return [f"cramp: warning: {warning}" for warning in warnings]
