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
