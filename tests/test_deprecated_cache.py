"""The answer cache is gone; its three switches stay for one release, deprecated.

`cramp --no-cache`, CRAMP_NO_CACHE and CRAMP_CACHE_DIR keep working, each with one warning
line on stderr (never on stdout, never inside JSON, exit codes unchanged), and now govern only
the compiled store of the user's own knowledge-base files (locations.kb_store_dir). Whatever
is in the cache folder, and whether it can be written at all, never changes an answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cramp_cli import locations
from cramp_cli.errors import UsageError
from cramp_cli.options import SESSION
from tests.conftest import run

CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(Path(sys.executable).parent / "cramp")

FLAG = "cramp: warning: --no-cache is deprecated"
NO_CACHE = "cramp: warning: CRAMP_NO_CACHE is deprecated"
CACHE_DIR = "cramp: warning: CRAMP_CACHE_DIR is deprecated"

# (root options, environment, the warnings expected)
SWITCHES: dict[str, tuple[list[str], dict[str, str], list[str]]] = {
    "flag": (["--no-cache"], {}, [FLAG]),
    "env-1": ([], {"CRAMP_NO_CACHE": "1"}, [NO_CACHE]),
    "env-yes": ([], {"CRAMP_NO_CACHE": " Yes "}, [NO_CACHE]),
    "env-true": ([], {"CRAMP_NO_CACHE": "TRUE"}, [NO_CACHE]),
    "cache-dir": ([], {"CRAMP_CACHE_DIR": "{tmp}/cache"}, [CACHE_DIR]),
    "all-three": (
        ["--no-cache"],
        {"CRAMP_NO_CACHE": "1", "CRAMP_CACHE_DIR": "{tmp}/cache"},
        [FLAG, NO_CACHE, CACHE_DIR],
    ),
}
# (arguments, exit code): an answer, a verdict with its own exit code, and a usage error.
COMMANDS: list[tuple[list[str], int]] = [
    (["why", "--json"], 0),
    (["check", "--sign", "chest-pain", "--exit-code", "--json"], 5),
    (["relieve", "--muscle", "elbow", "--json"], 2),
    (["prevent", "--format", "plain"], 0),
]


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("cramp: warning:")]


@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize(("args", "code"), COMMANDS, ids=[args[0] for args, _ in COMMANDS])
def test_each_switch_warns_once_on_stderr_and_changes_nothing_else(
    switch: str, args: list[str], code: int, tmp_path: Path
) -> None:
    options, env, expected = SWITCHES[switch]
    env = {name: value.format(tmp=tmp_path) for name, value in env.items()}
    plain = run(*args)
    warned = run(*options, *args, env=env)
    assert plain.exit_code == warned.exit_code == code, warned.stderr
    assert warned.stdout == plain.stdout
    if args[-1] == "--json" and code != 2:
        json.loads(warned.stdout)  # one JSON document, no warning inside
    found = _warnings(warned.stderr)
    assert [line.split(" is deprecated")[0] + " is deprecated" for line in found] == expected
    for line in found:
        assert "will be removed in the next release" in line
        assert "compiled store of your own knowledge-base files" in line
    rest = [line for line in warned.stderr.splitlines() if not line.startswith("cramp: warning:")]
    assert rest == plain.stderr.splitlines()  # the error line of a usage error, as before


@pytest.mark.parametrize("value", ["0", "", "  ", "false", "No"])
def test_cramp_no_cache_off_values_are_quiet(value: str) -> None:
    done = run("why", "--json", env={"CRAMP_NO_CACHE": value})
    assert done.exit_code == 0
    assert done.stderr == ""


def test_a_blank_cache_dir_is_quiet() -> None:
    assert run("why", "--json", env={"CRAMP_CACHE_DIR": "  "}).stderr == ""


def test_help_and_version_do_not_warn() -> None:
    for args in (["--no-cache", "--help"], ["--version"]):
        done = run(*args, env={"CRAMP_NO_CACHE": "1"})
        assert done.exit_code == 0
        assert done.stderr == "", args


def test_no_cache_is_still_in_the_root_help_marked_deprecated() -> None:
    out = run("--help").stdout
    assert "--no-cache" in out
    assert "Deprecated" in out


def test_the_flag_turns_the_store_off_for_the_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    from cramp_cli.knowledge import load

    seen: list[bool] = []
    real = load.load_kb

    def spy(flag_paths: Any = (), use_store: bool = True) -> Any:
        seen.append(use_store)
        return real(flag_paths, use_store=use_store)

    monkeypatch.setattr(load, "load_kb", spy)
    assert run("--no-cache", "why", "--json").exit_code == 0
    assert run("why", "--json").exit_code == 0
    assert seen == [False, True]
    assert SESSION.use_store is True


# ---------------------------------------------------------------- kb_store_dir


def test_the_store_is_in_the_kb_folder_of_the_user_cache() -> None:
    store = locations.kb_store_dir()
    assert store is not None
    assert Path(store).name == "kb"
    if sys.platform.startswith("linux"):
        assert Path(store) == Path(os.environ["XDG_CACHE_HOME"]) / "cramp" / "kb"


def test_cramp_cache_dir_is_the_root_of_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRAMP_CACHE_DIR", str(tmp_path / "mine"))
    assert locations.kb_store_dir() == str(tmp_path / "mine" / "kb")
    monkeypatch.setenv("CRAMP_CACHE_DIR", f"  {tmp_path / 'mine'}\n")  # issue 12: refused
    with pytest.raises(UsageError, match="CRAMP_CACHE_DIR has spaces"):
        locations.kb_store_dir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRAMP_CACHE_DIR", "relative")
    assert locations.kb_store_dir() == str(tmp_path / "relative" / "kb")


@pytest.mark.parametrize(("value", "off"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_cramp_no_cache_turns_the_store_off(
    value: str, off: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRAMP_NO_CACHE", value)
    monkeypatch.setenv("CRAMP_CACHE_DIR", str(tmp_path))
    assert (locations.kb_store_dir() is None) is off


# ---------------------------------------------------------------- the installed command

USER_FILE = """\
causes:
  - id: my-own-cause
    group: belief
    title: Long drives
    summary: Something I noticed myself.
    details: It seems to happen after long drives.
    who: [everyone]
    when: [night]
    sources: [seed-article]
    evidence: {grade: none, note: Only my own notes.}
"""


def _cramp(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    return subprocess.run(
        [CRAMP, *args],
        env={**base, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture
def user_kb(tmp_path: Path) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["flag", "env"])
def test_turned_off_nothing_is_written_to_the_cache_folder(
    how: str, user_kb: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    args = ["--no-cache"] if how == "flag" else []
    env = {"CRAMP_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    if how == "env":
        env["CRAMP_NO_CACHE"] = "1"
    for command in (["why", "--json"], ["check", "--sign", "chest-pain", "--json"]):
        done = _cramp(*args, "--kb", str(user_kb), *command, **env)
        assert done.returncode == 0, done.stderr
    assert _files(cache) == [] and _files(tmp_path / "xdg") == []


def test_an_unwritable_cache_folder_is_never_fatal(user_kb: Path, tmp_path: Path) -> None:
    reference = _cramp("--kb", str(user_kb), "why", "--json", CRAMP_NO_CACHE="1")
    assert reference.returncode == 0, reference.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n", encoding="utf-8")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    places = {
        "a file": str(a_file / "cache"),
        "a read-only folder": str(read_only / "cache"),
        "/proc": "/proc/self/nonexistent/cramp",
    }
    for where, folder in places.items():
        done = _cramp("--kb", str(user_kb), "why", "--json", CRAMP_CACHE_DIR=folder)
        assert done.returncode == 0, (where, done.stderr)
        assert done.stdout == reference.stdout, where
        lines = done.stderr.decode().splitlines()
        assert lines[0].startswith(CACHE_DIR), (where, lines)
        # at most a warning that the store cannot be used: never an error or a traceback
        assert all(line.startswith("cramp: warning:") for line in lines), (where, lines)
    assert a_file.read_text(encoding="utf-8") == "not a folder\n"


def test_whatever_is_in_the_cache_folder_never_changes_an_answer(
    user_kb: Path, tmp_path: Path
) -> None:
    """The old cache's risk: a tampered file lowered a warning. Nothing cramp reads from its
    cache folder, now or in the store that replaces it, may change what it prints."""
    cache = tmp_path / "cache"
    cases = [
        (["--kb", str(user_kb), "why", "--json"], 0),
        (["--kb", str(user_kb), "check", "--sign", "chest-pain", "--exit-code", "--json"], 5),
        (["check", "--sign", "one-sided-swelling", "--exit-code", "--json"], 4),
    ]
    first = [_cramp(*args, XDG_CACHE_HOME=str(cache)) for args, _ in cases]
    for (args, code), done in zip(cases, first, strict=True):
        assert done.returncode == code, (args, done.stderr)
    planted = json.dumps({"level": "self-care", "items": []}).encode()
    for path in _files(cache):
        path.write_bytes(planted)
    for name in ("answers", "kb"):  # the old answers folder, and the new store's
        (cache / "cramp" / name).mkdir(parents=True, exist_ok=True)
        (cache / "cramp" / name / "planted.json").write_bytes(planted)
    again = [_cramp(*args, XDG_CACHE_HOME=str(cache)) for args, _ in cases]
    for (args, code), before, after in zip(cases, first, again, strict=True):
        assert after.returncode == code, (args, after.stderr)
        assert after.stdout == before.stdout, args
