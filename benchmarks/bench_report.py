"""After-action review of a 100,000-event session: scoring and every renderer, against raw sqlite3.

1. A generated scenario (exercise_engine.model.synthetic) is simulated end to end by the bots
   (policy random: options, late and missed answers, messages, shares, rules, contingencies),
   then evaluators rate it during the debrief (observations through the engine) until the log
   holds 100,000 events. Everything is persisted through the store, as a live session would be.
2. Timed, median of RUNS: reading the log with raw sqlite3 (rows only: the floor), reading it
   through the store (rows -> event objects), scoring, building the AAR, and each renderer.
   The AAR figures are ``exercise report`` itself (report/command.py run): store read, scoring,
   building and rendering, and writing the file; in this process, then for HTML as a process of
   its own (``python -m exercise_engine report``: Python's start and the imports included),
   which is what the 3 s goal is about.
Run: python benchmarks/bench_report.py [--events N] [--keep DB]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.state import fold
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.synthetic import synthetic_scenario
from exercise_engine.report import command, render_csv, render_html, render_json, render_md
from exercise_engine.report.build import build_aar
from exercise_engine.scoring import score
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

RUNS = 3
EVENTS_PER_INJECT = 4.4  # what the random bots produce per synthetic inject, measured
EVALUATORS = ("Ana Ruiz", "Ben Okafor", "Chen Wei")
GOAL_S, GOAL_MB = 3.0, 5.0


def generate(db: Path, events: int) -> tuple[str, float]:
    """A recorded session of at least ``events`` events; returns its id and the seconds taken."""
    start = time.perf_counter()
    rubric = load_catalog().rubrics["poc-doctrine"].model
    injects = int(events * 0.96 / EVENTS_PER_INJECT)
    path = db.with_suffix(".yaml")
    path.write_text(synthetic_scenario(injects, list(rubric.criteria)), encoding="utf-8")
    bundle = load_catalog([path]).bundle("synthetic")
    with Store(db, synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, seed=7, policy="random")
        sim.run(controller, "random")
        controller.flush()
        session = controller.session_id
        rate(store, session, events)
    return session, time.perf_counter() - start


def rate(store: Store, session: str, events: int) -> None:
    """Evaluators' observations during the debrief, through the engine, up to ``events``."""
    bundle = store.bundle(session)
    engine = Engine(bundle)
    state = fold(bundle.scenario, store.events(session))
    rng = random.Random(7)
    criteria = list(bundle.rubric.criteria)
    codes = [lv.code for lv in bundle.rubric.scale] + [bundle.rubric.not_observed.code]
    injects = [i.id for i in bundle.scenario.injects]
    batch = []
    while state.seq + len(batch) < events:
        command = cmd.RecordObservation(
            actor=cmd.Actor.evaluator(rng.choice(EVALUATORS)),
            role=rng.choice(bundle.scenario.roles),
            criterion=rng.choice(criteria),
            rating=rng.choice(codes),
            inject=rng.choice(injects),
            note=rng.choice(
                [
                    "Named the indicator and raised it in time",
                    "Late to brief partners; no framework cited",
                    "Acted alone; the radio net was down",
                    "",
                ]
            ),
        )
        first = state.seq + 1
        outcome = engine.handle(state, command, state.t)
        assert outcome.accepted, outcome.rejection
        store.append(session, list(outcome.events), first, bundle)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Median of RUNS, each step run as ``exercise report`` runs it: with Python's cyclic
    collector held (report/command.py). Left running, the collector's passes walk everything
    this process keeps between steps (the log, the AAR, the renders) and triple the figures."""
    times, result = [], None
    for _ in range(RUNS):
        result = None
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times), result


def process_cpu(command_line: list[str], cwd: str) -> float:
    """Run a command to completion; the CPU seconds (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command_line, cwd=cwd, check=True, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def raw_read(db: Path, session: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT seq, type, t, role, seat, payload, wall_time FROM events "
            "WHERE session_id = ? ORDER BY seq",
            (session,),
        ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DB", help="reuse (or create) this database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.keep) if args.keep else Path(tmp) / "bench-report.db"
        if db.exists():
            with Store(db, create=False) as store:
                session = store.session(None).id
            print(f"reusing {db}")
        else:
            session, seconds = generate(db, args.events)
            print(f"generated the session in {seconds:.1f} s (simulation + evaluators)")
        with Store(db, create=False) as store:
            bundle = store.bundle(session)
            t_raw, rows = timed(lambda: raw_read(db, session))
            t_read, log = timed(lambda: store.events(session))
        kinds: dict[str, int] = {}
        for row in rows:
            kinds[row[1]] = kinds.get(row[1], 0) + 1
        print(
            f"session {session}: {len(rows):,} events, {len(bundle.scenario.injects):,} "
            f"injects, {kinds.get('ResponseRecorded', 0):,} decisions, "
            f"{kinds.get('ObservationRecorded', 0):,} observations, "
            f"{kinds.get('MessageSent', 0) + kinds.get('InformationShared', 0):,} exchanges"
        )
        t_score, card = timed(lambda: score(bundle, log))
        t_build, aar = timed(lambda: build_aar(bundle, log))
        renders = {}
        for name, render in (
            ("md", render_md.render),
            ("html", render_html.render),
            ("json", render_json.render),
            ("csv", render_csv.render),
        ):
            renders[name] = timed(lambda render=render: render(aar))
        print(f"overall score {card.overall:.1f}")
        print(f"{'raw sqlite3 read (rows only)':34} {t_raw * 1000:8.0f} ms   1.0x  (baseline)")
        lines = [
            ("store.events (rows -> events)", t_read),
            ("score", t_score),
            ("build_aar (includes scoring)", t_build),
        ]
        lines += [(f"render {name}", t) for name, (t, _) in renders.items()]
        for label, seconds in lines:
            print(f"{label:34} {seconds * 1000:8.0f} ms {seconds / t_raw:6.1f}x")
        for name, (_, text) in renders.items():
            print(f"{name:5} size {len(text.encode()) / 1e6:6.2f} MB")
        html_mb = len(renders["html"][1].encode()) / 1e6
        parser = argparse.ArgumentParser()
        command.add_parser(parser.add_subparsers())
        for name in renders:
            out = Path(tmp) / f"aar.{name}"
            args = parser.parse_args(
                ["report", "--db", str(db), "--session", session, "--format", name, "-o", str(out)]
            )
            with contextlib.redirect_stderr(io.StringIO()):
                total, code = timed(lambda args=args: command.run(args))
            assert code == 0
            verdict = "ok" if total < GOAL_S else "over"
            print(
                f"exercise report --format {name:4}: {total:.2f} s = {total / t_raw:4.1f}x "
                f"raw read (goal < {GOAL_S:g} s: {verdict})"
            )
        out = Path(tmp) / "process.html"
        command_line = [sys.executable, "-m", "exercise_engine", "report", "--session", session]
        command_line += ["--db", str(db.resolve()), "--format", "html", "-o", str(out)]
        cpu: list[float] = []
        total, _ = timed(lambda: cpu.append(process_cpu(command_line, tmp)))
        print(
            f"exercise report --format html as a process: {total:.2f} s = "
            f"{total / t_raw:4.1f}x raw read (goal < {GOAL_S:g} s: "
            f"{'ok' if total < GOAL_S else 'over'}); CPU time (user + system) "
            f"{statistics.median(cpu):.2f} s, which other processes on a shared machine inflate "
            "less than the wall-clock time"
        )
        print(
            f"HTML {html_mb:.2f} MB (goal < {GOAL_MB:g} MB: "
            f"{'ok' if html_mb < GOAL_MB else 'over'})"
        )


if __name__ == "__main__":
    main()
