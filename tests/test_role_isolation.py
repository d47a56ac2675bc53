"""Role isolation in the data: hypothesis plays sessions and checks every event each role reads.

A seat reads the log only through ``store.live.role_lines`` (its role's rows, each as that role's
view). For every generated session and every role, what it reads must be exactly what it may see
(no more: never another role's deliveries, answers, messages or shares not addressed to it, the
evaluators' observations, the MSEL ahead, another role's chosen option; no less: every event
whose audience includes it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livetools import check_role_reading

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.visibility import EVERYONE
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store
from exercise_engine.store.live import brief, role_lines

CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_catalog([CONTENT], include_content_path=False).bundle("harbour-test")


def play(bundle: Bundle, data: st.DataObject) -> tuple[Store, ExerciseController]:
    """A session driven by hypothesis: seats answer, message and share what they received,
    the controller sends injects (scenario and ad-hoc), evaluators rate, the clock runs."""
    store = Store(":memory:", synchronous="OFF")
    controller = ExerciseController.create(store, bundle, seed=data.draw(st.integers(0, 9)))
    roles = list(bundle.scenario.roles)
    injects = [i.id for i in bundle.scenario.injects]
    now = 0
    controller.submit(cmd.StartPlay(), now)
    for _ in range(data.draw(st.integers(3, 25), label="steps")):
        now += data.draw(st.integers(0, 3600), label="wait")
        state = controller.state
        role = data.draw(st.sampled_from(roles), label="role")
        seat = cmd.Actor.player(role, seat=f"seat-{role}")
        received = sorted(i for (i, r) in state.deliveries if r == role)
        others = st.lists(st.sampled_from(roles), min_size=1, max_size=3, unique=True)
        action = data.draw(
            st.sampled_from(["respond", "message", "share", "send", "adhoc", "observe", "tick"])
        )
        if action == "respond" and received:
            inject = data.draw(st.sampled_from(received))
            found = bundle.scenario.inject(inject)
            options = [o.id for o in found.respond.options] if found and found.respond else []
            command: cmd.Command = cmd.Respond(
                actor=seat,
                inject=inject,
                option=data.draw(st.sampled_from(options)) if options else None,
                text="" if options else "Our own course of action.",
                rationale="Because the doctrine says so.",
            )
        elif action == "message":
            about = data.draw(st.sampled_from([None, *received]))
            command = cmd.SendMessage(
                actor=seat, to=data.draw(others), body="Coordination note.", inject=about
            )
        elif action == "share" and received:
            command = cmd.ShareInformation(
                actor=seat, to=data.draw(others), inject=data.draw(st.sampled_from(received))
            )
        elif action == "send":
            command = cmd.SendInject(
                inject=data.draw(st.sampled_from(injects)), to=data.draw(others)
            )
        elif action == "adhoc":
            command = cmd.SendInject(
                title="Roadblock reported",
                body="Ad hoc.",
                to=data.draw(others),
                prompt=data.draw(st.sampled_from(["", "What now?"])),
            )
        elif action == "observe":
            command = cmd.RecordObservation(
                actor=cmd.Actor.evaluator("Ana"), criterion="UND-1", role=role, rating="S"
            )
        else:
            command = cmd.AdvanceClock()
        controller.submit(command, now)
    controller.flush()
    return store, controller


def _extra(text: str | None) -> dict[str, object]:
    return json.loads(text) if text else {}


def may_read(row: tuple[str, str], role: str) -> bool:
    _, audience = row
    seeing = json.loads(audience)
    return role in seeing or EVERYONE in seeing


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_event_a_role_reads_is_one_it_may_see(bundle: Bundle, data: st.DataObject) -> None:
    store, controller = play(bundle, data)
    session = controller.session_id
    stored = {
        seq: (kind, audience)
        for seq, kind, audience in store.conn.execute(
            "SELECT seq, type, audience FROM events WHERE session_id = ?", (session,)
        )
    }
    delivered_answer = {
        (r.event.inject, role)
        for r in store.events(session, types=["InjectDelivered"])
        for role in r.event.answer
    }
    for role in bundle.scenario.roles:
        lines = role_lines(store.conn, session, role, 0, limit=1_000_000)
        check_role_reading(
            role,
            [
                (line.seq, line.type, line.role, json.loads(line.payload), _extra(line.extra))
                for line in lines
            ],
            bundle,
            {seq for seq, row in stored.items() if may_read(row, role)},
            delivered_answer,
        )
        # the MSEL ahead: the only inject texts a role reads are of injects it was sent or shown
        shown = {
            json.loads(line.extra)["inject"]["id"]
            for line in lines
            if line.extra and "inject" in json.loads(line.extra)
        }
        assert shown <= {i for (i, r) in controller.state.deliveries if r == role} | {
            json.loads(line.payload)["inject"] for line in lines if line.type == "InformationShared"
        }
        role_brief = brief(store.conn, session, role)
        assert role_brief is not None and json.loads(role_brief)["role"]["id"] == role
        for inject in bundle.scenario.injects:
            assert inject.title not in role_brief and inject.id not in role_brief
    store.close()
