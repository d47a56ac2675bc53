"""A short scripted session of the default scenario, recorded as the live layer records it.

The consoles' screenshots in docs/ and their snapshot tests show this session: two hours and
fifty minutes into election day, with answers (one with a confidence, one late to come), a
message, a share, an observation and a rescheduled inject. It is played on the real engine and
written to a real store, and each role's lines are read back with the store's own role-scoped
query, so a screenshot shows exactly what a seat of that role would see at that moment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.events import Recorded
from exercise_engine.live.feed import staff_lines
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_bundle
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store
from exercise_engine.store import live as db
from exercise_engine.store.live import Line

H, M = 3600, 60
NOW = 2 * H + 50 * M
"""The moment shown: 07:50 on the scenario clock (STARTEX 05:00)."""


@dataclass
class Showcase:
    bundle: Bundle
    session: str
    log: list[Recorded]
    """The whole log, as staff read it."""
    staff: list[Line]
    """The whole log as an evaluator's client hands it over (with each inject's text)."""
    lines: dict[str, list[Line]] = field(default_factory=dict)
    """Each role's lines, as its seats read them."""
    briefs: dict[str, dict[str, Any]] = field(default_factory=dict)
    now: int = NOW


def _first_option(bundle: Bundle, inject_id: str, role: str) -> str:
    inject = bundle.scenario.inject(inject_id)
    assert inject is not None and inject.respond is not None, inject_id
    return inject.respond.offered(role)[0].id


def record(db_path: Path, scenario: str | None = None) -> Showcase:
    """Play the scripted session into ``db_path`` (a new file) and read it back."""
    bundle = load_bundle(scenario)
    with Store(db_path) as store:
        controller = ExerciseController.create(store, bundle, seed=7)
        session = controller.session_id
        host = cmd.Actor.player("host_state", seat="host-1", name="Amina")
        humanitarian = cmd.Actor.player("humanitarian", seat="hum-1", name="Jon")
        un = cmd.Actor.player("un_mission", seat="un-1", name="Ines")
        police = cmd.Actor.player("police", seat="pol-1", name="Capt. Ode")
        script: list[tuple[int, cmd.Command]] = [
            (0, cmd.StartPlay()),
            (40 * M, cmd.AdvanceClock(to=40 * M)),
            (
                55 * M,
                cmd.Respond(
                    actor=host,
                    inject="INJ-102",
                    option=_first_option(bundle, "INJ-102", "host_state"),
                    rationale="No armed men within 200 m of a station: the Electoral Act is clear.",
                    confidence=3,
                ),
            ),
            (70 * M, cmd.AdvanceClock(to=70 * M)),
            (
                80 * M,
                cmd.SendMessage(
                    actor=un,
                    to=["police", "humanitarian"],
                    subject="Red crosses on Ruvi doors",
                    body="Can UNPOL and the protection cluster map the marked streets in Tiso "
                    "by 09:00? We will raise it with the Governor at 10:00.",
                ),
            ),
            (
                95 * M,
                cmd.Respond(
                    actor=humanitarian,
                    inject="INJ-103",
                    option=_first_option(bundle, "INJ-103", "humanitarian"),
                    rationale="Monitors on the ground first; no public attribution yet.",
                    confidence=4,
                ),
            ),
            (
                100 * M,
                cmd.RecordObservation(
                    actor=cmd.Actor.evaluator("Ana"),
                    criterion="UND-1",
                    role="host_state",
                    rating="S",
                    note="Named Order 14 as the risk, not the militia's intent.",
                    inject="INJ-102",
                ),
            ),
            (2 * H + 5 * M, cmd.AdvanceClock(to=2 * H + 5 * M)),
            (
                2 * H + 10 * M,
                cmd.ShareInformation(
                    actor=police,
                    to=["un_mission"],
                    inject="INJ-105",
                    note="The RIU company is the one from the 2024 Kasanga beatings.",
                ),
            ),
            (2 * H + 20 * M, cmd.RescheduleInject(inject="INJ-107", at=4 * H + 30 * M)),
            (NOW, cmd.AdvanceClock(to=NOW)),
        ]
        for at, command in script:
            outcome = controller.submit(command, at)
            if not outcome.accepted:
                raise RuntimeError(f"the showcase script was refused: {outcome.rejection}")
        controller.flush()
        log = store.events(session)
        conn = store.conn
        showcase = Showcase(
            bundle=bundle,
            session=session,
            log=log,
            staff=staff_lines(db.all_lines(conn, session, 0, limit=100_000), bundle),
        )
        for role in bundle.scenario.roles:
            showcase.lines[role] = db.role_lines(conn, session, role, 0, limit=100_000)
            showcase.briefs[role] = json.loads(db.brief(conn, session, role) or "{}")
    return showcase
