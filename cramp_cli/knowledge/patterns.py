"""The diary patterns that meet a warning sign: thresholds kept in data/patterns.yml.

The file is read with the knowledge base's safe YAML reader and checked against the loaded
knowledge base: every sign and source must exist there, and a rule on the longest cramp must
agree with the minutes limit of `cramp check` (triage.yaml), so the two never disagree.
With CRAMP_DATA_DIR set, a patterns.yml in that folder is used instead of the shipped one.
"""

from __future__ import annotations

import difflib

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import yaml_io
from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.models import PatternRule, PatternsFile
from cramp_cli.knowledge.validation import ValidationError, as_shape

FILE_NAME = "patterns.yml"


def _read() -> tuple[bytes, str, bool]:
    from cramp_cli.knowledge.layers import data_dir, exists, read_bytes

    folder = data_dir()
    if folder is not None and exists(folder / FILE_NAME):
        path = folder / FILE_NAME
        return read_bytes(path), str(path), False  # a regular file, with the size limit
    from importlib.resources import files

    return (files("cramp_cli.data") / FILE_NAME).read_bytes(), f"data/{FILE_NAME}", True


def load_patterns(kb: KnowledgeBase) -> tuple[PatternRule, ...]:
    """The rules, checked against the knowledge base; problems name the file and line."""
    raw_bytes, name, shipped = _read()
    raw = yaml_io.parse(yaml_io.decode(raw_bytes, name, shipped), name)
    try:
        rules = as_shape(PatternsFile, raw).patterns
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        line, item = yaml_io.locate(raw, loc)
        message = first["msg"]
        if first["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = f"unknown field {loc[-1]!r}"
        elif first["type"] == "missing":
            message = f"missing required field {loc[-1]!r}"
        field = ".".join(str(part) for part in loc)
        raise KnowledgeBaseError(message, file=name, line=line, item=item, field=field) from None
    signs = {sign.id for sign in kb.signs}
    sources = {source.id for source in kb.sources}
    seen: set[str] = set()
    for index, rule in enumerate(rules):

        def fail(message: str, *field: str | int, index: int = index) -> KnowledgeBaseError:
            line, item = yaml_io.locate(raw, ("patterns", index, *field))
            path = ".".join(str(part) for part in ("patterns", index, *field))
            return KnowledgeBaseError(message, file=name, line=line, item=item, field=path)

        if rule.id in seen:
            raise fail(f"duplicate id {rule.id!r}", "id")
        seen.add(rule.id)
        if rule.sign not in signs:
            raise fail(f"unknown sign {rule.sign!r}{_suggest(rule.sign, signs)}", "sign")
        for position, source_id in enumerate(rule.sources):
            if source_id not in sources:
                raise fail(
                    f"unknown source {source_id!r}{_suggest(source_id, sources)}",
                    "sources",
                    position,
                )
        limit = kb.triage.minutes
        same_sign = rule.measure == "longest_minutes" and rule.sign == limit.sign
        if same_sign and rule.more_than != limit.more_than:
            raise fail(
                f"must be more_than: {limit.more_than}, the minutes limit of 'cramp check' "
                "for this sign (triage.yaml)",
                "more_than" if rule.more_than is not None else "at_least",
            )
    return rules


def _suggest(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
