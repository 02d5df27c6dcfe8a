"""The commands through the real entry point: content, JSON shape, streams and exit codes."""

from __future__ import annotations

import pytest

from cramp_cli import __version__
from cramp_cli.knowledge.loader import load_builtin
from cramp_cli.names import normalise_name
from cramp_cli.wording import DISCLAIMER
from tests.conftest import run, run_json, usage_error

KB = load_builtin()
COMMANDS = [["why"], ["relieve", "--muscle", "back-calf"], ["relieve"], ["prevent"], ["muscles"]]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_json_is_one_object_with_ids_and_disclaimer(args: list[str]) -> None:
    result = run(*args, "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert result.stdout.endswith("}\n")
    document = run_json(*args)
    assert document["disclaimer"] == DISCLAIMER
    assert document["schema_version"] == 1
    assert document["command"] == args[0]
    assert document["items"], "every command answers with items"
    assert all(item["id"] for item in document["items"])


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_plain_output_when_piped_has_no_ansi_or_boxes(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert not set("─│╭╮╰╯━┃") & set(result.stdout)
    if args[0] != "muscles":
        assert result.stdout.rstrip("\n").splitlines()[-1] == f"Disclaimer: {DISCLAIMER}"


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_rich_output_on_a_terminal_ends_with_the_disclaimer(args: list[str]) -> None:
    result = run(*args, env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout, "a terminal gets styled output"
    assert " ".join(_strip_ansi(result.stdout).split()).endswith(DISCLAIMER)
    for line in result.stdout.splitlines():
        assert len(_strip_ansi(line)) <= 80


def test_no_color_keeps_terminal_layout_without_colour() -> None:
    result = run("relieve", "--muscle", "calf", "--no-color", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "╭" in result.stdout
    assert "\x1b[3" not in result.stdout  # no foreground colour codes


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_why_lists_every_cause_with_its_evidence() -> None:
    document = run_json("why")
    assert [item["id"] for item in document["items"]] == [
        cause.id
        for group in ("mechanism", "trigger", "body", "condition", "medicine", "belief")
        for cause in KB.causes
        if cause.group == group
    ]
    grades = {item["id"]: item["evidence"]["grade"] for item in document["items"]}
    assert grades["cold"] == "none"
    assert grades["lactic-acid"] == "none"
    assert grades["dvt-not-a-cause"] == "none"
    assert "not a cause" in document["note"]
    assert "pharmacist" in document["medicine_safety"]


def test_why_plain_is_one_cause_per_line() -> None:
    lines = run("why").stdout.splitlines()
    cause_lines = [line for line in lines if "\t" in line]
    assert [line.split("\t")[0] for line in cause_lines] == [
        item["id"] for item in run_json("why")["items"]
    ]
    assert "fatigue-overexertion\tsome evidence\t" in "\n".join(cause_lines)


def test_why_who_keeps_the_group_and_everyone() -> None:
    document = run_json("why", "--who", "pregnancy")
    assert document["filters"] == {"who": "pregnancy", "when": None, "min_evidence": None}
    ids = {item["id"] for item in document["items"]}
    assert "pregnancy" in ids
    assert "fatigue-overexertion" in ids  # applies to everyone
    assert "kidney-disease" not in ids
    for item in document["items"]:
        assert "pregnancy" in item["who"] or "everyone" in item["who"]


def test_why_when_keeps_items_without_a_time() -> None:
    document = run_json("why", "--when", "after-exercise")
    assert document["items"]
    for item in document["items"]:
        assert not item["when"] or "after-exercise" in item["when"]
    assert len(document["items"]) < len(KB.causes)


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["why", "--who", "pregnant"], "pregnancy"),
        (["why", "--when", "nigth"], "night"),
        (["prevent", "--who", "athlete"], "athletes"),
    ],
)
def test_unknown_tag_is_a_usage_error_with_suggestion(args: list[str], suggestion: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"'{suggestion}'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_relieve_back_calf_gives_steps_then_general_measures() -> None:
    document = run_json("relieve", "--muscle", "back-calf")
    assert document["muscle"]["id"] == "back-calf"
    ids = [item["id"] for item in document["items"]]
    assert ids[0] == "relief-back-calf"
    general = [item.id for item in KB.relief if item.muscle is None]
    assert ids[-len(general) :] == general
    first = document["items"][0]
    assert first["steps"] and first["hold"] and first["direction"]
    assert "cramp check" in document["safety"]


def test_back_and_front_of_calf_stretch_in_opposite_directions() -> None:
    back = run_json("relieve", "--muscle", "back-calf")["items"][0]["direction"].lower()
    front = run_json("relieve", "--muscle", "front-calf")["items"][0]["direction"].lower()
    assert "up" in back and "down" not in back
    assert "down" in front and " up" not in front


def test_relieve_without_muscle_gives_the_general_measures() -> None:
    document = run_json("relieve")
    assert document["muscle"] is None
    assert [item["id"] for item in document["items"]] == [
        item.id for item in KB.relief if item.muscle is None
    ]


def test_relieve_list_prints_muscle_ids_one_per_line() -> None:
    result = run("relieve", "--list")
    assert result.stdout.splitlines() == [muscle.id for muscle in KB.muscles]


MUSCLE_NAMES = [(name, muscle.id) for muscle in KB.muscles for name in (muscle.id, *muscle.aliases)]


@pytest.mark.parametrize(("name", "muscle_id"), MUSCLE_NAMES)
def test_every_muscle_and_alias_resolves(name: str, muscle_id: str) -> None:
    assert run_json("relieve", "--muscle", name)["muscle"]["id"] == muscle_id


@pytest.mark.parametrize(
    ("typed", "muscle_id"),
    [
        ("CALF", "back-calf"),
        ("Back Calf", "back-calf"),
        ("back_calf", "back-calf"),
        ("  hamstrings ", "back-thigh"),
        ("Quads", "front-thigh"),
        ("tibialis", "front-calf"),
        ("SOLE", "foot"),
        ("big_toe", "foot"),
        # "calf" in full-width letters, as an East Asian keyboard may type it
        ("\uff43\uff41\uff4c\uff46", "back-calf"),
    ],
)
def test_muscle_names_match_loosely(typed: str, muscle_id: str) -> None:
    assert run_json("relieve", "--muscle", typed)["muscle"]["id"] == muscle_id


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("bak-calf", "back-calf"),
        ("hamstrng", "back-thigh"),
        ("thihg", "back-thigh"),  # "thigh" itself shows both (test_muscle_names.py)
        ("frnt-thigh", "front-thigh"),
    ],
)
def test_unknown_muscle_exits_2_with_nearest_names(typed: str, suggested: str) -> None:
    result = run("relieve", "--muscle", typed)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: unknown muscle '{typed}'")
    assert f"'{suggested}'" in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_muscle_with_json_still_prints_nothing_on_stdout() -> None:
    result = run("relieve", "--muscle", "elbow", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cramp muscles" in result.stderr


@pytest.mark.parametrize("bad", ["", "   ", "x" * 100_000, "calf\x00", "calf\x1b[31m"])
def test_odd_muscle_names_are_usage_errors(bad: str) -> None:
    result = run("relieve", "--muscle", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(result.stderr) < 300


def test_prevent_lists_tips_and_doctor_only_treatments() -> None:
    document = run_json("prevent")
    ids = [item["id"] for item in document["items"]]
    assert sorted(ids) == sorted(item.id for item in KB.prevention)  # best supported first
    treatments = {item["id"]: item for item in document["doctor_treatments"]}
    assert treatments["doctor-quinine"]["evidence"]["grade"] == "against"
    grades = {item["id"]: item["evidence"]["grade"] for item in document["items"]}
    assert grades["magnesium"] == "against"
    assert grades["vitamin-e"] == "none"


def test_prevent_plain_marks_doctor_only_treatments() -> None:
    out = run("prevent").stdout
    quinine = next(line for line in out.splitlines() if line.startswith("doctor-quinine\t"))
    assert "evidence against" in quinine
    assert "only a doctor" in quinine


def test_prevent_who_filters() -> None:
    document = run_json("prevent", "--who", "pregnancy")
    ids = {item["id"] for item in document["items"]}
    assert "magnesium-pregnancy" in ids
    for item in document["items"]:
        assert "pregnancy" in item["who"] or "everyone" in item["who"]


def test_muscles_lists_aliases() -> None:
    document = run_json("muscles")
    by_id = {item["id"]: item for item in document["items"]}
    assert list(by_id) == ["back-calf", "front-calf", "foot", "back-thigh", "front-thigh"]
    assert "calf" in by_id["back-calf"]["aliases"]
    assert "shin" in by_id["front-calf"]["aliases"]
    rich = run("muscles", env={"FORCE_COLOR": "1"}).stdout
    assert "hamstrings" in rich


def test_version_prints_one_line() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"cramp {__version__}\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 2),
        (["--help"], 0),
        (["-h"], 0),
        (["why", "--help"], 0),
        (["wyh"], 2),
        (["why", "--bogus"], 2),
        (["relieve", "--muscle"], 2),
        (["relieve", "--muscle", "elbow"], 2),
        (["why"], 0),
    ],
)
def test_exit_codes(args: list[str], code: int) -> None:
    assert run(*args).exit_code == code


def test_help_keeps_literal_brackets_and_lists_commands() -> None:
    out = run("--help").stdout
    for command in ("why", "relieve", "prevent", "muscles"):
        assert command in out


def test_broken_kb_is_one_line_exit_1(kb_copy, monkeypatch) -> None:
    text = (kb_copy / "causes.yaml").read_text(encoding="utf-8")
    (kb_copy / "causes.yaml").write_text(
        text.replace("grade: moderate", "grade: maybe", 1), encoding="utf-8"
    )
    monkeypatch.setenv("CRAMP_DATA_DIR", str(kb_copy))
    result = run("why")
    assert result.exit_code == 1
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line
    assert "causes.yaml:" in line and "evidence.grade" in line


def test_internal_error_is_one_line_exit_70(monkeypatch) -> None:
    from cramp_cli import answers

    def boom(*_: object, **__: object) -> None:
        raise KeyError("steps")

    monkeypatch.setattr(answers, "why", boom)
    result = run("why")
    assert result.exit_code == 70
    assert result.stderr.startswith("Error: internal error (KeyError")
    assert "Traceback" not in result.stderr
    monkeypatch.setenv("CRAMP_DEBUG", "1")
    with pytest.raises(KeyError):
        run("why", env={"CRAMP_DEBUG": "1"})


def test_normalise_name() -> None:
    assert normalise_name("  Back  of_the--Calf ") == "back-of-the-calf"


@pytest.mark.parametrize("name", ["calf", "shin", "Back of the calf", "hamstrings"])
def test_relieve_takes_the_muscle_as_a_word_too(name: str) -> None:
    """`cramp relieve calf`, as people type it at 2 a.m., answers as `--muscle calf` does."""
    assert run_json("relieve", name) == run_json("relieve", "--muscle", name)


def test_relieve_with_two_different_muscles_is_a_usage_error() -> None:
    line = usage_error(run("relieve", "calf", "--muscle", "shin"))
    assert "'calf'" in line and "'shin'" in line and "give one of them" in line


def test_relieve_with_the_same_muscle_twice_is_fine() -> None:
    assert run_json("relieve", "calf", "--muscle", "calf")["muscle"]["id"] == "back-calf"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["prevent", "--kb", "mine.yaml"], "'cramp --kb PATH prevent ...'"),
        (["why", "--kb=mine.yaml"], "'cramp --kb PATH why ...'"),
        (["why", "--no-cache", "--json"], "'cramp --no-cache why ...'"),
    ],
)
def test_a_root_option_after_the_command_says_where_it_goes(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "is an option of cramp itself: put it before the command" in result.stderr
    assert expected in result.stderr
    assert "Possible options" not in result.stderr


def test_an_unknown_option_is_still_no_such_option() -> None:
    result = run("prevent", "--nope")
    assert result.exit_code == 2
    assert "No such option: --nope" in result.stderr
