"""The shipped content holds up in play: decisions matter, and nothing in it is dead weight.

Every shipped scenario is simulated with each bot policy and several seeds: across those runs
every inject is delivered and every phase reached; best play scores above worst play and ends in
a different situation. (That every option is scored and every criterion expected or scored is
checked statically by `exercise validate --strict`, in the validator features.)
"""

from __future__ import annotations

import functools
import heapq
import re
from dataclasses import dataclass, field

import pytest
from fixtures.shipped import played

from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.content_path import DEFAULT_SCENARIO, shipped_root
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring import score
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

SHIPPED = load_catalog()
SCENARIOS = sorted(SHIPPED.scenarios)
SEEDS = (1, 2, 3, 4, 5)


def play(bundle: Bundle, policy: str, seed: int) -> tuple[sim.SimulationRun, float]:
    with Store(":memory:", synchronous="OFF") as store:
        controller = sim.start(store, bundle, seed, policy)
        run = sim.run(controller, policy)
        overall = score(bundle, store.events(controller.session_id)).overall
        return run, overall


def test_the_default_scenario_is_shipped() -> None:
    assert "kallen-early-warning" in SCENARIOS


MIN_WALL_MINUTES = 8  # a syndicate reads, discusses and answers one decision


def test_every_decision_of_the_default_scenario_leaves_the_table_eight_wall_minutes() -> None:
    """At its own speed, the default scenario gives every decision at least eight wall minutes,
    except the snap decisions it marks as time pressure; and it has a few of those."""
    scenario = SHIPPED.bundle(DEFAULT_SCENARIO).scenario
    assert scenario.clock.mode == "realtime"
    short, snaps = [], []
    for inject in scenario.injects:
        respond = inject.respond
        if respond is None or respond.due is None:
            continue
        wall_minutes = respond.due / 60 / scenario.clock.speed
        if respond.time_pressure:
            snaps.append(inject.id)
        elif wall_minutes < MIN_WALL_MINUTES:
            short.append(f"{inject.id}: {wall_minutes:.1f} wall minutes")
    assert not short, short
    assert snaps, "a tabletop has a snap decision or two"


SNAP_WALL_MINUTES = 3  # a snap decision: two or three minutes at the table
RUNS = [("best", 1), ("worst", 1)] + [("random", seed) for seed in SEEDS]


@functools.cache
def default_run(policy: str, seed: int) -> list[ev.Recorded]:
    """The log of one headless run of the default scenario (shared by the wall-time tests)."""
    return played(DEFAULT_SCENARIO, policy, seed).log


@dataclass(order=True)
class Decision:
    """One decision a seat's table has to take, in wall minutes from STARTEX."""

    deadline: float
    arrives: float = field(compare=False)
    work: float = field(compare=False)
    inject: str = field(compare=False)


def late_answers(decisions: list[Decision], endex: float) -> list[tuple[str, float]]:
    """The decisions a table finishes after their due or after ENDEX, and by how much, when it
    works on one at a time and always on the most urgent (a new, more urgent one interrupts):
    the earliest-deadline-first order, which keeps every deadline whenever any order can."""
    pending = sorted(decisions, key=lambda d: d.arrives)
    ready: list[Decision] = []
    late: list[tuple[str, float]] = []
    now = 0.0
    while pending or ready:
        if not ready:
            now = max(now, pending[0].arrives)
        while pending and pending[0].arrives <= now:
            heapq.heappush(ready, pending.pop(0))
        next_arrival = pending[0].arrives if pending else float("inf")
        current = ready[0]
        spent = min(current.work, next_arrival - now)
        now += spent
        current.work -= spent
        if current.work <= 1e-9:
            heapq.heappop(ready)
            over = now - min(current.deadline, endex)
            if over > 1e-9:
                late.append((current.inject, round(over, 1)))
    return late


def test_a_table_keeps_up_with_the_default_scenarios_decisions() -> None:
    """Enough wall time for each decision is not enough if they come together: a seat's table,
    spending eight wall minutes on each decision (three on a snap decision) and the most urgent
    first, answers every one by its due and before ENDEX, in best, worst and random runs at the
    scenario's own speed."""
    bundle = SHIPPED.bundle(DEFAULT_SCENARIO)
    scenario = bundle.scenario
    assert scenario.clock.duration is not None
    wall = 60 * scenario.clock.speed  # scenario seconds per wall minute
    endex = scenario.clock.duration / wall
    late = {}
    for policy, seed in RUNS:
        seats: dict[str, list[Decision]] = {}
        for record in default_run(policy, seed):
            delivery = record.event
            if not isinstance(delivery, ev.InjectDelivered) or delivery.order is None:
                continue
            respond = scenario.inject(delivery.inject).respond
            assert respond is not None and respond.due is not None
            arrives = delivery.t / wall
            due = respond.due / wall
            work = min(due, SNAP_WALL_MINUTES) if respond.time_pressure else MIN_WALL_MINUTES
            for role in delivery.order:
                seats.setdefault(role, []).append(
                    Decision(arrives + due, arrives, work, delivery.inject)
                )
        for role, decisions in seats.items():
            if found := late_answers(decisions, endex):
                late[(policy, seed, role)] = found
    assert not late, late


def test_a_table_late_on_piled_up_decisions_is_found() -> None:
    """Two decisions due ten minutes after they arrive together cannot both take eight."""
    together = [Decision(10.0, 0.0, 8.0, "INJ-A"), Decision(10.0, 0.0, 8.0, "INJ-B")]
    assert late_answers(together, endex=60.0) == [("INJ-B", 6.0)]
    snap = [Decision(30.0, 0.0, 8.0, "INJ-A"), Decision(6.0, 2.0, 3.0, "INJ-SNAP")]
    assert late_answers(snap, endex=60.0) == []
    assert late_answers([Decision(20.0, 10.0, 8.0, "INJ-A")], endex=15.0) == [("INJ-A", 3.0)]


HEADER_PLAY = re.compile(r"(\d+) h (\d+) min of\s*#?\s*play")
HEADER_PHASE = re.compile(r"^#\s+(prevent|react|rebuild)\s.*?\((\d+)-(\d+) min", re.MULTILINE)


def test_the_default_scenario_runs_the_wall_time_its_header_states() -> None:
    """The facilitator plans the day from the scenario's header: its minutes of play are the
    clock's, and every run spends in each phase what the header says (prevent and react until
    the next phase, rebuild until ENDEX)."""
    bundle = SHIPPED.bundle(DEFAULT_SCENARIO)
    clock = bundle.scenario.clock
    assert clock.duration is not None
    wall = 60 * clock.speed
    header = (shipped_root() / "scenarios" / f"{DEFAULT_SCENARIO}.yaml").read_text()
    header = header[: header.index("\nformat:")]
    stated = HEADER_PLAY.search(header)
    assert stated is not None, "the header states the minutes of play"
    assert int(stated[1]) * 60 + int(stated[2]) == clock.duration / wall
    ranges = {m[1]: (int(m[2]), int(m[3])) for m in HEADER_PHASE.finditer(header)}
    assert set(ranges) == set(PLAY_PHASES), ranges
    outside = []
    for policy, seed in RUNS:
        log = default_run(policy, seed)
        entries = [(r.event.phase, r.event.t) for r in log if isinstance(r.event, ev.PhaseEntered)]
        for phase, (low, high) in ranges.items():
            at = next(i for i, (p, _) in enumerate(entries) if p == phase)
            until = clock.duration if phase == "rebuild" else entries[at + 1][1]
            minutes = (until - entries[at][1]) / wall
            if not low <= minutes <= high:
                outside.append((policy, seed, phase, minutes))
    assert not outside, outside


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_best_play_scores_above_worst_and_ends_differently(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    best, best_score = play(bundle, "best", 7)
    worst, worst_score = play(bundle, "worst", 7)
    assert best_score > worst_score
    assert best.controller.state.variables != worst.controller.state.variables
    assert not best.rejections and not worst.rejections


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_inject_is_delivered_and_every_phase_reached_in_some_run(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    delivered: set[str] = set()
    for policy in ("best", "worst", "random"):
        for seed in SEEDS if policy == "random" else (1,):
            run, _ = play(bundle, policy, seed)
            state = run.controller.state
            delivered |= set(state.first_delivery)
            reached = {phase for phase, _ in state.phase_entries}
            assert set(PLAY_PHASES) <= reached, (policy, seed, reached)
    never = [i.id for i in bundle.scenario.injects if i.id not in delivered]
    assert not never, f"never delivered in any run: {never}"
