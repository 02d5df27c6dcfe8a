"""Safe, strict YAML reading with line numbers for every mapping key and list entry.

Only the safe loader (libyaml's when present) is used: no tags that build Python objects,
no anchors or aliases (they let a few hundred bytes stand for millions of values), no
duplicate keys (PyYAML would silently keep the last one), and a size cap read before parsing.
Every problem becomes a KnowledgeBaseError naming the file and, where known, the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.i18n.text import N_, _
from cramp_cli.knowledge.layers import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, max_bytes
from cramp_cli.knowledge.lines import LineDict, LineList, clip, locate

__all__ = [
    "DEFAULT_MAX_BYTES",
    "LineDict",
    "LineList",
    "clip",
    "decode",
    "locate",
    "max_bytes",
    "parse",
]

# Far deeper than any knowledge-base file needs (the shipped ones reach 5), far shallower
# than the C stack that libyaml's composer recurses on.
MAX_DEPTH = 100
_NESTING_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_NESTING_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met a second time was reached through an alias.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases are not allowed", node.start_mark
            )
        return super().construct_object(node, deep=deep)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in data
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {clip(repr(key))}", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(child.start_mark.line + 1)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# What a YAML file's top can be instead of a mapping, as the message names it.
_KINDS = {
    "list": N_("list"),
    "str": N_("str"),
    "int": N_("int"),
    "float": N_("float"),
    "bool": N_("bool"),
}


def decode(raw: bytes, name: str, shipped: bool = False) -> str:
    """Check the size and encoding of a file's bytes and return its text. The size limit is
    for files from outside (`shipped` files are cramp's own)."""
    limit = max_bytes()
    if not shipped and len(raw) > limit:
        raise KnowledgeBaseError(
            f"file is {len(raw):,} bytes, over the {limit:,}-byte limit ({MAX_BYTES_ENV})",
            file=name,
        )
    if b"\x00" in raw:
        raise KnowledgeBaseError("binary content, not a YAML text file", file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise KnowledgeBaseError("not valid UTF-8 text", file=name, line=line) from None
    return text.removeprefix("\ufeff")


def _check_depth(text: str, name: str) -> None:
    """Refuse deep nesting before composing: PyYAML < 6.0.4 recurses on the C stack there
    and a few hundred kilobytes of brackets crash the interpreter instead of raising.
    The event stream is flat, so counting depth on it is safe at any depth."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, _NESTING_STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise KnowledgeBaseError(
                    f"invalid YAML: nested more than {MAX_DEPTH} levels deep",
                    file=name,
                    line=mark.line + 1 if mark is not None else None,
                )
        elif isinstance(event, _NESTING_ENDS):
            depth -= 1


def parse(text: str, name: str) -> LineDict:
    """Parse one YAML document that must be a mapping at the top."""
    loader = _StrictLoader(text)
    try:
        _check_depth(text, name)
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = clip(err.problem or err.context or "invalid YAML", 200)
        raise KnowledgeBaseError(
            _("invalid YAML: {problem}").format(problem=problem), file=name, line=line
        ) from None
    except yaml.YAMLError as err:
        message = clip(" ".join(str(err).split()), 200)
        raise KnowledgeBaseError(
            _("invalid YAML: {problem}").format(problem=message), file=name
        ) from None
    except RecursionError:
        raise KnowledgeBaseError("invalid YAML: nested too deeply", file=name) from None
    except ValueError as err:
        # PyYAML lets plain ValueErrors out, unmarked: Python refuses an integer of more than
        # 4,300 digits, and a date such as 2025-02-30 does not exist.
        if "digits" in str(err):
            problem = "a number has more than 4,300 digits"
        else:
            problem = f"a value cannot be read ({clip(' '.join(str(err).split()), 120)})"
        raise KnowledgeBaseError(
            _("invalid YAML: {problem}").format(problem=problem), file=name
        ) from None
    finally:
        loader.dispose()
    if data is None:
        raise KnowledgeBaseError(_("the file is empty; expected a mapping of sections"), file=name)
    if not isinstance(data, LineDict):
        found = type(data).__name__.removeprefix("Line").lower()
        raise KnowledgeBaseError(
            _("expected a mapping of sections at the top, found a {kind}").format(
                kind=_(_KINDS.get(found, found))
            ),
            file=name,
            line=1,
        )
    return data
