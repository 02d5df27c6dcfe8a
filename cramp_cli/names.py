"""How a name the user typed is matched: one rule for lookups and shell completion alike."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_name(name: str) -> str:
    """Case-folded, with runs of spaces, underscores and hyphens turned into one hyphen.
    NFKC first, so full-width letters (typed with an East Asian keyboard) match too."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return _SEPARATORS.sub("-", folded).strip("-")


def medicine_key(name: str) -> str:
    """A medicine name as matched: case and surrounding spaces ignored, a trademark sign
    (the registered or trade mark) dropped, dashes and runs of spaces as one space."""
    text = name.replace("\u00ae", "").replace("\u2122", "").casefold()
    return " ".join(text.replace("-", " ").split())
