"""A result as exactly one JSON document: ASCII-safe, indented, one final newline."""

from __future__ import annotations

import json

from cramp_cli.results import Result


def render_json(result: Result) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=True) + "\n"
