"""The JSON contract: shipped schemas match the models, and real output matches the schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cramp_cli.schema_gen import COMMAND_MODELS, SCHEMA_DIR, dumps, generate
from tests.conftest import run

SCHEMAS = {
    command: json.loads((SCHEMA_DIR / f"{command}.json").read_text()) for command in COMMAND_MODELS
}


def test_the_shipped_schemas_are_exactly_the_generated_ones() -> None:
    shipped = sorted(path.stem for path in SCHEMA_DIR.glob("*.json"))
    assert shipped == sorted(COMMAND_MODELS)
    for command in COMMAND_MODELS:
        on_disk = (SCHEMA_DIR / f"{command}.json").read_text(encoding="utf-8")
        assert on_disk == dumps(generate(command)), (
            f"schemas/{command}.json drifted from the models: run python -m cramp_cli.schema_gen"
        )


@pytest.mark.parametrize("command", sorted(COMMAND_MODELS))
def test_each_schema_is_valid_and_open_to_additions(command: str) -> None:
    schema = SCHEMAS[command]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert '"additionalProperties": false' not in json.dumps(schema)


@pytest.mark.parametrize("command", sorted(COMMAND_MODELS))
def test_cramp_schema_prints_the_shipped_schema(command: str) -> None:
    result = run("schema", command)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == SCHEMAS[command]


def test_unknown_schema_name_is_a_usage_error() -> None:
    result = run("schema", "wy")
    assert result.exit_code == 2
    assert "'why'" in result.stderr


INVOCATIONS = [
    ["why"],
    ["why", "--who", "pregnancy", "--when", "night", "--min-evidence", "weak"],
    ["relieve"],
    ["relieve", "--muscle", "calf"],
    ["relieve", "--muscle", "front-thigh", "--min-evidence", "moderate"],
    ["now"],
    ["now", "hamstring"],
    ["prevent"],
    ["prevent", "--who", "older-adults"],
    ["muscles"],
    ["check", "--none"],
    ["check", "--sign", "chest-pain,numbness", "--minutes", "20", "--region", "gb"],
    ["check", "--sign", "pregnant,leg-swelling"],
    ["check", "--list"],
    ["sources"],
    ["sources", "nhs-leg-cramps"],
    ["show", "magnesium"],
    ["show", "relief-back-calf"],
    ["show", "back-calf"],
    ["show", "chest-pain"],
    ["show", "dvt"],
    ["show", "nhs-leg-cramps"],
    ["lookalikes"],
    ["search", "magnesum"],
    ["search", "zzzzqqqq"],
]


def _validate(command: str, document: Any) -> None:
    errors = sorted(Draft202012Validator(SCHEMAS[command]).iter_errors(document), key=str)
    assert not errors, [error.message for error in errors[:3]]


@pytest.mark.parametrize("args", INVOCATIONS, ids=" ".join)
def test_real_output_matches_its_schema(args: list[str]) -> None:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["command"] == args[0]
    assert isinstance(document["schema_version"], int)
    _validate(args[0], document)


@pytest.mark.parametrize(
    "args",
    [["relieve", "--muscle", "elbow"], ["why", "--bogus"], ["check"], ["show", "nope"]],
    ids=" ".join,
)
def test_errors_with_json_match_the_error_schema(args: list[str]) -> None:
    result = run(*args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    document = json.loads(result.stderr)
    _validate("error", document)
    assert document["error"]["message"]


def test_a_wrong_document_fails_validation() -> None:
    document = json.loads(run("why", "--json").stdout)
    document["items"][0]["evidence"]["grade"] = "maybe"
    with pytest.raises(AssertionError):
        _validate("why", document)
