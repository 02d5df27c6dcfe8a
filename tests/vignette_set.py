"""The triage vignettes of tests/vignettes/*.yaml: loading, checking their shape, and the
`cramp check` arguments each one stands for.

Shared by tests/test_vignettes.py (in process) and benchmarks/triage.py (the installed
cramp), so that both read the same stories the same way. Needs only PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent / "vignettes"

# Most urgent first, as in section 8 of the reference.
LEVELS = ("emergency", "urgent", "see-doctor", "self-care")
EXIT_STATUS = {"self-care": 0, "see-doctor": 3, "urgent": 4, "emergency": 5}
# Semigran et al. 2015: emergent care required, non-emergent care reasonable, self care.
CATEGORY = {
    "emergency": "emergent",
    "urgent": "emergent",
    "see-doctor": "non-emergent",
    "self-care": "self-care",
}
SEMIGRAN_CASES = ("deep-vein-thrombosis", "pulmonary-embolism", "tetanus", "cellulitis")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REQUIRED = ("id", "story", "signs", "expected", "category", "reasoning")
_OPTIONAL = ("not_sure", "minutes", "semigran", "known_gap")


class VignetteError(ValueError):
    """A vignette file that does not follow the schema in tests/vignettes/README.md."""


@dataclass(frozen=True)
class Vignette:
    id: str
    story: str
    signs: tuple[str, ...]
    expected: str
    category: str
    reasoning: str
    file: str
    not_sure: tuple[str, ...] = ()
    minutes: int | None = None
    semigran: str | None = None
    known_gap: str | None = None

    def check_args(self) -> list[str]:
        """The `cramp check` arguments for these answers, before --json and --exit-code.

        There is no --not-sure option, so "not sure" answers are passed as --sign: section 8a
        rule 6 counts them as yes for emergency and urgent questions, and answers.check adds
        them to the chosen signs whatever their level.
        """
        given = [*self.signs, *self.not_sure]
        args = ["check"]
        if given:
            args += ["--sign", ",".join(given)]
        if self.minutes is not None:
            args += ["--minutes", str(self.minutes)]
        if not given and self.minutes is None:
            args.append("--none")
        return args


def rank(level: str) -> int:
    """0 for emergency up to 3 for self-care: a smaller rank is more urgent."""
    return LEVELS.index(level)


def verdict(expected: str, got: str) -> str:
    """ok, over (more urgent than expected) or UNDER (less urgent: unsafe)."""
    if got == expected:
        return "ok"
    return "over" if rank(got) < rank(expected) else "UNDER"


def _ids(value: Any, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and _ID.match(item) for item in value
    ):
        raise VignetteError(f"{where}: {field!r} must be a list of sign ids")
    if len(set(value)) != len(value):
        raise VignetteError(f"{where}: {field!r} names a sign twice")
    return tuple(value)


def _one(entry: Any, file: Path) -> Vignette:
    if not isinstance(entry, dict):
        raise VignetteError(f"{file.name}: every vignette is a mapping")
    where = f"{file.name}: {entry.get('id', '?')}"
    missing = [key for key in _REQUIRED if key not in entry]
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if missing or unknown:
        raise VignetteError(f"{where}: missing {missing}, unknown {unknown}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise VignetteError(f"{where}: the id must be kebab-case")
    for key in ("story", "reasoning"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise VignetteError(f"{where}: {key!r} must be text")
    if entry["expected"] not in LEVELS:
        raise VignetteError(f"{where}: expected must be one of {LEVELS}")
    if entry["category"] != CATEGORY[entry["expected"]]:
        raise VignetteError(
            f"{where}: category {entry['category']!r} does not match expected "
            f"{entry['expected']!r} (should be {CATEGORY[entry['expected']]!r})"
        )
    minutes = entry.get("minutes")
    if minutes is not None and (
        not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0
    ):
        raise VignetteError(f"{where}: minutes must be a whole number, 0 or more")
    semigran = entry.get("semigran")
    if semigran is not None and semigran not in SEMIGRAN_CASES:
        raise VignetteError(f"{where}: semigran must be one of {SEMIGRAN_CASES}")
    signs = _ids(entry["signs"], where, "signs")
    not_sure = _ids(entry.get("not_sure", []), where, "not_sure")
    if set(signs) & set(not_sure):
        raise VignetteError(f"{where}: a sign is both yes and not sure")
    return Vignette(
        id=entry["id"],
        story=" ".join(entry["story"].split()),
        signs=signs,
        expected=entry["expected"],
        category=entry["category"],
        reasoning=" ".join(entry["reasoning"].split()),
        file=file.name,
        not_sure=not_sure,
        minutes=minutes,
        semigran=semigran,
        known_gap=entry.get("known_gap"),
    )


def load(folder: Path = FOLDER) -> list[Vignette]:
    """Every vignette of every *.yaml file in `folder`, in file-name order."""
    found: list[Vignette] = []
    for file in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or not isinstance(document.get("vignettes"), list):
            raise VignetteError(f"{file.name}: expected a mapping with a 'vignettes' list")
        found += [_one(entry, file) for entry in document["vignettes"]]
    seen: set[str] = set()
    for vignette in found:
        if vignette.id in seen:
            raise VignetteError(f"{vignette.file}: the id {vignette.id!r} is used twice")
        seen.add(vignette.id)
    return found
