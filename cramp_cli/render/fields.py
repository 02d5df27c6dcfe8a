"""The fields of an entry as label and text, for the views of `cramp show`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Every view shows these in its own way (heading, evidence line, steps, sources table).
SHOWN_APART = frozenset({"id", "title", "name", "evidence", "sources", "steps", "short_steps"})


def entry_fields(entry: Any, also_apart: Iterable[str] = ()) -> list[tuple[str, str]]:
    """("Who", "everyone, pregnancy") for each filled field not shown apart, in model order."""
    apart = SHOWN_APART | set(also_apart)
    fields = []
    for name, value in entry.model_dump().items():
        if name in apart or value in (None, (), [], ""):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        fields.append((name.replace("_", " ").capitalize(), shown))
    return fields
