"""The seats' commands: answer injects, message and share with other roles, rate as evaluator."""

from __future__ import annotations

from collections.abc import Callable

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.draft import Draft, Handler, Rejected, named_roles, require_play
from exercise_engine.engine.settling import Settling
from exercise_engine.engine.state import ENDED, SETUP, Delivery, ExerciseState
from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import Inject, Option


class SeatCommands:
    def __init__(
        self,
        settling: Settling,
        rubric: Rubric,
        clock_label: Callable[[int, ExerciseState | None], str],
    ):
        self.settling = settling
        self.scenario = settling.scenario
        self.rubric = rubric
        self.clock_label = clock_label

    def handlers(self) -> dict[type[cmd.Command], Handler]:
        return {
            cmd.Respond: self.respond,
            cmd.SendMessage: self.send_message,
            cmd.ShareInformation: self.share,
            cmd.RecordObservation: self.observe,
        }

    def _inject_or_adhoc(
        self, state: ExerciseState, inject_id: str
    ) -> Inject | ev.AdhocInject | None:
        return self.scenario.inject(inject_id) or state.adhoc.get(inject_id)

    # -- answers -------------------------------------------------------------------------------

    def respond(self, draft: Draft, command: cmd.Respond, now: int) -> None:
        state = draft.state
        role = command.actor.role or ""
        require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused; answers are taken again when it resumes")
        found = self._inject_or_adhoc(state, command.inject)
        if found is None:
            raise Rejected(f"unknown inject '{command.inject}'")
        delivery = state.deliveries.get((command.inject, role))
        if delivery is None:
            raise Rejected(f"{command.inject} was not sent to your role")
        if isinstance(found, ev.AdhocInject):
            if found.prompt is None:
                raise Rejected(f"{command.inject} is for information; it asks no response")
            _check_text(command.text, command.rationale, required_text=True)
            option = None
        else:
            option = self._check_answer(found, role, command)
        if delivery.responded_at is not None:
            chosen = f" (option {delivery.option})" if delivery.option else ""
            when = f"at {self.clock_label(delivery.responded_at, state)}{chosen}"
            if delivery.by:  # a team: say which of its seats answered
                raise Rejected(f"{command.inject} already answered by {delivery.by} {when}")
            raise Rejected(f"your role already answered {command.inject} {when}")
        draft.emit(_recorded(command, role, delivery, now, by=command.actor.name))
        if not isinstance(found, ev.AdhocInject) and found.one_answer:
            self._answer_for_team(draft, command, role, now)
        if option is not None:
            cause = ev.OptionChosen(command.inject, role, option.id)
            self.settling.apply_effects(draft, option.effects, now, cause)
            self.settling.trigger(draft, option.triggers, now, cause)
        self.settling.settle(draft, now, timed=False)

    def _answer_for_team(self, draft: Draft, command: cmd.Respond, role: str, now: int) -> None:
        """A team decision: the answer counts for every other role that must answer and has
        the inject, recorded for each (its own timeliness); the options' effects and triggers
        apply once, for the role that answered."""
        state = draft.state
        for mate in self.settling.responders[command.inject]:
            delivery = state.deliveries.get((command.inject, mate))
            if mate == role or delivery is None or delivery.responded_at is not None:
                continue
            by = command.actor.name or role
            draft.emit(_recorded(command, mate, delivery, now, by=by, team_answer=role))

    def _check_answer(self, inject: Inject, role: str, command: cmd.Respond) -> Option | None:
        respond = inject.respond
        if respond is None:
            raise Rejected(f"{inject.id} is for information; it asks no response")
        if role not in self.settling.responders[inject.id]:
            raise Rejected(f"{inject.id} asks no response of your role")
        option = None
        if command.option is not None:
            option = respond.option(command.option)
            offered = ", ".join(o.id for o in respond.offered(role)) or "none"
            if option is None:
                raise Rejected(
                    f"unknown option '{command.option}' for {inject.id}; the options are {offered}"
                )
            if not option.open_to(role):
                raise Rejected(
                    f"option {option.id} of {inject.id} is not open to your role; "
                    f"your options are {offered}"
                )
        elif respond.options and not respond.free_text:
            raise Rejected(
                f"choose one of the options of {inject.id}: "
                + ", ".join(o.id for o in respond.offered(role))
            )
        if command.text.strip() and not respond.free_text:
            raise Rejected(
                f"{inject.id} takes one of its options, not your own course of "
                "action; put your reasoning in the rationale"
            )
        _check_text(
            command.text,
            command.rationale,
            required_text=option is None,
            rationale_required=respond.rationale == "required",
        )
        return option

    # -- exchanges between roles ---------------------------------------------------------------

    def _addressees(
        self, state: ExerciseState, sender: str | None, to: list[str], missing: str
    ) -> list[str]:
        """The other roles a seat writes to, while play runs (a message or a share)."""
        require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused")
        others = [r for r in named_roles(self.scenario, to, []) if r != sender]
        if not others:
            raise Rejected(missing)
        return others

    def send_message(self, draft: Draft, command: cmd.SendMessage, now: int) -> None:
        state = draft.state
        sender = command.actor.role
        to = self._addressees(state, sender, command.to, "say which other roles the message is for")
        if not command.body.strip():
            raise Rejected("the message is empty")
        if (
            command.inject is not None
            and sender is not None
            and (command.inject, sender) not in state.deliveries
        ):
            raise Rejected(f"your role has not received {command.inject}")
        draft.emit(
            ev.MessageSent(
                t=now,
                role=sender,
                seat=command.actor.seat,
                to=to,
                subject=command.subject.strip(),
                body=command.body.strip(),
                inject=command.inject,
            )
        )

    def share(self, draft: Draft, command: cmd.ShareInformation, now: int) -> None:
        state = draft.state
        sender = command.actor.role or ""
        to = self._addressees(state, sender, command.to, "say which other roles to share it with")
        if (command.inject, sender) not in state.deliveries:
            raise Rejected(f"your role has not received {command.inject}, so it cannot share it")
        draft.emit(
            ev.InformationShared(
                t=now,
                role=sender,
                seat=command.actor.seat,
                to=to,
                inject=command.inject,
                note=command.note.strip(),
                paragraphs=list(state.deliveries[(command.inject, sender)].paragraphs) or None,
            )
        )

    # -- evaluators ----------------------------------------------------------------------------

    def observe(self, draft: Draft, command: cmd.RecordObservation, now: int) -> None:
        state = draft.state
        if state.phase in (SETUP, ENDED):
            raise Rejected("observations are recorded during play and the debrief")
        criteria = self.rubric.criteria
        if command.criterion not in criteria:
            raise Rejected(f"unknown criterion '{command.criterion}'")
        codes = [lv.code for lv in self.rubric.scale] + [self.rubric.not_observed.code]
        if command.rating not in codes:
            raise Rejected(f"unknown rating '{command.rating}'; ratings: " + ", ".join(codes))
        if command.role not in self.scenario.roles:
            raise Rejected(f"unknown role '{command.role}'")
        if command.inject is not None and self._inject_or_adhoc(state, command.inject) is None:
            raise Rejected(f"unknown inject '{command.inject}'")
        draft.emit(
            ev.ObservationRecorded(
                t=now,
                role=command.role,
                seat=command.actor.seat,
                evaluator=command.actor.name or "evaluator",
                criterion=command.criterion,
                rating=command.rating,
                note=command.note.strip(),
                inject=command.inject,
            )
        )


def _check_text(
    text: str, rationale: str, required_text: bool, rationale_required: bool = False
) -> None:
    if required_text and not text.strip():
        raise Rejected("write your course of action")
    if rationale_required and not rationale.strip():
        raise Rejected("a rationale is required: say why you chose this course of action")


def _recorded(
    command: cmd.Respond,
    role: str,
    delivery: Delivery,
    now: int,
    *,
    by: str,
    team_answer: str = "",
) -> ev.ResponseRecorded:
    """The answer as recorded for ``role``: its own timeliness, measured from its delivery."""
    return ev.ResponseRecorded(
        t=now,
        role=role,
        seat=command.actor.seat,
        inject=command.inject,
        option=command.option,
        text=command.text.strip(),
        rationale=command.rationale.strip(),
        late=delivery.due_at is not None and now > delivery.due_at,
        delay=now - delivery.t,
        by=by,
        confidence=command.confidence,
        team_answer=team_answer,
    )
