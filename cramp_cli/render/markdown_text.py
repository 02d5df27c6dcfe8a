"""Markdown text: escaping and tables, for every Markdown view."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table(headers: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    yield "| " + " | ".join(headers) + " |"
    yield "|" + "|".join(" --- " for _ in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(esc(cell) for cell in row) + " |"
    yield ""


def counted(count: float, word: str, plural: str | None = None) -> str:
    """'1 entry', '2 entries', '1,000,000 cramps': the count, and the word that agrees."""
    number = f"{count:,}" if isinstance(count, int) else f"{count:g}"
    return f"{number} {word if count == 1 else plural or word + 's'}"
