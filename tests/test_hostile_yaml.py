"""Hostile and broken files given through --kb: each one is refused with exit 1, nothing on
stdout, and exactly one short line on stderr that names the file (and the line where it can be
known). Nothing runs, nothing hangs, nothing explodes in memory, no traceback leaks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cramp_cli.knowledge.loader import load_builtin
from tests.conftest import run

# A parse of a hostile file must answer in about the time of a normal run; this is a hang
# guard, generous enough for a slow CI machine.
HANG_GUARD_SECONDS = 5


def _refused(result: Any, path: Path, line: int | None = None, code: int = 1) -> str:
    """The error line, after checking the shape every refusal must have."""
    assert result.exit_code == code, (result.exit_code, result.stdout[:300], result.stderr[:300])
    assert result.stdout == ""
    error = result.stderr.rstrip("\n")
    assert "Traceback" not in error
    assert "RecursionError" not in error
    assert "\n" not in error, error[:600]
    assert error.startswith(f"Error: {path}"), error[:300]
    assert len(error) < 400 + len(str(path)), f"{len(error)} characters: {error[:300]}..."
    if line is not None:
        assert error.startswith(f"Error: {path}:{line}:"), error[:300]
    return error


def _kb(path: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    started = time.monotonic()
    result = run("--kb", str(path), *(args or ("why",)), env=env)
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    return result


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


VALID_CAUSE = """  - id: long-drives
    group: trigger
    title: Long drives
    summary: Sitting still for hours in a car.
    details: My own note.
    who: [everyone]
    when: [night]
    sources: [seed-article]
    evidence: {grade: none, note: Only my own notes.}
"""
# A whole relief section: line 9 is "hold", line 10 "steps".
VALID_RELIEF = """relief:
  - id: my-stretch
    title: My stretch
    summary: A stretch my physio showed me.
    details: Gently.
    who: [everyone]
    sources: [seed-article]
    evidence: {grade: none, note: My own note.}
    hold: 30 seconds
    steps: [Stand, Stretch]
"""


# ---------------------------------------------------------------- code execution and bombs


def test_python_tag_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    canary = tmp_path / "CANARY"
    absolute = tmp_path / "ABSOLUTE-CANARY"
    path = _write(
        tmp_path / "evil.yaml",
        "# harmless looking\n"
        'causes: !!python/object/apply:os.system ["touch CANARY"]\n'
        f"other: !!python/object/apply:os.system ['touch {absolute}']\n",
    )
    error = _refused(_kb(path), path, line=2)
    assert "python/object/apply" in error
    assert not canary.exists()
    assert not absolute.exists()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/new:os.system [touch CANARY]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:__main__.Thing {a: 1}",
    ],
)
def test_other_python_tags_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "evil.yaml", f"causes: {tag}\n")
    _refused(_kb(path), path, line=1)
    assert not (tmp_path / "CANARY").exists()


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast_in_process(tmp_path: Path) -> None:
    path = _write(tmp_path / "lol.yaml", _billion_laughs())
    started = time.monotonic()
    error = _refused(run("--kb", str(path), "why"), path)
    assert time.monotonic() - started < 1.0 * HANG_GUARD_SECONDS
    assert "aliases" in error


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX only")
def test_billion_laughs_with_a_memory_cap_in_a_subprocess(tmp_path: Path) -> None:
    import resource

    cap = 512 * 1024 * 1024

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    path = _write(tmp_path / "lol.yaml", _billion_laughs())
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRAMP_")}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "--kb", str(path), "why"],
        capture_output=True,
        text=True,
        timeout=10,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_memory,  # only sets a limit; no threads are involved
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    error = done.stderr.strip()
    assert error.startswith(f"Error: {path}"), error
    assert "\n" not in error
    assert "aliases" in error
    assert "MemoryError" not in error
    assert elapsed < HANG_GUARD_SECONDS


def test_a_single_alias_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "alias.yaml", "x: &who [everyone]\ncauses: *who\n")
    assert "aliases" in _refused(_kb(path), path)


def test_a_file_over_the_size_limit_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_builtin()  # the shipped files are read once per process; this is about the user's
    # broken YAML past the limit: a parser would report it, the size check must come first
    path = _write(tmp_path / "big.yaml", "causes: []\n" + "#" * 2000 + "\n[[[ {{{ !!python/x\n")
    monkeypatch.setenv("CRAMP_MAX_KB_BYTES", "1000")
    error = _refused(_kb(path), path)
    assert "over the 1,000-byte limit" in error
    assert "CRAMP_MAX_KB_BYTES" in error
    assert "invalid YAML" not in error


def test_a_file_just_under_the_size_limit_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_builtin()
    path = _write(tmp_path / "small.yaml", "causes:\n" + VALID_CAUSE)
    monkeypatch.setenv("CRAMP_MAX_KB_BYTES", str(len(path.read_bytes())))
    result = _kb(path)
    assert result.exit_code == 0, result.stderr


def test_the_default_size_limit_holds(tmp_path: Path) -> None:
    path = _write(tmp_path / "huge.yaml", b"causes: []\n" + b"#" * (5 * 1024 * 1024))
    assert "over the 5,242,880-byte limit" in _refused(_kb(path), path)


@pytest.mark.parametrize(
    "value",
    ["²", "①", "9" * 5000, "-5", "0", "1e3", " 1000"],
    ids=["superscript", "circled", "5000-digits", "negative", "zero", "exponent", "space"],
)
def test_a_size_limit_that_is_not_a_plain_number_keeps_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    path = _write(tmp_path / "huge.yaml", b"causes: []\n" + b"#" * (5 * 1024 * 1024))
    monkeypatch.setenv("CRAMP_MAX_KB_BYTES", value)
    assert "over the 5,242,880-byte limit" in _refused(_kb(path), path)


# ---------------------------------------------------------------- not text, not YAML


def test_binary_content(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    path = _write(tmp_path / "image.yaml", png)
    assert "binary" in _refused(_kb(path), path)


def test_a_nul_byte_in_otherwise_valid_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path / "nul.yaml", b"causes: []\n# note\x00\n")
    assert "binary" in _refused(_kb(path), path)


def test_latin_1_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "latin.yaml", "# my notes\ncauses:\n  - id: caf\xe9\n".encode("latin-1")
    )
    assert "not valid UTF-8" in _refused(_kb(path), path, line=3)


def test_utf_16_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "utf16.yaml", "causes: []\n".encode("utf-16"))
    _refused(_kb(path), path)


def test_a_utf_8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.yaml", "\ufeffcauses:\n" + VALID_CAUSE)
    assert _kb(path).exit_code == 0


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.yaml", "causes:\n" + VALID_CAUSE + "  - id: [unclosed\n")
    assert "invalid YAML" in _refused(_kb(path), path, line=12)


def test_a_5000_digit_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.yaml", "causes:\n  - id: " + "9" * 5000 + "\n")
    assert "a number has more than 4,300 digits" in _refused(_kb(path), path)


def test_a_date_that_does_not_exist(tmp_path: Path) -> None:
    path = _write(tmp_path / "date.yaml", "causes:\n  - id: 2025-02-30\n")
    assert "a value cannot be read" in _refused(_kb(path), path)


def test_a_yaml_binary_tag(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bin.yaml", "causes:\n" + VALID_CAUSE + "    extra: !!binary aGVsbG8=\n"
    )
    _refused(_kb(path), path, line=11)


def test_a_top_level_binary_tag(tmp_path: Path) -> None:
    path = _write(tmp_path / "bin.yaml", "causes: !!binary aGVsbG8=\n")
    _refused(_kb(path), path, line=1)


def test_an_unknown_local_tag(tmp_path: Path) -> None:
    path = _write(tmp_path / "tag.yaml", "causes: !mine [a, b]\n")
    _refused(_kb(path), path, line=1)


def test_a_huge_tag_is_not_echoed(tmp_path: Path) -> None:
    path = _write(tmp_path / "tag.yaml", f"causes: !<{'t' * 2_000_000}> x\n")
    _refused(_kb(path), path, line=1)


# ---------------------------------------------------------------- wrong shapes


def test_a_folder_named_like_a_yaml_file_inside_a_kb_folder(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    _write(folder / "a.yaml", "causes:\n" + VALID_CAUSE)
    (folder / "x.yaml").mkdir()
    error = _refused(_kb(folder), folder / "x.yaml")
    assert "is a folder" in error


def test_a_kb_folder_with_no_yaml_files_loads_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _write(folder / "notes.txt", "causes: [\n")
    result = _kb(folder)
    assert result.exit_code == 0, result.stderr


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "missing.yaml"
    assert "no such file or folder" in _refused(_kb(path), path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "secret.yaml", "causes: []\n")
    path.chmod(0)
    try:
        assert "cannot read" in _refused(_kb(path), path)
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", "~\n"], ids=repr)
def test_an_empty_file(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path / "empty.yaml", content)
    assert "empty" in _refused(_kb(path), path)


@pytest.mark.parametrize(
    ("content", "found"),
    [("- causes\n- prevention\n", "list"), ("just text\n", "str"), ("42\n", "int")],
)
def test_the_top_must_be_a_mapping(tmp_path: Path, content: str, found: str) -> None:
    path = _write(tmp_path / "top.yaml", content)
    error = _refused(_kb(path), path, line=1)
    assert f"expected a mapping of sections at the top, found a {found}" in error


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "two.yaml", "causes: []\n---\nprevention: []\n")
    assert "invalid YAML" in _refused(_kb(path), path, line=2)


def test_an_unknown_section(tmp_path: Path) -> None:
    path = _write(tmp_path / "section.yaml", "# notes\ncauzes: []\n")
    assert "unknown field 'cauzes'" in _refused(_kb(path), path, line=2)


def test_title_as_a_list(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "types.yaml",
        "causes:\n" + VALID_CAUSE.replace("title: Long drives", "title: [a, b]"),
    )
    error = _refused(_kb(path), path, line=4)
    assert "long-drives" in error
    assert "causes[0].title" in error


def test_relief_steps_as_a_string(tmp_path: Path) -> None:
    relief = VALID_RELIEF.replace("steps: [Stand, Stretch]", 'steps: "x"')
    path = _write(tmp_path / "types.yaml", relief)
    error = _refused(_kb(path), path, line=10)
    assert "relief[0].steps" in error


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("who: [everyone]", "who: everyone", 7),
        ("evidence: {grade: none, note: Only my own notes.}", "evidence: none", 10),
        ("group: trigger", "group: 3", 3),
        ("title: Long drives", "title: null", 4),
        ("title: Long drives", "title: {a: 1}", 4),
        ("title: Long drives", "title: 2024-01-01", 4),
    ],
)
def test_other_wrong_types(tmp_path: Path, old: str, new: str, line: int) -> None:
    path = _write(tmp_path / "types.yaml", "causes:\n" + VALID_CAUSE.replace(old, new))
    _refused(_kb(path), path, line=line)


def test_a_section_that_is_not_a_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "types.yaml", "causes:\n  id: long-drives\n")
    _refused(_kb(path), path, line=1)


def test_duplicate_keys_in_one_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "dup.yaml",
        "causes:\n"
        + VALID_CAUSE.replace("    title: Long drives\n", "    title: A\n    title: B\n"),
    )
    assert "duplicate key 'title'" in _refused(_kb(path), path, line=5)


def test_duplicate_top_level_keys(tmp_path: Path) -> None:
    path = _write(tmp_path / "dup.yaml", "causes: []\nprevention: []\ncauses: []\n")
    assert "duplicate key 'causes'" in _refused(_kb(path), path, line=3)


def test_unhashable_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "key.yaml", "? [a, b]\n: 1\n")
    _refused(_kb(path), path, line=1)


def test_duplicate_ids_across_two_user_files(tmp_path: Path) -> None:
    first = _write(tmp_path / "notes" / "a.yaml", "causes:\n" + VALID_CAUSE)
    second = _write(tmp_path / "notes" / "b.yaml", "# again\ncauses:\n" + VALID_CAUSE)
    error = _refused(_kb(tmp_path / "notes"), second, line=3)
    assert "duplicate id 'long-drives'" in error
    assert f"{first}:2" in error


def test_duplicate_ids_across_two_kb_flags(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.yaml", "causes:\n" + VALID_CAUSE)
    second = _write(tmp_path / "b.yaml", "causes:\n" + VALID_CAUSE)
    result = run("--kb", str(first), "--kb", str(second), "why")
    error = _refused(result, second, line=2)
    assert "duplicate id 'long-drives'" in error


def test_duplicate_ids_within_one_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.yaml", "causes:\n" + VALID_CAUSE + VALID_CAUSE)
    error = _refused(_kb(path), path, line=11)
    assert "duplicate id 'long-drives'" in error
    assert "this file:2" in error


def test_an_unknown_source_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "source.yaml",
        "causes:\n" + VALID_CAUSE.replace("[seed-article]", "[nhs-leg-cramp]"),
    )
    error = _refused(_kb(path), path, line=9)
    assert "unknown source 'nhs-leg-cramp'" in error
    assert "did you mean 'nhs-leg-cramps'?" in error


def test_an_unknown_muscle_in_a_relief_item(tmp_path: Path) -> None:
    relief = VALID_RELIEF.replace("    hold:", "    muscle: elbow\n    hold:")
    path = _write(tmp_path / "relief.yaml", relief)
    error = _refused(_kb(path), path, line=9)
    assert "unknown muscle 'elbow'" in error


def test_a_bad_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "id.yaml", "causes:\n" + VALID_CAUSE.replace("long-drives", "Long Drives!")
    )
    _refused(_kb(path), path, line=2)


# ---------------------------------------------------------------- deep and long


@pytest.mark.parametrize(
    "text",
    [
        "causes: " + "[" * 600 + "]" * 600 + "\n",
        "causes: " + "{a: " * 600 + "1" + "}" * 600 + "\n",
        "causes:\n" + "".join("  " * depth + "-\n" for depth in range(2000)),
        "causes:\n" + "- " * 600 + "x\n",
    ],
    ids=["600-lists", "600-mappings", "2000-block-lists", "600-compact-lists"],
)
def test_deep_nesting_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path / "deep.yaml", text)
    error = _refused(_kb(path), path)
    assert "nested more than 100 levels deep" in error


def test_deep_nesting_names_the_line_where_it_goes_too_deep(tmp_path: Path) -> None:
    text = "causes:\n" + "".join("  " * depth + "-\n" for depth in range(150))
    path = _write(tmp_path / "deep.yaml", text)
    # The top mapping opens level 1 on line 1 and each line after it opens one more list,
    # so level 101, one too deep, opens on line 101.
    _refused(_kb(path), path, line=101)


def test_nesting_at_the_limit_is_read(tmp_path: Path) -> None:
    # 98 nested lists under the top mapping and a one-item causes list: 100 levels in all.
    text = "causes:\n" + VALID_CAUSE + "tags: " + "[" * 98 + "]" * 98 + "\n"
    path = _write(tmp_path / "deep.yaml", text)
    error = _kb(path).stderr
    assert "nested" not in error


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("causes: " + "[" * 100_000 + "\n", 1),
        ("causes: " + "{a: " * 100_000 + "\n", 1),
        ("causes:\n" + "- " * 100_000 + "x\n", 2),
    ],
    ids=["100k-open-brackets", "100k-open-mappings", "100k-compact-lists"],
)
def test_very_deep_nesting_never_crashes_the_interpreter(
    tmp_path: Path, text: str, line: int
) -> None:
    # In a child process: PyYAML before 6.0.4 composes on the C stack, and a regression here
    # would be a segmentation fault that takes the whole test run down with it.
    path = _write(tmp_path / "deep.yaml", text)
    result = subprocess.run(
        [sys.executable, "-m", "cramp_cli", "--kb", str(path), "why"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS * 6,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-600:])
    assert result.stdout == ""
    # PyYAML 6.0.4 and later may stop first, with libyaml's own depth limit.
    assert result.stderr.startswith(f"Error: {path}:{line}: invalid YAML: ")
    assert "nest" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_four_megabyte_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.yaml", "causes: " + "a" * (4 * 1024 * 1024) + "\n")
    _refused(_kb(path), path, line=1)


def test_a_four_megabyte_line_without_a_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.yaml", "a" * (4 * 1024 * 1024) + "\n")
    _refused(_kb(path), path, line=1)


def test_a_four_megabyte_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.yaml", "? " + "k" * (4 * 1024 * 1024) + "\n: 1\n")
    _refused(_kb(path), path, line=1)


def test_a_two_megabyte_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "long.yaml",
        "causes:\n" + VALID_CAUSE.replace("long-drives", "i" * (2 * 1024 * 1024)),
    )
    _refused(_kb(path), path, line=2)


def test_a_duplicate_two_megabyte_key(tmp_path: Path) -> None:
    key = "k" * (2 * 1024 * 1024)
    path = _write(tmp_path / "long.yaml", f"? {key}\n: 1\n? {key}\n: 2\n")
    assert "duplicate key" in _refused(_kb(path), path, line=3)


def test_a_long_unknown_field_inside_an_item(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "long.yaml",
        "causes:\n" + VALID_CAUSE.replace("    who:", f"    ? {'f' * 100_000}\n    : 1\n    who:"),
    )
    assert "unknown field" in _refused(_kb(path), path, line=7)


# ---------------------------------------------------------------- other ways in


def test_hostile_file_through_cramp_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(
        tmp_path / "evil.yaml", 'causes: !!python/object/apply:os.system ["touch CANARY"]\n'
    )
    monkeypatch.setenv("CRAMP_KB", str(path))
    _refused(run("why"), path, line=1)
    assert not (tmp_path / "CANARY").exists()


def test_hostile_file_in_the_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    monkeypatch.chdir(tmp_path)
    folder = Path(user_data_dir("cramp", appauthor=False)) / "kb"
    path = _write(folder / "evil.yaml", _billion_laughs())
    assert "aliases" in _refused(run("prevent"), path)


def test_hostile_file_with_json_gives_a_json_error(tmp_path: Path) -> None:
    import json

    path = _write(tmp_path / "lol.yaml", _billion_laughs())
    result = _kb(path, "why", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "knowledge-base"
    assert str(path) in error["message"]
    assert "aliases" in error["message"]


def test_kb_validate_reports_a_hostile_file_without_running_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(
        tmp_path / "evil.yaml", 'causes: !!python/object/apply:os.system ["touch CANARY"]\n'
    )
    result = run("kb", "validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:1: invalid YAML" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "CANARY").exists()
