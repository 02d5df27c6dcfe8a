"""JSON Schemas of the --json output, generated from the result models.

The schemas ship in cramp_cli/schemas/ (so `cramp schema` needs no pydantic at run time);
a test regenerates them and fails when they drift from the models. To refresh them:

    python -m cramp_cli.schema_gen
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from cramp_cli import results
from cramp_cli.diary import results as diary_results
from cramp_cli.results import SCHEMA_VERSION
from cramp_cli.shapes import Shape, hidden_fields

SCHEMA_DIR = Path(__file__).parent / "schemas"
BASE_ID = "https://cramp.invalid/schemas"

# Each command's --json document (a command with two shapes has both).
COMMAND_MODELS: dict[str, Any] = {
    "why": results.WhyResult,
    "relieve": results.ReliefResult,
    "now": results.NowResult,
    "prevent": results.PreventResult,
    "muscles": results.MusclesResult,
    "check": results.CheckResult | results.NotAssessedResult | results.SignsResult,
    "sources": results.SourcesResult | results.SourceResult | results.TrailCheck,
    "show": results.ShowResult,
    "lookalikes": results.LookalikesResult,
    "search": results.SearchResult,
    "error": results.ErrorDocument,
    "log": diary_results.LogResult,
    "history": diary_results.HistoryResult,
    "report": diary_results.ReportResult | diary_results.DoctorReport,
    "export": diary_results.ExportResult,
    "import": diary_results.ImportResult,
    "meds": diary_results.MedsResult,
    "kb-paths": results.KbPathsResult,
    "kb-show": results.KbShowResult,
    "kb-validate": results.KbValidateResult,
}


def _open_to_additions(node: Any) -> Any:
    """Readers of today's schema must accept tomorrow's additive changes."""
    if isinstance(node, dict):
        return {
            key: _open_to_additions(value)
            for key, value in node.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(node, list):
        return [_open_to_additions(value) for value in node]
    return node


def _hidden_fields() -> dict[str, set[str]]:
    """Per shape name, the fields that steer a view or a user file and are never printed."""
    from cramp_cli.knowledge import models

    hidden: dict[str, set[str]] = {}
    for module in (results, diary_results, models):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Shape) and hidden_fields(value):
                hidden[value.__name__] = set(hidden_fields(value))
    return hidden


def _without_hidden(schema: dict[str, Any]) -> dict[str, Any]:
    hidden = _hidden_fields()
    for node in [schema, *schema.get("$defs", {}).values()]:
        names = hidden.get(node.get("title", ""), set())
        for name in names:
            node.get("properties", {}).pop(name, None)
        if "required" in node:
            node["required"] = [name for name in node["required"] if name not in names]
    return schema


def generate(command: str) -> dict[str, Any]:
    schema = TypeAdapter(COMMAND_MODELS[command]).json_schema(mode="serialization")
    schema = _without_hidden(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}/v{SCHEMA_VERSION}/{command}.json",
        "title": f"cramp {command} --json" if command != "error" else "cramp error (stderr)",
        **_open_to_additions(schema),
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=True, sort_keys=True) + "\n"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for command in COMMAND_MODELS:
        path = folder / f"{command}.json"
        path.write_text(dumps(generate(command)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
