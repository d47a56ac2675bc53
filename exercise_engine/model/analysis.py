"""Design warnings: content that is valid but probably not what the designer meant.

These are the checks an experienced exercise planner would make on a MSEL before a course:
injects that can never reach anyone, decisions that neither an option score nor an evaluator
rates, blanket lists of criteria that ask evaluators to watch everything at once, roles left
idle, and phases that only the controller can end. They judge design, not bookkeeping: a
criterion the scenario never exercises is not a warning (a rubric serves many courses), and an
unscored option is fine where evaluators rate the decision. ``--strict`` turns them
into errors, which is what the shipped content is held to.
"""

from __future__ import annotations

from collections.abc import Callable

from exercise_engine.model.catalog import Catalog
from exercise_engine.model.diagnostics import Diagnostic, DiagnosticList
from exercise_engine.model.reach import inject_routes, reachable_phases
from exercise_engine.model.scenario import PLAY_PHASES, Inject, Scenario
from exercise_engine.model.validation_errors import field_path
from exercise_engine.model.yamlsource import Loc, YamlDocument


def analyse_scenario(
    scenario: Scenario, document: YamlDocument, catalog: Catalog
) -> list[Diagnostic]:
    out = DiagnosticList()

    def warn(loc: Loc, message: str, code: str) -> None:
        out.warning(document.position(loc), message, field_path(loc), code)

    deliverable = inject_routes(scenario, catalog.control)
    reached = reachable_phases(scenario)
    for i, inject in enumerate(scenario.injects):
        loc = ("injects", i)
        if inject.id not in deliverable:
            if inject.phase and inject.phase not in reached:
                why = f"its phase '{inject.phase}' is never entered"
            elif inject.timing == "after":
                why = f"it follows {inject.after.inject}, which is never delivered"  # type: ignore[union-attr]
            else:
                why = "no timing (at/after/when), option or rule delivers it"
            warn(
                loc,
                f"inject {inject.id} can never be delivered: {why}; only the controller "
                "could send it",
                "undeliverable",
            )
        for o, option in enumerate(inject.respond.options if inject.respond else []):
            _late_triggers(
                scenario,
                inject.phase,
                option.triggers,
                (*loc, "respond", "options", o, "triggers"),
                warn,
            )
            if not option.scores and not inject.expect:
                warn(
                    (*loc, "respond", "options", o),
                    f"option {option.id} of {inject.id} has no scores and the inject expects "
                    "no criterion, so neither the option nor an evaluator rates this decision; "
                    "add 'scores', or name in 'expect' the criteria evaluators rate here",
                    "unscored-option",
                )
        _blanket_expect(scenario, catalog, inject, loc, warn)
        _unrated_answer(inject, loc, warn)
    _outcomes(scenario, catalog, warn)
    for k, role in enumerate(scenario.roles):
        if role in catalog.control:
            continue  # a control cell speaks through the controller; it has no seat to idle
        if not any(role in scenario.receivers(i, catalog.control) for i in scenario.injects):
            warn(
                ("roles", k),
                f"role '{role}' receives no inject; its seat would sit idle",
                "idle-role",
            )
    for name in PLAY_PHASES:
        phase = scenario.phases[name]
        if name == "rebuild":
            if scenario.clock.duration is None:
                warn(
                    ("phases", name),
                    "play ends only when the controller ends it; set "
                    "clock.duration for an automatic ENDEX",
                    "controller-only",
                )
        elif not any(t.when for t in phase.next):
            warn(
                ("phases", name),
                f"phase '{name}' has no way out except the controller; "
                "give a 'next' transition a 'when'",
                "controller-only",
            )
    return out.items


def _late_triggers(
    scenario: Scenario,
    source_phase: str | None,
    targets: list[str],
    loc: Loc,
    warn: Callable[[Loc, str, str], None],
) -> None:
    """A trigger fired in a later phase than its target's, with no way back, delivers nothing."""
    if source_phase is None:
        return
    onward = reachable_phases(scenario, source_phase)
    for k, target_id in enumerate(targets):
        target = scenario.inject(target_id)
        if target is None or target.phase is None or target.phase in onward:
            continue
        warn(
            (*loc, k),
            f"{target_id} belongs to phase '{target.phase}', which play cannot "
            f"return to from '{source_phase}'; triggered here it is never delivered "
            "(leave its phase out to deliver it whenever it is triggered)",
            "late-trigger",
        )


def _unrated_answer(inject: Inject, loc: Loc, warn: Callable[[Loc, str, str], None]) -> None:
    """An answer in the players' own words (or a plenary's) that no criterion is expected for
    is rated by nobody: no option scores it, and evaluators are not told what to watch."""
    respond = inject.respond
    if respond is None or inject.expect or any(o.scores for o in respond.options):
        return
    if respond.options:
        return  # each unscored option is warned about already
    what = "the plenary discussion" if inject.plenary else "the answer"
    warn(
        (*loc, "respond"),
        f"{what} of {inject.id} is in the players' own words and the inject expects no "
        "criterion, so nobody rates it; name in 'expect' the criteria evaluators rate here",
        "unrated-answer",
    )


BLANKET_EXPECT = 6
"""An inject that asks evaluators to watch this many criteria or more asks them to watch
nothing in particular (HSEEP evaluation guides name a few critical tasks per activity)."""


def _blanket_expect(
    scenario: Scenario,
    catalog: Catalog,
    inject: Inject,
    loc: Loc,
    warn: Callable[[Loc, str, str], None],
) -> None:
    """An ``expect`` list naming every criterion of a dimension (or of the rubric), or more
    than an evaluator can watch at one inject, is bookkeeping rather than design."""
    entry = catalog.rubrics.get(scenario.rubric)
    expected = set(inject.expect)
    if entry is None or not expected:
        return
    where = (*loc, "expect")
    whole = [
        d
        for d in entry.model.dimensions
        if len(d.criteria) >= 3 and {c.id for c in d.criteria} <= expected
    ]
    advice = (
        "name the two or three an evaluator can watch at this inject (a blanket list rates "
        "nothing in particular; criteria never named are simply not observed)"
    )
    if whole:
        dimensions = ", ".join(f"'{d.id}' ({len(d.criteria)})" for d in whole)
        warn(
            where,
            f"{inject.id} expects every criterion of dimension {dimensions}; {advice}",
            "blanket-expect",
        )
    elif len(expected) >= BLANKET_EXPECT:
        warn(where, f"{inject.id} expects {len(expected)} criteria; {advice}", "blanket-expect")


def _outcomes(scenario: Scenario, catalog: Catalog, warn: Callable[[Loc, str, str], None]) -> None:
    """The rubric's outcomes on this scenario's variables: measurable, and pointing the way the
    variable's ``better`` says (a variable the scenario lacks simply leaves its outcome out)."""
    entry = catalog.rubrics.get(scenario.rubric)
    if entry is None:
        return
    rubric = entry.model
    top = rubric.scale[0].code
    for criterion in rubric.criteria.values():
        for outcome in criterion.outcomes:
            variable = scenario.variables.get(outcome.variable)
            if variable is None:
                continue
            loc = ("variables", outcome.variable)
            where = f"criterion {criterion.id} of rubric '{rubric.id}'"
            ranged = variable.min is not None and variable.max is not None
            if outcome.measure == "share_of_range" and not ranged:
                warn(
                    loc,
                    f"{where} reads '{outcome.variable}' as a share of its range, which needs "
                    "both 'min' and 'max'; without them that outcome is left out of scoring",
                    "unmeasurable-outcome",
                )
            if outcome.measure == "ratio_to_start" and variable.initial <= 0:
                warn(
                    loc,
                    f"{where} reads '{outcome.variable}' against its value at STARTEX, which is "
                    f"{variable.initial:g}; give it a positive 'initial' or that outcome is left "
                    "out of scoring",
                    "unmeasurable-outcome",
                )
            if variable.better is None:
                continue
            for threshold in outcome.thresholds:
                faults_high = threshold.at_least is not None
                if threshold.rating != top and faults_high == (variable.better == "higher"):
                    side = "high" if faults_high else "low"
                    warn(
                        loc,
                        f"{where} rates a {side} '{outcome.variable}' {threshold.rating}, but "
                        f"the scenario says {variable.better} is better for civilians",
                        "outcome-direction",
                    )
