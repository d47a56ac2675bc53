"""What the engine can hold: the numbers, dates and step counts a scenario may ask for.

A scenario can have the right shape and still ask for what no session can carry: an effect of
``1.7e+308`` overflows an unbounded variable to infinity (not JSON, stored as ``null``), a start
near the year 9999 runs off the calendar, a time threshold of ``'1d' * 10**12`` schedules the
clock where SQLite's integers end, and ``turn: "1s"`` over 366 days is 31 million moves. These
checks refuse such scenarios at validation, with the numbers, and give the headless runner the
horizon and the step budget it keeps to, so that what slips past them (conditions that keep
flipping phases) still ends as a user error, not minutes of CPU and an internal error.
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools

from exercise_engine.model.diagnostics import Diagnostic, DiagnosticList
from exercise_engine.model.durations import format_duration, parse_clock
from exercise_engine.model.expressions import compile_expression, syntax_tree
from exercise_engine.model.scenario import Scenario
from exercise_engine.model.validation_errors import field_path
from exercise_engine.model.yamlsource import Loc, YamlDocument

MAX_MAGNITUDE = 1e12
"""Largest size of a variable's initial value, bounds and effects (as for numbers in
expressions): a million such numbers still sum far below what a float holds."""
MAX_HORIZON = 10 * 366 * 86_400
"""Scenario time a session may reach when the scenario sets no ``clock.duration``."""
CALENDAR_END = dt.datetime(9999, 12, 31, 23, 59)
MAX_MOVES = 10_000
"""Moves of a turn-mode scenario: a year of daily moves is 366."""
MAX_PHASE_ENTRIES = 1_000
"""Phases entered in one session: relapses between react and rebuild, a few dozen at most."""
STEPS_PER_DELIVERY = 10
BASE_STEPS = 10_000


def horizon(scenario: Scenario) -> int:
    """The scenario time no session goes past: its ENDEX, or ten years."""
    return scenario.clock.duration or MAX_HORIZON


def step_budget(scenario: Scenario) -> int:
    """Commands a headless run may take: ten per possible delivery (answers, messages, clock
    moves), every move of a turn-mode horizon, and a base for phases and thresholds. Real
    runs take about 3.7 per inject (a 5,000-inject scenario: 18,458 steps)."""
    deliveries = sum(len(scenario.receivers(i)) for i in scenario.injects)
    moves = 0
    if scenario.clock.mode == "turns" and scenario.clock.turn:
        moves = min(horizon(scenario) // scenario.clock.turn, MAX_MOVES) + 1
    return BASE_STEPS + STEPS_PER_DELIVERY * deliveries + moves


def check_limits(scenario: Scenario, document: YamlDocument) -> list[Diagnostic]:
    """Errors for what the engine cannot hold; warnings for conditions that never change."""
    out = DiagnosticList()
    _numbers(scenario, document, out)
    _calendar(scenario, document, out)
    _thresholds(scenario, document, out)
    _moves(scenario, document, out)
    _phase_flips(scenario, document, out)
    _constant_conditions(scenario, document, out)
    return out.items


def _error(out: DiagnosticList, document: YamlDocument, loc: Loc, message: str) -> None:
    out.error(document.position(loc), message, field_path(loc), "engine-limit")


# -- numbers --------------------------------------------------------------------------------------


def _numbers(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    def check(loc: Loc, value: float, what: str) -> None:
        if abs(value) > MAX_MAGNITUDE:
            _error(
                out,
                document,
                loc,
                f"{what} {value:g} is beyond what a session can hold (at most "
                f"{MAX_MAGNITUDE:,.0f} either way); use smaller units, like thousands of people",
            )

    for name, variable in scenario.variables.items():
        for part in ("initial", "min", "max"):
            value = getattr(variable, part)
            if value is not None:
                check(("variables", name, part), value, f"'{name}' {part}")
    for i, inject in enumerate(scenario.injects):
        for o, option in enumerate(inject.respond.options if inject.respond else []):
            for name, delta in option.effects.items():
                loc = ("injects", i, "respond", "options", o, "effects", name)
                check(loc, delta, f"the effect on '{name}' of")
    for k, rule in enumerate(scenario.rules):
        for name, delta in rule.effects.items():
            check(("rules", k, "effects", name), delta, f"the effect on '{name}' of")


# -- time -----------------------------------------------------------------------------------------


def _horizon_words(scenario: Scenario) -> str:
    if scenario.clock.duration:
        return f"its duration of {format_duration(scenario.clock.duration)}"
    return f"the {format_duration(MAX_HORIZON)} a session without clock.duration may last"


def _calendar(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    if not scenario.clock.start:
        return
    start = parse_clock(scenario.clock.start)
    room = int((CALENDAR_END - start).total_seconds())
    if horizon(scenario) > room:
        _error(
            out,
            document,
            ("clock", "start"),
            f"the scenario clock would run past the end of the calendar (year 9999): from "
            f"{scenario.clock.start}, {_horizon_words(scenario)} reaches beyond "
            f"{CALENDAR_END:%Y-%m-%d %H:%M}; start earlier"
            + ("" if scenario.clock.duration else " or set clock.duration"),
        )


def _conditions(scenario: Scenario) -> list[tuple[Loc, str, str]]:
    """Every condition with its location and what it governs."""
    found: list[tuple[Loc, str, str]] = []
    for name, phase in scenario.phases.items():
        for k, transition in enumerate(phase.next):
            if transition.when:
                what = f"the transition {name} -> {transition.to}"
                found.append((("phases", name, "next", k, "when"), transition.when, what))
    for i, inject in enumerate(scenario.injects):
        if inject.when:
            found.append((("injects", i, "when"), inject.when, f"inject {inject.id}"))
    for k, rule in enumerate(scenario.rules):
        found.append((("rules", k, "when"), rule.when, f"rule {rule.id or k + 1}"))
    return found


def _thresholds(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    limit = horizon(scenario)
    for loc, source, _what in _conditions(scenario):
        for name, seconds in compile_expression(source).time_thresholds:
            if seconds > MAX_HORIZON:
                _error(
                    out,
                    document,
                    loc,
                    f"'{name}' is compared with {_seconds(seconds)}, beyond the "
                    f"{format_duration(MAX_HORIZON)} any session may last: the clock cannot "
                    "be set there",
                )
            elif seconds > limit:
                out.warning(
                    document.position(loc),
                    f"'{name}' is compared with {format_duration(seconds)}, beyond "
                    f"{_horizon_words(scenario)}: this part of the condition never holds",
                    field_path(loc),
                    "beyond-horizon",
                )


def _seconds(seconds: int) -> str:
    if seconds <= 10 * MAX_HORIZON:
        return format_duration(seconds)
    return f"{seconds:,} seconds (about {seconds / (366 * 86_400):.2g} years)"


def _moves(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    clock = scenario.clock
    if clock.mode != "turns" or not clock.turn or not clock.duration:
        return
    moves = clock.duration // clock.turn
    if moves > MAX_MOVES:
        _error(
            out,
            document,
            ("clock", "turn"),
            f"a turn of {format_duration(clock.turn)} over {format_duration(clock.duration)} "
            f"makes {moves:,} moves; a session plays at most {MAX_MOVES:,} "
            "(make the turn longer or the duration shorter)",
        )


def _phase_flips(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    """Phases that can take turns faster than play can follow: a cycle of transitions each
    waiting only a few seconds in its phase, over a long horizon."""
    dwell: dict[tuple[str, str], tuple[int, Loc]] = {}
    for name, phase in scenario.phases.items():
        for k, transition in enumerate(phase.next):
            if transition.when:
                wait = min_time_in_phase(transition.when)
                key = (name, transition.to)
                loc: Loc = ("phases", name, "next", k, "when")
                dwell[key] = min(dwell.get(key, (wait, loc)), (wait, loc))
    seen: set[frozenset[tuple[str, str]]] = set()
    for size in (2, 3):
        for cycle in itertools.permutations(sorted(scenario.phases), size):
            edges = [(cycle[i], cycle[(i + 1) % size]) for i in range(size)]
            if not all(e in dwell for e in edges) or frozenset(edges) in seen:
                continue
            seen.add(frozenset(edges))
            period = sum(dwell[e][0] for e in edges)
            if period == 0:
                continue  # conditions on the situation: the run's own budget watches those
            entries = horizon(scenario) // period * size
            if entries > MAX_PHASE_ENTRIES:
                names = " -> ".join([*cycle, cycle[0]])
                _error(
                    out,
                    document,
                    dwell[edges[0]][1],
                    f"phases {names} can take turns every {format_duration(period)}: up to "
                    f"{entries:,} phase changes in {_horizon_words(scenario)}, and a session "
                    f"takes at most {MAX_PHASE_ENTRIES:,}; make the transitions wait longer "
                    "in each phase",
                )


def min_time_in_phase(source: str) -> int:
    """A lower bound of ``elapsed_in_phase`` when ``source`` can first hold (0: at once)."""
    try:
        tree = syntax_tree(source).body
    except (SyntaxError, ValueError, RecursionError):
        return 0
    return _earliest(tree)


def _earliest(node: ast.AST) -> int:
    if isinstance(node, ast.BoolOp):
        parts = [_earliest(v) for v in node.values]
        return max(parts) if isinstance(node.op, ast.And) else min(parts)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if isinstance(right, ast.Name) and right.id == "elapsed_in_phase":
            left, right = right, left
            op = {ast.Lt: ast.Gt(), ast.LtE: ast.GtE(), ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}.get(
                type(op), op
            )
        if (
            isinstance(left, ast.Name)
            and left.id == "elapsed_in_phase"
            and isinstance(op, ast.Gt | ast.GtE)
        ):
            seconds = _literal_seconds(right)
            if seconds is not None:
                return max(0, seconds + (1 if isinstance(op, ast.Gt) else 0))
    return 0


def _literal_seconds(node: ast.AST) -> int | None:
    """The seconds a constant duration subtree stands for (``'12h'``, ``'4h' * 3``)."""
    expression = f"elapsed >= {ast.unparse(node)}"
    try:
        thresholds = compile_expression(expression).time_thresholds
    except ValueError:
        return None
    return thresholds[0][1] if thresholds else None


# -- conditions that never change -------------------------------------------------------------


def _constant_conditions(scenario: Scenario, document: YamlDocument, out: DiagnosticList) -> None:
    """A condition, or a comparison inside one, that reads nothing from the exercise is always
    true or always false: a typo or a leftover, never a design (``when: "1 > 2"``)."""
    for loc, source, what in _conditions(scenario):
        expression = compile_expression(source)
        if not (expression.variables or expression.references or expression.state_names):
            value = expression.evaluate(None)  # type: ignore[arg-type]
            effect = "never happens" if not value else "holds from the first moment"
            out.warning(
                document.position(loc),
                f"the condition '{source}' reads nothing from the exercise: it is always "
                f"{str(value).lower()}, so {what} {effect}",
                field_path(loc),
                "constant-condition",
            )
            continue
        for part in _constant_comparisons(source):
            out.warning(
                document.position(loc),
                f"'{part}' in the condition of {what} compares constants: it is always the same",
                field_path(loc),
                "constant-condition",
            )


def _constant_comparisons(source: str) -> list[str]:
    try:
        tree = syntax_tree(source)
    except (SyntaxError, ValueError, RecursionError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and all(
            isinstance(n, ast.Constant | ast.BinOp | ast.UnaryOp | ast.operator | ast.unaryop)
            for side in (node.left, *node.comparators)
            for n in ast.walk(side)
        ):
            found.append(ast.unparse(node))
    return found
