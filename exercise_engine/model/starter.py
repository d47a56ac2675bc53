"""``exercise new scenario|role|rubric|library``: valid, commented starters a designer grows.

Each starter is a template in ``model/data/starter-KIND.yaml``. A starter is written where the
designer asks: ``-o FILE``, else the kind's folder of the first ``--content`` folder, else the
kind's folder of the working directory; never into the engine's shipped content unless that is
where the designer stands. The scenario starter names a few criteria of its rubric per inject,
as an evaluator would watch them, not the whole rubric: listing every criterion is itself a
design warning (model/analysis.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from string import Template

from exercise_engine.atomic_write import write_text_atomic
from exercise_engine.model.content_path import DEFAULT_RUBRIC, STARTER_KINDS
from exercise_engine.model.diagnostics import quoted, unknown_id
from exercise_engine.model.loader import load_catalog

_SLUG = re.compile(r"[a-z0-9][a-z0-9\-]{0,79}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}")


class StarterError(Exception):
    """The starter cannot be written as asked."""


def _template(kind: str) -> Template:
    return Template(
        resources.files("exercise_engine.model")
        .joinpath(f"data/starter-{kind}.yaml")
        .read_text(encoding="utf-8")
    )


def _title(ident: str) -> str:
    return re.sub(r"[-_.]+", " ", ident).strip().title()


def starter_text(
    scenario_id: str, path: str, rubric_id: str, dimensions: dict[str, list[str]]
) -> str:
    """The starter scenario for ``scenario_id``, naming a few of the rubric's criteria: the
    first of each of its first three dimensions (and the second of the second, when it has
    one) as the criteria evaluators watch and the options score."""
    groups = [*dimensions.values(), [], [], []][:3]
    groups = [g or next(d for d in dimensions.values() if d) for g in groups]
    understand, protect, shape = groups
    return _template("scenario").substitute(
        id=scenario_id,
        title=_title(scenario_id),
        path=path,
        rubric=rubric_id,
        understand=", ".join(understand[:2]),
        protect_first=protect[0],
        protect_second=protect[1] if len(protect) > 1 else protect[0],
        shape_first=shape[0],
        first_understand=understand[0],
        first_protect=protect[0],
        first_shape=shape[0],
    )


def criterion_prefix(rubric_id: str) -> str:
    """Criterion ids for a new rubric: ``wildfire-eoc`` -> ``WE-1``, ``triage`` -> ``TRI-1``."""
    words = [w for w in re.split(r"[-_.]+", rubric_id) if w]
    if len(words) > 1:
        return "".join(w[0] for w in words[:4]).upper()
    return (words[0][:3] if words else "C").upper()


def default_path(kind: str, ident: str, content: Sequence[str | Path] = ()) -> Path:
    """Where a starter goes without ``-o``: the kind's folder of the first ``--content``
    folder, else of the working directory."""
    base = Path(content[0]) if content else Path()
    return base / STARTER_KINDS[kind] / f"{ident}.yaml"


def write_starter(
    scenario_id: str,
    output: str | None = None,
    content: Sequence[str] = (),
    force: bool = False,
    kind: str = "scenario",
    rubric: str = DEFAULT_RUBRIC,
) -> Path:
    """Write the starter of ``kind`` with id ``scenario_id`` and return its path."""
    ident = scenario_id
    if kind not in STARTER_KINDS:
        raise StarterError(f"unknown kind of starter '{kind}'; kinds: {', '.join(STARTER_KINDS)}")
    slug = kind in ("scenario", "library")
    if not (_SLUG if slug else _ID).fullmatch(ident):  # fullmatch: '$' would pass 'abc\n'
        rule = (
            "use lowercase letters, digits and '-', like 'kallen-floods'"
            if slug
            else "use letters, digits, '-', '_' and '.', like 'liaison_officer'"
        )
        raise StarterError(f"{quoted(ident)} is not a valid {kind} id; {rule}")
    path = Path(output) if output else default_path(kind, ident, content)
    if path.exists() and not force:
        raise StarterError(f"{path} already exists (use --force to overwrite)")
    if path.suffix not in (".yaml", ".yml"):
        raise StarterError(
            f"{path}: content files end in .yaml (or .yml), or the engine skips them"
        )
    text = _text(kind, ident, path, content, rubric)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


def _text(kind: str, ident: str, path: Path, content: Sequence[str], rubric: str) -> str:
    if kind == "scenario":
        catalog = load_catalog(content=content)
        entry = catalog.rubrics.get(rubric)
        if entry is None:
            raise StarterError(
                unknown_id("rubric", rubric, catalog.rubrics) + " on the content path"
            )
        dimensions = {d.id: [c.id for c in d.criteria] for d in entry.model.dimensions}
        return starter_text(ident, str(path), rubric, dimensions)
    prefix = criterion_prefix(ident)
    return _template(kind).substitute(
        id=ident, title=_title(ident), path=str(path), prefix=prefix, first=f"{prefix}-1"
    )
