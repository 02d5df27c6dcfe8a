"""Read the knowledge-base files, validate each one, then check the whole for consistency."""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.knowledge import yaml_io
from cramp_cli.knowledge.kb import KnowledgeBase, Origin, normalise_name
from cramp_cli.knowledge.models import (
    LEVELS,
    Cause,
    Item,
    KnowledgeFile,
    LevelAdvice,
    Lookalike,
    MinutesRule,
    Muscle,
    Prevention,
    Region,
    Relief,
    Rule,
    Sign,
    Source,
    Tag,
    Treatment,
    Triage,
)

SECTIONS = (
    "sources",
    "muscles",
    "causes",
    "relief",
    "prevention",
    "treatments",
    "signs",
    "rules",
    "lookalikes",
)
PLACEHOLDERS = ("{emergency}", "{urgent}")
# Advice graded above "none" must rest on more than the article or a low-authority page.
_NOT_SUPPORT = {"seed-article"}


@dataclass(frozen=True)
class ParsedFile:
    name: str
    raw: yaml_io.LineDict
    content: KnowledgeFile


def builtin_files() -> list[Traversable]:
    """The shipped YAML files, in a stable order."""
    data = files("cramp_cli.data")
    return sorted(
        (entry for entry in data.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )


def _display_name(entry: Traversable) -> str:
    path = Path(str(entry))
    return f"data/{entry.name}" if path.parent.name in {"data"} else str(path)


def read_file(entry: Traversable | Path, name: str | None = None) -> ParsedFile:
    """Read, parse and validate one file against the models."""
    name = name or str(entry)
    if isinstance(entry, Path):
        if not entry.exists():
            raise KnowledgeBaseError("no such file", file=name)
        if entry.is_dir():
            raise KnowledgeBaseError("is a folder, expected a YAML file", file=name)
    try:
        raw_bytes = entry.read_bytes()
    except OSError as err:
        raise KnowledgeBaseError(f"cannot read the file ({err.strerror})", file=name) from None
    raw = yaml_io.parse(yaml_io.decode(raw_bytes, name), name)
    try:
        content = KnowledgeFile.model_validate(raw)
    except ValidationError as err:
        raise _located(err, raw, name) from None
    return ParsedFile(name=name, raw=raw, content=content)


_ALL_FIELDS = sorted(
    {
        name
        for model in (
            Source,
            Tag,
            Muscle,
            Cause,
            Relief,
            Prevention,
            Treatment,
            KnowledgeFile,
            Sign,
            Rule,
            Lookalike,
            Triage,
            LevelAdvice,
            Region,
            MinutesRule,
        )
        for name in model.model_fields
    }
    | {"grade", "note", "who", "when"}
)


def _located(err: ValidationError, raw: yaml_io.LineDict, name: str) -> KnowledgeBaseError:
    first = err.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    line, item_id = yaml_io.locate(raw, loc)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        unknown = str(loc[-1])
        message = f"unknown field {unknown!r}"
        close = difflib.get_close_matches(unknown, _ALL_FIELDS, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    elif first["type"] == "missing":
        message = f"missing required field {loc[-1]!r}"
    elif "input" in first and first["type"] not in {"string_too_long"}:
        message = f"{message} (found {_short(first['input'])})"
    if err.error_count() > 1:
        message += f" [and {err.error_count() - 1} more problem(s) in this file]"
    return KnowledgeBaseError(message, file=name, line=line, item=item_id, field=_path(loc))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _entries(parsed: ParsedFile) -> Iterator[tuple[str, int, Any]]:
    for section in SECTIONS:
        for index, entry in enumerate(getattr(parsed.content, section)):
            yield section, index, entry


class _Checker:
    """Consistency checks across all files; every problem names file, line, item and field."""

    def __init__(self, parsed: list[ParsedFile]) -> None:
        self.parsed = parsed
        self.where: dict[str, tuple[ParsedFile, str, int]] = {}

    def fail(self, message: str, at: tuple[ParsedFile, str, int], *field: int | str) -> None:
        parsed, section, index = at
        loc = (section, index, *field)
        line, item_id = yaml_io.locate(parsed.raw, loc)
        raise KnowledgeBaseError(
            message, file=parsed.name, line=line, item=item_id, field=_path(loc)
        )

    def run(self) -> KnowledgeBase:
        kb = self._merge()
        self._check_tags(kb)
        self._check_sources(kb)
        self._check_muscles(kb)
        self._check_triage(kb)
        return kb

    def _merge(self) -> KnowledgeBase:
        merged: dict[str, list[Any]] = {section: [] for section in SECTIONS}
        who: list[Tag] = []
        when: list[Tag] = []
        origins: dict[str, Origin] = {}
        triage: tuple[ParsedFile, Triage] | None = None
        for parsed in self.parsed:
            if parsed.content.triage is not None:
                if triage is not None:
                    line, _ = yaml_io.locate(parsed.raw, ("triage",))
                    raise KnowledgeBaseError(
                        f"a second 'triage' section (the first is in {triage[0].name})",
                        file=parsed.name,
                        line=line,
                        field="triage",
                    )
                triage = (parsed, parsed.content.triage)
            for section, index, entry in _entries(parsed):
                if entry.id in self.where:
                    other = self.where[entry.id][0]
                    first = origins[entry.id]
                    where = first.file if other is not parsed else "this file"
                    self.fail(
                        f"duplicate id {entry.id!r} (already used at {where}:{first.line})",
                        (parsed, section, index),
                        "id",
                    )
                self.where[entry.id] = (parsed, section, index)
                line, _ = yaml_io.locate(parsed.raw, (section, index))
                origins[entry.id] = Origin(parsed.name, line or 1)
                merged[section].append(entry)
            if parsed.content.tags is not None:
                who.extend(parsed.content.tags.who)
                when.extend(parsed.content.tags.when)
        for vocabulary in (who, when):
            seen: set[str] = set()
            for tag in vocabulary:
                if tag.id in seen:
                    raise KnowledgeBaseError(f"tag {tag.id!r} is defined twice", file="tags")
                seen.add(tag.id)
        if not who:
            raise KnowledgeBaseError(
                "no 'tags' section with the who/when vocabularies", file="data"
            )
        if not merged["muscles"]:
            raise KnowledgeBaseError("no muscles are defined", file="data")
        if triage is None:
            raise KnowledgeBaseError("no 'triage' section (levels, regions)", file="data")
        self.triage_file = triage[0]
        return KnowledgeBase(
            sources=tuple(merged["sources"]),
            who_tags=tuple(who),
            when_tags=tuple(when),
            muscles=tuple(merged["muscles"]),
            causes=tuple(merged["causes"]),
            relief=tuple(merged["relief"]),
            prevention=tuple(merged["prevention"]),
            treatments=tuple(merged["treatments"]),
            signs=tuple(merged["signs"]),
            rules=tuple(merged["rules"]),
            triage=triage[1],
            lookalikes=tuple(merged["lookalikes"]),
            origins=origins,
        )

    def _check_tags(self, kb: KnowledgeBase) -> None:
        vocabularies = {
            "who": {tag.id for tag in kb.who_tags},
            "when": {tag.id for tag in kb.when_tags},
        }
        for item in kb.items:
            for field_name, known in vocabularies.items():
                for position, tag in enumerate(getattr(item, field_name)):
                    if tag not in known:
                        self.fail(
                            f"unknown {field_name} tag {tag!r}{_suggest(tag, known)}",
                            self.where[item.id],
                            field_name,
                            position,
                        )

    def _check_sources(self, kb: KnowledgeBase) -> None:
        sources = {source.id: source for source in kb.sources}
        cited: tuple[Item | Sign | Rule | Lookalike, ...] = (
            *kb.items,
            *kb.signs,
            *kb.rules,
            *kb.lookalikes,
        )
        for entry in cited:
            for position, source_id in enumerate(entry.sources):
                if source_id not in sources:
                    self.fail(
                        f"unknown source {source_id!r}{_suggest(source_id, sources)}",
                        self.where[entry.id],
                        "sources",
                        position,
                    )
        for item in kb.items:
            if item.evidence.grade in {"strong", "moderate", "weak"} and not any(
                not sources[source_id].low_authority and source_id not in _NOT_SUPPORT
                for source_id in item.sources
            ):
                self.fail(
                    f"graded {item.evidence.grade!r} but cites no authoritative source "
                    "(only the article or low-authority pages)",
                    self.where[item.id],
                    "sources",
                )

    def _check_muscles(self, kb: KnowledgeBase) -> None:
        muscle_ids = {muscle.id for muscle in kb.muscles}
        relief_ids = {item.id for item in kb.relief}
        names: dict[str, str] = {}
        for muscle in kb.muscles:
            at = self.where[muscle.id]
            for position, alias in enumerate(muscle.aliases):
                key = normalise_name(alias)
                owner = names.get(key) or (key if key in muscle_ids else None)
                if owner is not None and (owner != muscle.id or key == muscle.id):
                    self.fail(
                        f"alias {alias!r} already names muscle {owner!r}", at, "aliases", position
                    )
                names[key] = muscle.id
            for position, relief_id in enumerate(muscle.relief):
                if relief_id not in relief_ids:
                    self.fail(
                        f"unknown relief item {relief_id!r}{_suggest(relief_id, relief_ids)}",
                        at,
                        "relief",
                        position,
                    )
        for item in kb.relief:
            if item.muscle is not None and item.muscle not in muscle_ids:
                self.fail(
                    f"unknown muscle {item.muscle!r}{_suggest(item.muscle, muscle_ids)}",
                    self.where[item.id],
                    "muscle",
                )

    def _fail_triage(self, message: str, *field: int | str) -> None:
        parsed = self.triage_file
        loc = ("triage", *field)
        line, _ = yaml_io.locate(parsed.raw, loc)
        raise KnowledgeBaseError(message, file=parsed.name, line=line, field=_path(loc))

    def _check_triage(self, kb: KnowledgeBase) -> None:
        signs = {sign.id for sign in kb.signs}
        sources = {source.id for source in kb.sources}
        for rule in kb.rules:
            for field_name in ("all", "any"):
                for position, sign_id in enumerate(getattr(rule, field_name)):
                    if sign_id not in signs:
                        self.fail(
                            f"unknown sign {sign_id!r}{_suggest(sign_id, signs)}",
                            self.where[rule.id],
                            field_name,
                            position,
                        )
        for lookalike in kb.lookalikes:
            for position, sign_id in enumerate(lookalike.signs):
                if sign_id not in signs:
                    self.fail(
                        f"unknown sign {sign_id!r}{_suggest(sign_id, signs)}",
                        self.where[lookalike.id],
                        "signs",
                        position,
                    )
        triage = kb.triage
        if triage.minutes.sign not in signs:
            self._fail_triage(f"unknown sign {triage.minutes.sign!r}", "minutes", "sign")
        levels = [advice.level for advice in triage.levels]
        if sorted(levels, key=LEVELS.index) != list(LEVELS):
            self._fail_triage(f"levels must be exactly {', '.join(LEVELS)}", "levels")
        for position, advice in enumerate(triage.levels):
            for text_field in ("action", "details"):
                text = getattr(advice, text_field)
                for brace in re.findall(r"\{[^}]*\}", text):
                    if brace not in PLACEHOLDERS:
                        self._fail_triage(
                            f"unknown placeholder {brace} (use {' or '.join(PLACEHOLDERS)})",
                            "levels",
                            position,
                            text_field,
                        )
            for index, source_id in enumerate(advice.sources):
                if source_id not in sources:
                    self._fail_triage(
                        f"unknown source {source_id!r}", "levels", position, "sources", index
                    )
        for index, source_id in enumerate(triage.safety_net_sources):
            if source_id not in sources:
                self._fail_triage(f"unknown source {source_id!r}", "safety_net_sources", index)
        region_names: set[str] = set()
        for position, region in enumerate(triage.regions):
            for name in (region.id, *region.aliases):
                if name in region_names:
                    self._fail_triage(f"region name {name!r} is used twice", "regions", position)
                region_names.add(name)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_files(entries: Iterable[tuple[Traversable | Path, str]]) -> KnowledgeBase:
    parsed = [read_file(entry, name) for entry, name in entries]
    return _Checker(parsed).run()


DATA_DIR_ENV = "CRAMP_DATA_DIR"


@functools.cache
def load_builtin() -> KnowledgeBase:
    """The shipped knowledge base, read and checked once per process."""
    return load_files((entry, _display_name(entry)) for entry in builtin_files())


def load_folder(folder: Path) -> KnowledgeBase:
    """Every *.yaml file of a folder, in name order, read as a whole knowledge base."""
    if not folder.is_dir():
        raise KnowledgeBaseError("no such folder", file=str(folder))
    paths = sorted(path for path in folder.iterdir() if path.suffix == ".yaml")
    if not paths:
        raise KnowledgeBaseError("no *.yaml files in this folder", file=str(folder))
    return load_files((path, str(path)) for path in paths)


def load_kb() -> KnowledgeBase:
    """The knowledge base to answer from: the shipped one, or CRAMP_DATA_DIR's instead."""
    folder = os.environ.get(DATA_DIR_ENV)
    return load_folder(Path(folder)) if folder else load_builtin()
