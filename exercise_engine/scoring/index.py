"""Lookups into one bundle, made once per scoring or report run.

The models index criteria, dimensions and injects themselves; scoring a 100,000-event log also
asks for receivers, options by id, weights and option values hundreds of thousands of times,
which the index works out once per bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import Criterion, Dimension
from exercise_engine.model.scenario import Inject, Option
from exercise_engine.model.value import OptionValues


@dataclass
class Index:
    bundle: Bundle
    criteria: dict[str, Criterion] = field(init=False)
    dimension: dict[str, Dimension] = field(init=False)
    """The dimension of each criterion."""
    order: dict[str, int] = field(init=False)
    """Each criterion's position in the rubric, for listing in rubric order."""
    injects: dict[str, Inject] = field(init=False)
    values: OptionValues = field(init=False)
    """Option values under the rubric (model/value.py: the bots' definition too)."""
    _values: dict[tuple[str, str, str], float] = field(init=False, default_factory=dict)
    _receivers: dict[str, list[str]] = field(init=False, default_factory=dict)
    _by_to: dict[tuple[str, ...], list[str]] = field(init=False, default_factory=dict)
    _preferred: dict[tuple[str, str], tuple[Option, float] | None] = field(
        init=False, default_factory=dict
    )
    _options: dict[str, dict[str, Option]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        rubric = self.bundle.rubric
        self.criteria = rubric.criteria
        self.dimension = {
            c: dimension for c in self.criteria if (dimension := rubric.dimension_of(c))
        }  # every criterion is in a dimension (the rubric's validation says so)
        self.order = {c: n for n, c in enumerate(self.criteria)}
        self.injects = {i.id: i for i in self.bundle.scenario.injects}
        self.values = OptionValues(rubric)

    def receivers(self, inject: Inject) -> list[str]:
        """``Scenario.receivers``, worked out once per distinct ``to`` list (a 20,000-inject
        scenario has a few dozen) and kept per inject."""
        found = self._receivers.get(inject.id)
        if found is None:
            key = tuple(inject.to)
            shared = self._by_to.get(key)
            if shared is None:
                shared = self._by_to[key] = self.bundle.scenario.receivers(
                    inject, self.bundle.control
                )
            found = self._receivers[inject.id] = list(shared)
        return found

    def applies(self, criterion_id: str, role: str) -> bool:
        """Whether a criterion of the rubric applies to a role (``OptionValues.applies``)."""
        return self.values.applies(criterion_id, role)

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

    def value(self, inject_id: str, option: Option, role: str) -> float:
        """``OptionValues.of``, kept per (inject, option, role): a long log asks again and again."""
        key = (inject_id, option.id, role)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = self.values.of(option, role)
        return found

    def preferred(self, inject_id: str, role: str) -> tuple[Option, float] | None:
        """The option of an inject the rubric values most for ``role``, with its value."""
        key = (inject_id, role)
        if key not in self._preferred:
            inject = self.injects.get(inject_id)
            options = inject.respond.offered(role) if inject is not None and inject.respond else []
            self._preferred[key] = self.values.best(options, role)
        return self._preferred[key]
