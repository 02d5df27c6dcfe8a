"""A real pseudo-terminal for tests: cramp runs as a separate process with a screen of a
given size, and the test types keys and reads what it prints, as a person would."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping
from pathlib import Path

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class Terminal:
    """`cramp ARGS` (or `python -c CODE ARGS`) on a pty of `columns` x `rows`."""

    def __init__(
        self,
        *args: str,
        columns: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        code: str | None = None,
        cwd: Path | None = None,
    ) -> None:
        main, child = os.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")
        }
        environment.update({"TERM": "xterm-256color", **(env or {})})
        command = (
            [sys.executable, "-c", code, *args]
            if code
            else [
                sys.executable,
                "-m",
                "cramp_cli",
                *args,
            ]
        )
        self.process = subprocess.Popen(
            command,
            stdin=child,
            stdout=child,
            stderr=child,
            env=environment,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(child)
        self._main = main
        self.output = ""
        self.rows = rows

    def read_until(self, wanted: str, timeout: float = 20.0) -> str:
        """Everything printed so far (escapes removed) once `wanted` is among it."""
        deadline = time.monotonic() + timeout
        while wanted not in self.text:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{wanted!r} never came; the screen had:\n{self.text}")
            ready, _, _ = select.select([self._main], [], [], left)
            if ready:
                try:
                    chunk = os.read(self._main, 65536)
                except OSError:  # the child closed the terminal (EIO on Linux)
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{wanted!r} never came; it ended with:\n{self.text}")
                self.output += chunk.decode("utf-8", "replace")
        return self.text

    @property
    def text(self) -> str:
        return _ESCAPES.sub("", self.output).replace("\r\n", "\n")

    def screen(self) -> list[str]:
        """The lines a terminal of `rows` rows shows now: the last ones, each as it was last
        redrawn (a carriage return starts the line again)."""
        lines = [line.rsplit("\r", 1)[-1] for line in self.text.split("\n")]
        return lines[-self.rows :]

    def type(self, keys: str) -> None:
        os.write(self._main, keys.encode())

    def interrupt(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def wait(self, timeout: float = 20.0) -> int:
        """The exit code, once the rest of the output is read."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None or select.select([self._main], [], [], 0)[0]:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"still running; the screen had:\n{self.text}")
            ready, _, _ = select.select([self._main], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self._main, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                self.output += chunk.decode("utf-8", "replace")
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self._main)
        return code
