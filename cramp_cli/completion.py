"""Shell completion of names from the loaded knowledge base.

Each function runs on every TAB press: it must be quick, print nothing, and return [] on any
error rather than break the user's shell.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cramp_cli.knowledge.kb import KnowledgeBase


def _kb() -> "KnowledgeBase":
    from cramp_cli.knowledge.load import load_kb

    return load_kb()


def _matching(names: Iterable[str], incomplete: str) -> list[str]:
    from cramp_cli.names import normalise_name  # only when a shell asks for completions

    prefix = normalise_name(incomplete) if incomplete.strip() else ""
    return sorted({name for name in names if name.startswith(prefix)})


def _safely(names: "Callable[[KnowledgeBase], Iterable[str]]") -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        try:
            return _matching(names(_kb()), incomplete)
        except Exception:  # never break the shell: a broken KB simply completes nothing
            return []

    return complete


def _muscle_names(kb: "KnowledgeBase") -> list[str]:
    from cramp_cli.names import normalise_name

    return [
        *(muscle.id for muscle in kb.muscles),
        *(normalise_name(alias) for muscle in kb.muscles for alias in muscle.aliases),
        *kb.vague_names(),
    ]


muscles = _safely(_muscle_names)
signs = _safely(lambda kb: (sign.id for sign in kb.signs))
entry_ids = _safely(lambda kb: (entry.id for entry in kb.entries))
source_ids = _safely(lambda kb: (source.id for source in kb.sources))
who_tags = _safely(lambda kb: (tag.id for tag in kb.who_tags))
when_tags = _safely(lambda kb: (tag.id for tag in kb.when_tags))
regions = _safely(
    lambda kb: [name for region in kb.triage.regions for name in (region.id, *region.aliases)]
)
relief_ids = _safely(lambda kb: (item.id for item in kb.relief))
symptom_words = _safely(lambda kb: (symptom.word for symptom in kb.symptoms))


def sides(incomplete: str) -> list[str]:
    from cramp_cli.diary.models import SIDES

    return _matching(SIDES, incomplete)
