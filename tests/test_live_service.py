"""The live layer's Python API, in one process: what the Textual consoles build on.

The controller service runs inside the test's asyncio loop (as it runs inside Textual's); seat
and evaluator clients join with codes, follow what their role may read and get their acks;
presence and codes are readable; the scenario clock runs on wall time and is saved, so a
controller that takes over neither loses nor invents scenario time.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.live.client import EvaluatorClient, JoinError, SeatClient, Status
from exercise_engine.live.controller import LiveController, RunOptions, SessionBusy
from exercise_engine.live.service import ControllerService
from exercise_engine.model.bundle import Bundle
from exercise_engine.store.live import Line

CONTENT = Path(__file__).parent / "fixtures" / "content"
WAIT_S = 60.0


def options(db: Path, **more: object) -> RunOptions:
    return RunOptions(db=str(db), scenario="harbour-test", content=[str(CONTENT)], **more)  # type: ignore[arg-type]


async def next_line(client: SeatClient | EvaluatorClient, kind: str) -> Line:
    """The next event of type ``kind`` the client reads (other items are skipped)."""

    async def find() -> Line:
        async for item in client:
            if isinstance(item, Line) and item.type == kind:
                return item
        raise AssertionError(f"the stream ended before a {kind}")

    return await asyncio.wait_for(find(), WAIT_S)


async def test_the_service_runs_in_a_loop_and_seats_follow_it(tmp_path: Path) -> None:
    service = ControllerService(options(tmp_path / "live.db"))
    await service.start()
    feed = service.subscribe()
    serving = asyncio.create_task(service.serve())
    try:
        assert (await service.submit(cmd.StartPlay())).accepted
        codes = service.codes
        assert codes is not None and set(codes) >= {"un_mission", "evaluator"}
        assert "--role police --code" in service.join_command("police")
        with pytest.raises(JoinError, match="wrong join code"):
            await SeatClient.join(tmp_path / "live.db", role="un_mission", code="WRONG")
        amina = await SeatClient.join(
            tmp_path / "live.db", role="un_mission", code=codes["un_mission"], name="Amina"
        )
        bo = await SeatClient.join(
            tmp_path / "live.db", role="un_mission", code=codes["un_mission"], name="Bo"
        )
        ana = await EvaluatorClient.join(tmp_path / "live.db", code=codes["evaluator"], name="Ana")
        assert amina.brief["role"]["id"] == "un_mission" and "rubric" not in amina.brief
        await service.submit(cmd.SendInject(inject="I-01", to=["un_mission"]))
        delivered = await next_line(amina, "InjectDelivered")
        assert '"options"' in (delivered.extra or "")
        await next_line(bo, "InjectDelivered")
        staff = await next_line(ana, "InjectDelivered")
        assert '"expect":["UND-1"]' in (staff.extra or "")
        first = await amina.submit(
            "Respond", {"inject": "I-01", "option": "A", "rationale": "Act early."}, "a-1"
        )
        assert first.status == "accepted" and first.seqs is not None
        again = await amina.submit("Respond", {"inject": "I-01", "option": "A"}, "a-1")
        assert again == first  # a retry gets the first answer
        later = await bo.submit("Respond", {"inject": "I-01", "option": "B", "rationale": "x"})
        assert later.status == "rejected" and "I-01 already answered by Amina" in (
            later.reason or ""
        )
        recorded = [r async for r in _until(feed, "ResponseRecorded")]
        assert recorded[-1].event.seat == amina.identity.seat
        people = await service.presence()
        assert {(p.name, p.role, p.connected) for p in people} >= {
            ("Amina", "un_mission", True),
            ("Bo", "un_mission", True),
            ("Ana", None, True),
        }
        await bo.close()
        people = await service.presence()
        assert ("Bo", False) in {(p.name, p.connected) for p in people}
        await amina.close()
        await ana.close()
    finally:
        service.stop()
        await serving


async def _until(feed: object, kind: str) -> object:
    async for record in feed:  # type: ignore[attr-defined]
        yield record
        if record.event.type == kind:
            return


async def test_a_second_controller_refuses_while_the_first_lives(tmp_path: Path) -> None:
    service = ControllerService(options(tmp_path / "live.db"))
    await service.start()
    serving = asyncio.create_task(service.serve())
    try:
        with pytest.raises(SessionBusy, match="being run by another controller"):
            await asyncio.to_thread(LiveController.open, options(tmp_path / "live.db"))
    finally:
        service.stop()
        await serving
    second = LiveController.open(options(tmp_path / "live.db"))  # one thread: its Store's
    try:  # stopped cleanly: taken over at once, the time between recorded as an outage
        assert second.took_over is not None and second.took_over.outage >= 0
    finally:
        second.release(time.time())


class FakeWall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_scenario_time_runs_on_the_wall_clock_and_outages_are_not_scenario_time(
    tmp_path: Path, harbour: Bundle
) -> None:
    wall = FakeWall()
    db = tmp_path / "live.db"
    live = LiveController.open(RunOptions(db=str(db), start=True), wall, lambda r, c: harbour)
    assert live.clock.speed == 60  # harbour-test: 60 scenario minutes per wall minute
    wall.now += 30  # 30 wall seconds: 30 scenario minutes, when I-01 is due out
    delivered = [r.event for r in live.tick(wall.now)]
    assert any(isinstance(e, ev.InjectDelivered) and e.inject == "I-01" for e in delivered)
    assert live.now(wall.now) == 1800
    live.decide(cmd.Pause(), wall.now)
    wall.now += 100  # paused: no scenario time passes
    assert live.now(wall.now) == 1800
    live.decide(cmd.Resume(), wall.now)
    wall.now += 10
    live.tick(wall.now)  # a heartbeat saves the clock reading (t 2400)
    saved = live.now(wall.now)
    assert saved == 2400
    live.store.close()  # the controller dies: no release, no more heartbeats

    wall.now += 40  # 40 wall seconds with no controller: an outage, not scenario time
    took = LiveController.open(RunOptions(db=str(db)), wall, lambda r, c: harbour)
    assert took.took_over is not None and took.took_over.outage == 40
    assert took.now(wall.now) == saved
    [record] = [r for r in took.drain(wall.now) if isinstance(r.event, ev.ControllerTookOver)]
    assert (record.event.t, record.event.outage) == (saved, 40)
    wall.now += 5
    assert took.now(wall.now) == saved + 300
    took.release(wall.now)
    aar = tmp_path / "aar.md"  # the after-action review shows where play stood still
    assert main(["report", "--db", str(db), "--format", "md", "-o", str(aar)]) == 0
    assert "Controller outage: 40 s with no controller" in aar.read_text(encoding="utf-8")


async def _first_status(client: SeatClient) -> str:
    async for item in client:
        if isinstance(item, Status):
            return item.status
    raise AssertionError("the stream ended without a status")


async def test_a_seat_that_joins_late_gets_everything_its_role_could_see(tmp_path: Path) -> None:
    service = ControllerService(options(tmp_path / "live.db", start=True))
    await service.start()
    serving = asyncio.create_task(service.serve())
    try:
        await service.submit(cmd.SendInject(inject="I-01", to=["un_mission"]))
        codes = service.codes or {}
        late = await SeatClient.join(
            tmp_path / "live.db", role="un_mission", code=codes["un_mission"]
        )
        seen = []
        async for item in late:
            if isinstance(item, Line):
                seen.append(item.type)
            if "InjectDelivered" in seen:
                break
        assert seen[:2] == ["PhaseEntered", "PhaseEntered"]
        police = await SeatClient.join(tmp_path / "live.db", role="police", code=codes["police"])
        service.stop()
        await serving
        assert await asyncio.wait_for(_first_status(police), WAIT_S) == "controller-gone"
        await late.close()
        await police.close()
    finally:
        service.stop()
        if not serving.done():
            await serving


def test_run_refuses_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "x.db")
    assert main(["run", "--db", db, "--headless", "--codes", str(tmp_path / "no" / "c.json")]) == 2
    assert "does not exist (--codes)" in capsys.readouterr().err
    assert main(["run", "--db", db, "--headless", "--speed", "0"]) == 2
    moves = ["run", "moves-test", "--content", str(CONTENT), "--db", db, "--headless"]
    assert main([*moves, "--speed", "5"]) == 1
    assert "plays in moves" in capsys.readouterr().err


def test_a_seat_process_imports_little() -> None:
    """Fifty seats start at once on two cores: the seat's path (the CLI, the client, the JSON
    lines) loads neither the engine nor the content models, pydantic or Textual."""
    import subprocess
    import sys

    probe = (
        "import sys, exercise_engine.cli, exercise_engine.live.client, exercise_engine.live.jsonl\n"
        "heavy = ('pydantic', 'textual', 'msgspec', 'yaml', 'sqlite_utils', 'jinja2',"
        " 'exercise_engine.engine', 'exercise_engine.model.scenario')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout.strip() == "[]", run.stdout


async def test_the_command_that_ends_the_exercise_is_published_and_answered(
    tmp_path: Path,
) -> None:
    """``serve`` stops once the exercise has ended; the command that ended it, decided on the
    same worker while ``serve`` ticks as fast as it can, still has its events published and
    its outcome returned, and a command after the stop gets a rejection, not an exception
    (before: a headless controller could exit without the last command's ack)."""
    for n in range(8):
        service = ControllerService(options(tmp_path / f"live-{n}.db", start=True), poll=0)
        await service.start()
        feed = service.subscribe()
        serving = asyncio.create_task(service.serve())
        assert (await service.submit(cmd.EndExercise())).accepted  # play -> debrief
        assert (await service.submit(cmd.EndExercise())).accepted  # debrief -> ended
        await asyncio.wait_for(serving, WAIT_S)
        seen = [record.event async for record in feed]
        assert isinstance(seen[-1], ev.PhaseEntered) and seen[-1].phase == "ended"
        late = await service.submit(cmd.Pause())
        assert not late.accepted and "the controller has stopped" in (late.rejection or "")


async def test_a_console_quit_while_opening_leaves_no_lease_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting while the database opens (the start cancelled mid-way) frees the lease the
    worker thread goes on to take: the next controller need not wait for it to run out."""
    opened, go_on = threading.Event(), threading.Event()
    real_open = LiveController.open

    def slow_open(*args: object) -> LiveController:
        opened.set()
        go_on.wait(WAIT_S)
        return real_open(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(LiveController, "open", slow_open)
    service = ControllerService(options(tmp_path / "live.db"))
    starting = asyncio.create_task(service.start())
    await asyncio.to_thread(opened.wait, WAIT_S)
    starting.cancel()
    go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await starting
    assert leases_settled(tmp_path / "live.db") == [(None, 0)]  # as a clean stop leaves it


def leases_settled(db: Path) -> list[tuple[object, ...]]:
    """The lease rows once released, or as they are after a generous wait (the open and the
    release run on the service's worker thread, after the cancelled start has returned)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        leases: list[tuple[object, ...]] = []
        with (
            contextlib.closing(sqlite3.connect(db)) as conn,
            contextlib.suppress(sqlite3.OperationalError),  # the table not yet created
        ):
            leases = conn.execute("SELECT holder, running FROM leases").fetchall()
        if leases == [(None, 0)] or time.monotonic() > deadline:
            return leases
        time.sleep(0.05)
