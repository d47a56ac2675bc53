"""Whatever seats send, the engine answers with events or a reason, never an exception,
and the state stays the fold of the events it returned."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.state import fold
from exercise_engine.model.bundle import Bundle

ROLES = ["host_state", "un_mission", "military", "police", "humanitarian", "nobody", ""]
INJECTS = ["I-01", "I-04", "I-06", "ADHOC-1", "I-99", ""]
TEXT = st.text(max_size=30)

actors = st.one_of(
    st.just(cmd.Actor.controller()),
    st.builds(cmd.Actor.player, st.sampled_from(ROLES)),
    st.builds(cmd.Actor.evaluator, TEXT),
    st.builds(
        cmd.Actor,
        st.sampled_from(["controller", "player", "evaluator", "stranger"]),
        st.sampled_from([*ROLES, None]),
    ),
)
commands = st.one_of(
    st.builds(cmd.StartBriefing, actor=actors),
    st.builds(cmd.StartPlay, actor=actors),
    st.builds(cmd.AdvanceClock, actor=actors, to=st.one_of(st.none(), st.integers(-10, 90_000))),
    st.builds(cmd.Pause, actor=actors),
    st.builds(cmd.Resume, actor=actors),
    st.builds(
        cmd.SetSpeed, actor=actors, speed=st.one_of(st.floats(-5, 200_000), st.just(float("nan")))
    ),
    st.builds(cmd.NextMove, actor=actors),
    st.builds(
        cmd.ForcePhase,
        actor=actors,
        phase=st.sampled_from(["prevent", "react", "rebuild", "debrief", "setup", "x"]),
    ),
    st.builds(cmd.HoldPhase, actor=actors, hold=st.booleans()),
    st.builds(
        cmd.SendInject,
        actor=actors,
        inject=st.one_of(st.none(), st.sampled_from(INJECTS)),
        to=st.one_of(st.none(), st.lists(st.sampled_from([*ROLES, "all"]), max_size=3)),
        title=TEXT,
        channel=st.sampled_from(["radio", "fax", "report"]),
        due=st.one_of(st.none(), st.integers(0, 7200)),
    ),
    st.builds(
        cmd.Respond,
        actor=actors,
        inject=st.sampled_from(INJECTS),
        option=st.one_of(st.none(), st.sampled_from(["A", "B", "Z"])),
        text=TEXT,
        rationale=TEXT,
    ),
    st.builds(
        cmd.SendMessage,
        actor=actors,
        to=st.lists(st.sampled_from([*ROLES, "all"]), max_size=3),
        body=TEXT,
        inject=st.one_of(st.none(), st.sampled_from(INJECTS)),
    ),
    st.builds(
        cmd.ShareInformation,
        actor=actors,
        to=st.lists(st.sampled_from(ROLES), max_size=3),
        inject=st.sampled_from(INJECTS),
        note=TEXT,
    ),
    st.builds(
        cmd.RecordObservation,
        actor=actors,
        criterion=st.sampled_from(["UND-1", "PRO-1", "NOPE"]),
        role=st.sampled_from(ROLES),
        rating=st.sampled_from(["P", "S", "M", "U", "N/O", "X"]),
        note=TEXT,
        inject=st.one_of(st.none(), st.sampled_from(INJECTS)),
    ),
    st.builds(cmd.EndExercise, actor=actors),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(script=st.lists(st.tuples(commands, st.integers(0, 80_000)), max_size=40))
def test_any_command_sequence_is_answered_without_exceptions(harbour: Bundle, script: list) -> None:
    engine = Engine(harbour)
    state = engine.initial_state()
    log = engine.create(state, seed=1)
    for command, now in [(cmd.StartPlay(), 0), *script]:
        outcome = engine.handle(state, command, now)
        assert outcome.accepted or outcome.rejection
        log += outcome.events
    rebuilt = fold(harbour.scenario, [Recorded(seq, e) for seq, e in enumerate(log, 1)])
    assert rebuilt == state
    times = [e.t for e in log]
    assert times == sorted(times)
