"""An evaluator's paper EEG, recorded as observations of a session, all rows or none.

Each row (criterion, role, rating, note, and a time or an inject) becomes a ``RecordObservation``
command decided by the engine, exactly as the evaluator console would send it; the engine's
own checks (known criterion, rating on the rubric's scale, role of the scenario, known inject)
apply. The rows are checked first; the events are appended in one transaction, and only if the
session's log has not moved since: a controller writing the session meanwhile makes the import
refuse rather than write behind its back.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.durations import format_duration, parse_clock, scenario_datetime
from exercise_engine.msel import cells
from exercise_engine.msel.headers import ColumnMap, Dictionary, apply_spec
from exercise_engine.msel.importer import find_header
from exercise_engine.msel.problems import Place, Problem, SheetError, SheetErrors
from exercise_engine.msel.recipients import RoleMatcher, words
from exercise_engine.msel.sheet import CellValue, Row, Sheet, is_blank, read_sheet
from exercise_engine.msel.times import Moment, TimeFormatError, parse_moment, place
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store, StoreError, live

EEG = Dictionary(
    {
        "criterion": (
            "criterion",
            "criteria",
            "criterion id",
            "rubric criterion",
            "eeg criterion",
            "critical task",
            "task",
            "capability target",
            "target",
        ),
        "role": (
            "role",
            "team",
            "seat",
            "player",
            "players",
            "organization",
            "organisation",
            "rated role",
            "syndicate",
        ),
        "rating": (
            "rating",
            "target rating",
            "task rating",
            "score",
            "grade",
            "p s m u",
            "final rating",
        ),
        "note": (
            "note",
            "notes",
            "observation",
            "observations",
            "observation notes",
            "comments",
            "comment",
            "evidence",
            "remarks",
        ),
        "time": ("time", "observed at", "time observed", "scenario time", "when", "t"),
        "inject": ("inject", "inject no", "inject id", "event", "event no", "msel no"),
    },
    frozenset({"note"}),
)
LEASE_TTL_S = 30.0
"""A controller heard from within this long is live: the import will not write beside it."""
NOT_OBSERVED_SPELLINGS = ("n o", "no", "not observed", "na", "n a")


@dataclass(frozen=True)
class Observation:
    row: int
    command: cmd.RecordObservation


@dataclass
class Recorded:
    observations: int
    session: str
    seq: tuple[int, int]


def read_observations(
    path: str | Path, bundle: Bundle, state: ExerciseState, evaluator: str,
    sheet_name: str | None = None, columns: str | None = None,
) -> list[Observation]:  # fmt: skip
    """Every row of the EEG as a command; all bad rows named (file, row, column) at once."""
    sheet = read_sheet(path, sheet_name)
    header, mapped = find_header(sheet, EEG)
    if columns:
        headers = list(header.values) if header is not None else None
        try:
            mapped = apply_spec(columns, mapped if header else ColumnMap(), headers, EEG)
        except ValueError as exc:
            raise SheetError(Place(sheet.path), f"--columns: {exc}") from None
    elif header is None:
        raise SheetError(
            sheet.place(),
            "no header row naming criterion, role and rating found; "
            "name the columns with --columns (like A=criterion,B=role,C=rating)",
        )
    missing = [f for f in ("criterion", "role", "rating") if mapped.first(f) is None]
    if missing:
        raise SheetError(
            sheet.place(header.number if header else None), f"no column for {', '.join(missing)}"
        )
    reader = _EegReader(sheet, mapped, bundle, state, evaluator)
    for row in sheet.rows:
        if (header is not None and row.number <= header.number) or row.empty:
            continue
        reader.read(row)
    if reader.problems:
        raise SheetErrors(reader.problems)
    return reader.observations


class _EegReader:
    def __init__(self, sheet: Sheet, columns: ColumnMap, bundle: Bundle, state: ExerciseState,
                 evaluator: str):  # fmt: skip
        self.sheet, self.columns, self.bundle, self.state = sheet, columns, bundle, state
        self.actor = cmd.Actor.evaluator(evaluator)
        scenario = bundle.scenario
        self.roles = RoleMatcher({r: bundle.roles[r].name for r in scenario.roles})
        rubric = bundle.rubric
        self.criteria = {c.lower(): c for c in rubric.criteria}
        self.ratings = {words(level.code): level.code for level in rubric.scale}
        self.ratings |= {words(level.label): level.code for level in rubric.scale}
        self.ratings |= {words(s): rubric.not_observed.code for s in NOT_OBSERVED_SPELLINGS}
        self.ratings[words(rubric.not_observed.code)] = rubric.not_observed.code
        self.ratings[words(rubric.not_observed.label)] = rubric.not_observed.code
        self.injects = {i.id.lower(): i.id for i in scenario.injects}
        self.observations: list[Observation] = []
        self.problems: list[Problem] = []

    def place(self, row: Row, name: str) -> Place:
        column = self.columns.first(name)
        header = self.columns.header(column) if column is not None else ""
        return self.sheet.place(row.number, column, header or name)

    def cell(self, row: Row, name: str) -> CellValue:
        column = self.columns.first(name)
        return None if column is None else row.value(column)

    def fail(self, row: Row, name: str, message: str) -> None:
        self.problems.append(Problem(self.place(row, name), message, error=True))

    def read(self, row: Row) -> None:
        before = len(self.problems)
        criterion = self.criteria.get(cells.text(self.cell(row, "criterion")).lower())
        if criterion is None:
            self.fail(
                row,
                "criterion",
                f"unknown criterion '{cells.text(self.cell(row, 'criterion'))}'"
                f"; the rubric has {', '.join(self.bundle.rubric.criteria)}",
            )
        rating = self.ratings.get(words(cells.text(self.cell(row, "rating"))))
        if rating is None:
            codes = [lv.code for lv in self.bundle.rubric.scale] + [
                self.bundle.rubric.not_observed.code
            ]
            self.fail(
                row,
                "rating",
                f"unknown rating '{cells.text(self.cell(row, 'rating'))}'; "
                f"ratings: {', '.join(codes)}",
            )
        said = cells.text(self.cell(row, "role"))
        roles, unknown = self.roles.recipients(said) if said else ([], [said])
        if unknown or not roles:
            self.fail(
                row,
                "role",
                f"'{said}' is no role of this scenario; roles: "
                f"{', '.join(self.bundle.scenario.roles)}",
            )
        note = cells.long_text(" ".join(
            cells.long_text(row.value(i)) for i in self.columns.columns.get("note", [])
        )).strip()  # fmt: skip
        inject, when = self._moment(row, roles)
        if len(self.problems) > before:
            return
        if when is not None:
            note = f"[{self._label(when)}] {note}".strip()
        expanded = list(self.bundle.scenario.roles) if roles == ["all"] else roles
        for role in expanded:
            self.observations.append(Observation(row.number, cmd.RecordObservation(
                actor=self.actor, criterion=criterion or "", role=role, rating=rating or "",
                note=note, inject=inject,
            )))  # fmt: skip

    def _moment(self, row: Row, roles: list[str]) -> tuple[str | None, int | None]:
        """The inject named, or (from a time) the last one delivered to the role by then."""
        said = cells.text(self.cell(row, "inject"))
        if said:
            found = self.injects.get(said.lower())
            if found is None:
                self.fail(row, "inject", f"unknown inject '{said}'")
            return found, None
        value = self.cell(row, "time")
        if is_blank(value):
            return None, None
        column = self.columns.first("time")
        try:
            moment = parse_moment(value, self.columns.units.get(column or -1))
        except TimeFormatError as exc:
            self.fail(row, "time", str(exc))
            return None, None
        when = self._seconds(moment)
        if when is None:
            self.fail(row, "time", "a clock time needs the scenario's clock.start; write T+2h")
            return None, None
        role = roles[0] if roles and roles != ["all"] else None
        delivered = [d for d in self.state.deliveries.values()
                     if d.t <= when and (role is None or d.role == role)]  # fmt: skip
        latest = max(delivered, key=lambda d: d.t, default=None)
        return (latest.inject if latest else None), when

    def _seconds(self, moment: Moment) -> int | None:
        if moment.elapsed is not None:
            return moment.elapsed
        start = self._start()
        if start is None:
            return None
        start_moment = Moment(date=start.date(), clock=start.hour * 3600 + start.minute * 60)
        return place([start_moment, moment]).offsets[1]

    def _start(self) -> dt.datetime | None:
        start = self.bundle.scenario.clock.start
        return parse_clock(start) if start else None

    def _label(self, t: int) -> str:
        start = self._start()
        return scenario_datetime(start, t) if start else f"T+{format_duration(t)}"


def import_observations(
    path: str | Path, db: str, evaluator: str, session: str | None = None,
    sheet_name: str | None = None, columns: str | None = None,
) -> Recorded:  # fmt: skip
    """Check every row, then record them all in one transaction, or nothing. The import holds
    the session's controller lease while it writes, so it never writes behind a live
    controller's back: with one running, it refuses."""
    with Store(db, create=False) as store:
        record = store.session(session)
        holder = f"observations import by {evaluator} (pid {os.getpid()})"
        taken, running = live.take_lease(
            store.conn, record.id, holder, now=time.time(), ttl=LEASE_TTL_S, pid=os.getpid()
        )
        if not taken:
            assert running is not None
            ago = time.time() - (running.heartbeat or 0)
            raise StoreError(
                f"session {record.id} is run by a live controller ({running.holder}, pid "
                f"{running.pid} on {running.host}, heard from {ago:.0f} s ago): record these "
                "observations in its evaluator console, or import them once it has stopped"
            )
        try:
            return _record(store, record.id, holder, path, evaluator, sheet_name, columns)
        finally:
            live.release_lease(store.conn, record.id, holder, time.time())


def _record(
    store: Store, session: str, holder: str, path: str | Path, evaluator: str,
    sheet_name: str | None, columns: str | None,
) -> Recorded:  # fmt: skip
    checked = ExerciseController.resume(store, session, commit_every=1 << 30)
    seen = checked.state.seq
    observations = read_observations(
        path, checked.bundle, checked.state, evaluator, sheet_name, columns
    )
    rejected = []
    for observation in observations:
        outcome = checked.submit(observation.command)
        if not outcome.accepted:
            rejected.append(
                Problem(Place(str(path), observation.row), outcome.rejection or "", error=True)
            )
    if rejected:
        raise SheetErrors(rejected)
    with store.transaction():
        now = store.last_seq(session)
        if now != seen or not live.holds_lease(store.conn, session, holder):
            raise StoreError(
                f"session {session} moved on while the sheet was checked (event {seen} became "
                f"{now}): another writer got in; nothing was imported. Import again, or record "
                "these in the evaluator console"
            )
        checked.flush()
    return Recorded(len(observations), session, (seen + 1, checked.state.seq))
