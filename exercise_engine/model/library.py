"""Inject libraries (``exercise-injects/1``): reusable injects a scenario pulls in with ``use:``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from exercise_engine.model.common import Content, Line, Meta, Slug, Text
from exercise_engine.model.scenario import Inject, RoleTargets


class LibraryInject(Inject):
    """A scenario inject whose receivers and timing are usually left to the scenario."""

    to: RoleTargets = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_use(self) -> LibraryInject:
        if self.use is not None:
            raise ValueError(
                "'use' pulls a library inject into a scenario; a library inject cannot use another"
            )
        return self


class InjectLibrary(Content):
    format: Literal["exercise-injects/1"]
    id: Slug
    title: Line = ""
    description: Text = ""
    meta: Meta = Meta()
    """Extension: the designer's own record (author, source, licence, tags, debrief notes)."""
    injects: list[LibraryInject] = Field(min_length=1)
