"""Pydantic's half of the shapes: validating what a file says against a declared shape.

Only `cramp kb validate`, the compiler and the user's own files come here; the answer path
reads a compiled knowledge base and never imports Pydantic.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from cramp_cli.shapes import Shape, shape_fields

__all__ = ["ValidationError", "as_shape", "field_names"]

_T = TypeVar("_T")


@functools.cache
def _adapter(cls: Any) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def as_shape(cls: type[_T], data: Any) -> _T:
    """`data` as a `cls`, or pydantic.ValidationError listing every problem."""
    shape: Any = cls
    validated: _T = _adapter(shape).validate_python(data)
    return validated


def field_names(cls: type[Shape]) -> tuple[str, ...]:
    return shape_fields(cls)
