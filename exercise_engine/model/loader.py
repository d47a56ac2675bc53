"""Loading a content set: every file on the content path, checked as a whole.

A scenario is only meaningful with the roles, rubric and inject libraries it names, so content
is loaded as a catalog: files are read and typed by their ``format:`` line, libraries and roles
and rubrics are validated first, then each scenario has its ``use:`` injects resolved and is
validated, cross-referenced and analysed for design problems. All diagnostics are collected;
nothing stops at the first problem.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exercise_engine.model.analysis import analyse_scenario
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog, Entry
from exercise_engine.model.content_path import (
    DEFAULT_SCENARIO,
    content_files,
    content_roots,
    display_path,
)
from exercise_engine.model.diagnostics import (
    ContentError,
    DiagnosticList,
    Position,
    did_you_mean,
    quoted,
    unknown_id,
)
from exercise_engine.model.library import InjectLibrary
from exercise_engine.model.limits import check_limits
from exercise_engine.model.nearby import unknown_off_path
from exercise_engine.model.reading import UnreadableFile, read_content_file
from exercise_engine.model.references import check_catalog
from exercise_engine.model.role import Role
from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import Scenario
from exercise_engine.model.validation_errors import diagnostics_from, field_path
from exercise_engine.model.yamlsource import Loc, YamlDocument, load_yaml

ContentModel = Scenario | InjectLibrary | Role | Rubric
FORMATS: dict[str, tuple[str, type[ContentModel]]] = {
    "exercise-scenario/1": ("scenario", Scenario),
    "exercise-injects/1": ("library", InjectLibrary),
    "exercise-role/1": ("role", Role),
    "exercise-rubric/1": ("rubric", Rubric),
}
KIND_FORMATS = {kind: fmt for fmt, (kind, _) in FORMATS.items()}


def load_catalog(
    paths: Sequence[str | Path] = (),
    content: Sequence[str | Path] = (),
    *,
    include_content_path: bool = True,
) -> Catalog:
    """Load the content path (designer folders first) plus any explicitly named files."""
    files: list[tuple[Path, int, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += [(f, 0, path) for f in content_files(path)]
        else:
            files.append((path, 0, path.parent))
    roots = content_roots(content) if include_content_path else []
    for number, root in enumerate(roots, start=1):
        files += [(f, number, root) for f in content_files(root)]
    return load_files(files, roots)


def load_files(files: Iterable[tuple[Path, int, Path]], roots: Sequence[Path] = ()) -> Catalog:
    """Load files as one catalog; each comes with its content root number (0 for a file or
    folder named on the command line) and the folder it must stay inside."""
    catalog = Catalog(roots=list(roots))
    seen: set[Path] = set()
    raw: list[tuple[str, YamlDocument, int]] = []
    for path, root, folder in files:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = display_path(path)
        catalog.files.append(shown)
        document = _read(path, folder, shown, catalog.diagnostics)
        if document is not None:
            kind = _kind(document, catalog.diagnostics)
            if kind is not None:
                raw.append((kind, document, root))
    for kind in ("library", "role", "rubric"):
        for doc_kind, document, root in raw:
            if doc_kind == kind:
                _validate(catalog, kind, document, root)
    for doc_kind, document, root in raw:
        if doc_kind == "scenario":
            with_uses, unresolved = resolve_uses(document, catalog)
            _validate(catalog, "scenario", with_uses, root, skip_missing=unresolved)
    _check_all(catalog)
    return catalog


def _read(path: Path, folder: Path, shown: str, diagnostics: DiagnosticList) -> YamlDocument | None:
    try:
        data = read_content_file(path, folder)
    except UnreadableFile as exc:
        diagnostics.error(Position(shown), str(exc))
        return None
    try:
        return load_yaml(data, shown)
    except ContentError as exc:
        diagnostics.extend(exc.diagnostics)
        return None


def _kind(document: YamlDocument, diagnostics: DiagnosticList) -> str | None:
    data = document.data
    if not isinstance(data, dict):
        if isinstance(data, list):
            what = "a list"
        elif data is None:
            what = "no value (null)"
        else:
            what = f"the single value {quoted(data)}"
        diagnostics.error(
            document.position(()),
            f"expected a mapping of fields, starting with 'format:', but the file holds {what}",
        )
        return None
    fmt = data.get("format")
    if fmt is None:
        diagnostics.error(
            document.position(()),
            "missing 'format:' line; start the file with one of: " + ", ".join(FORMATS),
            "format",
        )
        return None
    if fmt not in FORMATS:
        hint = did_you_mean(str(fmt), FORMATS) or "; expected one of: " + ", ".join(FORMATS)
        diagnostics.error(
            document.position(("format",)), f"unknown format {quoted(fmt)}{hint}", "format"
        )
        return None
    return FORMATS[fmt][0]


def _validate(
    catalog: Catalog,
    kind: str,
    document: YamlDocument,
    root: int,
    skip_missing: frozenset[Loc] = frozenset(),
) -> None:
    model_class = FORMATS[KIND_FORMATS[kind]][1]
    try:
        model = model_class.model_validate(document.data)
    except ValidationError as exc:
        found = diagnostics_from(exc, document, model_class)
        # An unresolved 'use:' already has its error; its missing fields are not news.
        catalog.diagnostics.extend(
            d
            for d in found
            if not (
                d.message.startswith("missing required field")
                and any(d.field.startswith(field_path(loc) + ".") for loc in skip_missing)
            )
        )
        return
    table = catalog.table(kind)
    existing = table.get(model.id)
    if existing is not None:
        first = existing.document.position(("id",))
        if existing.root == root:
            catalog.diagnostics.error(
                document.position(("id",)),
                f"{kind} id '{model.id}' is already defined at {first}",
                "id",
            )
        return  # an earlier content root (a designer's folder) shadows later ones
    table[model.id] = Entry(kind, model.id, model, document, root)


def resolve_uses(document: YamlDocument, catalog: Catalog) -> tuple[YamlDocument, frozenset[Loc]]:
    """Expand ``use: library/inject`` entries: the library inject, overridden field by field.

    Returns the resolved document and the locations of entries that could not be resolved.
    """
    data = document.data
    injects = data.get("injects") if isinstance(data, dict) else None
    if not isinstance(injects, list) or not any(
        isinstance(i, dict) and "use" in i for i in injects
    ):
        return document, frozenset()
    unresolved: set[Loc] = set()
    resolved = YamlDocument(
        document.path,
        copy.copy(data),
        dict(document.positions),
        dict(document.key_positions),
        dict(document.source_text),
    )
    new_injects = []
    for index, item in enumerate(injects):
        if not (isinstance(item, dict) and isinstance(item.get("use"), str)):
            new_injects.append(item)
            continue
        base_loc = ("injects", index)
        found = _library_inject(item["use"], catalog, document, (*base_loc, "use"))
        if found is None:
            new_injects.append(item)
            unresolved.add(base_loc)
            continue
        library_doc, library_index, base = found
        new_injects.append(merge_override(base, item))
        prefix = ("injects", library_index)
        for table_name in ("positions", "key_positions", "source_text"):
            target = getattr(resolved, table_name)
            for loc, value in getattr(library_doc, table_name).items():
                if loc[:2] == prefix and len(loc) > 2 and not _overridden(base, item, loc[2:]):
                    target[(*base_loc, *loc[2:])] = value
    resolved.data["injects"] = new_injects
    return resolved, frozenset(unresolved)


def merge_override(base: Any, override: Any) -> Any:
    """A library inject with a scenario's overrides: mappings merge key by key (so
    ``respond: {due: "30m"}`` keeps the library's options), anything else replaces."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        merged[key] = merge_override(base[key], value) if key in base else copy.deepcopy(value)
    return merged


def _overridden(base: Any, override: Any, rest: Loc) -> bool:
    """Whether the value at ``rest`` comes from the override (else from the library)."""
    for part in rest:
        if not isinstance(override, dict) or part not in override:
            return False
        if not (
            isinstance(base, dict)
            and isinstance(base.get(part), dict)
            and isinstance(override[part], dict)
        ):
            return True
        base, override = base[part], override[part]
    return True


def _library_inject(
    ref: str, catalog: Catalog, document: YamlDocument, loc: Loc
) -> tuple[YamlDocument, int, dict[str, Any]] | None:
    library_id, _, inject_id = ref.partition("/")
    position = document.position(loc)
    where = field_path(loc)
    if not inject_id:
        catalog.diagnostics.error(position, f"'use' names 'library/inject', got '{ref}'", where)
        return None
    entry = catalog.libraries.get(library_id)
    if entry is None:
        catalog.diagnostics.error(
            position,
            unknown_off_path(document.path, catalog, "inject library", library_id),
            where,
        )
        return None
    raw_injects = entry.document.data.get("injects", [])
    for i, raw in enumerate(raw_injects):
        if isinstance(raw, dict) and raw.get("id") == inject_id:
            return entry.document, i, raw
    ids = [str(r.get("id")) for r in raw_injects if isinstance(r, dict) and r.get("id")]
    message = unknown_id("inject", inject_id, ids).replace(
        "unknown inject", f"library '{library_id}' has no inject", 1
    )
    catalog.diagnostics.error(position, message, where)
    return None


def _check_all(catalog: Catalog) -> None:
    catalog.diagnostics.extend(check_catalog(catalog))
    for entry in catalog.scenarios.values():
        catalog.diagnostics.extend(analyse_scenario(entry.model, entry.document, catalog))
        catalog.diagnostics.extend(check_limits(entry.model, entry.document))


def load_bundle(ref: str | None = None, content: Sequence[str | Path] = ()) -> Bundle:
    """The valid scenario ``ref`` (id or path; default: the shipped default) with its roles and
    rubric; ``ContentError`` explains why not."""
    ref = ref or DEFAULT_SCENARIO
    paths = [ref] if Path(ref).suffix in (".yaml", ".yml") else []
    catalog = load_catalog(paths, content)
    return catalog.bundle(ref)
