"""Which injects some run can deliver, and by which path: reachability worked out statically.

A designer wants to know, before a course, that every branch of the MSEL can happen and what
has to happen for it to: "INJ-007: prevent entered at STARTEX; INJ-001 at +30m into prevent;
option A of INJ-001 (un_mission) triggers it". The validator's "can never be delivered" warning
(analysis.py) and ``exercise preview`` read the same routes.

The analysis is optimistic where the engine cannot be: a ``when`` condition is taken to be able
to hold, and any transition to be able to fire, so an inject reported unreachable truly is
(short of the controller sending it), while a reachable one needs the route's decisions and
conditions to come about. Routes are found breadth first, so each is among the shortest.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from exercise_engine.model.durations import format_duration
from exercise_engine.model.expressions import FUNCTIONS
from exercise_engine.model.scenario import Inject, Scenario


@dataclass(frozen=True)
class Step:
    """One link of a route: what happens, and the inject it delivers (None for a phase)."""

    text: str
    inject: str | None = None
    phase: str | None = None


Route = tuple[Step, ...]


def phase_routes(scenario: Scenario, start: str = "prevent") -> dict[str, Route]:
    """Each phase play can reach from ``start``, with the transitions that lead there."""
    routes: dict[str, Route] = {start: (Step(f"{start} begins at STARTEX", phase=start),)}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for phase in frontier:
            for transition in scenario.phases[phase].next:
                if transition.to in routes:
                    continue
                how = f"when {transition.when}" if transition.when else "by the controller"
                step = Step(f"{phase} -> {transition.to} {how}", phase=transition.to)
                routes[transition.to] = (*routes[phase], step)
                nxt.append(transition.to)
        frontier = nxt
    return routes


def reachable_phases(scenario: Scenario, start: str = "prevent") -> set[str]:
    """Phases play can reach from ``start`` (itself included) along the declared transitions."""
    return set(phase_routes(scenario, start))


MAX_ALTERNATIVES = 64


@lru_cache(maxsize=4096)
def requirements(condition: str) -> tuple[frozenset[str], ...]:
    """The ways a condition can hold, as the sets of injects each needs delivered: ``chose('A',
    ...) and (delivered('B') or x > 3)`` needs {A, B} or {A}. A query under ``not`` needs
    nothing (it holds while the inject is absent). One empty set: the condition needs no
    inject. (The expression was checked when its file was loaded.)"""
    try:
        tree = ast.parse(condition.strip(), mode="eval").body
    except SyntaxError:
        return (frozenset(),)
    return tuple(_needs(tree))


def _needs(node: ast.AST) -> list[frozenset[str]]:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return [frozenset({str(node.args[0].value)})]
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        ways = [way for value in node.values for way in _needs(value)]
        return _fewest(ways)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        ways = [frozenset()]
        for value in node.values:
            ways = _fewest([a | b for a in ways for b in _needs(value)])
        return ways
    return [frozenset()]


def _fewest(ways: list[frozenset[str]]) -> list[frozenset[str]]:
    unique = sorted(set(ways), key=lambda w: (len(w), sorted(w)))
    return unique[:MAX_ALTERNATIVES]


def _can_follow(scenario: Scenario, source: Inject, phase: str | None) -> bool:
    """Whether play can still be in ``phase`` once ``source`` has been delivered."""
    if phase is None or source.phase is None:
        return True
    return phase in reachable_phases(scenario, source.phase)


class _Finder:
    def __init__(self, scenario: Scenario, control: Collection[str]):
        self.s = scenario
        self.control = control
        self.phases = phase_routes(scenario)
        self.triggers: dict[str, list[tuple[Inject | None, str, str]]] = {}
        for inject in scenario.injects:
            for option in inject.respond.options if inject.respond else []:
                roles = ", ".join(scenario.responders(inject, control)) or "a receiving role"
                text = f"option {option.id} of {inject.id} ({roles}) triggers it"
                for target in option.triggers:
                    self.triggers.setdefault(target, []).append((inject, text, ""))
        for n, rule in enumerate(scenario.rules):
            name = f"rule {rule.id}" if rule.id else f"rule {n + 1}"
            for target in rule.triggers:
                text = f"{name} ({rule.when})"
                self.triggers.setdefault(target, []).append((None, text, rule.when))

    def within(self, inject: Inject) -> Route:
        """The route into the inject's phase (nothing for an inject of any phase)."""
        return self.phases[inject.phase] if inject.phase else ()

    def needed(self, condition: str, phase: str | None, found: dict[str, Route]) -> Route | None:
        """What must have happened for ``condition`` to hold in ``phase``: the route of the
        injects it reads, along the first way it can hold with them found (``()`` when it
        reads none); None when no way can hold yet."""
        for way in requirements(condition):
            sources = [self.s.inject(i) for i in sorted(way)]
            if all(
                src is not None and src.id in found and _can_follow(self.s, src, phase)
                for src in sources
            ):
                route: list[Step] = []
                for src in sources:
                    route += [step for step in found[src.id] if step not in route]  # type: ignore[union-attr]
                return tuple(route)
        return None

    def joined(self, before: Route, inject: Inject) -> Route:
        """What a condition needed, then the way into the inject's phase (each step once)."""
        return (*before, *(step for step in self.within(inject) if step not in before))

    def route(self, inject: Inject, found: dict[str, Route]) -> Route | None:
        """A route to ``inject`` from what is already ``found``, or None (not yet)."""
        if inject.phase and inject.phase not in self.phases:
            return None
        here = inject.id
        if inject.before_startex is not None:
            early = format_duration(inject.before_startex)
            return (Step(f"{here} read ahead at the briefing ({early} before STARTEX)", here),)
        if inject.at is not None:
            into = f" into module {inject.module}" if inject.module else ""
            step = Step(f"{here} at +{format_duration(inject.at)}{into}", here)
            return (*self.within(inject), step)
        if inject.when is not None:
            before = self.needed(inject.when, inject.phase, found)
            if before is None:
                return None
            return (*self.joined(before, inject), Step(f"{here} when {inject.when}", here))
        if inject.after is not None:
            ref = self.s.inject(inject.after.inject)
            if ref is None or ref.id not in found or not _can_follow(self.s, ref, inject.phase):
                return None
            delay = format_duration(inject.after.delay)
            return (*found[ref.id], Step(f"{here} {delay} after {ref.id}", here))
        for source, text, condition in self.triggers.get(here, ()):
            if source is None:
                before = self.needed(condition, inject.phase, found)
                if before is None:
                    continue
                return (*self.joined(before, inject), Step(f"{here}: {text}", here))
            if source.id in found and _can_follow(self.s, source, inject.phase):
                return (*found[source.id], Step(f"{here}: {text}", here))
        return None


def inject_routes(scenario: Scenario, control: Collection[str] = ()) -> dict[str, Route]:
    """Every inject some run can deliver without the controller sending it, with a shortest
    route to it (the phase transitions, timings, decisions and rules it takes)."""
    finder = _Finder(scenario, control)
    found: dict[str, Route] = {}
    while True:
        fresh = {}
        for inject in scenario.injects:
            if inject.id in found:
                continue
            route = finder.route(inject, found)
            if route is not None:
                fresh[inject.id] = route
        if not fresh:
            return found
        found.update(fresh)


def deliverable_injects(scenario: Scenario) -> set[str]:
    """Injects some run can deliver without the controller sending them by hand."""
    return set(inject_routes(scenario))
