"""The scenario format (``exercise-scenario/1``): the contract with course designers.

Field names and meanings follow SCENARIO-FORMAT.md; fields it does not name are extensions
(marked below) and are always optional, so every file written to the published contract loads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, WithJsonSchema, field_validator, model_validator

from exercise_engine.model.common import (
    ClockTime,
    Content,
    Duration,
    ExpressionText,
    Id,
    Line,
    Meta,
    Number,
    Offset,
    Slug,
    Text,
    VariableName,
)
from exercise_engine.model.diagnostics import quoted
from exercise_engine.model.expressions import RESERVED_NAMES
from exercise_engine.model.vocabulary import PLAY_PHASES as PLAY_PHASES  # re-exported
from exercise_engine.model.vocabulary import Channel as Channel
from exercise_engine.model.vocabulary import PhaseName as PhaseName

ActorCategory = Literal[
    "protection", "perpetrator", "vulnerable", "bystander", "negative", "positive"
]
ALL_ROLES = "all"
PLAYERS = "players"
"""Extension: every player role of the scenario, without its control cells (``kind: control``)."""
GROUPS = (ALL_ROLES, PLAYERS)
RoleTargets = Annotated[
    list[Id],
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(GROUPS)},
                {"type": "array", "items": {"type": "string"}, "minItems": 1},
            ],
            "description": "receiving role ids, or 'all' (every role), or 'players' (every "
            "player role, control cells left out)",
        }
    ),
]


def role_targets(value: object) -> object:
    """``to: all`` and ``to: players`` as one-item lists; any other single text is refused with
    what to write instead (``to: "All players"`` is not a role)."""
    if not isinstance(value, str):
        return value
    if value in GROUPS:
        return [value]
    raise ValueError(
        f"{quoted(value)} is not a list of roles; write 'players' for every player role "
        "(control cells left out), 'all' for every role, or a list such as [un_mission, police]"
    )


class Clock(Content):
    mode: Literal["realtime", "turns"] = "realtime"
    start: ClockTime | None = None
    speed: Annotated[float, Field(gt=0, le=100_000)] = 1.0
    turn: Duration | None = None
    duration: Duration | None = None
    """Extension: scenario time after which play ends and the debrief begins (ENDEX)."""

    @model_validator(mode="after")
    def _turn_needs_length(self) -> Clock:
        if self.mode == "turns" and not self.turn:
            raise ValueError(
                "turn mode needs 'turn', the scenario time one move covers, like \"6h\""
            )
        return self


class Setting(Content):
    """The operational environment in GPMESII terms (markdown text)."""

    geographic: Text = ""
    political: Text = ""
    military: Text = ""
    economic: Text = ""
    social: Text = ""
    informational: Text = ""
    infrastructure: Text = ""


class Actor(Content):
    id: Id
    name: Line
    category: ActorCategory
    description: Text = ""


class Variable(Content):
    initial: Number
    min: Number | None = None
    max: Number | None = None
    label: Line = ""
    better: Literal["higher", "lower"] | None = None
    """Extension: which direction is good for civilians, for reports and bot policies."""

    @model_validator(mode="after")
    def _bounds(self) -> Variable:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if self.min is not None and self.initial < self.min:
            raise ValueError(f"initial ({self.initial:g}) is below min ({self.min:g})")
        if self.max is not None and self.initial > self.max:
            raise ValueError(f"initial ({self.initial:g}) is above max ({self.max:g})")
        return self

    def clamp(self, value: float) -> float:
        if self.min is not None:
            value = max(self.min, value)
        if self.max is not None:
            value = min(self.max, value)
        return value


class Transition(Content):
    to: PhaseName
    when: ExpressionText | None = None
    """Omitted: only the controller moves play along this transition."""


class Module(Content):
    """Extension: a module of a phase, as an HSEEP situation manual runs several: its own brief
    and, optionally, the scenario time it jumps to (four modules of a tabletop may cover 0600,
    1000, 1400 and 1800 in under three hours of play)."""

    id: Id
    title: Line
    brief: Text = ""
    """Shown to all roles when the module starts (markdown)."""
    at: Offset = 0
    """When the module starts: play time after its phase starts (``"+40m"``)."""
    clock: ClockTime | None = None
    """The scenario time shown from the module's start on: a time of day (``"10:00"``, the
    next such time) or a date and time; without it the scenario clock runs on."""


class Phase(Content):
    brief: Text = ""
    next: list[Transition] = []
    modules: list[Module] = []
    """Extension: the phase's modules, in the order they start."""

    @model_validator(mode="after")
    def _modules_in_order(self) -> Phase:
        starts = [m.at for m in self.modules]
        if starts != sorted(starts):
            raise ValueError("a phase's modules are listed in the order they start ('at')")
        return self


class After(Content):
    inject: Id
    delay: Duration = 0


class Option(Content):
    id: Id
    text: Text
    effects: dict[VariableName, Number] = {}
    triggers: list[Id] = []
    scores: dict[Id, Number] = {}
    outcome: Text = ""
    """Extension: what happened as a result, told to the role after it decides and in the AAR."""
    roles: list[Id] | None = Field(None, min_length=1)
    """Extension: the answering roles this course of action is open to (a seat is offered only
    what its mandate allows); leave it out to offer it to every role that answers."""

    def open_to(self, role: str) -> bool:
        return self.roles is None or role in self.roles


class Respond(Content):
    due: Duration | None = None
    roles: list[Id] | None = Field(None, min_length=1)
    """Who must answer; leave it out to ask every receiving role."""
    team: bool = False
    """Extension: one answer for all the roles that must answer: the first given counts for
    each of them, and its effects and triggers apply once."""
    prompt: Text = ""
    options: list[Option] = []
    free_text: bool = False
    rationale: Literal["required", "optional", "none"] = "optional"
    time_pressure: bool = False
    """Extension: a snap decision whose short due time is the point of the inject; every other
    decision should leave a table enough wall time to discuss it."""

    @model_validator(mode="after")
    def _answerable(self) -> Respond:
        if not self.options and not self.free_text:
            raise ValueError("a response needs 'options' or 'free_text: true'")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def offered(self, role: str) -> list[Option]:
        """The options a role may choose, in authored order (see ``Option.roles``)."""
        return [o for o in self.options if o.open_to(role)]


class Paragraph(Content):
    """Extension: a paragraph of an inject's text that a run reads only when its condition holds
    when the inject is delivered, so the story answers what the seats did and how the situation
    stands. The engine decides it at delivery and records the paragraphs that held
    (``InjectDelivered.paragraphs``): a replay and the AAR show the text each seat read."""

    when: ExpressionText
    text: Text
    asserts: list[Id] = []
    """Facts (the scenario's ``facts``) this paragraph states; its ``when`` must imply them."""


class Fact(Content):
    """Extension: something the story states (where the QRF is, whether an order was given) and
    the condition under which it is true. An inject or paragraph that ``asserts`` a fact must
    only reach a run in which the fact holds: checked against best, worst and random runs."""

    text: Line
    holds: ExpressionText


class Sensitive(Content):
    """Extension: an inject whose contents put people at risk in the wrong hands (victims,
    witnesses, sources, monitors): who besides its recipients may receive it."""

    share_with: list[Id] = []
    """Roles that may be sent it besides those in `to`; none by default."""
    reason: Text = ""
    """Who is at risk and why (shown to evaluators and in the AAR)."""
    criteria: list[Id] = []
    """Rubric criteria a breach fails besides the rubric's own (`coordination.breach`)."""


class Inject(Content):
    id: Id
    use: str | None = None
    """A library inject this one was pulled from (``library/inject``), kept as provenance."""
    phase: PhaseName | None = None
    module: Id | None = None
    """Extension: the module of its phase it belongs to; its ``at`` then counts from the
    module's start."""
    at: Offset | None = None
    after: After | None = None
    when: ExpressionText | None = None
    before_startex: Duration | None = None
    """Extension: a read-ahead, delivered at the briefing before play starts, dated this long
    before STARTEX; it has no phase and no other timing."""
    to: RoleTargets = Field(min_length=1)
    from_: Line = Field("", alias="from")
    channel: Channel
    title: Line
    body: Text = ""
    tags: list[str] = []
    expect: list[Id] = []
    respond: Respond | None = None
    contingency: bool = False
    """Extension: fires to redirect play when an expected action did not happen (HSEEP)."""
    notes: Text = ""
    """Extension: controller and evaluator notes (expected action); never shown to players."""
    sensitive: Sensitive | None = None
    """Extension: sharing it beyond its recipients and `share_with` is a breach, not a credit."""
    plenary: bool = False
    """Extension: discussed by the players together, in plenary, and rated by evaluators on the
    criteria it ``expect``s (its options need no scores); an answer is the room's, given once."""
    paragraphs: list[Paragraph] = []
    """Extension: paragraphs added after the body, each where its condition holds at delivery."""
    asserts: list[Id] = []
    """Extension: facts (the scenario's ``facts``) the body states, in every run that reads it."""

    @field_validator("to", mode="before")
    @classmethod
    def _to_group(cls, value: object) -> object:
        return role_targets(value)

    @model_validator(mode="after")
    def _one_timing(self) -> Inject:
        timed_by = (("at", self.at), ("after", self.after), ("when", self.when))
        timings = [name for name, value in timed_by if value is not None]
        if len(timings) > 1:
            raise ValueError(
                f"an inject is timed by one of at / after / when, not by {' and '.join(timings)}"
            )
        if self.before_startex is not None:
            if timings:
                raise ValueError(
                    f"a read-ahead (before_startex) arrives before play starts, so it has no "
                    f"'{timings[0]}'"
                )
            if self.phase is not None or self.module is not None:
                raise ValueError(
                    "a read-ahead (before_startex) arrives before play starts, in no phase: "
                    "leave out 'phase' and 'module'"
                )
        if self.at is not None and self.phase is None and self.module is None:
            # (with a module, the check of references names the module's phase to add)
            raise ValueError("'at' counts from the start of the inject's phase: add 'phase'")
        return self

    @property
    def timing(self) -> str:
        """How the inject is scheduled: at, after, when, before (STARTEX: a read-ahead), or
        triggered (option, rule, control)."""
        for name in ("at", "after", "when"):
            if getattr(self, name) is not None:
                return name
        return "before" if self.before_startex is not None else "triggered"

    @property
    def one_answer(self) -> bool:
        """Whether one answer counts for every role that must answer (a team decision, or a
        plenary discussion: the room answers once)."""
        return self.respond is not None and (self.respond.team or self.plenary)

    def text(self, paragraphs: Sequence[int] | None = None) -> str:
        """The body as a run read it: followed by the conditional ``paragraphs`` (indexes into
        ``self.paragraphs``) that held at its delivery."""
        count = len(self.paragraphs)
        held = [self.paragraphs[i].text.strip() for i in paragraphs or () if i < count]
        if not held:
            return self.body
        return "\n\n".join(part for part in (self.body.strip(), *held) if part) + "\n"


class Rule(Content):
    id: Id | None = None
    description: Text = ""
    when: ExpressionText
    effects: dict[VariableName, Number] = {}
    triggers: list[Id] = []


class Objective(Content):
    """Extension: an exercise objective (HSEEP), tied to rubric criteria for the AAR."""

    id: Id
    text: Text
    criteria: list[Id] = []


class Scenario(Content):
    format: Literal["exercise-scenario/1"]
    id: Slug
    title: Line
    summary: Text = ""
    audience: list[Line] = []
    rubric: Id
    roles: list[Id] = Field(min_length=1)
    clock: Clock = Clock()
    setting: Setting = Setting()
    actors: list[Actor] = []
    variables: dict[VariableName, Variable] = {}
    """Situation variables; names must not shadow the expression language's own names."""
    phases: dict[str, Phase]
    injects: list[Inject] = Field(min_length=1)
    rules: list[Rule] = []
    objectives: list[Objective] = []
    facts: dict[Id, Fact] = {}
    """Extension: what injects and paragraphs state about the story (``asserts``), and when it
    is true, so that no inject contradicts what the seats did earlier in the run."""
    meta: Meta = Meta()
    """Extension: the designer's own record (author, source, licence, tags, debrief notes)."""
    _by_id: dict[str, Inject] = PrivateAttr(default_factory=dict)

    @field_validator("variables")
    @classmethod
    def _own_names(cls, variables: dict[str, Variable]) -> dict[str, Variable]:
        taken = sorted(set(variables) & RESERVED_NAMES)
        if taken:
            raise ValueError(
                f"variable name {', '.join(repr(t) for t in taken)} is reserved by "
                "the expression language; choose another name"
            )
        return variables

    @field_validator("phases")
    @classmethod
    def _three_phases(cls, phases: dict[str, Phase]) -> dict[str, Phase]:
        missing = [p for p in PLAY_PHASES if p not in phases]
        extra = [p for p in phases if p not in PLAY_PHASES]
        if missing:
            raise ValueError(
                f"missing required phase {', '.join(repr(p) for p in missing)}; "
                "a scenario has the phases prevent, react and rebuild"
            )
        if extra:
            raise ValueError(
                f"unknown phase {', '.join(repr(p) for p in extra)}; "
                "the phases are prevent, react and rebuild"
            )
        if tuple(phases) != PLAY_PHASES:
            raise ValueError("phases must be listed in the order prevent, react, rebuild")
        return phases

    def model_post_init(self, _context: object) -> None:
        self._by_id = {i.id: i for i in self.injects}

    def inject(self, inject_id: str) -> Inject | None:
        return self._by_id.get(inject_id)

    def module(self, module_id: str) -> tuple[str, Module] | None:
        """The phase a module belongs to, and the module."""
        for name, phase in self.phases.items():
            for module in phase.modules:
                if module.id == module_id:
                    return name, module
        return None

    def offset(self, inject: Inject) -> int | None:
        """Play time after its phase starts at which an ``at`` inject falls due: its ``at``,
        counted from its module's start when it has one."""
        if inject.at is None:
            return None
        found = self.module(inject.module) if inject.module else None
        return inject.at + (found[1].at if found else 0)

    @property
    def read_aheads(self) -> list[Inject]:
        """The injects delivered before STARTEX, earliest dated first."""
        early = [i for i in self.injects if i.before_startex is not None]
        return sorted(early, key=lambda i: -(i.before_startex or 0))

    def receivers(self, inject: Inject, control: Collection[str] = ()) -> list[str]:
        """The roles an inject reaches, with ``all`` expanded to the scenario's roles and
        ``players`` to those not in ``control`` (its control cells, which only the roles'
        files name: ``Bundle.control`` and ``Catalog.control`` pass them)."""
        if ALL_ROLES in inject.to:
            return list(self.roles)
        players = PLAYERS in inject.to
        return [r for r in self.roles if r in inject.to or (players and r not in control)]

    def responders(self, inject: Inject, control: Collection[str] = ()) -> list[str]:
        """The roles that must answer an inject (default: every receiving role)."""
        if inject.respond is None:
            return []
        receivers = self.receivers(inject, control)
        asked = inject.respond.roles
        if asked is None or ALL_ROLES in asked:
            return receivers
        players = PLAYERS in asked
        return [r for r in receivers if r in asked or (players and r not in control)]
