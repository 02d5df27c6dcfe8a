"""Read the knowledge-base files, validate each one, then check the whole for consistency."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from cramp_cli.errors import KnowledgeBaseError
from cramp_cli.i18n.text import _
from cramp_cli.knowledge import content_rules, lines
from cramp_cli.knowledge.floors import gates_change, rule_narrowing, target_level
from cramp_cli.knowledge.kb import KnowledgeBase, Origin, in_memory, level_rank, origin_key
from cramp_cli.knowledge.layers import (
    HAZARD_FILE,
    Layer,
    data_dir,
    exists,
    expand,
    folder_files,
    is_folder,
    read_bytes,
    user_layers,
)
from cramp_cli.knowledge.models import (
    ENTRY_SHAPES,
    LEVELS,
    Cause,
    CodePlace,
    Control,
    DataPlace,
    Edit,
    Hazard,
    HazardLog,
    Item,
    KnowledgeFile,
    LevelAdvice,
    Lookalike,
    Lower,
    MinutesRule,
    Muscle,
    Prevention,
    Region,
    Relief,
    Remove,
    Rule,
    Sign,
    Source,
    Symptom,
    Tag,
    Treatment,
    Triage,
)
from cramp_cli.knowledge.validation import ValidationError, as_shape, field_names
from cramp_cli.names import medicine_key, normalise_name

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


BUILT_IN = "built-in"
USER_LAYERS = ("user", "environment", "flag")


@dataclass(frozen=True)
class ParsedFile:
    name: str
    raw: lines.LineDict
    content: KnowledgeFile
    layer: str = BUILT_IN
    # For a file salvaged by `cramp kb validate`: each section's entries' places in `raw`.
    indices: dict[str, tuple[int, ...]] | None = None

    @property
    def entry_count(self) -> int:
        return sum(len(getattr(self.content, section)) for section in SECTIONS)


def builtin_files() -> list[Traversable]:
    """The shipped knowledge-base files (not the hazard log), in a stable order."""
    data = files("cramp_cli.data")
    return sorted(
        (
            entry
            for entry in data.iterdir()
            if entry.name.endswith(".yaml") and entry.name != HAZARD_FILE
        ),
        key=lambda entry: entry.name,
    )


def _display_name(entry: Traversable) -> str:
    path = Path(str(entry))
    return f"data/{entry.name}" if path.parent.name in {"data"} else str(path)


class KnowledgeBaseProblems(KnowledgeBaseError):
    """Several problems at once; it reads as the first, and carries them all."""

    def __init__(self, problems: list[KnowledgeBaseError]) -> None:
        self.problems = problems
        first = problems[0]
        from cramp_cli.i18n.text import _

        more = ""
        if len(problems) > 1:
            more = _(" [and {count} more problem(s)]").format(count=len(problems) - 1)
        super().__init__(
            first.bare_message + more,
            file=first.file,
            line=first.line,
            item=first.item,
            field=first.field,
        )
        if len(problems) > 1:
            self.hint = _("Run 'cramp kb validate' with the same --kb options to list them all.")


def read_file(
    entry: Traversable | Path,
    name: str | None = None,
    layer: str = BUILT_IN,
    shipped: bool = False,
) -> ParsedFile:
    """Read, parse and validate one file against the models (`shipped`: one of cramp's own
    data files, which the size limit for files from outside does not apply to)."""
    name = name or str(entry)
    raw_bytes = _file_bytes(entry, name, shipped or not isinstance(entry, Path))
    from cramp_cli.knowledge import yaml_io

    raw = yaml_io.parse(yaml_io.decode(raw_bytes, name, shipped), name)
    refused = _refuse_hazards(raw, name, layer)
    try:
        content = as_shape(KnowledgeFile, _without_hazards(raw) if refused else raw)
    except ValidationError as err:
        raise KnowledgeBaseProblems([*refused, *_located_all(err, raw, name)]) from None
    if refused:
        raise KnowledgeBaseProblems(refused)
    return ParsedFile(name=name, raw=raw, content=content, layer=layer)


def _file_bytes(
    entry: Traversable | Path, name: str, shipped: bool, what: str = "the file"
) -> bytes:
    """A file's bytes: one of cramp's own as it is, one from outside (a Path) through
    read_bytes: a regular file, with the size limit, never blocking."""
    if not shipped and isinstance(entry, Path):
        return read_bytes(entry)
    try:
        return entry.read_bytes()
    except OSError as err:
        raise KnowledgeBaseError(f"cannot read {what} ({err.strerror})", file=name) from None


def _refuse_hazards(raw: lines.LineDict, name: str, layer: str) -> list[KnowledgeBaseError]:
    """A user file may not bring a hazard log: only the built-in one says what must hold."""
    if layer == BUILT_IN or "hazards" not in raw:
        return []
    line, _item = lines.locate(raw, ("hazards",))
    return [
        KnowledgeBaseError(
            "a user file cannot have a 'hazards' section: only the built-in knowledge base "
            "keeps the hazard log",
            file=name,
            line=line,
            field="hazards",
        )
    ]


def _without_hazards(raw: lines.LineDict) -> lines.LineDict:
    rest = lines.LineDict()
    rest.line = raw.line
    for key, value in raw.items():
        if key != "hazards":
            rest[key] = value
            rest.key_lines[key] = raw.key_lines.get(key, raw.line)
    return rest


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
            HazardLog,
            Hazard,
            Control,
            DataPlace,
            CodePlace,
            Lower,
            Remove,
            Edit,
        )
        for name in field_names(model)
    }
    | {"grade", "note", "weak_reason", "who", "when"}
)


# Errors whose message says all there is: repeating the input would only add noise.
_NO_INPUT = frozenset({"string_too_long", "weak_reason_missing", "weak_reason_forbidden"})


def _located_all(err: ValidationError, raw: lines.LineDict, name: str) -> list[KnowledgeBaseError]:
    problems = []
    for error in err.errors(include_url=False):
        loc = tuple(error["loc"])
        line, item_id = lines.locate(raw, loc)
        message = error["msg"]
        if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            unknown = str(loc[-1])
            message = _("unknown field {name}").format(name=lines.clip(repr(unknown)))
            close = difflib.get_close_matches(unknown, _ALL_FIELDS, n=1)
            if close:
                message += _(" (did you mean {name}?)").format(name=repr(close[0]))
        elif error["type"] == "missing":
            message = _("missing required field {name}").format(name=repr(loc[-1]))
        elif "input" in error and error["type"] not in _NO_INPUT:
            message = _("{problem} (found {value})").format(
                problem=message, value=_short(error["input"])
            )
        problems.append(
            KnowledgeBaseError(message, file=name, line=line, item=item_id, field=_path(loc))
        )
    return problems


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        name = lines.clip(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _entries(parsed: ParsedFile) -> Iterator[tuple[str, int, Any]]:
    for section in SECTIONS:
        places = (parsed.indices or {}).get(section)
        for index, entry in enumerate(getattr(parsed.content, section)):
            yield section, places[index] if places is not None else index, entry


SECTION_MODELS: dict[str, type[Any]] = {section: ENTRY_SHAPES[section] for section in SECTIONS}


def _salvage(path: Path, name: str, layer: str) -> ParsedFile | None:
    """The entries of a file that failed validation that are valid on their own.

    `cramp kb validate` checks them against the rest, so that one bad entry neither hides
    the other problems of its file nor makes everything it defines look missing.
    """
    try:
        from cramp_cli.knowledge import yaml_io

        raw = yaml_io.parse(yaml_io.decode(read_bytes(path), name), name)
    except KnowledgeBaseError:
        return None
    kept: dict[str, Any] = {}
    indices: dict[str, tuple[int, ...]] = {}
    for key, value in raw.items():
        if key == "hazards":
            continue
        model = SECTION_MODELS.get(key) if isinstance(key, str) else None
        if model is not None and isinstance(value, list):
            places = []
            for index, entry in enumerate(value):
                try:
                    as_shape(model, entry)
                except ValidationError:
                    continue
                places.append(index)
            kept[key] = [value[index] for index in places]
            indices[key] = tuple(places)
        elif key in field_names(KnowledgeFile):
            try:
                as_shape(KnowledgeFile, {key: value})
            except ValidationError:
                continue
            kept[key] = value
    try:
        content = as_shape(KnowledgeFile, kept)
    except ValidationError:
        return None
    return ParsedFile(name=name, raw=raw, content=content, layer=layer, indices=indices)


class _Checker:
    """Merges the files layer by layer, then checks the whole for consistency.

    Every problem names file, line, item and field. Problems are collected, so that
    `cramp kb validate` can report them all; `run()` raises them together.
    """

    def __init__(self, parsed: list[ParsedFile]) -> None:
        self.parsed = parsed
        # Where each entry was read. Look-alikes have their own table: a look-alike may share
        # its id with a warning sign (a condition and the sign that points to it), and with
        # nothing else.
        self.where: dict[str, tuple[ParsedFile, str, int]] = {}
        self.where_lookalikes: dict[str, tuple[ParsedFile, str, int]] = {}
        self.problems: list[KnowledgeBaseError] = []
        # The merged knowledge base, kept even when checks fail (for `cramp kb validate`).
        self.kb: KnowledgeBase | None = None
        # Where each word of `cramp log --with` was defined last, and the words a higher
        # layer mapped again (the old and new mapping, where the new one is).
        self.symptom_at: dict[str, tuple[ParsedFile, int]] = {}
        self.remapped: list[tuple[Symptom, Symptom, ParsedFile, int]] = []

    def _table(self, section: str) -> dict[str, tuple[ParsedFile, str, int]]:
        return self.where_lookalikes if section == "lookalikes" else self.where

    def _at(self, entry: Any) -> tuple[ParsedFile, str, int]:
        """Where an entry was read (a look-alike and a sign may share an id)."""
        return (self.where_lookalikes if isinstance(entry, Lookalike) else self.where)[entry.id]

    def _clash(self, entry_id: str, section: str) -> tuple[ParsedFile, str, int] | None:
        """An entry of the other table that may not share this id: all but a sign."""
        if section == "lookalikes":
            other = self.where.get(entry_id)
            return other if other is not None and other[1] != "signs" else None
        if section != "signs":
            return self.where_lookalikes.get(entry_id)
        return None

    def fail(self, message: str, at: tuple[ParsedFile, str, int], *field: int | str) -> None:
        parsed, section, index = at
        loc = (section, index, *field)
        line, item_id = lines.locate(parsed.raw, loc)
        self.problems.append(
            KnowledgeBaseError(message, file=parsed.name, line=line, item=item_id, field=_path(loc))
        )

    def _fail_at(self, parsed: ParsedFile, message: str, *loc: int | str) -> None:
        line, item_id = lines.locate(parsed.raw, loc)
        self.problems.append(
            KnowledgeBaseError(message, file=parsed.name, line=line, item=item_id, field=_path(loc))
        )

    def run(self) -> KnowledgeBase:
        kb = self._merge()
        self.kb = kb
        self._check_content()
        self._check_tags(kb)
        self._check_sources(kb)
        self._check_muscles(kb)
        self._check_triage(kb)
        self._check_gates(kb)
        self._check_symptoms(kb)
        self._check_medicine_names(kb)
        if self.problems:
            raise KnowledgeBaseProblems(self.problems)
        return kb

    def _replace(self, old: Any, new: Any, section: str, at: tuple[ParsedFile, str, int]) -> bool:
        """Whether a user file may override `old` with `new`; records why not."""
        old_section = self._at(old)[1]
        if old_section != section:
            self.fail(
                f"override of {old.id!r} must stay in section {old_section!r}", at, "override"
            )
            return False
        if section == "signs":
            if level_rank(new.level) > level_rank(old.level):
                self.fail(
                    f"a user file cannot lower warning sign {old.id!r} from {old.level!r} "
                    f"to {new.level!r}",
                    at,
                    "level",
                )
                return False
            gates = gates_change(old, new)
            if gates is not None:
                message, position = gates
                self.fail(
                    f"an override may keep the gates of warning sign {old.id!r} or drop them "
                    f"all, {message}",
                    at,
                    "ask_if",
                    *position,
                )
                return False
        if section == "rules":
            if level_rank(new.level) > level_rank(old.level):
                self.fail(
                    f"a user file cannot lower rule {old.id!r} from {old.level!r} to {new.level!r}",
                    at,
                    "level",
                )
                return False
            narrowed = rule_narrowing(old, new)
            if narrowed is not None:
                message, field_name = narrowed
                self.fail(
                    f"an override can only widen rule {old.id!r}: it must still fire for every "
                    f"set of signs it fired for, so it {message}",
                    at,
                    field_name,
                )
                return False
        return True

    def _merge(self) -> KnowledgeBase:
        merged: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
        who: dict[str, Tag] = {}
        when: dict[str, Tag] = {}
        origins: dict[str, Origin] = {}
        triage: tuple[ParsedFile, Triage] | None = None
        to_disable: list[tuple[ParsedFile, int, str]] = []
        symptoms: dict[str, Symptom] = {}
        for parsed in self.parsed:
            user = parsed.layer != BUILT_IN
            for index, symptom in enumerate(parsed.content.symptoms):
                self._merge_symptom(symptoms, parsed, index, symptom)
            if parsed.content.triage is not None:
                if user:
                    self._fail_at(
                        parsed,
                        "a user file cannot change the triage levels, regions or safety net",
                        "triage",
                    )
                elif triage is not None:
                    self._fail_at(
                        parsed,
                        f"a second 'triage' section (the first is in {triage[0].name})",
                        "triage",
                    )
                else:
                    triage = (parsed, parsed.content.triage)
            for section, index, entry in _entries(parsed):
                at = (parsed, section, index)
                line, _item = lines.locate(parsed.raw, (section, index))
                origin = Origin(parsed.name, line or 1, parsed.layer)
                table = self._table(section)
                key = origin_key(entry)
                clash = self._clash(entry.id, section)
                if clash is not None:
                    first = origins[origin_key(merged[clash[1]][entry.id])]
                    where = first.file if clash[0] is not parsed else "this file"
                    message = (
                        f"override of {entry.id!r} must stay in section {clash[1]!r}"
                        if entry.override
                        else f"duplicate id {entry.id!r} (already used at {where}:{first.line})"
                    )
                    self.fail(message, at, "override" if entry.override else "id")
                    continue
                if entry.id in table:
                    old = merged[table[entry.id][1]].get(entry.id)
                    first = origins[key]
                    if not entry.override or old is None:
                        where = first.file if table[entry.id][0] is not parsed else "this file"
                        hint = " (add 'override: true' to replace it)" if user else ""
                        self.fail(
                            f"duplicate id {entry.id!r} (already used at {where}:{first.line})"
                            + hint,
                            at,
                            "id",
                        )
                        continue
                    if not self._replace(old, entry, section, at):
                        continue
                    origin = Origin(
                        origin.file, origin.line, origin.layer, (first, *first.overrides)
                    )
                elif entry.override:
                    self.fail(
                        f"'override: true', but no entry {entry.id!r} exists to override",
                        at,
                        "override",
                    )
                    continue
                table[entry.id] = at
                origins[key] = origin
                merged[section][entry.id] = entry
            if parsed.content.tags is not None:
                for field_name, vocabulary in (("who", who), ("when", when)):
                    for index, tag in enumerate(getattr(parsed.content.tags, field_name)):
                        if tag.id in vocabulary:
                            self._fail_at(
                                parsed,
                                f"{field_name} tag {tag.id!r} is defined twice",
                                "tags",
                                field_name,
                                index,
                            )
                        vocabulary[tag.id] = tag
            to_disable.extend(
                (parsed, index, entry_id) for index, entry_id in enumerate(parsed.content.disabled)
            )
        disabled = self._disable(to_disable, merged)
        if not who:
            raise KnowledgeBaseError(
                "no 'tags' section with the who/when vocabularies", file="data"
            )
        if not merged["muscles"]:
            raise KnowledgeBaseError("no muscles are defined", file="data")
        if triage is None:
            raise KnowledgeBaseError("no 'triage' section (levels, regions)", file="data")
        self.triage_file = triage[0]
        return in_memory(
            sources=tuple(merged["sources"].values()),
            who_tags=tuple(who.values()),
            when_tags=tuple(when.values()),
            muscles=tuple(merged["muscles"].values()),
            causes=tuple(merged["causes"].values()),
            relief=tuple(merged["relief"].values()),
            prevention=tuple(merged["prevention"].values()),
            treatments=tuple(merged["treatments"].values()),
            signs=tuple(merged["signs"].values()),
            rules=tuple(merged["rules"].values()),
            triage=triage[1],
            lookalikes=tuple(merged["lookalikes"].values()),
            symptoms=tuple(symptoms.values()),
            origins=origins,
            disabled=disabled,
            files=tuple((parsed.layer, parsed.name, parsed.entry_count) for parsed in self.parsed),
        )

    def _merge_symptom(
        self, symptoms: dict[str, Symptom], parsed: ParsedFile, index: int, symptom: Symptom
    ) -> None:
        """A word of `cramp log --with`. A higher layer may map a word again, but never to
        something less urgent (checked with the signs, in _check_symptoms); the same layer
        may not define a word twice."""
        earlier = self.symptom_at.get(symptom.word)
        if earlier is not None and earlier[0].layer == parsed.layer:
            line, _item = lines.locate(earlier[0].raw, ("symptoms", earlier[1]))
            where = earlier[0].name if earlier[0] is not parsed else "this file"
            self._fail_at(
                parsed,
                f"the word {symptom.word!r} is defined twice (already at {where}:{line or 1})",
                "symptoms",
                index,
                "word",
            )
            return
        if earlier is not None:
            self.remapped.append((symptoms[symptom.word], symptom, parsed, index))
        self.symptom_at[symptom.word] = (parsed, index)
        symptoms.pop(symptom.word, None)  # a word mapped again moves to the end
        symptoms[symptom.word] = symptom

    def _check_symptoms(self, kb: KnowledgeBase) -> None:
        """Each word maps to an existing sign or look-alike; a word a lower layer defined is
        never mapped to something less urgent (a warning is never weakened)."""
        signs = {sign.id for sign in kb.signs}
        lookalikes = {item.id for item in kb.lookalikes}
        for symptom in kb.symptoms:
            parsed, index = self.symptom_at[symptom.word]
            if symptom.sign is not None and symptom.sign not in signs:
                self._fail_at(
                    parsed,
                    f"unknown sign {symptom.sign!r}{_suggest(symptom.sign, signs)}",
                    "symptoms",
                    index,
                    "sign",
                )
            if symptom.lookalike is not None and symptom.lookalike not in lookalikes:
                self._fail_at(
                    parsed,
                    f"unknown look-alike {symptom.lookalike!r}"
                    f"{_suggest(symptom.lookalike, lookalikes)}",
                    "symptoms",
                    index,
                    "lookalike",
                )
        for old, new, parsed, index in self.remapped:
            before, after = target_level(kb, old), target_level(kb, new)
            if before is None or after is None:
                continue  # an unknown target: reported above
            if level_rank(after) > level_rank(before):
                target = old.sign or old.lookalike
                self._fail_at(
                    parsed,
                    f"the word {old.word!r} means {target!r} ({before}); a user file cannot "
                    f"map it to something less urgent ({after})",
                    "symptoms",
                    index,
                    "sign" if new.sign is not None else "lookalike",
                )

    def _disable(
        self, to_disable: list[tuple[ParsedFile, int, str]], merged: dict[str, dict[str, Any]]
    ) -> dict[str, Origin]:
        disabled: dict[str, Origin] = {}
        for parsed, index, entry_id in to_disable:
            line, _item = lines.locate(parsed.raw, ("disabled", index))
            found = self.where.get(entry_id) or self.where_lookalikes.get(entry_id)
            if found is None:
                known = {**self.where, **self.where_lookalikes}
                self._fail_at(
                    parsed,
                    f"cannot disable {entry_id!r}: no such entry{_suggest(entry_id, known)}",
                    "disabled",
                    index,
                )
                continue
            # An id that a sign shares with a look-alike names the sign, which stays.
            section = found[1]
            if section in ("signs", "rules"):
                self._fail_at(
                    parsed,
                    f"warning signs and combination rules cannot be disabled ({entry_id!r})",
                    "disabled",
                    index,
                )
                continue
            merged[section].pop(entry_id, None)
            disabled[entry_id] = Origin(parsed.name, line or 1, parsed.layer)
        return disabled

    def _check_content(self) -> None:
        """The safety rules for the wording (content_rules), over every file of every layer:
        the built-in files too, so that the shipped knowledge base shows they hold."""
        for parsed in self.parsed:
            for section, index, entry in _entries(parsed):
                for breach in content_rules.check_entry(section, entry):
                    self.fail(breach.message, (parsed, section, index), *breach.field)
        triage = self.triage_file.content.triage
        if triage is not None:
            for breach in content_rules.check_triage(triage):
                self._fail_triage(breach.message, *breach.field)

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
                            self._at(item),
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
                        _("unknown source {name}").format(name=repr(source_id))
                        + _suggest(source_id, sources),
                        self._at(entry),
                        "sources",
                        position,
                    )
        for item in kb.items:
            if any(source_id not in sources for source_id in item.sources):
                continue  # reported above; whether the rest is authoritative is moot
            if item.evidence.grade in {"strong", "moderate", "weak"} and not any(
                not sources[source_id].low_authority and source_id not in _NOT_SUPPORT
                for source_id in item.sources
            ):
                self.fail(
                    f"graded {item.evidence.grade!r} but cites no authoritative source "
                    "(only the article or low-authority pages)",
                    self._at(item),
                    "sources",
                )

    def _check_medicine_names(self, kb: KnowledgeBase) -> None:
        """A class's names cite a known source, and no name belongs to two classes of one
        layer (a name is matched case-insensitively, as `cramp meds add` reads it). Across
        layers the lower one's class wins, as `answers.medicine_class` takes the first."""
        sources = {source.id for source in kb.sources}
        owners: dict[tuple[str, str], str] = {}
        for cause in kb.causes:
            at = self._at(cause)
            if cause.names_source is not None and cause.names_source not in sources:
                self.fail(
                    _("unknown source {name}").format(name=repr(cause.names_source))
                    + _suggest(cause.names_source, sources),
                    at,
                    "names_source",
                )
            for position, name in enumerate(cause.names):
                key = (at[0].layer, medicine_key(name))
                owner = owners.setdefault(key, cause.id)
                if owner != cause.id:
                    self.fail(f"the name {name!r} is already in {owner!r}", at, "names", position)

    def _check_muscles(self, kb: KnowledgeBase) -> None:
        muscle_ids = {muscle.id for muscle in kb.muscles}
        relief_ids = {item.id for item in kb.relief}
        names: dict[str, str] = {}
        for muscle in kb.muscles:
            at = self._at(muscle)
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
        self._check_vague_names(kb, {**{key: key for key in muscle_ids}, **names})
        self._check_relief_words(kb)
        for item in kb.relief:
            if item.muscle is not None and item.muscle not in muscle_ids:
                self.fail(
                    f"unknown muscle {item.muscle!r}{_suggest(item.muscle, muscle_ids)}",
                    self._at(item),
                    "muscle",
                )

    def _check_relief_words(self, kb: KnowledgeBase) -> None:
        """A word for `log --relief` has letters or digits and is no other item's id. Two
        items may share a word (a user's copy of a stretch): the first in the knowledge base,
        the logged muscle's before the general ones, is the one it means."""
        ids = {item.id for item in kb.relief}
        for item in kb.relief:
            for position, word in enumerate(item.words):
                key = normalise_name(word)
                if not key:
                    self.fail(
                        f"{word!r} has no letters or digits", self._at(item), "words", position
                    )
                elif key in ids and key != item.id:
                    self.fail(
                        f"{word!r} is the id of relief item {key!r}",
                        self._at(item),
                        "words",
                        position,
                    )

    def _check_vague_names(self, kb: KnowledgeBase, names: dict[str, str]) -> None:
        """A vague or shared name is no muscle's id or alias; a vague one (`assumed_from`)
        means one muscle only, and is nobody's shared name, so each word reads one way."""
        assumed: dict[str, str] = {}
        shared: dict[str, str] = {}
        # The shipped names first: a clash is reported at the user's entry.
        for muscle in sorted(kb.muscles, key=lambda muscle: self._at(muscle)[0].layer != BUILT_IN):
            for field_name, own, other in (
                ("assumed_from", assumed, shared),
                ("shared_names", shared, assumed),
            ):
                for position, name in enumerate(getattr(muscle, field_name)):
                    key = normalise_name(name)
                    problem = None
                    if not key:
                        problem = f"{name!r} has no letters or digits"
                    elif key in names:
                        problem = f"{name!r} is already a name of muscle {names[key]!r}"
                    elif key in other:
                        where = "shared by" if other is shared else "assumed to mean"
                        problem = f"{name!r} is also {where} muscle {other[key]!r}"
                    elif field_name == "assumed_from" and own.get(key, muscle.id) != muscle.id:
                        problem = f"{name!r} is already assumed to mean muscle {own[key]!r}"
                    if problem is not None:
                        self.fail(problem, self._at(muscle), field_name, position)
                        continue
                    own.setdefault(key, muscle.id)

    def _check_gates(self, kb: KnowledgeBase) -> None:
        """Every gate in `ask_if` is another existing sign, and no gates go round in a circle.

        A question is asked only after one of its gates was answered yes, so a sign gated by
        itself, by an unknown sign or by a circle of gates would never be asked.
        """
        signs = {sign.id: sign for sign in kb.signs}
        gates: dict[str, tuple[str, ...]] = {}
        for sign in kb.signs:
            known = []
            for position, gate in enumerate(sign.ask_if):
                if gate == sign.id:
                    self.fail(
                        f"warning sign {sign.id!r} cannot be its own gate: its question would "
                        "never be asked",
                        self.where[sign.id],
                        "ask_if",
                        position,
                    )
                elif gate not in signs:
                    self.fail(
                        f"unknown sign {gate!r} in 'ask_if'{_suggest(gate, signs)}",
                        self.where[sign.id],
                        "ask_if",
                        position,
                    )
                else:
                    known.append(gate)
            gates[sign.id] = tuple(known)
        for cycle in _cycles(gates):
            first, second = cycle[0], cycle[1]
            self.fail(
                f"gates go round in a circle ({' -> '.join((*cycle, first))}): none of these "
                "questions would ever be asked",
                self.where[first],
                "ask_if",
                signs[first].ask_if.index(second),
            )

    def _fail_triage(self, message: str, *field: int | str) -> None:
        self._fail_at(self.triage_file, message, "triage", *field)

    def _check_triage(self, kb: KnowledgeBase) -> None:
        signs = {sign.id for sign in kb.signs}
        sources = {source.id for source in kb.sources}
        for rule in kb.rules:
            for field_name in ("all", "any"):
                for position, sign_id in enumerate(getattr(rule, field_name)):
                    if sign_id not in signs:
                        self.fail(
                            f"unknown sign {sign_id!r}{_suggest(sign_id, signs)}",
                            self._at(rule),
                            field_name,
                            position,
                        )
        for lookalike in kb.lookalikes:
            for position, sign_id in enumerate(lookalike.signs):
                if sign_id not in signs:
                    self.fail(
                        f"unknown sign {sign_id!r}{_suggest(sign_id, signs)}",
                        self._at(lookalike),
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
                        _("unknown source {name}").format(name=repr(source_id)),
                        "levels",
                        position,
                        "sources",
                        index,
                    )
        for index, source_id in enumerate(triage.safety_net_sources):
            if source_id not in sources:
                self._fail_triage(
                    _("unknown source {name}").format(name=repr(source_id)),
                    "safety_net_sources",
                    index,
                )
        for position, question in enumerate(triage.doctor_questions):
            for index, source_id in enumerate(question.sources):
                if source_id not in sources:
                    self._fail_triage(
                        _("unknown source {name}").format(name=repr(source_id)),
                        "doctor_questions",
                        position,
                        "sources",
                        index,
                    )
        region_names: set[str] = set()
        for position, region in enumerate(triage.regions):
            for index, source_id in enumerate(region.sources):
                if source_id not in sources:
                    self._fail_triage(
                        _("unknown source {name}").format(name=repr(source_id)),
                        "regions",
                        position,
                        "sources",
                        index,
                    )
            for name in (region.id, *region.aliases):
                if name in region_names:
                    self._fail_triage(f"region name {name!r} is used twice", "regions", position)
                region_names.add(name)


def _cycles(edges: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """One cycle for each set of nodes that lead back to themselves, each starting at its
    first node in `edges` order."""
    order = {node: index for index, node in enumerate(edges)}
    done: set[str] = set()
    found: list[tuple[str, ...]] = []
    for start in edges:
        if start in done:
            continue
        path: list[str] = []
        on_path: dict[str, int] = {}
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        path.append(start)
        on_path[start] = 0
        while stack:
            node, following = stack[-1]
            step = next(following, None)
            if step is None:
                stack.pop()
                path.pop()
                del on_path[node]
                done.add(node)
            elif step in on_path:
                cycle = path[on_path[step] :]
                turn = min(range(len(cycle)), key=lambda index: order[cycle[index]])
                rotated = (*cycle[turn:], *cycle[:turn])
                if rotated not in found:
                    found.append(rotated)
            elif step not in done:
                on_path[step] = len(path)
                path.append(step)
                stack.append((step, iter(edges[step])))
    return found


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return _(" (did you mean {name}?)").format(name=repr(close[0])) if close else ""


def load_files(entries: Iterable[tuple[Traversable | Path, str]]) -> KnowledgeBase:
    parsed = [read_file(entry, name) for entry, name in entries]
    return _Checker(parsed).run()


@functools.cache
def _builtin_parsed() -> tuple[ParsedFile, ...]:
    return tuple(read_file(entry, _display_name(entry), shipped=True) for entry in builtin_files())


@functools.cache
def load_builtin() -> KnowledgeBase:
    """The shipped knowledge base, read from YAML and checked, once per process."""
    return with_patterns(_Checker(list(_builtin_parsed())).run())


def with_patterns(kb: KnowledgeBase) -> KnowledgeBase:
    """The knowledge base with the diary patterns (data/patterns.yml) checked against it,
    and the names and glossary of the other languages (data/i18n/)."""
    from cramp_cli.knowledge.glossary import load_glossary, load_names
    from cramp_cli.knowledge.kb import MemorySections
    from cramp_cli.knowledge.patterns import load_patterns

    sections = kb._sections
    assert isinstance(sections, MemorySections)
    sections.content["patterns"] = load_patterns(kb)
    sections.content["names"] = load_names(kb)
    sections.content["glossary"] = load_glossary()
    sections.translated = lambda: search_translations(kb)
    return kb


def search_translations(kb: KnowledgeBase) -> Any:
    """What search indexes of the translated entries (search_index.Translations): the
    translation overlay's entries compiled into the built-in snapshot, for the entries of
    `kb` it holds word for word, as the answers show them (snapshot.built_in_translations)."""
    from cramp_cli.knowledge.search_index import translations_from
    from cramp_cli.knowledge.snapshot import built_in_translations

    return translations_from(built_in_translations(kb))


def load_folder(folder: Path) -> KnowledgeBase:
    """Every *.yaml file of a folder, in name order, read as a whole knowledge base."""
    if not is_folder(folder):
        raise KnowledgeBaseError("no such folder", file=str(folder))
    paths = [
        path for path in folder_files(folder) if path.suffix == ".yaml" and path.name != HAZARD_FILE
    ]
    if not paths:
        raise KnowledgeBaseError("no *.yaml files in this folder", file=str(folder))
    return load_files((path, str(path)) for path in paths)


def _base_parsed() -> list[ParsedFile]:
    path = data_dir()
    if path is None:
        return list(_builtin_parsed())
    folder = str(path)
    if not is_folder(path):
        raise KnowledgeBaseError("no such folder", file=folder)
    files_found = [
        file for file in folder_files(path) if file.suffix == ".yaml" and file.name != HAZARD_FILE
    ]
    if not files_found:
        raise KnowledgeBaseError("no *.yaml files in this folder", file=folder)
    return [read_file(file, str(file)) for file in files_found]


def parse_layers(layers: Iterable[Layer]) -> list[ParsedFile]:
    return [
        read_file(file, str(file), layer.name)
        for layer in layers
        for path in layer.paths
        for file in expand(path)
    ]


def load_in_memory(files: Iterable[tuple[str, Path]]) -> KnowledgeBase:
    """The base knowledge base (built-in, or CRAMP_DATA_DIR's) with the user's files on top,
    each `(layer, path)`, read from YAML and checked in full, with the diary patterns."""
    extra = [read_file(file, str(file), layer) for layer, file in files]
    if not extra and data_dir() is None:
        return load_builtin()
    return with_patterns(_Checker([*_base_parsed(), *extra]).run())


def validate(
    paths: Iterable[Path], flag_paths: Iterable[Path] = ()
) -> tuple[int, list[KnowledgeBaseError]]:
    """Every problem in the knowledge base as loaded, plus `paths` on top: (files, problems)."""
    problems: list[KnowledgeBaseError] = []
    parsed: list[ParsedFile] = []
    layers = [*user_layers(flag_paths), Layer("validate", tuple(paths), "command line")]
    files_seen = 0
    try:
        parsed.extend(_base_parsed())
    except KnowledgeBaseProblems as err:
        problems.extend(err.problems)
    except KnowledgeBaseError as err:
        problems.append(err)
    for layer in layers:
        for path in layer.paths:
            try:
                found = expand(path)
            except KnowledgeBaseError as err:
                problems.append(err)
                continue
            for file in found:
                files_seen += 1
                try:
                    parsed.append(read_file(file, str(file), layer.name))
                except KnowledgeBaseProblems as err:
                    problems.extend(err.problems)
                    salvaged = _salvage(file, str(file), layer.name)
                    if salvaged is not None:
                        parsed.append(salvaged)
                except KnowledgeBaseError as err:
                    problems.append(err)
    checker = _Checker(parsed)
    try:
        checker.run()
    except KnowledgeBaseProblems as err:
        problems.extend(err.problems)
    except KnowledgeBaseError as err:
        problems.append(err)
    try:
        hazards = read_hazards()
    except KnowledgeBaseProblems as err:
        problems.extend(err.problems)
    except KnowledgeBaseError as err:
        problems.append(err)
    else:
        if checker.kb is not None:
            problems.extend(check_hazards(checker.kb, hazards))
    return files_seen + len(builtin_files()), problems


# ---------------------------------------------------------------- the hazard log


@dataclass(frozen=True)
class HazardFile:
    name: str
    raw: lines.LineDict
    log: HazardLog


def hazard_path() -> tuple[Traversable | Path, str]:
    """CRAMP_DATA_DIR's hazards.yaml if it has one, else the built-in hazard log.

    A replacement knowledge base without its own log must still keep the built-in controls.
    """
    folder = data_dir()
    if folder is not None:
        path = folder / HAZARD_FILE
        if exists(path):  # read (and refused if it is not a regular file) by read_hazards
            return path, str(path)
    entry = files("cramp_cli.data") / HAZARD_FILE
    return entry, _display_name(entry)


def read_hazards(entry: Traversable | Path | None = None, name: str | None = None) -> HazardFile:
    """Read and validate the hazard log (hazards.yaml)."""
    if entry is None:
        entry, name = hazard_path()
    name = name or str(entry)
    outside = isinstance(entry, Path) and entry.parent != Path(str(files("cramp_cli.data")))
    raw_bytes = _file_bytes(entry, name, shipped=not outside, what="the hazard log")
    from cramp_cli.knowledge import yaml_io

    raw = yaml_io.parse(yaml_io.decode(raw_bytes, name), name)
    try:
        log = as_shape(HazardLog, raw)
    except ValidationError as err:
        raise KnowledgeBaseProblems(_located_all(err, raw, name)) from None
    return HazardFile(name=name, raw=raw, log=log)


def check_hazards(kb: KnowledgeBase, hazards: HazardFile) -> list[KnowledgeBaseError]:
    """Hazards without controls, controls without tests, and data controls that are off:
    their entry is missing from `kb`, or already at or below the level disabling lowers it to.
    """
    problems: list[KnowledgeBaseError] = []

    def fail(message: str, *loc: int | str) -> None:
        line, item_id = lines.locate(hazards.raw, loc)
        problems.append(
            KnowledgeBaseError(
                message, file=hazards.name, line=line, item=item_id, field=_path(loc)
            )
        )

    seen: set[str] = set()
    for h_index, hazard in enumerate(hazards.log.hazards):
        at: tuple[int | str, ...] = ("hazards", h_index)
        if hazard.id in seen:
            fail(f"duplicate hazard id {hazard.id!r}", *at, "id")
        seen.add(hazard.id)
        if not hazard.controls:
            fail(
                f"hazard {hazard.id!r} has no controls: name at least one, with its tests",
                *at,
                "controls",
            )
        for c_index, control in enumerate(hazard.controls):
            place = (*at, "controls", c_index)
            if not control.tests:
                fail(
                    f"hazard {hazard.id!r}: a control names no tests that prove it works",
                    *place,
                    "tests",
                )
            for problem, field in _control_problems(kb, control):
                fail(f"hazard {hazard.id!r}: {problem}", *place, field)
    return problems


def _control_problems(kb: KnowledgeBase, control: Control) -> Iterator[tuple[str, str]]:
    where, disable = control.where, control.disable
    if isinstance(where, CodePlace):
        if not isinstance(disable, Edit):
            yield "a code control is disabled by a text edit {file, find, replace}", "disable"
        return
    if isinstance(disable, Lower | Remove):
        target = disable.lower if isinstance(disable, Lower) else disable.remove
        if target != where.entry:
            yield f"the control is {where.entry!r} but disabling names {target!r}", "disable"
    entry = kb.entry(where.entry)
    if entry is None:
        yield (
            f"its control {where.entry!r} ({where.data}) is missing from the knowledge base",
            "where",
        )
        return
    if isinstance(disable, Lower):
        if not isinstance(entry, Sign | Rule):
            yield f"{where.entry!r} has no level to lower", "disable"
        elif level_rank(entry.level) >= level_rank(disable.to):
            what = "warning sign" if isinstance(entry, Sign) else "rule"
            yield (
                f"its control is off: {what} {entry.id!r} is {entry.level!r}, "
                f"not above {disable.to!r}",
                "where",
            )
