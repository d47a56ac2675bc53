"""Cross-reference checks: every id a file names must exist, with a suggestion when it does not.

Unknown roles, injects, options, variables, criteria, tags and phases are errors; names inside
expressions that match nothing are design warnings (``--strict`` makes them errors), because an
expression over an unknown name is simply never true.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from exercise_engine.model.catalog import Catalog
from exercise_engine.model.diagnostics import Diagnostic, DiagnosticList, unknown_id
from exercise_engine.model.doctrine import vocabulary
from exercise_engine.model.durations import is_dated
from exercise_engine.model.expressions import ANY_ROLE, compile_expression
from exercise_engine.model.library import InjectLibrary
from exercise_engine.model.nearby import Found, unknown_off_path
from exercise_engine.model.role import Role
from exercise_engine.model.rubric import Criterion, Rubric
from exercise_engine.model.scenario import ALL_ROLES, GROUPS, PLAY_PHASES, Inject, Scenario
from exercise_engine.model.validation_errors import field_path
from exercise_engine.model.yamlsource import Loc, YamlDocument


def check_catalog(catalog: Catalog) -> list[Diagnostic]:
    out = DiagnosticList()
    for entry in catalog.roles.values():
        _check_role(entry.model, entry.document, out)
    for entry in catalog.rubrics.values():
        _check_rubric(entry.model, entry.document, catalog, out)
    for entry in catalog.libraries.values():
        _check_library(entry.model, entry.document, catalog, out)
    for entry in catalog.scenarios.values():
        ScenarioChecker(entry.model, entry.document, catalog, out).run()
    return out.items


TAG_HELP = (
    " (`exercise doctrine` lists the tags; the vocabulary is the engine's and a content folder "
    "cannot add to it: keep keywords of your own in the file's meta.tags)"
)


def _check_tags(tags: Iterable[str], document: YamlDocument, loc: Loc, out: DiagnosticList) -> None:
    vocab = vocabulary()
    for k, tag in enumerate(tags):
        if vocab.resolve(tag) is None:
            out.error(
                document.position((*loc, k)),
                unknown_id("doctrine tag", tag, vocab.names) + TAG_HELP,
                field_path((*loc, k)),
            )


def _check_library(
    library: InjectLibrary, document: YamlDocument, catalog: Catalog, out: DiagnosticList
) -> None:
    """A library names no rubric, so its criteria are checked against every rubric known."""
    criteria = {c for entry in catalog.rubrics.values() for c in entry.model.criteria}
    seen: set[str] = set()
    for i, inject in enumerate(library.injects):
        loc = ("injects", i)
        if inject.id in seen:
            out.error(
                document.position((*loc, "id")),
                f"inject id '{inject.id}' is used twice in this library",
                field_path((*loc, "id")),
            )
        seen.add(inject.id)
        _check_tags(inject.tags, document, (*loc, "tags"), out)
        named: list[tuple[Loc, str]] = [
            ((*loc, "expect", k), c) for k, c in enumerate(inject.expect)
        ]
        for o, option in enumerate(inject.respond.options if inject.respond else []):
            named += [((*loc, "respond", "options", o, "scores", c), c) for c in option.scores]
        if inject.sensitive is not None:
            named += [
                ((*loc, "sensitive", "criteria", k), c)
                for k, c in enumerate(inject.sensitive.criteria)
            ]
        for where, criterion in named:
            if criteria and criterion not in criteria:
                out.error(
                    document.position(where),
                    unknown_id("criterion", criterion, criteria),
                    field_path(where),
                )


def _check_role(role: Role, document: YamlDocument, out: DiagnosticList) -> None:
    _check_tags(role.tools, document, ("tools",), out)


def _check_rubric(
    rubric: Rubric, document: YamlDocument, catalog: Catalog, out: DiagnosticList
) -> None:
    seen: dict[str, Loc] = {}
    dimensions: set[str] = set()
    for d, dimension in enumerate(rubric.dimensions):
        if dimension.id in dimensions:
            out.error(
                document.position(("dimensions", d, "id")),
                f"dimension id '{dimension.id}' is used twice in this rubric",
                field_path(("dimensions", d, "id")),
            )
        dimensions.add(dimension.id)
        for c, criterion in enumerate(dimension.criteria):
            loc = ("dimensions", d, "criteria", c)
            if criterion.id in seen:
                out.error(
                    document.position((*loc, "id")),
                    f"criterion id '{criterion.id}' is used twice in this rubric",
                    field_path((*loc, "id")),
                )
            seen[criterion.id] = loc
            _check_tags(criterion.tags, document, (*loc, "tags"), out)
            _check_outcomes(rubric, criterion, document, loc, out)
            _check_roles(criterion.roles, (*loc, "roles"), document, catalog, out)
    for p, pair in enumerate(rubric.coordination.pairs):
        _check_roles(pair.roles, ("coordination", "pairs", p, "roles"), document, catalog, out)
    for k, criterion_id in enumerate(rubric.coordination.breach):
        if criterion_id not in rubric.criteria:
            where = ("coordination", "breach", k)
            out.error(
                document.position(where),
                unknown_id("criterion", criterion_id, rubric.criteria),
                field_path(where),
            )


def _check_roles(
    roles: list[str], loc: Loc, document: YamlDocument, catalog: Catalog, out: DiagnosticList
) -> None:
    for r, role in enumerate(roles):
        if role != ALL_ROLES and role not in catalog.roles:
            out.error(
                document.position((*loc, r)),
                unknown_id("role", role, [*catalog.roles, ALL_ROLES]),
                field_path((*loc, r)),
            )


def _check_outcomes(
    rubric: Rubric, criterion: Criterion, document: YamlDocument, loc: Loc, out: DiagnosticList
) -> None:
    """Each threshold rates on the rubric's own scale."""
    codes = [level.code for level in rubric.scale]
    for o, outcome in enumerate(criterion.outcomes):
        for t, threshold in enumerate(outcome.thresholds):
            if threshold.rating not in codes:
                where = (*loc, "outcomes", o, "thresholds", t, "rating")
                out.error(
                    document.position(where),
                    f"'{threshold.rating}' is not a rating of this rubric's scale "
                    f"({', '.join(codes)})",
                    field_path(where),
                )


class ScenarioChecker:
    """Checks one scenario's references against itself and the catalog."""

    def __init__(
        self, scenario: Scenario, document: YamlDocument, catalog: Catalog, out: DiagnosticList
    ):
        self.s = scenario
        self.doc = document
        self.catalog = catalog
        self.out = out
        self.rubric: Rubric | None = None
        entry = catalog.rubrics.get(scenario.rubric)
        self.rubric = entry.model if entry else None
        self.inject_ids = [i.id for i in scenario.injects]
        self.control = catalog.control
        self._nearby: dict[Path, Found] = {}

    def unknown(self, kind: str, ident: str) -> str:
        """An unknown role or rubric, with where it is off the content path (model/nearby.py)."""
        return unknown_off_path(self.doc.path, self.catalog, kind, ident, self._nearby)

    def error(self, loc: Loc, message: str) -> None:
        self.out.error(self.doc.position(loc), message, field_path(loc))

    def warning(self, loc: Loc, message: str) -> None:
        self.out.warning(self.doc.position(loc), message, field_path(loc), code="expression")

    def run(self) -> None:
        s = self.s
        if self.rubric is None:
            self.error(("rubric",), self.unknown("rubric", s.rubric))
        for k, role in enumerate(s.roles):
            if role not in self.catalog.roles:
                self.error(("roles", k), self.unknown("role", role))
        self._unique([a.id for a in s.actors], ("actors",), "actor")
        self._modules()
        self._unique(self.inject_ids, ("injects",), "inject")
        for name, phase in s.phases.items():
            for t, transition in enumerate(phase.next):
                if transition.to == name:
                    self.error(
                        ("phases", name, "next", t, "to"),
                        f"phase '{name}' cannot move on to itself",
                    )
                if transition.when:
                    self._expression(transition.when, ("phases", name, "next", t, "when"))
        for i, inject in enumerate(s.injects):
            self._inject(inject, ("injects", i))
        self._unique(
            [r.id for r in s.rules if r.id is not None],
            ("rules",),
            "rule",
            [k for k, r in enumerate(s.rules) if r.id is not None],
        )
        self._unique([o.id for o in s.objectives], ("objectives",), "objective")
        for r, rule in enumerate(s.rules):
            loc = ("rules", r)
            self._expression(rule.when, (*loc, "when"))
            self._effects(rule.effects, (*loc, "effects"))
            self._injects(rule.triggers, (*loc, "triggers"))
        for o, objective in enumerate(s.objectives):
            self._criteria(objective.criteria, ("objectives", o, "criteria"))
        for name, fact in s.facts.items():
            self._expression(fact.holds, ("facts", name, "holds"))

    def _modules(self) -> None:
        """Module ids are unique in the scenario; a module's clock needs the scenario's start,
        with a date only when the start has one."""
        seen: set[str] = set()
        start = self.s.clock.start
        for name, phase in self.s.phases.items():
            for m, module in enumerate(phase.modules):
                loc = ("phases", name, "modules", m)
                if module.id in seen:
                    self.error((*loc, "id"), f"module id '{module.id}' is used twice")
                seen.add(module.id)
                if module.clock is None:
                    continue
                if start is None:
                    self.error(
                        (*loc, "clock"),
                        "a module's clock needs the scenario's clock.start (a time of day such "
                        'as "06:00" will do for a scenario with no date)',
                    )
                elif is_dated(module.clock) and not is_dated(start):
                    self.error(
                        (*loc, "clock"),
                        f"the scenario's clock.start '{start}' has no date: give the module a "
                        'time of day, like "10:00"',
                    )

    def _unique(
        self, ids: list[str], loc: Loc, kind: str, indexes: list[int] | None = None
    ) -> None:
        seen: set[str] = set()
        for k, value in enumerate(ids):
            if value in seen:
                index = indexes[k] if indexes is not None else k
                self.error(
                    (*loc, index, "id"), f"{kind} id '{value}' is used twice; ids must be unique"
                )
            seen.add(value)

    def _inject_module(self, inject: Inject, loc: Loc) -> None:
        if inject.module is None:
            return
        found = self.s.module(inject.module)
        if found is None:
            modules = [m.id for p in self.s.phases.values() for m in p.modules]
            self.error((*loc, "module"), unknown_id("module", inject.module, modules))
            return
        phase, _ = found
        if inject.phase is None:
            self.error(
                (*loc, "module"),
                f"module {inject.module} belongs to phase '{phase}': add 'phase: {phase}'",
            )
        elif inject.phase != phase:
            self.error(
                (*loc, "module"),
                f"module {inject.module} belongs to phase '{phase}', not '{inject.phase}'",
            )

    def _inject(self, inject: Inject, loc: Loc) -> None:
        self._inject_module(inject, loc)
        roles = [*self.s.roles, *GROUPS]
        for k, role in enumerate(inject.to):
            if role not in roles:
                self.error((*loc, "to", k), unknown_id("role", role, roles))
        if inject.after is not None:
            self._injects([inject.after.inject], (*loc, "after", "inject"), single=True)
            if inject.after.inject == inject.id:
                self.error((*loc, "after", "inject"), "an inject cannot follow itself")
        if inject.when:
            self._expression(inject.when, (*loc, "when"))
        _check_tags(inject.tags, self.doc, (*loc, "tags"), self.out)
        self._criteria(inject.expect, (*loc, "expect"))
        if inject.sensitive is not None:
            self._sensitive(inject, (*loc, "sensitive"))
        self._facts(inject.asserts, (*loc, "asserts"))
        for k, paragraph in enumerate(inject.paragraphs):
            self._expression(paragraph.when, (*loc, "paragraphs", k, "when"))
            self._facts(paragraph.asserts, (*loc, "paragraphs", k, "asserts"))
        if inject.respond is None:
            return
        receivers = self.s.receivers(inject, self.control)
        self._unique(
            [o.id for o in inject.respond.options],
            (*loc, "respond", "options"),
            f"option of {inject.id},",
        )
        for k, role in enumerate(inject.respond.roles or []):
            if role in GROUPS or role in receivers:
                continue
            if role not in self.s.roles:
                self.error((*loc, "respond", "roles", k), unknown_id("role", role, receivers))
            else:
                self.error(
                    (*loc, "respond", "roles", k),
                    f"role '{role}' must answer but does not receive this inject; add it to 'to'",
                )
        responders = self.s.responders(inject)
        for o, option in enumerate(inject.respond.options):
            oloc = (*loc, "respond", "options", o)
            self._effects(option.effects, (*oloc, "effects"))
            self._injects(option.triggers, (*oloc, "triggers"))
            self._scores(option.scores, (*oloc, "scores"))
            for k, role in enumerate(option.roles or []):
                if role not in responders:
                    self.error(
                        (*oloc, "roles", k),
                        f"option {option.id} is open to role '{role}', which does not answer "
                        f"{inject.id}; the roles that answer: {', '.join(responders) or 'none'}",
                    )
        if inject.respond.options and not inject.respond.free_text:
            for role in responders:
                if not inject.respond.offered(role):
                    self.error(
                        (*loc, "respond", "options"),
                        f"role '{role}' must answer {inject.id} but no option is open to it; "
                        "open one to it or allow free_text",
                    )

    def _sensitive(self, inject: Inject, loc: Loc) -> None:
        """Who may receive it are roles of the scenario that do not already receive it."""
        assert inject.sensitive is not None
        receivers = self.s.receivers(inject)
        for k, role in enumerate(inject.sensitive.share_with):
            if role not in self.s.roles:
                self.error((*loc, "share_with", k), unknown_id("role", role, self.s.roles))
            elif role in receivers:
                self.out.warning(
                    self.doc.position((*loc, "share_with", k)),
                    f"role '{role}' already receives {inject.id}; 'share_with' names the roles "
                    "it may be shared with besides its recipients",
                    field_path((*loc, "share_with", k)),
                    code="sensitive",
                )
        self._criteria(inject.sensitive.criteria, (*loc, "criteria"))

    def _facts(self, ids: list[str], loc: Loc) -> None:
        for k, value in enumerate(ids):
            if value not in self.s.facts:
                self.error((*loc, k), unknown_id("fact", value, self.s.facts))

    def _injects(self, ids: list[str], loc: Loc, single: bool = False) -> None:
        for k, value in enumerate(ids):
            if value not in self.inject_ids:
                self.error(
                    loc if single else (*loc, k), unknown_id("inject", value, self.inject_ids)
                )

    def _effects(self, effects: dict[str, float], loc: Loc) -> None:
        for name in effects:
            if name not in self.s.variables:
                self.error((*loc, name), unknown_id("variable", name, self.s.variables))

    def _criteria(self, ids: list[str], loc: Loc) -> None:
        if self.rubric is None:
            return
        criteria = self.rubric.criteria
        for k, value in enumerate(ids):
            if value not in criteria:
                self.error((*loc, k), unknown_id("criterion", value, criteria))

    def _scores(self, scores: dict[str, float], loc: Loc) -> None:
        if self.rubric is None:
            return
        criteria = self.rubric.criteria
        low, high = self.rubric.min_points, self.rubric.max_points
        for name, points in scores.items():
            if name not in criteria:
                self.error((*loc, name), unknown_id("criterion", name, criteria))
            elif not low <= points <= high:
                self.error(
                    (*loc, name),
                    f"{points:g} points is outside the rubric's scale ({low:g} to {high:g})",
                )

    def _expression(self, source: str, loc: Loc) -> None:
        expression = compile_expression(source)
        for name in sorted(expression.variables):
            if name not in self.s.variables:
                self.warning(
                    loc, "expression names " + unknown_id("variable", name, self.s.variables)
                )
        for phase in sorted(expression.phases):
            if phase not in PLAY_PHASES:
                self.warning(loc, "expression names " + unknown_id("phase", phase, PLAY_PHASES))
        for ref in expression.references:
            inject = self.s.inject(ref.inject)
            if inject is None:
                self.warning(
                    loc,
                    f"{ref.function}() names " + unknown_id("inject", ref.inject, self.inject_ids),
                )
                continue
            if ref.role is not None and ref.role != ANY_ROLE:
                if ref.role not in self.s.roles:
                    self.warning(
                        loc,
                        f"{ref.function}() names "
                        + unknown_id("role", ref.role, [*self.s.roles, ANY_ROLE]),
                    )
                elif ref.role not in self.s.receivers(inject, self.control):
                    self.warning(
                        loc,
                        f"{ref.function}() asks about role '{ref.role}', which "
                        f"never receives {inject.id}",
                    )
            if ref.function == "overdue" and (inject.respond is None or inject.respond.due is None):
                self.warning(loc, f"overdue() is never true for {inject.id}: it has no due time")
            if ref.option is not None:
                options = [o.id for o in inject.respond.options] if inject.respond else []
                option = inject.respond.option(ref.option) if inject.respond else None
                if ref.option not in options:
                    self.warning(
                        loc,
                        "chose() names "
                        + unknown_id(f"option of {inject.id}", ref.option, options),
                    )
                elif (
                    option is not None
                    and ref.role not in (None, ANY_ROLE)
                    and not option.open_to(ref.role)
                ):
                    self.warning(
                        loc,
                        f"chose() asks whether role '{ref.role}' chose option {ref.option} of "
                        f"{inject.id}, which is not open to that role",
                    )
