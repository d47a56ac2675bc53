"""The whole import of one sheet: read it, place it on the clock, write the YAML text.

Kept apart from the command line so tests and other tools get the same result as the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exercise_engine.model.catalog import Catalog
from exercise_engine.model.doctrine import vocabulary
from exercise_engine.model.loader import load_catalog
from exercise_engine.msel import importer, phases, scenario
from exercise_engine.msel.problems import Place, Problem, SheetError
from exercise_engine.msel.recipients import RoleMatcher, parse_role_spec
from exercise_engine.msel.sheet import read_sheet

DEFAULT_RUBRIC = "poc-doctrine"


@dataclass
class ImportOptions:
    sheet: str | None = None
    columns: str | None = None
    start: str | None = None
    phase_at: str | None = None
    phase_column: str | None = None
    """The column holding phases (letter or header), ``none`` to ignore any; default: found."""
    roles: str | None = None
    rubric: str | None = None
    day_first: bool | None = None
    library: bool = False
    id: str | None = None
    title: str | None = None
    into: str | None = None
    """A scenario file whose injects the sheet's replace (everything else is kept)."""
    content: Sequence[str] = ()


@dataclass
class ImportResult:
    text: str
    injects: int
    problems: list[Problem]
    role_mapping: dict[str, str] = field(default_factory=dict)
    begins: dict[str, int] = field(default_factory=dict)


def parse_start(text: str | None, where: Place) -> tuple[dt.datetime | None, bool]:
    """``--start 2024-06-26`` (D-day) or ``--start "2024-06-26 09:00"`` (D-day and H-hour)."""
    if not text:
        return None, False
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SheetError(
            where, f"--start '{text}' is not a date like 2024-06-26 or \"2024-06-26 09:00\""
        ) from None
    return value.replace(tzinfo=None), len(text.strip()) > 10


def known_vocabulary(
    catalog: Catalog, options: ImportOptions, base: dict | None = None
) -> importer.Vocabulary:
    roles = {rid: e.model.name for rid, e in catalog.roles.items()}
    rubric = (
        options.rubric
        or (base or {}).get("rubric")
        or (
            DEFAULT_RUBRIC
            if DEFAULT_RUBRIC in catalog.rubrics
            else next(iter(catalog.rubrics), DEFAULT_RUBRIC)
        )
    )
    if rubric not in catalog.rubrics:
        raise SheetError(Place("--rubric"), f"no rubric '{rubric}' on the content path")
    try:
        given = parse_role_spec(options.roles, roles)
    except ValueError as exc:
        raise SheetError(Place("--roles"), str(exc)) from None
    criteria = set(catalog.rubrics[rubric].model.criteria)
    return importer.Vocabulary(RoleMatcher(roles, given), criteria, rubric, set(vocabulary().names))


def scenario_roles(catalog: Catalog, placed: phases.Placed) -> list[str]:
    """Every player role on the content path, and any control cell an inject names."""
    named = {r for i in placed.injects for r in (i["to"] if i["to"] != "all" else [])}
    return [rid for rid, e in catalog.roles.items() if e.model.kind == "player" or rid in named]


def read_base(into: str | None) -> dict | None:
    """The scenario ``--into`` names, as its YAML mapping (checked again after the import)."""
    if not into:
        return None
    from exercise_engine.model.diagnostics import ContentError
    from exercise_engine.model.reading import UnreadableFile, read_content_file
    from exercise_engine.model.yamlsource import load_yaml

    where = Place(into)
    try:  # read as every content file is: no pipe, device or endless file, no alias cycle
        data = load_yaml(read_content_file(Path(into)), into).data
    except (UnreadableFile, ContentError) as exc:
        raise SheetError(where, f"--into: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "exercise-scenario/1":
        raise SheetError(where, "--into: not a scenario (format: exercise-scenario/1)")
    return data


def declared_variables(placed: phases.Placed, where: Place, problems: list[Problem]) -> dict:
    """Variables the options' effects move, declared at 0 for the designer to set."""
    names: list[str] = []
    for inject in placed.injects:
        for option in (inject.get("respond") or {}).get("options", []):
            names += [n for n in option.get("effects", {}) if n not in names]
    if names:
        problems.append(
            Problem(
                where,
                f"variables {', '.join(names)} declared with initial 0: "
                "give them their initial values, bounds and labels",
            )
        )
    return {name: {"initial": 0} for name in names}


def import_msel(path: str | Path, options: ImportOptions) -> ImportResult:
    sheet = read_sheet(path, options.sheet)
    catalog = load_catalog(content=options.content)
    base = read_base(options.into)
    known = known_vocabulary(catalog, options, base)
    start, has_time = parse_start(options.start, Place("--start"))
    try:
        phase_at = phases.parse_phase_at(options.phase_at or "")
    except ValueError as exc:
        raise SheetError(Place("--phase-at"), str(exc)) from None
    ignore_phases = (options.phase_column or "").strip().lower() == "none"
    columns = options.columns
    if options.phase_column and not ignore_phases:
        columns = ",".join(c for c in (columns, f"{options.phase_column}=phase") if c)
    reading = importer.read_rows(sheet, columns, known, options.day_first)
    placed = phases.place_drafts(reading, start, has_time, phase_at, not ignore_phases)
    for old, new in scenario.number_injects(placed.injects):
        reading.warn(Place(sheet.path), f"inject number '{old}' is used twice; one is now {new}")
    stem = Path(path).stem
    title = options.title or f"{stem} (imported MSEL)"
    summary = f"Imported from {Path(path).name}, sheet '{sheet.name}'."
    if base is not None:
        document = dict(base)
        document["injects"] = [scenario.inject_yaml(i) for i in placed.injects]
    elif options.library:
        document = scenario.library_document(
            placed, library_id=options.id or scenario.slug(stem), title=title, description=summary
        )
    else:
        document = scenario.scenario_document(
            placed,
            scenario_id=options.id or scenario.slug(stem),
            title=title,
            summary=summary,
            rubric=known.rubric,
            roles=scenario_roles(catalog, placed),
            variables=declared_variables(placed, Place(sheet.path), reading.problems),
        )
    text = scenario.dump(document, scenario.provenance(Path(path).name, sheet.name))
    return ImportResult(
        text, len(placed.injects), reading.problems, known.matcher.used, placed.begins
    )
