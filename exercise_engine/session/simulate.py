"""Headless simulation: a whole session with a bot in every seat, as fast as the engine goes.

The bot controller advances the clock to the next moment anything can happen, lets the bots act
when their answers fall due, and, when nothing more can happen, takes the phase's controller-only
transition or ends the exercise. Decisions depend only on the state and the seed, so a run is
reproducible event for event and a killed run resumed from its database ends exactly like an
uninterrupted one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.bots import BotTeam
from exercise_engine.engine.engine import Outcome
from exercise_engine.engine.state import SETUP
from exercise_engine.errors import UserError
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.durations import format_duration
from exercise_engine.model.limits import MAX_PHASE_ENTRIES, horizon, step_budget
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring import score
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store, StoreError

SIMULATION_COMMIT_EVERY = 512

Progress = Callable[[int, int, str], None]  # (scenario seconds, events, phase)


@dataclass
class SimulationRun:
    controller: ExerciseController
    policy: str
    rejections: list[tuple[str, str]] = field(default_factory=list)


def resume(
    store: Store, session_id: str | None = None, scenario: str | None = None
) -> tuple[ExerciseController, str]:
    """Reopen an unfinished simulation (the latest, or ``session_id``) with its own policy."""
    if session_id is not None:
        record = store.session(session_id)
    else:
        candidates = [
            s
            for s in store.sessions()
            if s.status in ("created", "running") and scenario in (None, s.scenario_id)
        ]
        if not candidates:
            raise StoreError(f"{store.path} holds no unfinished simulation to resume")
        record = candidates[-1]
    controller = ExerciseController.resume(store, record.id, commit_every=SIMULATION_COMMIT_EVERY)
    return controller, record.policy or "best"


def play_to_debrief(
    controller: ExerciseController, policy: str, progress: Progress | None = None
) -> dict[str, Any]:
    """Run the session to the debrief, score it, and return the ``--json`` summary."""
    controller.store.set_status(controller.session_id, "running", controller.state.t)
    played = run(controller, policy, progress)
    log = controller.store.events(controller.session_id)
    result = summary(controller, policy, round(score(controller.bundle, log).overall, 1))
    result["rejected_commands"] = len(played.rejections)
    return result


def start(
    store: Store,
    bundle: Bundle,
    seed: int,
    policy: str,
    commit_every: int = SIMULATION_COMMIT_EVERY,
) -> ExerciseController:
    return ExerciseController.create(store, bundle, seed, policy=policy, commit_every=commit_every)


def play_in_memory(bundle: Bundle, policy: str = "best", seed: int = 1) -> list[ev.Recorded]:
    """The log of a headless run in a database held in memory (nothing is written to disk):
    the workbench's dry runs and the guessing check play this way."""
    with Store(":memory:", synchronous="OFF") as store:
        controller = start(store, bundle, seed, policy)
        run(controller, policy)
        return list(store.events(controller.session_id))


def run(
    controller: ExerciseController, policy: str, progress: Progress | None = None
) -> SimulationRun:
    """Play the session to the debrief; callable again on a resumed controller."""
    engine = controller.engine
    bots = BotTeam(engine, policy, controller.state.seed)
    result = SimulationRun(controller, policy)
    state = controller.state
    bots.rebuild(state)

    def submit(command: cmd.Command, now: int | None) -> Outcome:
        outcome = controller.submit(command, now)
        bots.observe(controller.state, outcome.events)
        if outcome.rejection:
            result.rejections.append((command.type, outcome.rejection))
        return outcome

    if controller.state.phase == SETUP:
        submit(cmd.StartPlay(), 0)
    cursor = controller.state.t
    budget, limit = step_budget(engine.scenario), horizon(engine.scenario)
    for _ in range(budget):
        state = controller.state
        if not state.in_play:
            break
        if len(state.phase_entries) > MAX_PHASE_ENTRIES:
            raise _runaway(
                controller,
                f"its phases changed {len(state.phase_entries):,} times (a session takes at "
                f"most {MAX_PHASE_ENTRIES:,}): transitions keep flipping; make them wait longer "
                "in each phase or depend on what players do",
            )
        bot_time = bots.next_time()
        if engine.turns:
            if bot_time is not None and bot_time <= state.t:
                for command in bots.pop_due(state.t):
                    submit(command, None)
                continue
            if (
                bot_time is None
                and engine.next_wakeup(state, after=state.t) is None
                and not state.awaiting
            ):
                _conclude(controller, submit, state.t)
                continue
            _within(controller, state.t + (engine.scenario.clock.turn or 0), limit)
            submit(cmd.NextMove(), None)
        else:
            wakeup = engine.next_wakeup(state, after=cursor)
            if bot_time is not None and (wakeup is None or bot_time <= wakeup):
                cursor = max(cursor, bot_time)
                _within(controller, cursor, limit)
                for command in bots.pop_due(bot_time):
                    submit(command, cursor)
            elif wakeup is not None:
                cursor = wakeup
                _within(controller, cursor, limit)
                submit(cmd.AdvanceClock(), cursor)
            else:
                _conclude(controller, submit, cursor)
        if progress is not None:
            progress(controller.state.t, controller.state.seq, controller.state.phase)
    else:
        raise _runaway(
            controller,
            f"{budget:,} steps were not enough (the budget of a scenario of "
            f"{len(engine.scenario.injects):,} injects): something keeps happening without end",
        )
    controller.flush()
    controller.store.set_status(controller.session_id, "debrief", controller.state.t)
    return result


class SimulationRunaway(UserError):
    """A scenario the headless run cannot bring to its end within the horizon and the step
    budget derived from it (model/limits.py)."""


def _within(controller: ExerciseController, t: int, limit: int) -> None:
    """Refuse to set the clock past the scenario's horizon."""
    if t > limit:
        scenario = controller.engine.scenario
        why = "its duration" if scenario.clock.duration else "without clock.duration"
        raise _runaway(
            controller,
            f"its clock would pass {format_duration(limit)} ({why}) to reach "
            f"{format_duration(t)}; set clock.duration or bring the timings in",
        )


def _runaway(controller: ExerciseController, why: str) -> SimulationRunaway:
    """The error, with what was played kept: the log so far is flushed, and can be reported."""
    controller.flush()
    state = controller.state
    return SimulationRunaway(
        f"scenario '{controller.engine.scenario.id}' did not come to an end: {why}. "
        f"Stopped at {controller.engine.clock_label(state.t)} in {state.phase}, after "
        f"{state.seq:,} events (session {controller.session_id})"
    )


def _conclude(
    controller: ExerciseController, submit: Callable[[cmd.Command, int | None], Outcome], now: int
) -> None:
    """Nothing more can happen: take the controller-only way forward, or end the exercise."""
    state = controller.state
    scenario = controller.engine.scenario
    here = PLAY_PHASES.index(state.phase)
    forward = [
        t.to
        for t in scenario.phases[state.phase].next
        if t.when is None and PLAY_PHASES.index(t.to) > here
    ]
    if forward:
        submit(cmd.ForcePhase(phase=forward[0]), now)
    else:
        submit(cmd.EndExercise(reason="quiescent"), now)


def summary(controller: ExerciseController, policy: str, score: float | None) -> dict[str, Any]:
    """The ``--json`` result of a simulation."""
    state = controller.state
    phases: list[str] = []
    for phase, _ in state.phase_entries:
        if phase in PLAY_PHASES and phase not in phases:
            phases.append(phase)
    responses = [d for d in state.deliveries.values() if d.responded_at is not None]
    return {
        "session": controller.session_id,
        "scenario": controller.engine.scenario.id,
        "seed": state.seed,
        "policy": policy,
        "phases_reached": phases,
        "injects_delivered": len(state.first_delivery),
        "responses": len(responses),
        "late_responses": sum(1 for d in responses if d.late),
        "messages": state.messages,
        "information_shared": state.shares,
        "events": state.seq,
        "ended": state.ended_reason,
        "scenario_time": controller.engine.clock_label(state.t, state),
        "final_variables": dict(sorted(state.variables.items())),
        "score": score,
    }
