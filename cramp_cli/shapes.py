"""How cramp declares a shape once, for the fast path and for validation alike.

A shape is a subclass of Shape: frozen, built with keyword arguments, its fields declared as
annotations. The answer path builds and reads them with the standard library only. Pydantic
validates the very same classes (through a TypeAdapter, in cramp_cli.knowledge.validation),
reading two things from them:

- `__pydantic_config__`, a plain dict (Pydantic's ConfigDict is a TypedDict);
- constraint markers in `Annotated[...]` (Text, Items, Number, Moment below). Each marker
  describes itself to Pydantic in `__get_pydantic_core_schema__`, which imports
  pydantic_core only when Pydantic asks, so declaring a shape costs no Pydantic import.

`json_of()` turns a shape into what `--json` prints, and `build()` makes a shape from such
JSON (the compiled knowledge base is stored that way).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar, dataclass_transform

_T = TypeVar("_T")
_MISSING: Any = object()


class Hidden:
    """A field's default, for a field that `--json` leaves out (it steers a view or a user
    file, and is not part of the answer)."""

    def __init__(self, default: Any) -> None:
        self.default = default


def hidden(default: Any) -> Any:
    return Hidden(default)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(hidden,))
class Shape:
    """A declared shape: immutable, built with keyword arguments, compared by value.

    A subclass lists its fields as annotations (with defaults where it has them), after
    those of its bases. Nothing is generated per class (no exec, unlike dataclasses), so
    declaring dozens of shapes costs next to nothing at start-up.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {}
    _field_names: ClassVar[tuple[str, ...]] = ()
    _annotations: ClassVar[dict[str, Any]] = {}  # each field's annotation, as written
    _defaults: ClassVar[dict[str, Any]] = {}
    _hidden: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(cls._field_names)
        annotations = dict(cls._annotations)
        defaults = dict(cls._defaults)
        hidden_names = set(cls._hidden)
        for name, annotation in vars(cls).get("__annotations__", {}).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            if name not in names:
                names.append(name)
            annotations[name] = annotation
            value = cls.__dict__.get(name, _MISSING)
            if isinstance(value, Hidden):
                hidden_names.add(name)
                value = value.default
                setattr(cls, name, value)
            if value is not _MISSING:
                defaults[name] = value
        cls._field_names = tuple(names)
        cls._annotations = annotations
        cls._defaults = defaults
        cls._hidden = frozenset(hidden_names)

    def __init__(self, **values: Any) -> None:
        self._fill(values)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def _fill(self, values: dict[str, Any]) -> None:
        """Set every field from `values` (emptied as it goes) or its default."""
        for name in self._field_names:
            if name in values:
                value = values.pop(name)
            elif name in self._defaults:
                value = self._defaults[name]
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: unknown field(s) {', '.join(values)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._field_names)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, name) for name in self._field_names)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._field_names)
        return f"{type(self).__name__}({shown})"

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(name, value) for each field, as Pydantic models iterate."""
        return iter(self.values().items())

    def values(self) -> dict[str, Any]:
        """Every field's value, by name, in declaration order."""
        return {name: getattr(self, name) for name in self._field_names}

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The shape as a dict: with mode="json", exactly what `--json` prints."""
        dumped = json_of(self) if mode == "json" else _python_of(self)
        assert isinstance(dumped, dict)
        return dumped

    def model_copy(self: _S, update: dict[str, Any] | None = None) -> _S:
        """A copy with some fields changed; as with Pydantic, other names are ignored."""
        fields = self._field_names
        changes = {name: value for name, value in (update or {}).items() if name in fields}
        return type(self)(**{**self.values(), **changes})

    @classmethod
    def prechecked(cls: type[_S], **values: Any) -> _S:
        """Built without the shape's own checks (__post_init__), for values that already
        passed checks equal to them, many thousands of times: the diary import, whose field
        parsers hold every rule of Entry (a property test in tests/test_transfer_hostile.py
        holds them to it). Missing fields take their defaults; unknown names are an error."""
        instance = object.__new__(cls)
        instance._fill(values)
        return instance

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Pydantic validates a shape as a dataclass of the same fields, then builds it."""
        from pydantic_core import core_schema

        def to_shape(value: Any) -> Any:
            return cls(**{name: getattr(value, name) for name in cls._field_names})

        return core_schema.no_info_after_validator_function(to_shape, handler(_mirror(cls)))


_S = TypeVar("_S", bound=Shape)
_MIRRORS: dict[type, type] = {}


def _mirror(cls: type[Shape]) -> type:
    """A standard dataclass with the shape's fields, types and defaults, for Pydantic."""
    found = _MIRRORS.get(cls)
    if found is None:
        import dataclasses
        import typing

        hints = typing.get_type_hints(cls, include_extras=True)
        specs: list[Any] = [
            (name, hints[name], dataclasses.field(default=cls._defaults[name]))
            if name in cls._defaults
            else (name, hints[name])
            for name in cls._field_names
        ]
        found = dataclasses.make_dataclass(
            cls.__name__,
            specs,
            kw_only=True,
            frozen=True,
            namespace={"__pydantic_config__": cls.__pydantic_config__, "__doc__": cls.__doc__},
        )
        found.__module__ = cls.__module__
        found.__qualname__ = cls.__qualname__
        _MIRRORS[cls] = found
    return found


def shape_fields(cls: type[Shape]) -> tuple[str, ...]:
    return cls._field_names


def hidden_fields(cls: type[Shape]) -> frozenset[str]:
    return cls._hidden


# ---------------------------------------------------------------- markers for Pydantic


class Text:
    """A string constraint: a pattern, a length, and a description for the JSON Schema."""

    def __init__(
        self,
        *,
        pattern: str | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        strip: bool | None = None,
    ) -> None:
        self.pattern = pattern
        self.min_length = min_length
        self.max_length = max_length
        self.strip = strip

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        options: dict[str, Any] = {
            "pattern": self.pattern,
            "min_length": self.min_length,
            "max_length": self.max_length,
            "strip_whitespace": self.strip,
        }
        return core_schema.str_schema(**{k: v for k, v in options.items() if v is not None})

    def _compiled(self) -> re.Pattern[str]:
        """The pattern, compiled once (a diary import checks it a million times)."""
        compiled: re.Pattern[str] | None = self.__dict__.get("_pattern")
        if compiled is None:
            compiled = self.__dict__["_pattern"] = re.compile(self.pattern or "")
        return compiled

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if self.min_length is not None and len(value) < self.min_length:
            return f"must have at least {self.min_length} characters"
        if self.max_length is not None and len(value) > self.max_length:
            return f"must have at most {self.max_length} characters"
        if self.pattern is not None and self._compiled().search(value) is None:
            return f"must match {self.pattern!r}"
        return None


class Items:
    """A tuple's length bounds."""

    def __init__(self, *, min_length: int | None = None, max_length: int | None = None) -> None:
        self.min_length = min_length
        self.max_length = max_length

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        if self.min_length is not None:
            schema["min_length"] = self.min_length
        if self.max_length is not None:
            schema["max_length"] = self.max_length
        return schema

    def check(self, value: Any) -> str | None:
        if not isinstance(value, tuple):
            return "must be a list"
        if self.min_length is not None and len(value) < self.min_length:
            return f"must have at least {self.min_length} items"
        if self.max_length is not None and len(value) > self.max_length:
            return f"must have at most {self.max_length} items"
        return None


class Number:
    """A number's bounds; `strict` refuses a number of the other kind (or a bool)."""

    def __init__(
        self,
        *,
        ge: float | None = None,
        gt: float | None = None,
        le: float | None = None,
        strict: bool = False,
        finite: bool = False,
    ) -> None:
        self.bounds = {"ge": ge, "gt": gt, "le": le}
        self._bounds = (ge, gt, le)
        self.strict = strict
        self.finite = finite

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        target = schema
        if target.get("type") == "nullable":
            target = target["schema"]
        for key, value in self.bounds.items():
            if value is not None:
                target[key] = value
        if self.strict:
            target["strict"] = True
        if self.finite:
            target["allow_inf_nan"] = False
        return schema

    def check(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "must be a number"
        if self.strict and isinstance(value, float):
            return "must be a whole number"
        if self.finite and isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number"  # an int is always finite
        ge, gt, le = self._bounds
        if (ge is not None and value < ge) or (gt is not None and value <= gt):
            return f"must be at least {ge if ge is not None else gt}"
        if le is not None and value > le:
            return f"must be at most {le}"
        return None


class Moment:
    """A datetime that must carry a UTC offset."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.datetime_schema(tz_constraint="aware")

    def check(self, value: Any) -> str | None:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return "must be a date and time with a UTC offset"
        return None


class Describe:
    """A description for the JSON Schema."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        json_schema = handler(schema)
        json_schema["description"] = self.description
        return json_schema


def problem(kind: str, message: str, **context: Any) -> Exception:
    """An error for a shape's __post_init__: Pydantic reports it under `kind`; built
    directly (not validated), it is a plain ValueError."""
    try:
        from pydantic_core import PydanticCustomError
    except ImportError:  # pragma: no cover - pydantic is a dependency
        return ValueError(message.format(**context))
    return PydanticCustomError(kind, message, context)


_CHECKS: dict[type, tuple[tuple[str, Any, bool], ...]] = {}


def check_constraints(instance: Shape) -> None:
    """The markers' own checks, without Pydantic: for shapes built straight from stored
    data (a diary row), so that a damaged value is refused as Pydantic would refuse it.
    Raises ValueError naming the first field that fails."""
    cls = type(instance)
    checks = _CHECKS.get(cls)
    if checks is None:
        hints = cls._annotations
        if any(isinstance(hints[name], str) for name in cls._field_names):
            import typing  # annotations written as text: evaluate them

            hints = typing.get_type_hints(cls, include_extras=True)
        checks = _CHECKS[cls] = tuple(
            (name, marker, per_item)
            for name in cls._field_names
            for marker, per_item in _markers(hints[name])
            if callable(getattr(marker, "check", None))
        )
    for name, marker, per_item in checks:
        value = getattr(instance, name)
        if value is None:
            continue
        values = value if per_item and isinstance(value, tuple) else (value,)
        for each in values:
            message = marker.check(each)
            if message is not None:
                raise problem("value_error", "{field} {detail}", field=name, detail=message)


def _markers(hint: Any, per_item: bool = False) -> list[tuple[Any, bool]]:
    """The Annotated metadata of a type, looking inside Optional and tuple[X, ...]; each
    with whether it applies to the items of a tuple rather than to the value."""
    import typing

    found: list[tuple[Any, bool]] = []
    if typing.get_origin(hint) is typing.Annotated:
        found.extend((marker, per_item) for marker in hint.__metadata__)
        hint = typing.get_args(hint)[0]
    inside = per_item or typing.get_origin(hint) is tuple
    for arg in typing.get_args(hint):
        if arg is not type(None) and arg is not Ellipsis:
            found.extend(_markers(arg, inside))
    return found


# ---------------------------------------------------------------- to and from JSON


def _json_fields(cls: type[Shape]) -> tuple[str, ...]:
    names = _JSON_FIELDS.get(cls)
    if names is None:
        names = _JSON_FIELDS[cls] = tuple(
            name for name in cls._field_names if name not in cls._hidden
        )
    return names


_JSON_FIELDS: dict[type, tuple[str, ...]] = {}


def _moment(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_PLAIN = frozenset({str, int, float, bool, type(None)})


def json_of(value: Any) -> Any:
    """A shape (or a tuple, a date, ...) as JSON-ready values, in declaration order."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [json_of(item) for item in value]
    if isinstance(value, Shape):
        return {name: json_of(getattr(value, name)) for name in _json_fields(kind)}
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [json_of(item) for item in value]
    return value


def _python_of(value: Any) -> Any:
    if isinstance(value, Shape):
        return {name: _python_of(getattr(value, name)) for name in _json_fields(type(value))}
    if isinstance(value, tuple):
        return tuple(_python_of(item) for item in value)
    return value


# A field's annotation, read as text (annotations are not evaluated on the fast path):
# `tuple[Evidence, ...]`, `Region | None`, `Annotated[tuple[Id, ...], Items(...)]`.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _shape_named(annotation: str, namespace: dict[str, Any]) -> type | None:
    """The one shape class an annotation names (ignoring tuple, Annotated, None), if any."""
    if annotation.startswith("Annotated["):
        annotation = annotation[len("Annotated[") :].split(",", 1)[0]
    found = [
        namespace[name]
        for name in _NAME.findall(annotation)
        if isinstance(namespace.get(name), type) and issubclass(namespace[name], Shape)
    ]
    return found[0] if len(found) == 1 else None


_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def build(cls: type[_S], data: dict[str, Any]) -> _S:
    """A shape from its JSON form (no validation: for data that was validated when it was
    compiled). Lists become tuples; a nested object becomes the shape its field names."""
    builder = _BUILDERS.get(cls)
    if builder is None:
        builder = _make_builder(cls)
        _BUILDERS[cls] = builder
    built: _S = builder(data)
    return built


def _make_builder(cls: type[Shape]) -> Callable[[dict[str, Any]], Any]:
    import sys

    namespace: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        module = sys.modules.get(klass.__module__)
        if module is not None:
            namespace.update(vars(module))
    nested: dict[str, type] = {}
    for name in cls._field_names:
        inner = _shape_named(str(cls._annotations[name]), namespace)
        if inner is not None:
            nested[name] = inner

    def convert(name: str, value: Any) -> Any:
        inner = nested.get(name)
        if isinstance(value, list):
            return tuple(
                build(inner, item) if inner is not None and isinstance(item, dict) else _plain(item)
                for item in value
            )
        if isinstance(value, dict) and inner is not None:
            return build(inner, value)
        return value

    def builder(data: dict[str, Any]) -> Any:
        return cls(**{name: convert(name, value) for name, value in data.items()})

    return builder


def _plain(value: Any) -> Any:
    return tuple(_plain(item) for item in value) if isinstance(value, list) else value
