"""Wrapping text that mixes Chinese and Latin words to a width in terminal columns.

Chinese has no spaces between words, and each character takes two columns: Click's and the
standard library's wrappers break only at spaces and count characters, so a Chinese help line
ran past the edge of the terminal. Here a line may break between any two wide characters,
Latin words stay whole, and no line starts with closing punctuation (，。）and the like).
Used for the help of a run in a language other than English (cramp_cli.cli._HelpFormatter).
"""

from __future__ import annotations

import unicodedata

# Never at the start of a line, and never at its end (the simple form of the Chinese
# line-breaking rule).
_CLOSING = frozenset("，。、；：？！）》」』”’…%")  # noqa: RUF001
_OPENING = frozenset("（《「『“‘")  # noqa: RUF001


def char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns the text takes on a terminal."""
    return sum(char_width(char) for char in text)


def _tokens(text: str) -> list[str]:
    """Latin words whole, each wide character alone, and " " for any run of spaces."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isspace():
            if word:
                tokens.append(word)
                word = ""
            if tokens and tokens[-1] != " ":
                tokens.append(" ")
        elif char_width(char) == 2 or char in _CLOSING or char in _OPENING:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _unit_start(line: str, end: int) -> int:
    """Where the last unbreakable unit of line[:end] starts: one wide character or mark, or
    a Latin word."""
    if end <= 0:
        return 0
    last = line[end - 1]
    if char_width(last) == 2 or last in _CLOSING or last in _OPENING:
        return end - 1
    start = end
    while start > 0 and not line[start - 1].isspace() and char_width(line[start - 1]) == 1:
        if line[start - 1] in _CLOSING or line[start - 1] in _OPENING:
            break
        start -= 1
    return start


def wrap(text: str, columns: int) -> list[str]:
    """The lines of one paragraph, each at most `columns` wide (a Latin word longer than
    that stands alone on its line)."""
    columns = max(columns, 4)
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if token == " ":
            if line:
                line += " "
            continue
        if not line.strip() or width(line + token) <= columns:
            line += token
            continue
        line = line.rstrip()
        cut = len(line)
        if token in _CLOSING:  # carry the last unit down with the punctuation after it
            cut = _unit_start(line, cut)
            while 0 < cut < len(line) and line[cut] in _CLOSING:
                cut = _unit_start(line, len(line[:cut].rstrip()))
        while cut > 0 and line[cut - 1] in _OPENING:  # an opening one never ends a line
            cut -= 1
        if 0 < cut < len(line):
            lines.append(line[:cut].rstrip())
            line = line[cut:] + token
        else:
            lines.append(line)
            line = token
    if line.strip():
        lines.append(line.rstrip())
    return lines
