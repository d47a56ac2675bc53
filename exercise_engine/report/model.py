"""The after-action review as data: what every renderer (Markdown, HTML, JSON, CSV) shows.

The sections follow the HSEEP After-Action Report / Improvement Plan: exercise overview,
executive summary, timeline, analysis of capabilities (here: rubric dimensions and criteria,
with strengths and areas for improvement), and the improvement plan, plus what an event-sourced
exercise can add: the decision log, situation variables over time, hot-wash prompts, evaluator
observations and an appendix of every inject and response. Every finding names the event
sequence numbers (``seqs``) it rests on. The JSON form of this model is described by
docs/aar-schema.json; change both together.

The classes are plain slotted dataclasses, built once and not changed afterwards: a frozen
dataclass spends ~0.2 µs per field in ``__init__``, and the AAR of a 100,000-event session
builds about a hundred thousand of them.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = "exercise-aar/1"


# -- overview --------------------------------------------------------------------------------


@dataclass(slots=True)
class SessionInfo:
    """The session row of the store, as the report needs it (no store types in the model)."""

    id: str = ""
    label: str = ""
    seed: int | None = None
    policy: str | None = None
    status: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(slots=True)
class Participant:
    seat: str
    name: str
    kind: str  # player | evaluator | controller | bot


@dataclass(slots=True)
class RoleEntry:
    id: str
    name: str
    kind: str
    pillars: list[int]
    participants: list[Participant]
    score: float | None
    rating: str


@dataclass(slots=True)
class ObjectiveEntry:
    id: str
    text: str
    criteria: list[str]
    score: float | None
    rating: str
    seqs: list[int]


@dataclass(slots=True)
class Overview:
    scenario_id: str
    title: str
    summary: str
    rubric_id: str
    rubric_title: str
    session: SessionInfo
    clock_mode: str
    scenario_start: str
    scenario_end: str
    duration_s: int
    wall_start: str
    wall_end: str
    wall_duration_s: int | None
    ended: str | None
    """Why play ended (endex, controller...), or None for a session still running."""
    phases_reached: list[str]
    injects_delivered: int
    injects_total: int
    events: int
    last_seq: int
    roles: list[RoleEntry]
    evaluators: list[str]
    controllers: list[str]
    objectives: list[ObjectiveEntry]


# -- summary and scores ---------------------------------------------------------------------


@dataclass(slots=True)
class Highlight:
    """A criterion of a role worth naming in the executive summary."""

    criterion: str
    title: str
    role: str
    role_name: str
    rating: str
    score: float
    seqs: list[int]


@dataclass(slots=True)
class Summary:
    overall: float
    rating: str
    rating_label: str
    observed: bool
    verdict: list[str]
    """Plain sentences, derived from the scores and the log."""
    strengths: list[Highlight]
    improvements: list[Highlight]
    decisions: int
    on_time: int
    late: int
    missed: int
    contingencies: int
    caps: list[str]


@dataclass(slots=True)
class DimensionCell:
    dimension: str
    score: float | None
    rating: str
    capped: bool
    seqs: list[int]


@dataclass(slots=True)
class RoleScores:
    role: str
    name: str
    total: float | None
    rating: str
    decisions: float | None
    timeliness: float | None
    coordination: float | None
    shares: dict[str, float]
    dimensions: list[DimensionCell]
    phases: dict[str, float | None]
    seqs: list[int]


@dataclass(slots=True)
class PhaseRow:
    phase: str
    overall: float | None
    rating: str
    seqs: list[int]


@dataclass(slots=True)
class ScaleEntry:
    """A rating level of the rubric, with where it sits on the 0-100 score line."""

    code: str
    points: float
    label: str
    score: float


@dataclass(slots=True)
class OutcomeEntry:
    """A rubric outcome read at a checkpoint (docs/scoring.md, "Outcomes")."""

    criterion: str
    criterion_title: str
    variable: str
    label: str
    phase: str
    endex: bool
    clock: str
    value: float
    measured: float
    measure: str
    rating: str | None
    """The rating the outcome allows at most; None when no threshold held (met)."""
    bound: str
    seqs: list[int]


@dataclass(slots=True)
class OutcomeCapEntry:
    """The overall score held at the rubric's ``outcome_cap`` by failed outcomes."""

    level: str
    score: float
    uncapped: float
    reasons: list[str]
    seqs: list[int]


@dataclass(slots=True)
class Scores:
    rubric: str
    overall: float
    rating: str
    scale: list[ScaleEntry]
    not_observed: str
    weights: dict[str, float]
    """Rubric shares: decisions, timeliness, coordination."""
    evaluator_weight: float
    option_weight: float
    critical_cap: str | None
    roles: list[RoleScores]
    phases: list[PhaseRow]
    ignored: list[str]
    seqs: list[int]
    outcomes: list[OutcomeEntry]
    outcome_cap: OutcomeCapEntry | None


# -- timeline --------------------------------------------------------------------------------


@dataclass(slots=True)
class PhaseSpan:
    phase: str
    start_t: int
    end_t: int
    start: str
    end: str
    cause: str
    condition: str | None
    seq: int


@dataclass(slots=True)
class TimelineEntry:
    seq: int
    t: int
    clock: str
    phase: str
    kind: str  # phase | inject | contingency | adhoc | rule | pause | resume | move | outage | end
    title: str
    detail: str
    roles: list[str]
    inject: str | None = None


@dataclass(slots=True)
class Undelivered:
    inject: str
    title: str
    phase: str | None
    timing: str
    contingency: bool
    reason: str


@dataclass(slots=True)
class Timeline:
    phases: list[PhaseSpan]
    entries: list[TimelineEntry]
    undelivered: list[Undelivered]


# -- analysis --------------------------------------------------------------------------------


@dataclass(slots=True)
class DoctrineRef:
    tag: str
    title: str
    ref: str
    summary: str


@dataclass(slots=True)
class EvaluatorView:
    evaluator: str
    rating: str
    score: float
    ratings: list[str]
    notes: list[str]
    seqs: list[int]


@dataclass(slots=True)
class CriterionRating:
    role: str
    role_name: str
    rating: str
    score: float | None
    option_points: float | None
    evaluator_points: float | None
    evaluators: list[EvaluatorView]
    caps: bool
    seqs: list[int]
    ceiling: str | None
    """The rating a failed outcome held this criterion at, if it did."""


@dataclass(slots=True)
class EvidenceNote:
    seq: int
    t: int
    clock: str
    text: str


@dataclass(slots=True)
class Finding:
    """A strength or an area for improvement (HSEEP), for one criterion of one role."""

    kind: str  # strength | improvement
    criterion: str
    role: str
    role_name: str
    rating: str
    score: float
    statement: str
    analysis: str
    reference: str
    caps: bool
    """A critical criterion at the bottom of the scale, capping its dimension."""
    missed_look_fors: list[str]
    evidence: list[EvidenceNote]
    seqs: list[int]


@dataclass(slots=True)
class CriterionAnalysis:
    id: str
    title: str
    weight: float
    critical: bool
    doctrine: str
    references: list[DoctrineRef]
    look_for: list[str]
    ratings: list[CriterionRating]
    not_observed: list[str]
    """Roles the criterion applies to that were never rated on it."""
    findings: list[Finding]


@dataclass(slots=True)
class DimensionAnalysis:
    id: str
    title: str
    weight: float
    description: str
    criteria: list[CriterionAnalysis]


# -- decisions, variables, coordination -----------------------------------------------------


@dataclass(slots=True)
class Consequence:
    variable: str
    old: float
    new: float
    seq: int
    via: str  # option | rule id


@dataclass(slots=True)
class Decision:
    seq: int
    t: int
    clock: str
    phase: str
    role: str
    role_name: str
    seat: str | None
    inject: str
    inject_title: str
    option: str | None
    option_text: str
    text: str
    rationale: str
    delivered_t: int | None
    due_s: int | None
    delay_s: int
    late: bool
    outcome: str
    points: dict[str, float]
    preferred: str | None
    """The option the rubric values most on this inject, when the one chosen is valued less."""
    consequences: list[Consequence]
    triggered: list[str]
    rules: list[str]
    confidence: int | None = None
    """How sure the team said it was, 1 (a guess) to 5 (certain); None when it did not say."""


@dataclass(slots=True)
class MissedDecision:
    inject: str
    inject_title: str
    role: str
    role_name: str
    phase: str
    delivered_t: int
    due_at: int | None
    clock: str
    seqs: list[int]


@dataclass(slots=True)
class VariablePoint:
    t: int
    value: float
    seq: int
    cause: str


@dataclass(slots=True)
class VariableSeries:
    name: str
    label: str
    better: str | None
    min: float | None
    max: float | None
    initial: float
    final: float
    low: float
    high: float
    at_phase_end: dict[str, float]
    points: list[VariablePoint]


@dataclass(slots=True)
class CoordinationPair:
    roles: list[str]
    level: int
    level_id: str
    level_title: str
    messages: int
    shares: int
    joint_rules: int
    seqs: list[int]


# -- hot wash, improvement plan, observations, appendix -------------------------------------


@dataclass(slots=True)
class HotWashItem:
    """The four AAR questions for one objective (or dimension), with prompts from the log."""

    topic: str
    title: str
    supposed: list[str]
    happened: list[str]
    why: list[str]
    sustain: list[str]
    improve: list[str]


@dataclass(slots=True)
class Improvement:
    issue: str
    corrective_action: str
    element: str  # Planning | Organization | Equipment | Training | Exercise (POETE)
    role: str
    role_name: str
    priority: str  # High | Medium | Low
    criterion: str | None
    reference: str
    seqs: list[int]
    responsible: str
    """Who in the training audience owns the action (HSEEP: primary responsible organization):
    the scenario audience group that sits at the role's seat, or that seat's trainees."""
    point_of_contact: str = ""
    start_date: str = ""
    completion_date: str = ""
    """Left for the after-action meeting to fill in (HSEEP improvement plan)."""


@dataclass(slots=True)
class Observation:
    seq: int
    t: int
    clock: str
    phase: str
    evaluator: str
    role: str
    role_name: str
    criterion: str
    rating: str
    note: str
    inject: str | None
    counted: bool


@dataclass(slots=True)
class ResponseEntry:
    role: str
    seq: int
    option: str | None
    text: str
    late: bool
    delay_s: int


@dataclass(slots=True)
class InjectRecord:
    id: str
    title: str
    phase: str | None
    timing: str
    channel: str
    sender: str
    to: list[str]
    contingency: bool
    adhoc: bool
    tags: list[str]
    expect: list[str]
    notes: str
    body: str
    delivered: list[dict[str, int | str]]
    """Each delivery: {role, t, clock, seq}."""
    asked: list[str]
    responses: list[ResponseEntry]


AUDIENCES = ("trainee", "staff")
"""Who the AAR is written for: ``trainee`` (the training audience: no controller notes, no MSEL
appendix, no injects that never reached them) or ``staff`` (controllers and evaluators)."""


@dataclass(slots=True)
class AAR:
    format: str
    generated_by: str
    audience: str
    """``trainee`` or ``staff`` (AUDIENCES)."""
    rubric_note: str
    """Says whether the session was re-scored with a rubric other than the one it recorded."""
    overview: Overview
    summary: Summary
    scores: Scores
    timeline: Timeline
    analysis: list[DimensionAnalysis]
    decisions: list[Decision]
    missed_decisions: list[MissedDecision]
    variables: list[VariableSeries]
    coordination: list[CoordinationPair]
    hot_wash: list[HotWashItem]
    improvement_plan: list[Improvement]
    observations: list[Observation]
    appendix: list[InjectRecord]
