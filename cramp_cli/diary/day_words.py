"""Dates as a person reads them in the language of the run: '6 Dec 2026' or '2026年12月6日'.

English month names whatever the locale (the doctor's report has always printed them so);
Chinese dates in the usual 年月日 form. ISO dates stay in JSON, CSV and the diary's own lines.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from cramp_cli import i18n

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def chinese() -> bool:
    return i18n.current() != i18n.ENGLISH


def day(value: date) -> str:
    """6 Dec 2026, or 2026年12月6日."""
    if chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_day(value: date) -> str:
    """6 Dec, or 12月6日."""
    if chinese():
        return f"{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]}"


def cells(text: str) -> int:
    """Columns the text takes on a terminal or in a monospaced page: wide characters take 2."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """The text, spaces after it up to `width` columns (wide characters counted twice)."""
    return text + " " * max(width - cells(text), 0)
