"""What a person types at a yes / no / not-sure question (`cramp check`, `cramp log`).

The same words are understood whatever the language of the run: y, n and ? (and the English
words), and 是, 否, 不确定 with their everyday forms. The text is read with NFKC (so
full-width letters, spaces and ？ typed with a Chinese input method count), case-folded, and
trimmed of spaces and of punctuation around the word ("是。", "不确定！").
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Reply = Literal["yes", "no", "unsure"]

_WORDS: dict[Reply, tuple[str, ...]] = {
    "yes": ("y", "yes", "是", "是的", "是啊", "有", "有的", "对", "对的"),
    "no": ("n", "no", "否", "不是", "没有", "没", "不", "无", "不对"),
    "unsure": (
        "?",
        "not sure",
        "not-sure",
        "unsure",
        "dont know",
        "don't know",
        "maybe",
        "不确定",
        "不知道",
        "不清楚",
        "说不清",
        "不好说",
        "不一定",
        "可能",
        "也许",
    ),
}
REPLIES: dict[str, Reply] = {word: reply for reply, words in _WORDS.items() for word in words}

# Trimmed from both ends of a reply (after NFKC, so full-width forms are folded already).
_AROUND = " \t.,!;:'\"\u3002\uff0c\u3001\uff01\uff1b\uff1a\u201c\u201d\u2018\u2019\u2026~"


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def parse_reply(typed: str) -> Reply | None:
    """The reply that `typed` means, or None when it is none of them."""
    text = " ".join(unicodedata.normalize("NFKC", typed).casefold().split())
    if text in REPLIES:
        return REPLIES[text]
    trimmed = text.strip(_AROUND)
    if trimmed in REPLIES:
        return REPLIES[trimmed]
    # "不 确定", "是 的": spaces between Chinese characters are not part of the answer.
    if any(_is_cjk(char) for char in trimmed):
        squeezed = trimmed.replace(" ", "").rstrip("?")
        return REPLIES.get(squeezed)
    return None
