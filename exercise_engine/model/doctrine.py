"""The doctrine tag vocabulary shipped with the engine (``data/doctrine.yaml``).

Every tag in content must come from this one controlled vocabulary, drawn from the doctrine
paper, the UN Framework of Analysis and Stanton's stages, so that any trainee decision can be
tied back to doctrine in the after-action review. Aliases let designers write natural short
forms (``hate-media``) that resolve to one canonical tag.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, PrivateAttr

from exercise_engine.model.common import Content, Line, Text
from exercise_engine.model.diagnostics import ContentError, Diagnostic, Position
from exercise_engine.model.yamlsource import load_yaml


class TagGroup(Content):
    id: str
    title: Line


class Tag(Content):
    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)*$")
    group: str
    title: Line
    ref: Line
    summary: Text
    aliases: list[str] = []


class Vocabulary(Content):
    format: Literal["exercise-doctrine/1"]
    source: Text
    groups: list[TagGroup]
    tags: list[Tag]
    _by_name: dict[str, Tag] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context: object) -> None:
        by_name: dict[str, Tag] = {}
        for tag in self.tags:
            for name in (tag.id, *tag.aliases):
                if name in by_name:
                    raise ValueError(f"doctrine tag name '{name}' is defined twice")
                by_name[name] = tag
        groups = {g.id for g in self.groups}
        for tag in self.tags:
            if tag.group not in groups:
                raise ValueError(f"doctrine tag '{tag.id}' names unknown group '{tag.group}'")
        self._by_name = by_name

    def resolve(self, name: str) -> Tag | None:
        """The tag an id or alias names, or None."""
        return self._by_name.get(name)

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def group(self, group_id: str) -> list[Tag]:
        return [t for t in self.tags if t.group == group_id]


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary; loaded once per process."""
    source = resources.files("exercise_engine.model").joinpath("data/doctrine.yaml")
    path = "exercise_engine/model/data/doctrine.yaml"
    document = load_yaml(source.read_bytes(), path)
    try:
        return Vocabulary.model_validate(document.data)
    except ValueError as exc:  # a broken shipped vocabulary is a packaging bug, said plainly
        problem = Diagnostic(Position(path, 1, 1), f"doctrine vocabulary: {exc}")
        raise ContentError([problem]) from exc
