"""Docs are part of the code: these tests fail when the documentation falls behind it.

- every field of every content model is explained in docs/scenario-format.md;
- every ``exercise`` subcommand is documented (README.md, or failing that docs/*.md);
- every complete YAML example in docs/scenario-format.md (a block starting with its
  ``format: exercise-...`` line) validates against the repository's own content.
"""

from __future__ import annotations

import argparse
import re
import typing
import warnings
from pathlib import Path

import pytest
from pydantic import BaseModel

from exercise_engine.cli import build_parser, main
from exercise_engine.model.library import InjectLibrary
from exercise_engine.model.loader import FORMATS
from exercise_engine.model.role import Role
from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FORMAT_DOC = DOCS / "scenario-format.md"
EDITOR_DOC = DOCS / "editor-setup.md"
README = ROOT / "README.md"

CONTENT_MODELS: tuple[type[BaseModel], ...] = (Scenario, InjectLibrary, Role, Rubric)
YAML_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


# -- helpers ----------------------------------------------------------------------------------


def _nested_models(annotation: object, found: list[type[BaseModel]]) -> None:
    """Collect the pydantic models reachable from ``annotation`` (lists, dicts, unions, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.append(annotation)
        for field in annotation.model_fields.values():
            _nested_models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _nested_models(argument, found)


def content_fields() -> dict[str, set[str]]:
    """Field name (as written in YAML, i.e. by alias) -> the models that have it."""
    models: list[type[BaseModel]] = []
    for root in CONTENT_MODELS:
        _nested_models(root, models)
    fields: dict[str, set[str]] = {}
    for model in models:
        for name, info in model.model_fields.items():
            fields.setdefault(info.alias or name, set()).add(model.__name__)
    return fields


def subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    raise AssertionError("build_parser() registers no subcommands")


def schema_kinds() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            schema = action.choices["schema"]
            kind = next(a for a in schema._actions if a.dest == "kind")
            return list(kind.choices)
    raise AssertionError("build_parser() registers no subcommands")


def yaml_blocks(path: Path) -> list[tuple[int, str]]:
    """(line number of the opening fence, block text) for every ```yaml block of ``path``."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in YAML_BLOCK.finditer(text)]


def complete_examples() -> list[tuple[int, str]]:
    return [
        (line, block)
        for line, block in yaml_blocks(FORMAT_DOC)
        if block.startswith("format: exercise-")
    ]


def mentions(text: str, command: str) -> bool:
    return re.search(rf"\bexercise\s+{re.escape(command)}\b", text) is not None


# -- (a) every field is documented ------------------------------------------------------------


def test_every_content_field_is_documented() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    missing = {
        name: sorted(models)
        for name, models in sorted(content_fields().items())
        if f"`{name}`" not in text
    }
    assert not missing, (
        "fields of the content models that docs/scenario-format.md never names in backticks "
        f"(field: models): {missing}"
    )


def test_field_walk_reaches_nested_models() -> None:
    """Guard the walk itself: it must see nested and aliased fields, not just the top level."""
    fields = content_fields()
    for name in ("from", "free_text", "look_for", "critical_cap", "delay", "variables", "code"):
        assert name in fields, name
    assert "from_" not in fields


# -- (b) every subcommand is documented -------------------------------------------------------


def test_every_subcommand_is_documented() -> None:
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    docs = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))
    commands = subcommands()
    not_in_readme = [c for c in commands if not mentions(readme, c)]
    undocumented = [c for c in not_in_readme if not mentions(docs, c)]
    assert not undocumented, (
        f"'exercise' subcommands documented neither in README.md nor in docs/*.md: "
        f"{undocumented} (also missing from README.md: {not_in_readme})"
    )
    if not_in_readme:
        warnings.warn(
            f"'exercise' subcommands missing from README.md (documented in docs/ only): "
            f"{not_in_readme}",
            stacklevel=1,
        )


def test_editor_setup_covers_every_schema_kind() -> None:
    text = EDITOR_DOC.read_text(encoding="utf-8")
    missing = [k for k in schema_kinds() if f"exercise schema {k}" not in text]
    assert not missing, f"docs/editor-setup.md never shows 'exercise schema KIND' for: {missing}"


# -- (c) complete examples validate -----------------------------------------------------------


def test_examples_cover_every_format() -> None:
    shown = {
        block.splitlines()[0].removeprefix("format:").strip() for _, block in complete_examples()
    }
    assert shown >= set(FORMATS), f"no complete example for: {sorted(set(FORMATS) - shown)}"


def test_fragments_never_look_like_complete_files() -> None:
    """A fragment that carries a ``format:`` line but does not start with it escapes validation."""
    hidden = [
        line
        for line, block in yaml_blocks(FORMAT_DOC)
        if re.search(r"^format:", block, re.MULTILINE) and not block.startswith("format: exercise-")
    ]
    assert not hidden, (
        f"yaml blocks at lines {hidden} of docs/scenario-format.md have a 'format:' line but do "
        "not start with it; start complete files with 'format: exercise-...'"
    )


@pytest.mark.parametrize(
    "block",
    [pytest.param(block, id=f"line-{line}") for line, block in complete_examples()],
)
def test_complete_example_validates(
    block: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    assert code == 0, f"example does not validate:\n{out.out}{out.err}"
