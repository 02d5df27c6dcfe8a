"""cramp: a command-line advisor for night-time leg cramps.

The Python API (see cramp_cli.api) is imported lazily, so `cramp --version` stays instant:

    from cramp_cli import load_kb, why, relieve, prevent, check, search, show
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing would slow `cramp --version` (3 ms)
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_API = ("KnowledgeBase", "check", "load_kb", "prevent", "relieve", "search", "show", "why")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from cramp_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'cramp_cli' has no attribute {name!r}")
