"""The fields of an entry as label and text, for the views of `cramp show`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cramp_cli.i18n.text import N_, _

# Every view shows these in its own way (heading, evidence line, steps, sources table).
SHOWN_APART = frozenset({"id", "title", "name", "evidence", "sources", "steps", "short_steps"})


# Labels that the plain `Name` form would get wrong.
LABELS = {"doi": "DOI", "pmid": "PMID", "copy_url": N_("Read in a copy")}
NO_AUTHORITY = N_("low (not given)")
# The labels `cramp show` and `cramp sources ID` give fields (model field names, spaced and
# capitalised), marked here for the catalogue; a label not listed is shown as it is.
FIELD_LABELS = (
    N_("Authority"),
    N_("Authors"),
    N_("Who can help"),
    N_("Summary"),
    N_("Details"),
    N_("Group"),
    N_("Who"),
    N_("When"),
    N_("Hold"),
    N_("Direction"),
    N_("Ask first"),
    N_("Article claim"),
    N_("Override"),
    N_("Names"),
    N_("Names source"),
    N_("Question"),
    N_("Wording"),
    N_("Advice"),
    N_("Level"),
    N_("Note"),
    N_("Ask if"),
    N_("Differs"),
    N_("Points to"),
    N_("Signs"),
    N_("Description"),
    N_("Cramp pulls"),
    N_("Aliases"),
    N_("Kind"),
    N_("Publisher"),
    N_("Year"),
    N_("Url"),
    N_("Authority level"),
    N_("Copy url"),
    N_("Short steps"),
    N_("After"),
    N_("Caution"),
    N_("Prescription"),
)


def labelled(label: str, text: str = "") -> str:
    """'Label: text' ('Label:' without text); after Chinese words a full-width colon, with
    no space after it."""
    colon = _(":")
    if colon == ":":
        return f"{label}: {text}" if text else f"{label}:"
    return f"{label}{colon}{text}"


def no_authority() -> str:
    """'low (not given)' in the language of the run."""
    return _(NO_AUTHORITY)


def source_details(source: Any) -> list[tuple[str, str]]:
    """A source's authority, authors and identifiers, as label and text; a source that gives
    no authority (a user's own) counts as low, and says so."""
    details = [(_("Authority"), source.authority or no_authority())]
    for name in ("authors", "doi", "pmid", "copy_url"):
        value = getattr(source, name)
        if value:
            details.append((_(LABELS.get(name, name.capitalize())), str(value)))
    return details


def entry_fields(entry: Any, also_apart: Iterable[str] = ()) -> list[tuple[str, str]]:
    """("Who", "everyone, pregnancy") for each filled field not shown apart, in model order."""
    apart = SHOWN_APART | set(also_apart)
    fields = []
    for name, value in entry.model_dump().items():
        if name == "authority" and value is None and "authority_level" in dir(entry):
            value = no_authority()
        if name == "prescription" and isinstance(value, bool):
            # Not "Prescription: True": who can help, as `cramp prevent` says it.
            from cramp_cli.wording import who_can_help

            fields.append((_("Who can help"), who_can_help(value, entry.who)))
            continue
        if name in apart or value in (None, (), [], ""):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        fields.append((_(LABELS.get(name, name.replace("_", " ").capitalize())), shown))
    return fields
