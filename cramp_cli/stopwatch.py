"""The timer of `cramp now`: it runs until the person presses Enter, and says at once when
the cramp has lasted past the long-cramp limit.

The clock and the wait for Enter are parameters, so tests can pass ten minutes in no time;
`clock` below is the one the command uses, looked up when it runs.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable
from typing import NamedTuple

clock: Callable[[], float] = time.monotonic


class Timing(NamedTuple):
    seconds: float
    eased: bool  # Enter was pressed; False when the input ended first
    passed_limit: bool


def time_cramp(
    *,
    limit_seconds: float,
    now: Callable[[], float],
    wait_for_enter: Callable[[float], bool | None],
    on_tick: Callable[[float], None],
    on_limit: Callable[[float], None],
) -> Timing:
    """Tick about once a second until Enter (or the end of input).

    `wait_for_enter(timeout)` is True for Enter, False when the input ended, None when the
    timeout passed. `on_limit` runs once, as soon as `limit_seconds` have passed.
    """
    start = now()
    alerted = False
    while True:
        elapsed = now() - start
        if not alerted and elapsed >= limit_seconds:
            alerted = True
            on_limit(elapsed)
        on_tick(elapsed)
        timeout = 1.0 - elapsed % 1.0
        if not alerted:
            timeout = min(timeout, limit_seconds - elapsed)
        pressed = wait_for_enter(max(timeout, 0.0))
        if pressed is not None:
            return Timing(now() - start, pressed, alerted)


def wait_for_line(fd: int) -> Callable[[float], bool | None]:
    """A wait for Enter on a terminal in its usual line mode: a line is read whole."""

    def wait(timeout: float) -> bool | None:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        return os.read(fd, 4096) != b""

    return wait


def clock_face(seconds: float) -> str:
    """'0:42', '12:05', '1:02:03'."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def measured_minutes(seconds: float) -> float:
    """The minutes to log: to a tenth, and never 0 for a cramp that was timed at all."""
    return max(round(seconds / 60, 1), 0.1)
