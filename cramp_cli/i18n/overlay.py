"""The knowledge base's own text in another language: the rules shared by compiling,
reading and checking a translation (data/i18n/<lang>/<stem>.yaml; see data/i18n/README.md).

A translation carries only the text people read. Everything else (ids, grades, levels,
sources, rules, numbers) always comes from the English entry, which the translated entry is
laid over. Standard library only: the answer path reads translated entries through here.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Final

# The fields people read. Any other field is never translated: it comes from English.
TEXT_FIELDS: Final = frozenset(
    {
        "title",
        "name",
        "summary",
        "details",
        "question",
        "wording",
        "advice",
        "action",
        "note",
        "steps",
        "short_steps",
        "after",
        "hold",
        "article_claim",
        "caution",
        "description",
        "urgent",
        "emergency",
        "differs",
        "points_to",
        "reason",
        "label",
        "cramp_pulls",
        "direction",
        "ask_first",
        "text",
        "safety_net",
    }
)
# The field that names an entry in a list, tried in this order (triage levels have no id).
MATCH_KEYS: Final = ("id", "level", "word")
# The hash of the English text a translated entry was made from.
FROM: Final = "from"
# A text field with no translation shows the English text, after this mark.
MARK: Final = "\uff08英文\uff09"  # full-width brackets around 英文
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

# Chinese characters and CJK/full-width punctuation: a space between two of them is a YAML
# fold (">-" joins lines with a space), never meant.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_FOLD_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def fold(text: str) -> str:
    """`text` without the spaces a folded YAML block put between two CJK characters."""
    return _FOLD_SPACE.sub("", text)


def is_text(key: str, value: Any) -> bool:
    """Whether the English field `key` (holding `value`) is text a translation gives."""
    if key not in TEXT_FIELDS:
        return False
    if isinstance(value, str):
        # A value without a letter ("999", a region's emergency number) has nothing to
        # translate; the default region's emergency text has.
        return any(character.isalpha() for character in value)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def match_key(entry: dict[str, Any]) -> str | None:
    for key in MATCH_KEYS:
        if isinstance(entry.get(key), str):
            return key
    return None


def _unkeyed_entries(value: Any) -> bool:
    """Whether `value` is a list of blocks matched by position (no id)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) for v in value)
        and match_key(value[0]) is None
    )


def keyed_entries(value: Any) -> bool:
    """Whether `value` is a list of entries matched by id (or level, word)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) for v in value)
        and match_key(value[0]) is not None
    )


def text_of(english: dict[str, Any]) -> dict[str, Any]:
    """The English text of an entry, canonical: its text fields, and those of the blocks it
    holds, but not those of nested entries with an id (they carry their own hash)."""
    found: dict[str, Any] = {}
    for key, value in english.items():
        if is_text(key, value) and value != []:  # an empty list has nothing to translate
            found[key] = value
        elif isinstance(value, dict) and match_key(value) is None:
            inner = text_of(value)
            if inner:
                found[key] = inner
        elif _unkeyed_entries(value):
            inner_list = [text_of(item) for item in value]
            if any(inner_list):
                found[key] = inner_list
    return found


def english_hash(english: dict[str, Any]) -> str:
    """The `from` value of a translation made from `english`: the first 12 hex digits of the
    SHA-256 of the JSON of `text_of(english)` (keys sorted, UTF-8, no spaces)."""
    canonical = json.dumps(
        text_of(english), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _marked(value: Any) -> Any:
    if isinstance(value, list):
        return [MARK + item for item in value]
    return MARK + value


def _index(items: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        if isinstance(item, dict):
            key = match_key(item)
            if key is not None:
                found[item[key]] = item
    return found


def laid_over(english: Any, translation: Any) -> Any:
    """The English entry (JSON) with each text field taken from `translation` (the matching
    part of a translation file, or None), or else the English text, marked."""
    if isinstance(english, dict):
        given = translation if isinstance(translation, dict) else {}
        result: dict[str, Any] = {}
        for key, value in english.items():
            if is_text(key, value):
                mine = given.get(key)
                if isinstance(value, list):
                    lines = mine if isinstance(mine, list) and len(mine) == len(value) else []
                    result[key] = [
                        fold(line) if isinstance(line, str) and line else MARK + old
                        for old, line in zip(value, lines or [None] * len(value), strict=True)
                    ]
                else:
                    result[key] = fold(mine) if isinstance(mine, str) and mine else _marked(value)
            else:
                result[key] = laid_over(value, given.get(key))
        return result
    if isinstance(english, list) and english and all(isinstance(v, dict) for v in english):
        given_list = translation if isinstance(translation, list) else []
        if match_key(english[0]) is not None:
            by_key = _index(given_list)
            return [laid_over(item, by_key.get(item[match_key(item) or ""])) for item in english]
        return [
            laid_over(item, given_list[n] if n < len(given_list) else None)
            for n, item in enumerate(english)
        ]
    return english


# Safety text: what a translation must never lack or let go stale (test_zh_overlay).
SAFETY_SECTIONS: Final = frozenset({"signs", "rules", "triage", "treatments"})


def is_safety(section: str, english: dict[str, Any]) -> bool:
    """Whether an entry's text is safety text: every sign, rule wording, the triage (level
    advice, regions, the safety net), every treatment, the medicine causes, and the
    prevention lines that say to ask first (supplements and medicines)."""
    if section in SAFETY_SECTIONS:
        return True
    if section == "causes":
        return english.get("group") == "medicine"
    if section == "prevention":
        return bool(english.get("ask_first"))
    return False
