"""Engine throughput with persistence, against raw sqlite3 in the same run.

1. A generated 1,000-inject x 5-role scenario simulated end to end (bots in every seat, events
   persisted to a SQLite file in WAL mode): wall time and events per second.
2. The same events written again through the store (event objects -> rows with audience, each
   audience's reading and canonical JSON -> SQLite), against `sqlite3.executemany` of the
   identical rows (events and views) into identical tables in one transaction: the cost of the
   store over raw SQLite.
Run: python benchmarks/bench_engine.py
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.synthetic import synthetic_scenario
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

RUNS = 3


def simulate_once(folder: Path, bundle: Bundle, n: int) -> tuple[float, int, Path, str]:
    db = folder / f"sim-{n}.db"
    with Store(db, synchronous="NORMAL") as store:
        start = time.perf_counter()
        controller = sim.start(store, bundle, seed=7, policy="random")
        sim.run(controller, "random")
        elapsed = time.perf_counter() - start
        return elapsed, controller.state.seq, db, controller.session_id


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rubric = load_catalog().rubrics["poc-doctrine"].model
        path = folder / "synthetic.yaml"
        path.write_text(synthetic_scenario(1000, list(rubric.criteria)))
        bundle = load_catalog([path]).bundle("synthetic")
        runs = [simulate_once(folder, bundle, n) for n in range(RUNS)]
        elapsed = statistics.median(r[0] for r in runs)
        events, db, session = runs[0][1], runs[0][2], runs[0][3]
        print(
            f"simulate 1,000 injects x 5 roles (policy random): {elapsed:.2f} s, "
            f"{events:,} events, {events / elapsed:,.0f} events/s (goal < 5 s)"
        )

        with Store(db) as store:
            log = store.events(session)
            rows = store.conn.execute(
                "SELECT session_id, seq, type, t, role, seat, audience, payload, wall_time, "
                "public, shown FROM events WHERE session_id = ? ORDER BY seq",
                (session,),
            ).fetchall()
            views = store.conn.execute(
                "SELECT session_id, seq, role, payload, extra FROM views WHERE session_id = ?",
                (session,),
            ).fetchall()
        store_times, raw_times = [], []
        for n in range(5):
            target = folder / f"store-{n}.db"
            with Store(target, synchronous="NORMAL") as again:
                copy = again.create_session(bundle, seed=7)
                start = time.perf_counter()
                again.append(copy, [r.event for r in log], 1, bundle)
                store_times.append(time.perf_counter() - start)
            raw = folder / f"raw-{n}.db"
            conn = sqlite3.connect(raw, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE events (session_id TEXT, seq INTEGER, type TEXT, t INTEGER,"
                " role TEXT, seat TEXT, audience TEXT, payload TEXT, wall_time TEXT,"
                " public TEXT, shown TEXT, PRIMARY KEY (session_id, seq))"
            )
            conn.execute("CREATE INDEX idx ON events (session_id, type)")
            conn.execute(
                "CREATE TABLE views (session_id TEXT, seq INTEGER, role TEXT, payload TEXT,"
                " extra TEXT, PRIMARY KEY (session_id, seq, role))"
            )
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO views VALUES (?, ?, ?, ?, ?)", views)
            conn.execute("COMMIT")
            raw_times.append(time.perf_counter() - start)
            conn.close()
        store_t, raw_t = statistics.median(store_times), statistics.median(raw_times)
        print(
            f"store.append of those {events:,} events: {store_t * 1000:.0f} ms "
            f"({events / store_t:,.0f} events/s)"
        )
        print(
            f"raw sqlite3.executemany of the same rows: {raw_t * 1000:.0f} ms "
            f"({events / raw_t:,.0f} rows/s)"
        )
        print(f"store throughput = {raw_t / store_t:.0%} of raw (goal >= 50%)")
        print(f"whole engine (decide + bots + persist) = {raw_t / elapsed:.1%} of raw")


if __name__ == "__main__":
    main()
