"""The agenda: when timed injects fall due, derived from the state and kept incrementally.

``at`` injects fall due at their phase entry plus offset, ``after`` injects at their reference's
first delivery plus delay. The agenda is a heap of those instants. It is a cache, never a source
of truth: ``Agenda.build`` derives it from any state (after a restart, from the folded log), and
the engine keeps it current by feeding it the events it emits.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from exercise_engine.engine import events as ev
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.scenario import PLAY_PHASES, Scenario


@dataclass(frozen=True)
class Timing:
    """The static timing facts of a scenario, indexed for the agenda."""

    order: dict[str, int]
    phase_of: dict[str, str | None]
    at_by_phase: dict[str, list[tuple[int, str]]]
    after_by_ref: dict[str, list[tuple[int, str]]]
    at_injects: frozenset[str]

    @classmethod
    def of(cls, scenario: Scenario) -> Timing:
        at_by_phase: dict[str, list[tuple[int, str]]] = {p: [] for p in PLAY_PHASES}
        after_by_ref: dict[str, list[tuple[int, str]]] = {}
        for inject in scenario.injects:
            offset = scenario.offset(inject)
            if offset is not None and inject.phase is not None:
                at_by_phase[inject.phase].append((offset, inject.id))
            if inject.after is not None:
                after_by_ref.setdefault(inject.after.inject, []).append(
                    (inject.after.delay, inject.id)
                )
        return cls(
            order={i.id: n for n, i in enumerate(scenario.injects)},
            phase_of={i.id: i.phase for i in scenario.injects},
            at_by_phase=at_by_phase,
            after_by_ref=after_by_ref,
            at_injects=frozenset(i.id for i in scenario.injects if i.at is not None),
        )


@dataclass
class Agenda:
    timing: Timing
    heap: list[tuple[int, int, str]] = field(default_factory=list)
    waiting: dict[str, set[str]] = field(default_factory=dict)  # phase -> matured injects
    moved: dict[str, int] = field(default_factory=dict)
    """Injects the controller rescheduled -> their time; their other entries are stale."""

    @classmethod
    def build(
        cls, timing: Timing, state: ExerciseState, complete: Callable[[ExerciseState, str], bool]
    ) -> Agenda:
        """The agenda of ``state``, skipping injects already delivered to all their roles."""
        agenda = cls(timing)
        if state.phase in PLAY_PHASES:
            agenda._enter(state.phase, state.phase_entered_at)
        for inject, t in state.first_delivery.items():
            agenda._followers(inject, t)
        for inject, at in state.rescheduled.items():
            agenda.move(inject, at)
        agenda.heap = [item for item in agenda.heap if not complete(state, item[2])]
        heapq.heapify(agenda.heap)
        return agenda

    def _push(self, t: int, inject: str) -> None:
        heapq.heappush(self.heap, (t, self.timing.order.get(inject, 0), inject))

    def _enter(self, phase: str, t: int) -> None:
        for offset, inject in self.timing.at_by_phase.get(phase, ()):
            self._push(t + offset, inject)
        for inject in sorted(
            self.waiting.pop(phase, ()), key=lambda i: self.timing.order.get(i, 0)
        ):
            self._push(t, inject)

    def move(self, inject: str, at: int) -> None:
        """The controller's time for ``inject`` replaces its own timing."""
        self.moved[inject] = at
        for matured in self.waiting.values():
            matured.discard(inject)
        self._push(at, inject)

    def scheduled(self, inject: str) -> int | None:
        """When ``inject`` is scheduled now, if it is (earliest entry that is not stale)."""
        moved = self.moved.get(inject)
        if moved is not None:
            return moved
        times = [t for t, _, i in self.heap if i == inject]
        return min(times) if times else None

    def _followers(self, inject: str, t: int) -> None:
        for delay, follower in self.timing.after_by_ref.get(inject, ()):
            self._push(t + delay, follower)

    def observe(self, event: ev.Event, first_delivery: bool) -> None:
        """Keep the agenda current with an event the engine has just applied."""
        if isinstance(event, ev.PhaseEntered) and event.phase in PLAY_PHASES:
            self.heap = [item for item in self.heap if self._keeps(item[2])]
            heapq.heapify(self.heap)
            self._enter(event.phase, event.t)
        elif isinstance(event, ev.InjectDelivered) and first_delivery:
            self._followers(event.inject, event.t)
        elif isinstance(event, ev.InjectRescheduled):
            self.move(event.inject, event.at)

    def _keeps(self, inject: str) -> bool:
        # `at` timings belong to one entry into their phase; everything else stays scheduled,
        # and so does a time the controller set.
        return inject not in self.timing.at_injects or inject in self.moved

    def next_time(self) -> int | None:
        return self.heap[0][0] if self.heap else None

    def due(self, now: int, phase: str) -> list[str]:
        """Injects due by ``now`` that may be delivered in ``phase``, in scenario order."""
        ready: list[str] = []
        while self.heap and self.heap[0][0] <= now:
            t, _, inject = heapq.heappop(self.heap)
            moved = self.moved.get(inject)
            if moved is not None:
                if t == moved:
                    ready.append(inject)  # the controller's time holds in any phase
                continue
            home = self.timing.phase_of.get(inject)
            if home is None or home == phase:
                ready.append(inject)
            elif inject not in self.timing.at_injects:
                self.waiting.setdefault(home, set()).add(inject)
        return ready
