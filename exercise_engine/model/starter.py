"""``exercise new scenario``: a valid, commented starter a designer grows into a scenario.

The starter names every criterion of the rubric in an inject's ``expect`` list, so it passes
``--strict`` whatever rubric ships; the designer rewrites its example text as they go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from string import Template

from exercise_engine.atomic_write import write_text_atomic
from exercise_engine.model.diagnostics import quoted
from exercise_engine.model.loader import load_catalog

DEFAULT_RUBRIC = "poc-doctrine"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")


class StarterError(Exception):
    """The starter cannot be written as asked."""


def starter_text(
    scenario_id: str, path: str, rubric_id: str, dimensions: dict[str, list[str]]
) -> str:
    """The starter scenario text for ``scenario_id`` with the rubric's criteria filled in."""
    template = (
        resources.files("exercise_engine.model")
        .joinpath("data/starter-scenario.yaml")
        .read_text(encoding="utf-8")
    )
    ids = list(dimensions.values())
    understand, protect, shape = [*ids, [], [], []][:3]
    rest = [c for group in ids[3:] for c in group]
    title = scenario_id.replace("-", " ").title()
    return Template(template).substitute(
        id=scenario_id,
        title=title,
        path=path,
        rubric=rubric_id,
        understand=", ".join(understand),
        protect=", ".join(protect),
        shape=", ".join(shape + rest),
        first_understand=understand[0],
        first_protect=protect[0],
        first_shape=shape[0],
    )


def write_starter(
    scenario_id: str, output: str | None = None, content: Sequence[str] = (), force: bool = False
) -> Path:
    if not _SLUG.fullmatch(scenario_id):  # fullmatch: '$' would let 'abc\n' through
        raise StarterError(
            f"{quoted(scenario_id)} is not a valid scenario id; use lowercase letters, "
            "digits and '-', like 'kallen-floods'"
        )
    path = Path(output) if output else Path("scenarios") / f"{scenario_id}.yaml"
    if path.exists() and not force:
        raise StarterError(f"{path} already exists (use --force to overwrite)")
    catalog = load_catalog(content=content)
    entry = catalog.rubrics.get(DEFAULT_RUBRIC)
    if entry is None:
        raise StarterError(f"no rubric '{DEFAULT_RUBRIC}' on the content path")
    dimensions = {d.id: [c.id for c in d.criteria] for d in entry.model.dimensions}
    if len(dimensions) < 3:
        raise StarterError(f"rubric '{DEFAULT_RUBRIC}' needs three dimensions for the starter")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, starter_text(scenario_id, str(path), DEFAULT_RUBRIC, dimensions))
    return path
