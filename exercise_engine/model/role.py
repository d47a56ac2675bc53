"""Roles (``exercise-role/1``): who sits at the table, what they may do and what they may see."""

from __future__ import annotations

from typing import Literal

from exercise_engine.model.common import Content, Id, Line, Meta, Text


class RoleView(Content):
    """Extension: what the role's seat is shown besides its own injects and messages."""

    variables: list[str] | Literal["all"] = []
    """Situation variables the role tracks in its brief (``all`` for every variable)."""


class Role(Content):
    format: Literal["exercise-role/1"]
    id: Id
    name: Line
    kind: Literal["player", "control"] = "player"
    """Extension: ``control`` cells (red, green) are played by the controller, not trainees."""
    cell: Literal["white", "red", "green"] | None = None
    pillars: list[Literal[1, 2, 3]] = []
    summary: Text = ""
    mandate: Text = ""
    principles: list[Line] = []
    tools: list[str] = []
    constraints: list[Text] = []
    audience: Line = ""
    """Extension: who in the training audience plays this seat, by the organization they come
    from ("Police officers of the police component: UNPOL advisers, formed police unit
    commanders"); the AAR's improvement plan names them as the party responsible for the seat's
    corrective actions."""
    sees: RoleView = RoleView()
    meta: Meta = Meta()
    """Extension: the designer's own record (author, source, licence, tags, debrief notes)."""
