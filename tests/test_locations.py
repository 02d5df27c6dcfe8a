"""cramp's folders agree with platformdirs, which cramp does not import on Linux to start fast."""

from __future__ import annotations

import sys
from typing import Any

import platformdirs
import pytest

from cramp_cli import locations
from cramp_cli.errors import CrampError

VALUES = [None, "", "   ", "/srv/data", "relative/path", "~/tilde"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(
    ("variable", "ours", "theirs"),
    [
        ("XDG_DATA_HOME", locations.user_data_folder, platformdirs.user_data_dir),
        ("XDG_CACHE_HOME", locations.user_cache_folder, platformdirs.user_cache_dir),
    ],
)
def test_the_folders_are_the_ones_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, value: str | None, variable: str, ours: object, theirs: object
) -> None:
    if value is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, value)
    assert ours() == theirs("cramp", appauthor=False)  # type: ignore[operator]


@pytest.mark.parametrize("value", [" /srv/padded ", "/srv/data\n", "/", "/srv/.."])
@pytest.mark.parametrize(
    ("variable", "ours"),
    [
        ("XDG_DATA_HOME", locations.user_data_folder),
        ("XDG_CACHE_HOME", locations.user_cache_folder),
    ],
)
def test_stray_spaces_and_the_root_folder_are_refused_where_platformdirs_takes_them(
    monkeypatch: pytest.MonkeyPatch, value: str, variable: str, ours: Any
) -> None:
    """Issue 12: platformdirs would use these as they are; cramp says which variable is wrong."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(CrampError, match=variable):
        ours()


def test_answers_do_not_import_platformdirs_on_linux() -> None:
    import subprocess

    code = (
        "import sys; from cramp_cli import locations; locations.user_kb_folder(); "
        "locations.kb_store_dir(); print('platformdirs' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ("False" if sys.platform.startswith("linux") else "True")
