"""What each command answers: one model feeds the JSON and the human views alike.

Output models allow additions (no extra="forbid"), so a reader of today's JSON keeps working
when a later version adds a key; `schema_version` changes only for breaking changes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from cramp_cli.knowledge.models import Cause, Muscle, Prevention, Relief, Treatment
from cramp_cli.wording import DISCLAIMER

SCHEMA_VERSION = 1


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)

    schema_version: int = SCHEMA_VERSION
    command: str
    disclaimer: str = DISCLAIMER


class Filters(BaseModel):
    model_config = ConfigDict(frozen=True)

    who: str | None = None
    when: str | None = None


class WhyResult(Result):
    command: Literal["why"] = "why"
    filters: Filters
    note: str
    medicine_safety: str
    items: tuple[Cause, ...]


class ReliefResult(Result):
    command: Literal["relieve"] = "relieve"
    muscle: Muscle | None
    safety: str
    items: tuple[Relief, ...]


class PreventResult(Result):
    command: Literal["prevent"] = "prevent"
    filters: Filters
    note: str
    items: tuple[Prevention, ...]
    doctor_treatments: tuple[Treatment, ...]


class MusclesResult(Result):
    command: Literal["muscles"] = "muscles"
    items: tuple[Muscle, ...]
