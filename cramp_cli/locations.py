"""Where cramp finds the user's files and keeps its own: one answer for the loader, the
diary and the compiled store of the user's knowledge-base files.

Standard library and platformdirs only, so anything may use it without importing much.
"""

from __future__ import annotations

import os
import sys

from cramp_cli.errors import CrampError, UsageError

KB_ENV = "CRAMP_KB"
YAML_SUFFIXES = (".yaml", ".yml")

# Deprecated (issue 11): they once governed the answer cache, which is gone. For one release
# they still govern the compiled store of the user's own knowledge-base files, with a warning.
NO_CACHE_ENV = "CRAMP_NO_CACHE"
CACHE_DIR_ENV = "CRAMP_CACHE_DIR"
KB_STORE_FOLDER = "kb"
_OFF_WORDS = ("", "0", "false", "no")  # CRAMP_NO_CACHE values that leave the store on


# ---------------------------------------------------------------- values from the environment
#
# Every path cramp takes from the environment goes through env_path: CRAMP_DB, CRAMP_KB (each
# part), CRAMP_DATA_DIR, CRAMP_CACHE_DIR, XDG_DATA_HOME and XDG_CACHE_HOME. These checks run
# on every answer, so they cost no system call; only a folder cramp is about to use is
# stat-ed once, by checked_folder.


def env_path(variable: str, value: str | None = None) -> str | None:
    """A path from the environment: None when unset or blank (empty or only spaces: the
    documented "unset"); a value with spaces (or tabs, newlines) before or after it is a
    usage error naming the variable, as a file name never ends in a space by accident."""
    text = os.environ.get(variable, "") if value is None else value
    if not text.strip():
        return None
    if text != text.strip():
        from cramp_cli.safe_io import shown

        raise UsageError(
            f"{variable} has spaces before or after its value: '{shown(text)}'.",
            hint=f"Remove them, or unset {variable}.",
        )
    return text


def given_path(value: str, option: str) -> str:
    """A path given on the command line: anything but empty (which would mean the current
    folder, by accident)."""
    if value == "":
        raise UsageError(f"{option} needs a path, not an empty value.")
    return value


def _is_root_folder(path: str) -> bool:
    real = os.path.realpath(path)
    return os.path.dirname(real) == real


def checked_base(variable: str, path: str) -> str:
    """A base folder named by `variable`: never the root folder, where cramp would scatter
    its files (or read everyone's)."""
    if _is_root_folder(path):
        raise CrampError(
            f"{variable} is the root folder '{path}'; cramp does not use it for its files.",
            hint=f"Set {variable} to a folder of your own, or unset it.",
        )
    return path


def checked_folder(folder: str, what: str, source: str) -> str:
    """A folder cramp uses as its own: if it exists, it must belong to the user running
    cramp (one os.stat), so that another user cannot plant a diary or knowledge-base files
    in it, or read what cramp writes. POSIX only; `source` is where the path came from."""
    if not hasattr(os, "getuid"):
        return folder
    try:
        owner = os.stat(folder).st_uid
    except OSError:
        return folder  # missing (made when needed) or unreachable: the caller says which
    if owner != os.getuid():
        from cramp_cli.safe_io import shown

        raise CrampError(
            f"the {what} {shown(folder)} (from {source}) belongs to another user; "
            "cramp does not use it.",
            hint=f"Set {source} to a folder of your own, or change the folder's owner."
            if source.isupper()
            else "Change the folder's owner, or run cramp as its owner.",
        )
    return folder


def _xdg(variable: str, default: str) -> tuple[str, str] | None:
    """On Linux, the XDG base directory platformdirs would give, worked out the same way
    without importing it (its Unix module alone costs a few milliseconds on every start),
    with the variable it came from (or "your home folder"); None elsewhere.
    tests/test_locations.py checks both agree.

    A value with stray spaces is an error, and so is the root folder; a relative path is
    ignored, as the XDG spec says.
    """
    if not sys.platform.startswith("linux"):
        return None
    base = env_path(variable)
    if base is not None and os.path.isabs(base):
        return os.path.join(checked_base(variable, base), "cramp"), variable
    return os.path.join(os.path.expanduser(default), "cramp"), "your home folder"


def _own_folder(variable: str, default: str, what: str) -> str:
    """cramp's folder of a kind ("data", "cache"): the XDG one on Linux, platformdirs' one
    elsewhere; refused when it belongs to another user."""
    found = _xdg(variable, default)
    if found is None:
        import platformdirs

        kind_dir = platformdirs.user_data_dir if what == "data" else platformdirs.user_cache_dir
        folder = kind_dir("cramp", appauthor=False)
        found = folder, "your home folder"
    return checked_folder(found[0], f"{what} folder", found[1])


def user_data_folder() -> str:
    """cramp's user data folder (the diary, the user's knowledge-base folder)."""
    return _own_folder("XDG_DATA_HOME", "~/.local/share", "data")


def user_kb_folder() -> str:
    """The folder whose YAML files are loaded automatically: user_data_dir/kb."""
    return os.path.join(user_data_folder(), "kb")


def default_diary_path() -> str:
    return os.path.join(user_data_folder(), "diary.sqlite3")


def env_kb_parts() -> list[str]:
    """The paths in CRAMP_KB, separated by os.pathsep; blank parts ignored, a part with
    stray spaces an error naming the variable."""
    value = env_path(KB_ENV)
    if value is None:
        return []
    return [part for part in value.split(os.pathsep) if env_path(KB_ENV, part) is not None]


def yaml_files(folder: str) -> list[str]:
    """A folder's *.yaml and *.yml files, in name order (safe_io.UnsafeFile if the folder
    cannot be read)."""
    from cramp_cli.safe_io import list_folder

    return sorted(
        os.path.join(folder, name) for name in list_folder(folder) if name.endswith(YAML_SUFFIXES)
    )


def store_turned_off_by_env() -> bool:
    """CRAMP_NO_CACHE set to a true value: anything but blank, 0, false or no (any case)."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in _OFF_WORDS


def cache_dir_override() -> str | None:
    """CRAMP_CACHE_DIR as an absolute path, or None when it is unset or blank."""
    value = env_path(CACHE_DIR_ENV)
    return checked_base(CACHE_DIR_ENV, os.path.abspath(value)) if value else None


def user_cache_folder() -> str:
    """The root of cramp's cache: CRAMP_CACHE_DIR, else platformdirs' user cache folder;
    refused when it belongs to another user."""
    override = cache_dir_override()
    if override is not None:
        return checked_folder(override, "cache folder", CACHE_DIR_ENV)
    return _own_folder("XDG_CACHE_HOME", "~/.cache", "cache")


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
