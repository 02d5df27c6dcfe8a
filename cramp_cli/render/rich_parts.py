"""The pieces every Rich view shares: the one table style, tables that fold to a list on a
narrow terminal, bars that shrink to fit, and addresses that stay whole and can be clicked."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich import box  # noqa: TID251 - a Rich view helper
from rich.console import Console, ConsoleOptions, Group, RenderableType  # noqa: TID251
from rich.measure import Measurement  # noqa: TID251
from rich.padding import Padding  # noqa: TID251
from rich.panel import Panel  # noqa: TID251
from rich.style import Style  # noqa: TID251
from rich.table import Table  # noqa: TID251
from rich.text import Text  # noqa: TID251

from cramp_cli import i18n
from cramp_cli.i18n.text import _

WIDE = 10_000  # measure as if the screen had no edge
READABLE = 10  # a column of text narrower than this reads worse than a list


def titled_table(title: str | Text, **options: Any) -> Table:
    """The one table style: a bold title on the left, a rule under the header, full width."""
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
        **options,
    )


@dataclass(frozen=True)
class Col:
    """A column of a FittingTable. `whole` cells (ids, level words, numbers) are never wrapped
    or cut; the others wrap between words. In the list layout a column is shown as
    "Header: value", or bare when `labelled` is false."""

    header: str
    whole: bool = False
    labelled: bool = True
    justify: Any = "left"


@dataclass
class FittingTable:
    """A table while every whole cell fits on its line and every other column keeps its longest
    word; below that width, the same rows as a list: the first cell in bold, the others
    indented under it. The rule is decided when Rich draws it, at the console's width."""

    title: str
    columns: Sequence[Col]
    rows: list[tuple[RenderableType, ...]] = field(default_factory=list)
    show_lines: bool = False

    def add_row(self, *cells: RenderableType | str) -> None:
        self.rows.append(tuple(Text(cell) if isinstance(cell, str) else cell for cell in cells))

    def _sizes(self, console: Console, options: ConsoleOptions) -> list[tuple[int, int]]:
        """Each column's narrowest and widest content: a whole column at its widest line
        either way, another from its longest word (and at least READABLE) to its longest
        line."""
        wide = options.update_width(WIDE)
        sizes = []
        for index, column in enumerate(self.columns):
            cells = [Text(column.header), *(row[index] for row in self.rows)]
            measured = [Measurement.get(console, wide, cell) for cell in cells]
            widest = max(size.maximum for size in measured)
            longest_word = max(size.minimum for size in measured)
            narrowest = min(widest, max(longest_word, READABLE))
            sizes.append((widest if column.whole else narrowest, widest))
        return sizes

    def widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """The columns' widths at this screen width, or None when the table does not fit:
        every column gets its narrowest, then the room left goes to the wrapping columns, in
        proportion to what they lack."""
        room = options.max_width - (3 * len(self.columns) + 1)  # edges, padding, rules
        sizes = self._sizes(console, options)
        widths = [narrowest for narrowest, _ in sizes]
        spare = room - sum(widths)
        if spare < 0:
            return None
        lacking = [widest - narrowest for narrowest, widest in sizes]
        total = sum(lacking)
        for index, lack in enumerate(lacking):
            if total:
                widths[index] += min(lack, spare * lack // total)
        return widths

    def as_table(self, widths: list[int]) -> Table:
        table = titled_table(self.title, show_lines=self.show_lines)
        for column, width in zip(self.columns, widths, strict=True):
            table.add_column(
                column.header, no_wrap=column.whole, justify=column.justify, width=width
            )
        for row in self.rows:
            table.add_row(*row)
        return table

    def as_list(self) -> Iterator[RenderableType]:
        yield Text(self.title, style="bold")
        for first, *others in self.rows:
            yield Padding(_bold(first), (1 if self.show_lines else 0, 0, 0, 2))
            for column, cell in zip(self.columns[1:], others, strict=True):
                if column.labelled:
                    line = Text()
                    line.append(_("{label}: ").format(label=column.header), style="bold")
                    line.append_text(cell if isinstance(cell, Text) else Text(str(cell)))
                    yield Padding(line, (0, 0, 0, 4))
                else:
                    yield Padding(cell, (0, 0, 0, 4))

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        widths = self.widths(console, options)
        if widths is not None:
            yield self.as_table(widths)
        else:
            yield from self.as_list()


def _bold(cell: RenderableType) -> RenderableType:
    if isinstance(cell, Text):
        bold = cell.copy()
        bold.stylize("bold")
        return bold
    return cell


@dataclass(frozen=True)
class Bar:
    """A bar of `fraction` of the room it is given, at most `longest` cells: a chart's bars
    shrink with the screen instead of being cut."""

    fraction: float
    longest: int
    style: str = "cyan"

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, self.longest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        room = min(self.longest, options.max_width)
        cells = max(1, round(self.fraction * room)) if self.fraction > 0 else 0
        yield Text("█" * cells, style=self.style)


ADDRESS = re.compile(r"https?://\S+")


def linked(text: Text) -> Text:
    """Every address in the text made a link (OSC 8), where Rich writes to a terminal; a pipe
    gets the bare text. An address is one word: it wraps at the screen's edge, never cut."""
    for found in ADDRESS.finditer(text.plain):
        url = found.group().rstrip(".,;:)]'\"")
        text.stylize(Style(link=url), found.start(), found.start() + len(url))
    return text


@dataclass(frozen=True)
class FittingPanel:
    """A panel whose title and subtitle are never cut: when one is too long for the border at
    this width, it moves inside, as the first (or last) line of the panel."""

    panel: Panel

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Panel]:
        panel = self.panel
        room = (panel.width or options.max_width) - 6  # the corners, a rule and a space each side

        if max(_cells(panel.title), _cells(panel.subtitle)) <= room:
            yield panel
            return
        inside: list[RenderableType] = []
        if panel.title is not None:
            inside.append(_as_text(panel.title, "bold"))
        inside.append(panel.renderable)
        if panel.subtitle is not None:
            subtitle = _as_text(panel.subtitle, "")
            subtitle.justify = "right"
            inside.append(subtitle)
        yield Panel(
            Group(*inside),
            box=panel.box,
            border_style=panel.border_style,
            style=panel.style,
            expand=panel.expand,
            width=panel.width,
            padding=panel.padding,
        )


def _cells(label: str | Text | None) -> int:
    if label is None:
        return 0
    return (Text(label) if isinstance(label, str) else label).cell_len


def _as_text(label: str | Text, style: str) -> Text:
    return label.copy() if isinstance(label, Text) else Text(label, style=style)


# Chinese has no spaces between words, and Rich wraps only at spaces: a long run of Chinese
# after a number ("大约 10 分钟，之后……") moved whole to the next line, leaving the number
# alone at the end of a short one. wrap_between_wide_characters() lets a line break after any
# wide character instead, as the Chinese line-breaking rule allows: closing punctuation stays
# with the character before it, opening punctuation with the one after, and a Latin word or
# number stays whole.
_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_CLOSING = "，。、；：？！）》」』”’…%"  # noqa: RUF001
_OPENING = "（《「『“‘"  # noqa: RUF001
_WORD = (
    rf"\s*(?:[{_OPENING}]*[^\s{_WIDE}{_OPENING}]+[{_CLOSING}]*"  # a Latin word or a number
    rf"|[{_OPENING}]*[{_WIDE}][{_CLOSING}]*)\s*"  # one wide character
)
_rich_words: Any = None


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(one word, any wide character), compiled on first use: the character classes take
    milliseconds to compile, which an English run never needs to pay."""
    return re.compile(_WORD), re.compile(f"[{_WIDE}]")


def _words(text: str) -> Iterator[tuple[int, int, str]]:
    """rich._wrap.words with each wide character a word of its own, in a run in Chinese;
    English runs and text without a wide character wrap as Rich has them, word for word."""
    if i18n.current() == i18n.ENGLISH or text.isascii():
        yield from _rich_words(text)
        return
    word, has_wide = _patterns()
    if not has_wide.search(text):
        yield from _rich_words(text)
        return
    found = word.match(text, 0)
    while found is not None:
        start, end = found.span()
        yield start, end, found.group(0)
        found = word.match(text, end)


def wrap_between_wide_characters() -> None:
    """Let Rich break lines between wide characters for the rest of this run (a run in
    Chinese). Text without wide characters wraps exactly as before."""
    global _rich_words
    from rich import _wrap  # noqa: TID251

    if _rich_words is None and callable(getattr(_wrap, "words", None)):
        _rich_words = _wrap.words
        _wrap.words = _words
