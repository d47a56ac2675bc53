"""Team alignment: how the roles asked the same question answered it, and how a role's seats did.

Several roles may be asked one inject (the force and the police, say): an evaluator wants to see
whether they chose the same course of action or pulled apart. Several seats may sit in one role
(a team): the first accepted answer is the role's, and the answers its other seats tried to give
show whether the team was of one mind. Only options can be compared; an answer in the team's own
words counts as answered but is not matched against anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded


@dataclass(frozen=True)
class SeatAnswer:
    """One seat's answer to an inject: its role's recorded answer, or one a later seat tried."""

    inject: str
    role: str
    seat: str | None
    option: str | None
    recorded: bool


@dataclass(frozen=True)
class InjectAlignment:
    inject: str
    asked: tuple[str, ...]
    """The roles asked to answer, in delivery order."""
    answers: tuple[SeatAnswer, ...]

    def recorded(self) -> dict[str, SeatAnswer]:
        return {a.role: a for a in self.answers if a.recorded}

    @property
    def across(self) -> tuple[int, int, str | None] | None:
        """(roles on the most chosen option, roles that chose an option, that option); None
        when fewer than two roles chose an option (nothing to compare yet)."""
        options = [a.option for a in self.recorded().values() if a.option is not None]
        if len(options) < 2:
            return None
        option, count = Counter(options).most_common(1)[0]
        return count, len(options), option

    def within(self, role: str) -> tuple[int, int] | None:
        """(seats that gave the role's recorded option, seats that answered); None until the
        role has answered with an option."""
        recorded = self.recorded().get(role)
        if recorded is None or recorded.option is None:
            return None
        seats = [a for a in self.answers if a.role == role]
        return sum(1 for a in seats if a.option == recorded.option), len(seats)


def alignment(
    log: Sequence[Recorded], attempts: Iterable[SeatAnswer] = ()
) -> list[InjectAlignment]:
    """Alignment for every inject that asked an answer of at least one role, in delivery order.

    ``attempts`` are the answers other seats of a role tried to give after the role had
    answered (the live layer knows them: the engine refused them).
    """
    asked: dict[str, list[str]] = {}
    answers: dict[str, list[SeatAnswer]] = {}
    for _, event, _ in log:
        if isinstance(event, ev.InjectDelivered) and event.answer:
            roles = asked.setdefault(event.inject, [])
            roles.extend(r for r in event.answer if r not in roles)
        elif isinstance(event, ev.ResponseRecorded) and event.role:
            answers.setdefault(event.inject, []).append(
                SeatAnswer(event.inject, event.role, event.seat, event.option, recorded=True)
            )
    for attempt in attempts:
        if attempt.inject in asked and not attempt.recorded:
            answers.setdefault(attempt.inject, []).append(attempt)
    return [
        InjectAlignment(inject, tuple(roles), tuple(answers.get(inject, ())))
        for inject, roles in asked.items()
    ]
