"""The controller's commands: start, run and end play, steer phases, send injects."""

from __future__ import annotations

from collections.abc import Callable

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.draft import Draft, Handler, Rejected, named_roles, require_play
from exercise_engine.engine.settling import Settling
from exercise_engine.engine.state import BRIEFING, ENDED, SETUP
from exercise_engine.model.scenario import PLAY_PHASES


class ControllerCommands:
    def __init__(self, settling: Settling, clock_label: Callable[[int], str]):
        self.settling = settling
        self.clock_label = clock_label
        self.scenario = settling.scenario
        self.turns = settling.turns

    def handlers(self) -> dict[type[cmd.Command], Handler]:
        return {
            cmd.StartBriefing: self.start_briefing,
            cmd.StartPlay: self.start_play,
            cmd.AdvanceClock: self.advance_clock,
            cmd.Pause: self.pause,
            cmd.Resume: self.resume,
            cmd.SetSpeed: self.set_speed,
            cmd.NextMove: self.next_move,
            cmd.ForcePhase: self.force_phase,
            cmd.HoldPhase: self.hold_phase,
            cmd.SendInject: self.send_inject,
            cmd.RescheduleInject: self.reschedule,
            cmd.EndExercise: self.end,
        }

    def start_briefing(self, draft: Draft, command: cmd.StartBriefing, now: int) -> None:
        if draft.state.phase != SETUP:
            raise Rejected(f"the briefing can only start from setup (now: {draft.state.phase})")
        self.settling.enter(draft, BRIEFING, draft.state.t, "start")
        self.settling.read_ahead(draft)

    def start_play(self, draft: Draft, command: cmd.StartPlay, now: int) -> None:
        state = draft.state
        if state.phase not in (SETUP, BRIEFING):
            raise Rejected(f"play has already started (now: {state.phase})")
        if state.phase == SETUP:
            self.settling.enter(draft, BRIEFING, state.t, "start")
            self.settling.read_ahead(draft)
        self.settling.enter(draft, PLAY_PHASES[0], state.t, "start")
        self.settling.settle(draft, state.t, timed=True)

    def advance_clock(self, draft: Draft, command: cmd.AdvanceClock, now: int) -> None:
        if self.turns:
            raise Rejected("in turn mode the clock moves by moves: use next move")
        require_play(draft.state)
        if draft.state.paused:
            raise Rejected("the exercise is paused")
        self.settling.run_clock(draft, max(now, command.to or 0))

    def pause(self, draft: Draft, command: cmd.Pause, now: int) -> None:
        require_play(draft.state)
        if draft.state.paused:
            raise Rejected("the exercise is already paused")
        draft.emit(ev.ClockPaused(t=now))

    def resume(self, draft: Draft, command: cmd.Resume, now: int) -> None:
        if not draft.state.paused:
            raise Rejected("the exercise is not paused")
        draft.emit(ev.ClockResumed(t=now))

    def set_speed(self, draft: Draft, command: cmd.SetSpeed, now: int) -> None:
        if self.turns:
            raise Rejected("speed applies to a realtime clock; this scenario plays in moves")
        if command.speed == draft.state.speed:
            raise Rejected(f"the speed is already {command.speed:g}")
        draft.emit(ev.SpeedChanged(t=now, speed=command.speed))

    def next_move(self, draft: Draft, command: cmd.NextMove, now: int) -> None:
        state = draft.state
        if not self.turns:
            raise Rejected("this scenario runs on a realtime clock, not in moves")
        require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused")
        turn = self.scenario.clock.turn or 1
        target = state.move * turn
        self.settling.run_clock(draft, target)
        if state.in_play:
            draft.emit(ev.MoveStarted(t=target, move=state.move + 1))
            self.settling.settle(draft, target, timed=True)

    def force_phase(self, draft: Draft, command: cmd.ForcePhase, now: int) -> None:
        state = draft.state
        require_play(state)
        if command.phase == state.phase:
            raise Rejected(f"play is already in {state.phase}")
        if not self.settling.phases.allows(state.phase, f"force_{command.phase}"):
            raise Rejected(f"cannot move from {state.phase} to {command.phase}")
        self.settling.enter(draft, command.phase, now, "forced")
        self.settling.settle(draft, now, timed=True)

    def hold_phase(self, draft: Draft, command: cmd.HoldPhase, now: int) -> None:
        require_play(draft.state)
        if draft.state.held == command.hold:
            raise Rejected("the phase is already held" if command.hold else "the phase is not held")
        draft.emit(ev.PhaseHoldChanged(t=now, held=command.hold))
        self.settling.settle(draft, now, timed=False)

    def send_inject(self, draft: Draft, command: cmd.SendInject, now: int) -> None:
        state = draft.state
        require_play(state)
        if command.inject is not None:
            inject = self.scenario.inject(command.inject)
            if inject is None:
                raise Rejected(f"unknown inject '{command.inject}'")
            roles = named_roles(self.scenario, command.to, self.settling.receivers[inject.id])
            if all((inject.id, r) in state.deliveries for r in roles):
                raise Rejected(f"{inject.id} has already been delivered to " + ", ".join(roles))
            self.settling.deliver(draft, inject.id, now, ev.SentByController(), roles)
        else:
            self._send_adhoc(draft, command, now)
        self.settling.settle(draft, now, timed=False)

    def reschedule(self, draft: Draft, command: cmd.RescheduleInject, now: int) -> None:
        state = draft.state
        require_play(state)
        inject = self.scenario.inject(command.inject)
        if inject is None:
            raise Rejected(f"unknown inject '{command.inject}'")
        if self.settling.complete(state, inject.id):
            raise Rejected(f"{inject.id} has already been delivered")
        if command.at <= now:
            raise Rejected(
                f"choose a time after now ({self.clock_label(now)}); to deliver it now, send it"
            )
        previous = draft.agenda.scheduled(inject.id)
        draft.emit(ev.InjectRescheduled(t=now, inject=inject.id, at=command.at, previous=previous))

    def _send_adhoc(self, draft: Draft, command: cmd.SendInject, now: int) -> None:
        title = command.title.strip()
        if not title:
            raise Rejected("an ad-hoc inject needs a title")
        if not command.to:
            raise Rejected("say which roles receive the inject")
        roles = named_roles(self.scenario, command.to, [])
        inject_id = f"ADHOC-{len(draft.state.adhoc) + 1}"
        asks = command.due is not None or bool(command.prompt)
        adhoc = ev.AdhocInject(
            title, command.body, command.channel, command.sender, command.prompt if asks else None
        )
        draft.emit(
            ev.InjectDelivered(
                t=now,
                inject=inject_id,
                to=roles,
                answer=roles if asks else [],
                due_at=self.settling.due_at(command.due, now) if asks else None,
                cause=ev.SentByController(),
                adhoc=adhoc,
            )
        )

    def end(self, draft: Draft, command: cmd.EndExercise, now: int) -> None:
        state = draft.state
        if state.phase == ENDED:
            raise Rejected("the exercise has already ended")
        if state.in_play:
            self.settling.finish(draft, now, command.reason or "controller")
        else:
            self.settling.enter(draft, ENDED, now, "controller")
