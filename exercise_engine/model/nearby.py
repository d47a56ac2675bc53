"""Where a missing role, rubric or library probably is: next to the scenario, off the path.

A designer who validates ``course/scenarios/x.yaml`` without ``--content course`` gets an
"unknown role" for every role the course defines. The fix is one option, so the message names
it: the ids are looked up in the content folders around the scenario's file (its folder and the
one above, read as the loader reads content: safe YAML, bounded) that are not on the content
path. Only a scenario with unknown ids pays for the look.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from exercise_engine.model.content_path import content_files, display_path
from exercise_engine.model.diagnostics import ContentError, unknown_id
from exercise_engine.model.reading import UnreadableFile, read_content_file
from exercise_engine.model.yamlsource import load_yaml

if TYPE_CHECKING:
    from exercise_engine.model.catalog import Catalog

FORMATS = {
    "role": "exercise-role/1",
    "rubric": "exercise-rubric/1",
    "inject library": "exercise-injects/1",
}
MAX_FILES = 200
"""Files read around one scenario at most (a home folder is not a content folder)."""
MAX_FILE_BYTES = 2 * 1024 * 1024


def candidate_roots(document_path: str, roots: Sequence[Path]) -> list[Path]:
    """The scenario file's folder and the one above it, unless already on the content path."""
    here = Path(document_path).resolve().parent
    on_path = {r.resolve() for r in roots}
    return [folder for folder in (here, here.parent) if folder not in on_path]


Found = list[tuple[str, str, Path]]


def _defined(folder: Path, cache: dict[Path, Found]) -> Found:
    """(format, id, file) of the content files of ``folder``, within the bounds above."""
    if folder not in cache:
        cache[folder] = list(_read(folder))
    return cache[folder]


def _read(folder: Path) -> Iterable[tuple[str, str, Path]]:
    for path in content_files(folder)[:MAX_FILES]:
        try:
            data = load_yaml(read_content_file(path, folder, MAX_FILE_BYTES), str(path)).data
        except (UnreadableFile, ContentError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            yield str(data.get("format")), data["id"], path


def off_path_hint(
    document_path: str,
    roots: Sequence[Path],
    kind: str,
    ident: str,
    cache: dict[Path, Found] | None = None,
) -> str:
    """A hint for an unknown ``kind`` id named by the scenario at ``document_path``: where it
    is defined off the content path and the option that puts it on, or how the content path
    works when the scenario itself is outside it; "" when neither applies."""
    for folder in candidate_roots(document_path, roots):
        for fmt, found, path in _defined(folder, {} if cache is None else cache):
            if fmt == FORMATS[kind] and found == ident:
                shown = display_path(folder) or "."
                return (
                    f"; it is defined in {display_path(path)}, which is not on the content "
                    f"path: add --content {shown} (or put the folder in EXERCISE_CONTENT_PATH)"
                )
    resolved = Path(document_path).resolve()
    if not any(resolved.is_relative_to(r.resolve()) for r in roots):
        return (
            f" ({kind}s are read from the content path: the shipped content and the folders "
            "given with --content DIR or in EXERCISE_CONTENT_PATH)"
        )
    return ""


def unknown_off_path(
    document_path: str,
    catalog: Catalog,
    kind: str,
    ident: str,
    cache: dict[Path, Found] | None = None,
) -> str:
    """The message for an unknown role, rubric or library a scenario names: where it is
    defined off the content path when it is, else the closest known ids and, for a scenario
    outside the content path, how that path is made."""
    hint = off_path_hint(document_path, catalog.roots, kind, ident, cache)
    if hint.startswith(";"):
        return f"unknown {kind} '{ident}'{hint}"
    table = {"role": catalog.roles, "rubric": catalog.rubrics, "inject library": catalog.libraries}
    return unknown_id(kind, ident, table[kind]) + hint
