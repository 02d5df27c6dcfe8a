"""A result as exactly one JSON document: ASCII-safe, indented, one final newline."""

from __future__ import annotations

import json

from cramp_cli.results import Result


def render_json(result: Result) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=True) + "\n"


def render_jsonl(result: Result) -> str:
    """One item per line, each carrying the disclaimer and the language of its text; a verdict
    without items is one line.

    Where the result lists the user's own claims, each line says whether it is one."""
    document = result.model_dump(mode="json")
    items = document.get("items")
    if not isinstance(items, list) or "level" in document:  # a check verdict
        return json.dumps(document, ensure_ascii=True) + "\n"
    disclaimer = document["disclaimer"]
    lang = document["lang"]
    claims = document.get("user_claims")
    lines = []
    for item in items:
        if claims is not None:
            item = {**item, "user_claim": item["id"] in claims}
        lines.append(
            json.dumps({**item, "disclaimer": disclaimer, "lang": lang}, ensure_ascii=True) + "\n"
        )
    return "".join(lines)
