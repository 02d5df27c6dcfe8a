"""Data read from YAML that remembers its line numbers, and finding a line again.

No YAML here: the checks can point at file:line in an error without importing PyYAML for
it (the parsing is in yaml_io).
"""

from __future__ import annotations

from typing import Any


def clip(text: str, limit: int = 60) -> str:
    """Text from a file, cut short for an error line: a hostile file can hold megabytes."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class LineDict(dict[Any, Any]):
    """A mapping read from YAML that remembers where it and each of its keys were."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}


class LineList(list[Any]):
    """A sequence read from YAML that remembers the line of each entry."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


def locate(data: LineDict, loc: tuple[int | str, ...]) -> tuple[int | None, str | None]:
    """The line of the deepest part of ``loc`` found in ``data``, and the id of its item."""
    node: Any = data
    line: int | None = data.line
    item_id: str | None = None
    for key in loc:
        if isinstance(node, LineDict) and key in node:
            line = node.key_lines.get(key, line)
            node = node[key]
        elif isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node):
            line = node.item_lines[key]
            node = node[key]
        else:
            break
        if isinstance(node, LineDict) and isinstance(node.get("id"), str):
            item_id = clip(node["id"])
    return line, item_id
