"""Helpers for the live tests: ``exercise`` processes driven over JSON lines, and the checks of
what a role may read (shared by the hypothesis test and the multi-process tests).

Waits poll for a condition and fail only after a generous deadline: the machine is shared.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from exercise_engine.model.bundle import Bundle

EXERCISE = str(Path(sys.executable).parent / "exercise")
CONTENT = Path(__file__).parent / "fixtures" / "content"
DEADLINE_S = 120.0
CONTROL_ONLY = {"ExerciseCreated", "InjectTriggered", "RuleFired", "ObservationRecorded"}


class Process:
    """An ``exercise`` command whose stdout lines (JSON) and stderr are collected as they come."""

    def __init__(self, *argv: str | Path, name: str = ""):
        self.name = name or str(argv[0])
        self.argv = [EXERCISE, *map(str, argv)]
        self.proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.err: list[str] = []
        self.sent: list[dict[str, Any]] = []
        self.unparseable_sent = 0
        self._changed = threading.Condition()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for text in self.proc.stdout:
            with self._changed:
                self.raw.append(text)
                try:
                    self.lines.append(json.loads(text))
                except ValueError:
                    self.lines.append({"unparsed": text})
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for text in self.proc.stderr:
            with self._changed:
                self.err.append(text)

    # -- talking to it --------------------------------------------------------------------------

    def send(self, command: dict[str, Any] | str) -> None:
        assert self.proc.stdin is not None
        text = command if isinstance(command, str) else json.dumps(command)
        if isinstance(command, dict):
            self.sent.append(command)
        else:
            self.unparseable_sent += 1
        with contextlib.suppress(BrokenPipeError):  # it has exited: its output says why
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()

    def close_input(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()

    def wait_for(
        self, found: Callable[[Process], Any], what: str, deadline: float = DEADLINE_S
    ) -> Any:
        """Poll until ``found(self)`` is truthy (and return it); fail after ``deadline``."""
        end = time.monotonic() + deadline
        with self._changed:
            while True:
                value = found(self)
                if value:
                    return value
                if time.monotonic() > end:
                    raise AssertionError(
                        f"{self.name}: no {what} after {deadline:g} s\n{self.log()}"
                    )
                self._changed.wait(0.2)

    def finish(self, deadline: float = DEADLINE_S) -> int:
        try:
            return self.proc.wait(deadline)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(
                f"{self.name} did not exit within {deadline:g} s\n{self.log()}"
            ) from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def log(self) -> str:
        tail = "".join(self.raw[-10:])
        return f"--- stdout (last lines)\n{tail}--- stderr\n{''.join(self.err)[-3000:]}"

    # -- what it said ---------------------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "seq" in line]

    def acks(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "ack" in line]

    def statuses(self) -> list[str]:
        return [line["status"] for line in self.lines if "status" in line and "ack" not in line]

    def has_status(self, status: str) -> bool:
        return status in self.statuses()

    def output(self) -> str:
        return "".join(self.raw) + "".join(self.err)


def start_controller(
    db: Path, *options: str | Path, scenario: str = "harbour-test", name: str = "controller"
) -> tuple[Process, dict[str, str]]:
    """``exercise run --headless`` on the test content, once it has started; and its codes."""
    codes = db.with_suffix(".codes.json")
    controller = Process(
        "run", scenario, "--content", CONTENT, "--db", db, "--headless", "--codes", codes,
        *options, name=name,
    )  # fmt: skip
    controller.wait_for(lambda p: p.has_status("started"), "start", deadline=180)
    return controller, json.loads(codes.read_text())


def stop_all(processes: Iterable[Process]) -> None:
    for process in processes:
        process.kill()


# -- what a role may read -----------------------------------------------------------------------


def check_role_reading(
    role: str,
    lines: list[tuple[int, str, str | None, dict[str, Any], dict[str, Any]]],
    bundle: Bundle,
    visible: set[int],
    asked: set[tuple[str, str]],
) -> None:
    """``lines`` (seq, type, acting role, payload, shown-with) are exactly what ``role`` may
    read: the events whose audience includes it (``visible``), each cut for it. ``asked``:
    the (inject, role) pairs asked to answer."""
    assert {seq for seq, *_ in lines} == visible, f"{role} reads exactly what its audience may"
    for _, kind, actor, payload, extra in lines:
        assert kind not in CONTROL_ONLY
        if kind == "InjectDelivered":
            assert role in payload["to"]
            assert payload["answer"] in ([], [role])
            assert set(payload["cause"]) == {"kind"}
            shown = extra["inject"]
            assert shown["id"] == payload["inject"]
            assert ("options" in shown) == ((payload["inject"], role) in asked)
        elif kind in ("ResponseRecorded", "ResponseOverdue"):
            assert actor == role
        elif kind in ("MessageSent", "InformationShared"):
            assert actor == role or role in payload["to"]
            if kind == "InformationShared" and actor != role:
                assert extra["inject"]["id"] == payload["inject"]
                assert "options" not in extra["inject"]
        elif kind == "VariableChanged":
            assert payload["variable"] in bundle.roles[role].sees.variables
            if payload["cause"].get("role") != role:
                assert set(payload["cause"]) == {"kind"}, "another role's choice stays its own"
        elif kind == "PhaseEntered":
            assert payload["condition"] is None
        if "option" in payload and kind != "VariableChanged":  # a chosen option: its own only
            assert actor == role
        assert all(key in ("inject", "brief") for key in extra)
