"""The evaluator's observation: a criterion, a role, a rating, a note, a linked inject.

Opened blank (``o``) or filled in from an expectation not rated yet; the engine checks it
(an unknown criterion, a rating off the scale) and the form shows its refusal in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.widgets import RadioSet, Select, Static, TextArea

from exercise_engine.engine import commands as cmd
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.expectations import Expectation
from exercise_engine.tui.dialogs import Choice, CommandForm, FieldLabel, Submit, area


class ObservationForm(CommandForm):
    send_label = "Record"

    def __init__(
        self,
        bundle: Bundle,
        roles: Mapping[str, str],
        injects: Sequence[str],
        submit: Submit,
        expectation: Expectation | None = None,
    ) -> None:
        super().__init__(submit)
        self.bundle = bundle
        self.roles = roles
        self.injects = injects
        self.expectation = expectation

    def form_title(self) -> str:
        if self.expectation is None:
            return "Observation"
        e = self.expectation
        return f"Rate {e.criterion} for {self.roles.get(e.role, e.role)} on {e.inject}"

    def fields(self) -> ComposeResult:
        rubric = self.bundle.rubric
        e = self.expectation
        yield FieldLabel("Criterion")
        yield Select(
            [(f"{c.id} {c.title}", c.id) for c in rubric.criteria.values()],
            value=e.criterion if e else Select.NULL,
            id="observe-criterion",
            prompt="choose a criterion",
        )
        yield FieldLabel("Role")
        yield Select(
            [(name, role) for role, name in self.roles.items()],
            value=e.role if e else Select.NULL,
            id="observe-role",
            prompt="choose a role",
        )
        yield FieldLabel("Rating")
        with RadioSet(id="observe-rating"):
            for level in rubric.scale:
                yield Choice(f"{level.code} {level.label}", name=level.code)
            observed = rubric.not_observed
            yield Choice(f"{observed.code} {observed.label}", name=observed.code)
        if e is not None and e.look_for:
            yield Static("Look for: " + "; ".join(e.look_for), classes="form-note", markup=False)
        yield FieldLabel("Note (what you saw, with the time)")
        yield area("observe-note", "evidence for the rating")
        yield FieldLabel("About inject")
        yield Select(
            [(inject, inject) for inject in self.injects],
            value=e.inject if e else Select.NULL,
            id="observe-inject",
            prompt="none",
        )

    def on_mount(self) -> None:
        if self.expectation is not None:  # criterion, role and inject are known: rate
            self.query_one("#observe-rating", RadioSet).focus()

    def _value(self, widget_id: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return "" if value is Select.NULL else str(value)

    def command(self) -> cmd.Command:
        pressed = self.query_one("#observe-rating", RadioSet).pressed_button
        return cmd.RecordObservation(
            criterion=self._value("observe-criterion"),
            role=self._value("observe-role"),
            rating=pressed.name if pressed is not None and pressed.name else "",
            note=self.query_one("#observe-note", TextArea).text,
            inject=self._value("observe-inject") or None,
        )
