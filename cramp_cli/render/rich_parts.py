"""The pieces every Rich view shares."""

from __future__ import annotations

from typing import Any

from rich import box  # noqa: TID251 - a Rich view helper
from rich.table import Table  # noqa: TID251
from rich.text import Text  # noqa: TID251


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
