"""JSON answers say their language (issue 16): a `lang` field, "en" or "zh-Hans", on every
answer; the ids, grades and levels in it are the same in every language, and the schemas
change only by that field (`schema_version` stays: the change is additive)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cramp_cli.results import SCHEMA_VERSION
from cramp_cli.schema_gen import COMMAND_MODELS, SCHEMA_DIR
from tests.conftest import run
from tests.test_schema import INVOCATIONS, _validate

# Keys whose values never depend on the language.
STABLE = ("schema_version", "command", "id", "level", "grade", "rule", "region", "minutes")


def stable(node: Any) -> Any:
    """The language-free skeleton of a document: ids, levels, grades, rules, numbers, and
    how many lines each list of text has (a translated list has as many as the English)."""
    if isinstance(node, dict):
        return {
            key: stable(value)
            for key, value in node.items()
            if key in STABLE or isinstance(value, (dict, list, bool, int, float))
        }
    if isinstance(node, list):
        if node and all(isinstance(value, str) for value in node) and not _ids(node):
            return len(node)
        return [stable(value) for value in node]
    return node


def _ids(texts: list[str]) -> bool:
    """Whether a list of strings holds ids or names (never translated), not sentences."""
    return all(" " not in text and text.isascii() for text in texts)


def as_json(*args: str, lang: str | None = None) -> dict[str, Any]:
    root = ["--lang", lang] if lang else []
    result = run(*root, *args, "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("args", INVOCATIONS, ids=" ".join)
def test_every_answer_says_its_language_and_keeps_its_ids(args: list[str]) -> None:
    english = as_json(*args)
    chinese = as_json(*args, lang="zh")
    assert english["lang"] == "en"
    assert chinese["lang"] == "zh-Hans"
    assert list(english) == list(chinese)  # the same keys, in the same order
    assert stable(english) == stable(chinese)
    _validate(args[0], chinese)


def test_the_language_comes_after_the_command() -> None:
    result = run("why", "--json")
    assert result.stdout.startswith(
        '{\n  "schema_version": 1,\n  "command": "why",\n  "lang": "en",\n  "disclaimer": '
    )


def test_the_environment_gives_the_same_lang_as_the_option() -> None:
    by_option = run("--lang", "zh", "check", "--sign", "numbness", "--json").stdout
    by_locale = run("check", "--sign", "numbness", "--json", env={"LANG": "zh_CN.UTF-8"}).stdout
    by_cramp_lang = run("check", "--sign", "numbness", "--json", env={"CRAMP_LANG": "zh"}).stdout
    assert json.loads(by_option)["lang"] == "zh-Hans"
    assert by_option == by_locale == by_cramp_lang


def test_diary_answers_say_their_language_too(tmp_path: Any) -> None:
    db = str(tmp_path / "diary.sqlite3")
    logged = run("--lang", "zh", "log", "--db", db, "--muscle", "calf", "--json")
    assert logged.exit_code == 0, logged.stderr
    assert json.loads(logged.stdout)["lang"] == "zh-Hans"
    for args in (["history"], ["report"], ["export"]):
        english = json.loads(run(*args, "--db", db, "--json").stdout)
        chinese = json.loads(run("--lang", "zh", *args, "--db", db, "--json").stdout)
        assert (english["lang"], chinese["lang"]) == ("en", "zh-Hans")
        assert stable(english) == stable(chinese)


@pytest.mark.parametrize("lang, code", [(None, "en"), ("zh", "zh-Hans")])
def test_each_jsonl_line_says_its_language(lang: str | None, code: str) -> None:
    root = ["--lang", lang] if lang else []
    lines = run(*root, "why", "--format", "jsonl").stdout.splitlines()
    assert len(lines) > 1
    assert {json.loads(line)["lang"] for line in lines} == {code}


def _answer_shapes(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-level shapes a schema allows (one, or each of a union)."""
    defs = schema.get("$defs", {})
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    return [defs[o["$ref"].split("/")[-1]] if "$ref" in o else o for o in options]


@pytest.mark.parametrize("command", sorted(COMMAND_MODELS))
def test_each_schema_has_the_lang_field_and_the_same_version(command: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{command}.json").read_text(encoding="utf-8"))
    assert schema["$id"].endswith(f"/v{SCHEMA_VERSION}/{command}.json")
    assert SCHEMA_VERSION == 1  # additive: the version stays (cli-conventions, section 15)
    for shape in _answer_shapes(schema):
        assert shape["properties"]["lang"] == {"default": "en", "title": "Lang", "type": "string"}
        assert "lang" in shape["required"]


def test_an_error_in_json_says_its_language_and_keeps_its_code() -> None:
    """The error object on stderr carries `lang` too, and its code is the same in both."""
    english = run("relieve", "--muscle", "nope", "--json")
    chinese = run("--lang", "zh", "relieve", "--muscle", "nope", "--json")
    assert english.exit_code == chinese.exit_code == 2
    english_doc, chinese_doc = json.loads(english.stderr), json.loads(chinese.stderr)
    assert english_doc["lang"] == "en" and chinese_doc["lang"] == "zh-Hans"
    assert english_doc["error"]["code"] == chinese_doc["error"]["code"]
