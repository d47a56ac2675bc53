"""Bot players for headless runs: every role answered by a policy, deterministically.

``best`` picks the option of highest rubric value for its role (model/value.py, the value the
AAR's "preferred option" names too) and answers in good time, and coordinates: it consults the
co-recipients before it decides (scoring credits joint choices only after an exchange) and
shares the inject with a role that lacks it (a sensitive one only with the roles that may
receive it);
``worst`` picks the lowest-valued option, answers late and keeps to itself; ``random`` picks at
random. ``first`` (the option written first) and ``longest`` (the longest text) are the player
who guesses without reading: they answer and coordinate exactly as ``random`` does, so their
score differs from random's only by what the authored order or the wording gives away. Each
decision draws from a generator seeded by (seed, inject, role), so a run is the same
every time and a resumed run continues exactly as an uninterrupted one would.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.scenario import Inject, Option
from exercise_engine.model.value import OptionValues

KIND_ORDER = {"message": 0, "share": 1, "answer": 2}
"""What a bot does first when several of its commands fall due at once: it talks before it
answers (in turn mode a consultation and the answer fall in the same move)."""
POLICIES = ("best", "worst", "random", "first", "longest")
GUESSING = ("first", "longest")  # choose by form, behave like ``random`` otherwise
NO_DUE = 3600  # how long a bot takes over an answer that has no due time


@dataclass(order=True)
class Planned:
    t: int
    order: tuple[int, int, int, str]
    command: cmd.Command = field(compare=False)


class BotTeam:
    """Plans and issues the bots' commands; its plan is derived from the state, so it survives
    a restart (``rebuild``) and is kept current from the events each command produced."""

    def __init__(self, engine: Engine, policy: str, seed: int):
        if policy not in POLICIES:
            raise ValueError(f"unknown policy '{policy}'; policies: {', '.join(POLICIES)}")
        self.engine = engine
        self.policy = policy
        self.seed = seed
        self.values = OptionValues(engine.rubric)
        self.heap: list[Planned] = []
        self._order = {inject.id: n for n, inject in enumerate(engine.scenario.injects)}
        self._roles = {role: n for n, role in enumerate(engine.scenario.roles)}
        self._planned: set[tuple[str, str, str]] = set()

    # -- what a decision is worth ---------------------------------------------------------------

    def value(self, option: Option, role: str) -> float:
        """The option's rubric value when ``role`` chooses it (``OptionValues.of``)."""
        return self.values.of(option, role)

    def _rng(self, *parts: str) -> random.Random:
        return random.Random(":".join((str(self.seed), *parts)))

    def choose(self, inject: Inject, role: str) -> Option | None:
        options = inject.respond.offered(role) if inject.respond else []
        if not options:
            return None
        rng = self._rng(inject.id, role, "choice")
        if self.policy == "random":
            return rng.choice(options)
        if self.policy == "first":
            return options[0]
        if self.policy == "longest":
            return max(options, key=lambda o: len(o.text))
        values = [(self.value(o, role), rng.random(), o) for o in options]
        pick = max if self.policy == "best" else min
        return pick(values, key=lambda v: (v[0], v[1]))[2]

    # -- planning -------------------------------------------------------------------------------

    def rebuild(self, state: ExerciseState) -> None:
        """Plan everything the bots still owe, from the state alone (after a restart)."""
        self.heap = []
        self._planned = set()
        for inject, role in sorted(state.awaiting, key=self._key):
            self._plan_answer(state, inject, role)
        for (inject, role), delivery in sorted(
            state.deliveries.items(), key=lambda kv: self._key(kv[0])
        ):
            if delivery.responded_at is not None:
                self._plan_coordination(state, inject, role, delivery.responded_at)
            elif self.policy == "best" and (inject, role) in state.awaiting:
                self._plan_coordination(state, inject, role, delivery.t)

    def observe(self, state: ExerciseState, events: tuple[ev.Event, ...]) -> None:
        """Keep the plan current with the events the last command produced."""
        for event in events:
            if isinstance(event, ev.InjectDelivered):
                for role in event.answer:
                    self._plan_answer(state, event.inject, role)
                    if self.policy == "best":  # consult before deciding
                        self._plan_coordination(state, event.inject, role, event.t)
            elif isinstance(event, ev.ResponseRecorded) and event.role:
                self._plan_coordination(state, event.inject, event.role, event.t)

    def _key(self, pair: tuple[str, str]) -> tuple[int, int, str]:
        inject, role = pair
        return (self._order.get(inject, len(self._order)), self._roles.get(role, 0), inject)

    def _push(self, t: int, pair: tuple[str, str], kind: str, command: cmd.Command) -> None:
        if (pair[0], pair[1], kind) in self._planned:
            return
        self._planned.add((pair[0], pair[1], kind))
        order = (*self._key(pair)[:2], KIND_ORDER.get(kind, len(KIND_ORDER)), kind)
        heapq.heappush(self.heap, Planned(t, order, command))

    def _answer_time(self, state: ExerciseState, inject: str, role: str) -> int:
        delivery = state.deliveries[(inject, role)]
        span = (delivery.due_at - delivery.t) if delivery.due_at is not None else NO_DUE
        span = max(span, 60)
        if self.policy == "best":
            factor = 0.5
        elif self.policy == "worst":
            factor = 1.5
        else:
            factor = self._rng(inject, role, "time").uniform(0.2, 1.4)
        t = delivery.t + max(60, math.ceil(span * factor))
        if self.engine.turns:
            turn = self.engine.scenario.clock.turn or 1
            if self.policy == "best":
                t = delivery.t  # answered in the move it arrives in
            t = math.ceil(t / turn) * turn
        return max(t, state.t)

    def _plan_answer(self, state: ExerciseState, inject_id: str, role: str) -> None:
        actor = cmd.Actor.player(role, seat=f"bot:{role}", name=f"{self.policy} bot")
        inject = self.engine.scenario.inject(inject_id)
        if inject is not None and inject.one_answer and role != self._team_lead(state, inject_id):
            return  # a team answers once: its first role still to answer speaks for it
        t = self._answer_time(state, inject_id, role)
        if inject is None:  # an ad-hoc inject from the controller: answer in words
            command: cmd.Command = cmd.Respond(
                actor=actor,
                inject=inject_id,
                text=f"{role} acknowledges and acts on the request.",
                rationale="Ad-hoc request from exercise control.",
            )
            self._push(t, (inject_id, role), "answer", command)
            return
        option = self.choose(inject, role)
        respond = inject.respond
        text = ""
        if option is None:
            text = (
                f"{role}: course of action on '{inject.title}' "
                f"({self.policy} bot, seed {self.seed})."
            )
        rationale = ""
        if respond is not None and respond.rationale != "none":
            value = self.value(option, role) if option is not None else 0.0
            rationale = (
                f"{self.policy} policy: option {option.id} (rubric value {value:+.1f})"
                if option is not None
                else f"{self.policy} policy: own course of action"
            )
        command = cmd.Respond(
            actor=actor,
            inject=inject_id,
            option=option.id if option else None,
            text=text,
            rationale=rationale,
        )
        self._push(t, (inject_id, role), "answer", command)

    def _team_lead(self, state: ExerciseState, inject_id: str) -> str | None:
        responders = self.engine.settling.responders.get(inject_id, [])
        return next((r for r in responders if (inject_id, r) in state.awaiting), None)

    def _plan_coordination(self, state: ExerciseState, inject_id: str, role: str, t: int) -> None:
        if self.policy == "worst":
            return
        receivers = self.engine.receivers.get(inject_id)
        if receivers is None:
            return
        actor = cmd.Actor.player(role, seat=f"bot:{role}", name=f"{self.policy} bot")
        partners = [r for r in receivers if r != role]
        outsiders = [r for r in self.engine.scenario.roles if r not in receivers]
        inject = self.engine.scenario.inject(inject_id)
        if self.policy == "best" and inject is not None and inject.sensitive is not None:
            outsiders = [r for r in outsiders if r in inject.sensitive.share_with]
        rng = self._rng(inject_id, role, "coordination")
        talk = self.policy == "best" or rng.random() < 0.5
        share = self.policy == "best" or rng.random() < 0.5
        when = max(t, state.t)
        if partners and talk and (inject_id, role) not in state.discussed:
            delivery = state.deliveries.get((inject_id, role))
            if delivery is not None and delivery.responded_at is None:
                option = self.choose(inject, role) if inject is not None else None
                proposal = f"option {option.id}" if option else "our own course of action"
                body = f"{role} proposes {proposal} on {inject_id}: can we decide together?"
            else:
                chosen = f"option {delivery.option}" if delivery and delivery.option else "our plan"
                body = f"{role} went with {chosen} on {inject_id}; coordinating next steps."
            self._push(
                when,
                (inject_id, role),
                "message",
                cmd.SendMessage(
                    actor=actor, to=partners, inject=inject_id, subject=f"Re {inject_id}", body=body
                ),
            )
        if outsiders and share and (inject_id, role) not in state.shared:
            self._push(
                when,
                (inject_id, role),
                "share",
                cmd.ShareInformation(
                    actor=actor,
                    to=[outsiders[rng.randrange(len(outsiders))]],
                    inject=inject_id,
                    note=f"For your awareness: {inject_id}.",
                ),
            )

    # -- issuing ----------------------------------------------------------------------------

    def next_time(self) -> int | None:
        return self.heap[0].t if self.heap else None

    def pop_due(self, t: int) -> list[cmd.Command]:
        """The commands planned for time ``t`` or earlier, in a stable order."""
        ready = []
        while self.heap and self.heap[0].t <= t:
            ready.append(heapq.heappop(self.heap).command)
        return ready
