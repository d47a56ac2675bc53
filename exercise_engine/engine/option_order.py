"""The order in which a role's seats are shown an inject's options.

Authors write options in any order; a table must not be able to guess the best one from where
it stands. Each answering role is shown its own options (``Respond.offered``) shuffled by a
generator seeded with the session's seed, the inject and the role, so:

- two sessions, or two roles of one session, see different orders;
- the seats of one role see one order: a role's seats are one team at one table, and they talk
  about "option 2" among themselves and with the facilitator; the roles of a team decision or a
  plenary discussion (``respond.team``, ``plenary``) answer as one and see one order too;
- the order is a function of recorded data (``ExerciseCreated.seed``), and the engine records it
  in ``InjectDelivered.order`` as well, so a replay, the live layer's views, the consoles and the
  AAR all show the order the seats saw without re-deriving it.

Option ids (A, B, C...) are the authored ids: they are what the log and the rubric name. Readers
show the options in this order, numbered by their position, never by their id.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence

from exercise_engine.model.scenario import Option, Respond

SHARED = "*"
"""The key of the one order the roles of a team decision or a plenary discussion share."""


def option_order(seed: int, inject: str, role: str, options: Sequence[str]) -> list[str]:
    """``options`` (ids, authored order) in the order the seats of ``role`` are shown them."""
    key = hashlib.sha256(f"{seed}\x1f{inject}\x1f{role}".encode()).digest()
    order = list(options)
    random.Random(int.from_bytes(key[:8], "big")).shuffle(order)
    return order


def orders(
    seed: int, inject: str, respond: Respond, roles: Sequence[str], shared: bool = False
) -> dict[str, list[str]]:
    """Each answering role's order of the options it is offered (``InjectDelivered.order``).
    ``shared``: the roles answer as one (a team decision, a plenary discussion), so they are one
    table and see one order, each role the options open to it."""
    if shared:
        one = option_order(seed, inject, SHARED, [o.id for o in respond.options])
        return {
            role: [i for i in one if (o := respond.option(i)) is not None and o.open_to(role)]
            for role in roles
        }
    return {
        role: option_order(seed, inject, role, [o.id for o in respond.offered(role)])
        for role in roles
    }


def shown_options(
    respond: Respond, role: str, order: Mapping[str, Sequence[str]] | None
) -> list[Option]:
    """The options a role's seats were shown, in the order they saw them: the delivery's
    recorded ``order`` for the role, or (a log from before it was recorded) the authored order
    of the role's own options."""
    offered = respond.offered(role)
    ids = order.get(role) if order else None
    if ids is None:
        return offered
    by_id = {o.id: o for o in offered}
    return [by_id[i] for i in ids if i in by_id]
