"""The fields of an entry as label and text, for the views of `cramp show`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Every view shows these in its own way (heading, evidence line, steps, sources table).
SHOWN_APART = frozenset({"id", "title", "name", "evidence", "sources", "steps", "short_steps"})


# Labels that the plain `Name` form would get wrong.
LABELS = {"doi": "DOI", "pmid": "PMID", "copy_url": "Read in a copy"}
NO_AUTHORITY = "low (not given)"


def source_details(source: Any) -> list[tuple[str, str]]:
    """A source's authority, authors and identifiers, as label and text; a source that gives
    no authority (a user's own) counts as low, and says so."""
    details = [("Authority", source.authority or NO_AUTHORITY)]
    for name in ("authors", "doi", "pmid", "copy_url"):
        value = getattr(source, name)
        if value:
            details.append((LABELS.get(name, name.capitalize()), str(value)))
    return details


def entry_fields(entry: Any, also_apart: Iterable[str] = ()) -> list[tuple[str, str]]:
    """("Who", "everyone, pregnancy") for each filled field not shown apart, in model order."""
    apart = SHOWN_APART | set(also_apart)
    fields = []
    for name, value in entry.model_dump().items():
        if name == "authority" and value is None and "authority_level" in dir(entry):
            value = NO_AUTHORITY
        if name == "prescription" and isinstance(value, bool):
            # Not "Prescription: True": who can help, as `cramp prevent` says it.
            from cramp_cli.wording import who_can_help

            fields.append(("Who can help", who_can_help(value, entry.who)))
            continue
        if name in apart or value in (None, (), [], ""):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        fields.append((LABELS.get(name, name.replace("_", " ").capitalize()), shown))
    return fields
