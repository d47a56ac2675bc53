"""``exercise print``: what staff hand out and work from, as pages that print cleanly.

Three documents, each one self-contained HTML file (inline CSS, no script, nothing fetched)
whose printable area fits A4 and Letter alike:

- **inject cards** for the players, one per inject, two to a page: what the role receives
  (sender, channel, scenario time, text, the question and its options) and a box to answer in;
  never the controller's notes, the criteria or what an option scores;
- the **MSEL** for control staff: every inject in running order with its timing, receivers,
  expected action, the criteria evaluators watch, and what each option does and scores; the
  rules, the phases' ways out and the designer's notes (``meta``);
- the **Exercise Evaluation Guide** (HSEEP EEG) for evaluators: per criterion the look-fors,
  where in this scenario to watch for it and what the expected action is, and rating boxes
  for each role it applies to, with lines for observation notes and a signature block.

The running order comes from a best-policy dry run (the order a well-run session delivers
them), injects the run did not deliver placed by their timing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.durations import format_duration
from exercise_engine.model.rubric import Criterion
from exercise_engine.model.scenario import PLAY_PHASES, Inject, Option
from exercise_engine.report.text import short_name
from exercise_engine.workbench.markup import environment
from exercise_engine.workbench.preview import timing_text
from exercise_engine.workbench.run import DryRun, dry_run

DOCUMENTS = ("cards", "msel", "eeg")
BEFORE = "before STARTEX"
"""Where the read-aheads stand in the running order: first."""


@dataclass(frozen=True)
class Entry:
    """An inject in running order, with what every print-out says about it."""

    number: int
    inject: Inject
    phase: str
    timing: str
    clock: str
    """When the dry run delivered it ("" when it did not)."""
    receivers: tuple[str, ...]
    answering: tuple[str, ...]
    options: tuple[Option, ...]

    @property
    def cue(self) -> str:
        """When control hands the card out, without giving away a condition or a branch."""
        inject = self.inject
        if inject.at is not None or inject.after is not None or inject.before_startex:
            return f"{self.phase}, {self.timing}"
        return f"{self.phase}, when control cues it"

    @property
    def due(self) -> str:
        respond = self.inject.respond
        return f"{format_duration(respond.due)}" if respond and respond.due else ""


@dataclass(frozen=True)
class Watch:
    """A criterion of the rubric as an evaluator watches it in this scenario."""

    criterion: Criterion
    dimension: str
    roles: tuple[str, ...]
    expected_at: tuple[Entry, ...]
    scored_by: tuple[tuple[Entry, Option, float], ...]

    @property
    def watch_at(self) -> list[Entry]:
        """The injects where the criterion shows: expected there, or scored by an option."""
        seen = {e.inject.id for e in self.expected_at}
        scored = [e for e, _, _ in self.scored_by if e.inject.id not in seen]
        unique = list({e.inject.id: e for e in scored}.values())
        return sorted([*self.expected_at, *unique], key=lambda e: e.number)

    @property
    def best(self) -> list[tuple[Entry, Option, float]]:
        """The options scoring it highest (what good looks like), at most three."""
        ranked = sorted(self.scored_by, key=lambda x: (-x[2], x[0].number))
        return ranked[:3]


@dataclass
class Printout:
    bundle: Bundle
    entries: list[Entry]
    run: DryRun
    watches: list[Watch] = field(default_factory=list)
    unexercised: list[Criterion] = field(default_factory=list)

    def role(self, role: str) -> str:
        return self.bundle.role_name(role)

    def names(self, roles: Sequence[str]) -> str:
        return ", ".join(self.role(r) for r in roles)

    def short_names(self, roles: Sequence[str]) -> str:
        """Role names short enough for a card's corner ("UNIMA" for the UN mission)."""
        return ", ".join(short_name(self.role(r)) for r in roles)

    def phase_entries(self, phase: str) -> list[Entry]:
        return [e for e in self.entries if e.phase == phase]

    @property
    def phases(self) -> list[str]:
        return [p for p in (BEFORE, *PLAY_PHASES, "any phase") if self.phase_entries(p)]

    @property
    def scale(self) -> list[str]:
        rubric = self.bundle.rubric
        return [level.code for level in rubric.scale] + [rubric.not_observed.code]


def running_order(bundle: Bundle, run: DryRun) -> list[Entry]:
    """Every inject once, by phase, then by when the dry run delivered it (or its own timing
    when it did not), then as written."""
    scenario = bundle.scenario
    phase_rank: dict[str, int] = {BEFORE: -1, **{p: n for n, p in enumerate(PLAY_PHASES)}}

    def phase_of(inject: Inject) -> str:
        if inject.before_startex is not None:
            return BEFORE
        delivered = run.delivered.get(inject.id)
        return inject.phase or (delivered.phase if delivered else "any phase")

    def key(item: tuple[int, Inject]) -> tuple[int, float, int]:
        n, inject = item
        delivered = run.delivered.get(inject.id)
        at = scenario.offset(inject)
        when = delivered.t if delivered else (at if at is not None else math.inf)
        if inject.before_startex is not None:
            when = -inject.before_startex
        return (phase_rank.get(phase_of(inject), len(PLAY_PHASES)), when, n)

    ordered = sorted(enumerate(scenario.injects), key=key)
    entries = []
    for number, (_, inject) in enumerate(ordered, start=1):
        delivered = run.delivered.get(inject.id)
        entries.append(
            Entry(
                number,
                inject,
                phase_of(inject),
                timing_text(inject),
                delivered.clock if delivered else "",
                tuple(scenario.receivers(inject, bundle.control)),
                tuple(scenario.responders(inject, bundle.control)),
                tuple(inject.respond.options) if inject.respond else (),
            )
        )
    return entries


def watches(bundle: Bundle, entries: list[Entry]) -> tuple[list[Watch], list[Criterion]]:
    """Each criterion the scenario exercises, where to watch for it; and those it does not."""
    rubric = bundle.rubric
    players = [r for r in bundle.scenario.roles if r not in bundle.control]
    out, unexercised = [], []
    for dimension in rubric.dimensions:
        for criterion in dimension.criteria:
            expected = tuple(e for e in entries if criterion.id in e.inject.expect)
            scored = tuple(
                (e, o, o.scores[criterion.id])
                for e in entries
                for o in e.options
                if criterion.id in o.scores
            )
            roles = tuple(r for r in players if "all" in criterion.roles or r in criterion.roles)
            if not (expected or scored) or not roles:
                unexercised.append(criterion)
                continue
            out.append(Watch(criterion, dimension.title, roles, expected, scored))
    return out, unexercised


def build_printout(bundle: Bundle, policy: str = "best", seed: int = 1) -> Printout:
    run = dry_run(bundle, policy, seed)
    entries = running_order(bundle, run)
    found, unexercised = watches(bundle, entries)
    return Printout(bundle, entries, run, found, unexercised)


def render(printout: Printout, document: str) -> str:
    """One of ``DOCUMENTS`` as a self-contained HTML page."""
    template = environment().get_template(f"{document}.html.j2")
    return template.render(p=printout, s=printout.bundle.scenario, r=printout.bundle.rubric)
