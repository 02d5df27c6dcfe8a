"""Is a source complete enough for someone to find it and weigh it?

A complete source names its authors or publisher, a year (or "no date"), its original address
(or "no address"), and its authority. The knowledge base shipped with cramp must be complete
(tests/test_source_completeness.py); a user's own sources may leave things out, and one without
an authority counts as low.
"""

from __future__ import annotations

import re

from cramp_cli.knowledge.models import NO_ADDRESS, NO_DATE, Source

_YEAR = re.compile(r"^(1[89]|20)[0-9]{2}$")
_ADDRESS = re.compile(r"^https?://\S+$")


def source_gaps(source: Source) -> list[str]:
    """What a source leaves out, in words; empty when it is complete."""
    gaps: list[str] = []
    if not (source.authors or source.publisher):
        gaps.append("no authors or publisher")
    if source.year != NO_DATE and not _YEAR.match(source.year):
        gaps.append(f'year {source.year!r} is neither a year nor "{NO_DATE}"')
    if source.url is None:
        gaps.append(f'no address: give the original address or "{NO_ADDRESS}"')
    elif source.url != NO_ADDRESS and not _ADDRESS.match(source.url):
        gaps.append(f"address {source.url!r} is not a web address")
    if source.copy_url is not None and not _ADDRESS.match(source.copy_url):
        gaps.append(f"copy address {source.copy_url!r} is not a web address")
    if source.authority is None:
        gaps.append("no authority (counts as low)")
    return gaps
