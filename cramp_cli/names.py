"""How a name the user typed is matched: one rule for lookups and shell completion alike."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_name(name: str) -> str:
    """Lower-case, with runs of spaces, underscores and hyphens turned into one hyphen."""
    return _SEPARATORS.sub("-", name.strip().lower()).strip("-")
