"""The compiled knowledge base: the shipped snapshot, the user's store, and what they refuse.

The snapshot must say exactly what data/ says (a drift test, as for the JSON Schemas); the
store of a user's files must never be able to make an answer less safe than the built-in
knowledge base and the user's current files, whoever changed it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramp_cli.knowledge import compile as compiler
from cramp_cli.knowledge import snapshot
from cramp_cli.knowledge.loader import load_builtin

REPO = Path(__file__).resolve().parents[1]
TABLES = (
    "meta",
    "entries",
    "origins",
    "disabled",
    "cites",
    "documents",
    "words",
    "postings",
    "translations",
)

USER_FILE = """\
causes:
  - id: my-own-note
    group: trigger
    title: Long days on my feet
    summary: My cramps come after long shifts standing.
    details: Noted in my own words.
    who: [everyone]
    sources: [nhs-leg-cramps]
    evidence:
      grade: none
      note: My own observation.
"""


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}"), key=repr) for table in TABLES}
    finally:
        conn.close()


def test_the_shipped_snapshot_is_compiled_from_data(tmp_path: Path) -> None:
    fresh = compiler.compile_builtin(tmp_path / "fresh.sqlite3")
    shipped, expected = _tables(snapshot.BUILT_IN_PATH), _tables(fresh)
    for table in TABLES:
        assert shipped[table] == expected[table], (
            f"cramp_cli/knowledge/snapshot.sqlite3 is out of date with data/ (table {table}). "
            "Run: python -m cramp_cli.knowledge.compile"
        )


def test_the_snapshot_reads_back_as_the_yaml_knowledge_base() -> None:
    compiled, from_yaml = snapshot.built_in(), load_builtin()
    assert compiled == from_yaml
    assert compiled.origins == from_yaml.origins
    assert compiled.files == from_yaml.files
    for entry in from_yaml.entries[::7]:
        assert compiled.entry(entry.id) == from_yaml.entry(entry.id)
    for source in from_yaml.sources:
        assert compiled.citing(source.id) == from_yaml.citing(source.id)


_MEMORY_INDEX = load_builtin().search_index()
_WORDS = sorted(
    {word for word in _MEMORY_INDEX._data.vocabulary if len(word) > 2}  # type: ignore[attr-defined]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3),
    typo=st.integers(min_value=0, max_value=3),
    limit=st.integers(min_value=1, max_value=40),
)
def test_the_compiled_search_index_ranks_as_the_memory_one(
    words: list[str], typo: int, limit: int
) -> None:
    if typo and len(words[0]) > 4:  # drop a letter, for the fuzzy matches
        words[0] = words[0][:typo] + words[0][typo + 1 :]
    query = " ".join(words)
    compiled = snapshot.built_in().search_index().search(query, limit=limit)
    memory = _MEMORY_INDEX.search(query, limit=limit)
    assert [(hit.document.id, hit.document.kind, hit.score) for hit in compiled] == [
        (hit.document.id, hit.document.kind, hit.score) for hit in memory
    ]


# ---------------------------------------------------------------- through the real command

PROBE = """
import json, sys
sys.argv = ["cramp", *sys.argv[1:]]
from cramp_cli.entry import main
try:
    main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
heavy = [name for name in ("pydantic", "yaml", "rich", "typer") if name in sys.modules]
sys.stderr.write("\\nMODULES:" + json.dumps({"exit": code, "heavy": heavy}) + "\\n")
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CRAMP_", "XDG_")) and key not in ("FORCE_COLOR", "NO_COLOR")
    }
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env.update(extra)
    return env


def probe(
    tmp_path: Path, *args: str, **env: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    head, _, tail = done.stderr.rpartition("MODULES:")
    assert tail, done.stderr
    report = json.loads(tail)
    return subprocess.CompletedProcess(done.args, report["exit"], done.stdout, head), report


ANSWERS = [
    ("why", "--json"),
    ("why",),
    ("why", "--who", "pregnancy", "--format", "markdown"),
    ("relieve", "--muscle", "calf", "--json"),
    ("relieve", "--muscle", "foot"),
    ("prevent", "--json"),
    ("muscles",),
    ("check", "--sign", "one-sided-swelling,breathless", "--json"),
    ("check", "--minutes", "12"),
    ("check", "--list", "--json"),
    ("lookalikes", "--json"),
    ("sources", "--json"),
    ("sources", "nhs-leg-cramps"),
    ("search", "magnesum", "--json"),
    ("show", "magnesium", "--json"),
    ("show", "one-sided-swelling"),
]


@pytest.mark.parametrize("args", ANSWERS, ids=" ".join)
def test_answers_import_neither_pydantic_nor_yaml_nor_rich(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    done, report = probe(tmp_path, *args)
    assert done.returncode in (0, None), done.stderr
    assert done.stdout.strip()
    assert not {"pydantic", "yaml", "rich"} & set(report["heavy"]), report


def test_rich_is_imported_only_for_a_terminal(tmp_path: Path) -> None:
    done, report = probe(tmp_path, "relieve", "--muscle", "calf", FORCE_COLOR="1")
    assert done.returncode in (0, None), done.stderr
    assert "rich" in report["heavy"]
    assert not {"pydantic", "yaml"} & set(report["heavy"]), report


def _store_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "xdg_cache_home" / "cramp" / "kb").glob("kb-*.sqlite3"))


def test_a_user_file_is_compiled_once_then_read_without_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    first, report = probe(tmp_path, "show", "my-own-note", "--json")
    assert first.returncode in (0, None), first.stderr
    assert "yaml" in report["heavy"]  # compiled now
    stores = _store_files(tmp_path)
    assert len(stores) == 1
    assert stat.S_IMODE(stores[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(stores[0].parent.stat().st_mode) == 0o700
    again, report = probe(tmp_path, "show", "my-own-note", "--json")
    assert not {"pydantic", "yaml", "rich"} & set(report["heavy"]), report
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert json.loads(again.stdout)["user_claims"] == ["my-own-note"]


def test_a_changed_user_file_is_compiled_again_and_old_stores_go(tmp_path: Path) -> None:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    for number in range(7):
        (folder / "mine.yaml").write_text(
            USER_FILE.replace("Long days on my feet", f"Long days, version {number}"),
            encoding="utf-8",
        )
        done, _ = probe(tmp_path, "show", "my-own-note", "--json")
        assert json.loads(done.stdout)["items"][0]["title"] == f"Long days, version {number}"
    assert len(_store_files(tmp_path)) == 4


def _with_user_file(tmp_path: Path) -> Path:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    done, _ = probe(tmp_path, "why", "--json")
    assert done.returncode in (0, None), done.stderr
    (store,) = _store_files(tmp_path)
    return store


def _edit_store(store: Path, entry_id: str, change: dict[str, Any]) -> None:
    store.chmod(0o600)
    conn = sqlite3.connect(store)
    with conn:
        (data,) = conn.execute("SELECT data FROM entries WHERE id = ?", (entry_id,)).fetchone()
        conn.execute(
            "UPDATE entries SET data = ? WHERE id = ?",
            (json.dumps({**json.loads(data), **change}), entry_id),
        )
    conn.close()


def test_a_store_that_lowers_a_warning_sign_is_not_believed(tmp_path: Path) -> None:
    store = _with_user_file(tmp_path)
    _edit_store(store, "one-sided-swelling", {"level": "self-care"})
    done, _ = probe(tmp_path, "check", "--sign", "one-sided-swelling", "--json")
    assert json.loads(done.stdout)["level"] == "urgent"


def test_a_store_that_narrows_a_rule_is_not_believed(tmp_path: Path) -> None:
    rule = snapshot.built_in().rules[0]
    store = _with_user_file(tmp_path)
    _edit_store(store, rule.id, {"all": [*rule.all, "child"]})
    done, _ = probe(tmp_path, "check", "--sign", ",".join(rule.all + rule.any[:1]), "--json")
    fired = {item["rule"] for item in json.loads(done.stdout)["fired"]}
    assert f"rule:{rule.id}" in fired


def test_a_store_entry_that_breaks_a_content_rule_is_refused(tmp_path: Path) -> None:
    store = _with_user_file(tmp_path)
    _edit_store(store, "my-own-note", {"details": "Take 300 mg of magnesium every night."})
    done, _ = probe(tmp_path, "show", "my-own-note", "--json")
    assert done.returncode == 1
    assert "300 mg" not in done.stdout
    assert "content rule" in done.stderr
    assert not store.exists()
    again, _ = probe(tmp_path, "show", "my-own-note", "--json")
    assert again.returncode in (0, None)
    assert "300 mg" not in again.stdout


def test_a_damaged_store_is_compiled_again(tmp_path: Path) -> None:
    store = _with_user_file(tmp_path)
    store.chmod(0o600)
    store.write_bytes(b"not a database" * 100)
    done, _ = probe(tmp_path, "show", "my-own-note", "--json")
    assert done.returncode in (0, None), done.stderr
    assert json.loads(done.stdout)["items"][0]["id"] == "my-own-note"


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_store_folder_others_can_write_is_not_used(tmp_path: Path, mode: int) -> None:
    store = _with_user_file(tmp_path)
    _edit_store(store, "one-sided-swelling", {"level": "self-care"})
    store.parent.chmod(mode)
    done, report = probe(tmp_path, "check", "--sign", "one-sided-swelling", "--json")
    assert json.loads(done.stdout)["level"] == "urgent"
    assert done.stderr.count("warning:") == 1
    assert "not using the knowledge-base store" in done.stderr
    assert "yaml" in report["heavy"]  # checked in memory instead


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_a_store_file_owned_by_someone_else_is_not_read(tmp_path: Path) -> None:
    store = _with_user_file(tmp_path)
    _edit_store(store, "one-sided-swelling", {"level": "self-care"})
    os.chown(store, 65534, 65534)
    done, _ = probe(tmp_path, "check", "--sign", "one-sided-swelling", "--json")
    assert json.loads(done.stdout)["level"] == "urgent"


def test_no_store_is_written_when_it_is_turned_off(tmp_path: Path) -> None:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    done, _ = probe(tmp_path, "show", "my-own-note", "--json", CRAMP_NO_CACHE="1")
    assert json.loads(done.stdout)["items"][0]["id"] == "my-own-note"
    assert _store_files(tmp_path) == []


def test_the_store_goes_where_cramp_cache_dir_says(tmp_path: Path) -> None:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    probe(tmp_path, "show", "my-own-note", "--json", CRAMP_CACHE_DIR=str(tmp_path / "elsewhere"))
    assert len(list((tmp_path / "elsewhere" / "kb").glob("kb-*.sqlite3"))) == 1


def test_a_store_folder_with_uri_characters_in_its_name_works(tmp_path: Path) -> None:
    folder = tmp_path / "xdg_data_home" / "cramp" / "kb"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    odd = tmp_path / "a %20 ?x=1 #frag"
    for _ in range(2):
        done, report = probe(tmp_path, "show", "my-own-note", "--json", CRAMP_CACHE_DIR=str(odd))
        assert json.loads(done.stdout)["items"][0]["id"] == "my-own-note"
    assert "yaml" not in report["heavy"]  # the second run read the store
    assert len(list((odd / "kb").glob("kb-*.sqlite3"))) == 1
