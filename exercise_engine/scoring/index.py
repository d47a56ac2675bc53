"""Lookups into one bundle, made once per scoring or report run.

The models index criteria, dimensions and injects themselves; scoring a 100,000-event log also
asks for receivers, options by id, weights and option values hundreds of thousands of times,
which the index works out once per bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import Criterion, Dimension
from exercise_engine.model.scenario import ALL_ROLES, Inject, Option

_UNKNOWN = object()


@dataclass
class Index:
    bundle: Bundle
    criteria: dict[str, Criterion] = field(init=False)
    dimension: dict[str, Dimension] = field(init=False)
    """The dimension of each criterion."""
    order: dict[str, int] = field(init=False)
    """Each criterion's position in the rubric, for listing in rubric order."""
    injects: dict[str, Inject] = field(init=False)
    _values: dict[tuple[str, str], float | None] = field(init=False, default_factory=dict)
    _receivers: dict[str, list[str]] = field(init=False, default_factory=dict)
    _by_to: dict[tuple[str, ...], list[str]] = field(init=False, default_factory=dict)
    _preferred: dict[str, tuple[Option, float] | None] = field(init=False, default_factory=dict)
    _options: dict[str, dict[str, Option]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        rubric = self.bundle.rubric
        self.criteria = rubric.criteria
        self.dimension = {c: rubric.dimension_of(c) for c in self.criteria}
        self.order = {c: n for n, c in enumerate(self.criteria)}
        self.injects = {i.id: i for i in self.bundle.scenario.injects}
        self._weights = {
            c.id: c.weight * self.dimension[c.id].weight for c in self.criteria.values()
        }
        self._roles = {
            c.id: None if ALL_ROLES in c.roles else frozenset(c.roles)
            for c in self.criteria.values()
        }

    def receivers(self, inject: Inject) -> list[str]:
        """``Scenario.receivers``, worked out once per distinct ``to`` list (a 20,000-inject
        scenario has a few dozen) and kept per inject."""
        found = self._receivers.get(inject.id)
        if found is None:
            key = tuple(inject.to)
            shared = self._by_to.get(key)
            if shared is None:
                shared = self._by_to[key] = self.bundle.scenario.receivers(inject)
            found = self._receivers[inject.id] = list(shared)
        return found

    def applies(self, criterion_id: str, role: str) -> bool:
        """Whether a criterion of the rubric applies to a role (``roles: [all]`` or named)."""
        if criterion_id not in self._roles:
            return False
        roles = self._roles[criterion_id]
        return roles is None or role in roles

    def option(self, inject_id: str, option_id: str | None) -> Option | None:
        """``Respond.option`` from a table per inject (it scans the options on every call)."""
        options = self._options.get(inject_id)
        if options is None:
            inject = self.injects.get(inject_id)
            found = inject.respond.options if inject is not None and inject.respond else []
            options = self._options[inject_id] = {}
            for o in found:
                options.setdefault(o.id, o)  # the first of a repeated id, as Respond.option
        return options.get(option_id) if option_id is not None else None

    def value(self, inject_id: str, option: Option) -> float | None:
        """An option's rubric value: its points weighted by criterion and dimension weight.

        This is what a well-advised trainee maximises; the AAR uses it to name the option the
        rubric preferred when asking why another was chosen.
        """
        key = (inject_id, option.id)
        found = self._values.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            weights = self._weights
            pairs = [(points, weights[c]) for c, points in option.scores.items() if c in weights]
            total = sum([w for _, w in pairs])
            found = self._values[key] = sum([p * w for p, w in pairs]) / total if total else None
        return found

    def preferred(self, inject_id: str) -> tuple[Option, float] | None:
        """The option of an inject the rubric values most, with its value."""
        found = self._preferred.get(inject_id, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        inject = self.injects.get(inject_id)
        options = inject.respond.options if inject is not None and inject.respond else []
        found, value = None, self.value
        for option in options:
            v = value(inject_id, option)
            if v is not None and (found is None or v > found[1]):  # as max: the first of equals
                found = option, v
        self._preferred[inject_id] = found
        return found
