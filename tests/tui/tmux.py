"""A person at a terminal, played by tmux: start a console in a detached session, type keys,
read the screen. Runs without a terminal of its own (CI), on a private tmux server per test so
nothing else on the machine is disturbed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

DEADLINE_S = 120.0
"""How long a wait may take before it fails: a console on a loaded machine (load 16 on two
cores, three consoles starting at once) has taken tens of seconds to draw; a wait that passes
returns as soon as the screen shows what it waits for."""
POLL_S = 0.25


def tmux_or_skip() -> str:
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed (apt-get install tmux)")
    return found


class Terminal:
    """One tmux server with one session; each ``window`` is a terminal running a command."""

    def __init__(self, workdir: Path, width: int = 120, height: int = 40) -> None:
        self.tmux = tmux_or_skip()
        self.socket = f"exercise-test-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir
        self.width = width
        self.height = height
        self.windows: list[str] = []

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 and "no server running" not in result.stderr:
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> str:
        """Run ``argv`` in a new window; when it exits the window shows ``EXIT=<code>``."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        command = f"{exports} {shlex.join(argv)}; echo EXIT=$?; sleep 600"
        if not self.windows:
            self._run(
                "new-session",
                "-d",
                "-s",
                "t",
                "-n",
                name,
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                "-c",
                str(self.workdir),
                command,
            )
            self._run("set-option", "-t", "t", "remain-on-exit", "on")
        else:
            self._run("new-window", "-t", "t", "-n", name, "-c", str(self.workdir), command)
            self._run(
                "resize-window", "-t", f"t:{name}", "-x", str(self.width), "-y", str(self.height)
            )
        self.windows.append(name)
        return name

    def keys(self, window: str, *keys: str) -> None:
        for key in keys:
            self._run("send-keys", "-t", f"t:{window}", key)
            time.sleep(0.1)

    def type(self, window: str, text: str) -> None:
        self._run("send-keys", "-t", f"t:{window}", "-l", text)

    def screen(self, window: str) -> str:
        return self._run("capture-pane", "-p", "-t", f"t:{window}")

    def wait_for(self, window: str, text: str, deadline: float = DEADLINE_S) -> str:
        """The screen once it shows ``text`` (a regular expression); fails with the screen
        after ``deadline`` s."""
        end = time.monotonic() + deadline
        pattern = re.compile(text)
        while True:
            screen = self.screen(window)
            if pattern.search(screen):
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never appeared in {window}:\n{screen}")
            time.sleep(POLL_S)

    def close(self) -> None:
        self._run("kill-server")
