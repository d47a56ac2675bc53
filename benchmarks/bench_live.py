"""Live layer: delivery latency to 30 seats, and the idle CPU of a seat and of the controller.

1. ``exercise run --headless`` on the default scenario, 30 ``exercise join --jsonl`` seats (six per
   role); the controller sends 20 ad-hoc injects to every role, half a second apart. Latency of
   each delivery = the line's arrival on a seat's stdout (read by this process with a selector)
   minus the event's ``wall_time`` (stamped just before the controller's commit): p50, p95, max
   over 600 deliveries (goal p95 < 250 ms).
2. Baseline in the same run: 30 raw readers (``sqlite3`` polling ``PRAGMA data_version`` every
   50 ms, as the seats do, and printing new rows), for the same 20 injects: the floor of this
   transport on this machine, without the seat's stack.
3. Idle CPU over 10 s with nothing happening: each seat, the controller, each raw reader
   (utime + stime from /proc; goal < 1% of a core for a seat).
Run: python benchmarks/bench_live.py
"""

from __future__ import annotations

import json
import os
import selectors
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

EXERCISE = str(Path(sys.executable).parent / "exercise")
ROLES = ["host_state", "un_mission", "military", "police", "humanitarian"]
SEATS, INJECTS, GAP_S, IDLE_S = 30, 20, 0.5, 10.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

RAW_READER = """
import sqlite3, sys, time
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, isolation_level=None)
last, version = 0, None
while True:
    now = conn.execute("PRAGMA data_version").fetchone()[0]
    if now != version:
        version = now
        for seq, kind in conn.execute(
            "SELECT seq, type FROM events WHERE seq > ? ORDER BY seq", (last,)
        ):
            last = seq
            print(f'{{"seq":{seq},"type":"{kind}"}}', flush=True)
    time.sleep(0.05)
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Readers:
    """Processes whose stdout lines are timestamped on arrival (one selector, no threads)."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]):
        self.procs = procs
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[int, bytes] = {}
        self.arrivals: dict[int, list[tuple[float, dict[str, object]]]] = {}
        for proc in procs:
            assert proc.stdout is not None
            os.set_blocking(proc.stdout.fileno(), False)
            self.selector.register(proc.stdout, selectors.EVENT_READ, proc.pid)
            self.buffers[proc.pid] = b""
            self.arrivals[proc.pid] = []

    def pump(self, seconds: float) -> None:
        end = time.time() + seconds
        while (left := end - time.time()) > 0:
            for key, _ in self.selector.select(left):
                at = time.time()
                chunk = os.read(key.fd, 1 << 16)
                pid = key.data
                self.buffers[pid] += chunk
                *lines, self.buffers[pid] = self.buffers[pid].split(b"\n")
                for line in lines:
                    self.arrivals[pid].append((at, json.loads(line)))

    def until(self, done: callable, deadline: float = 300) -> None:  # type: ignore[valid-type]
        end = time.time() + deadline
        while not done():
            if time.time() > end:
                raise SystemExit("timed out waiting for the processes")
            self.pump(0.1)


def start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def seat_argv(db: Path, n: int, codes: dict[str, str]) -> list[str]:
    role = ROLES[n % len(ROLES)]
    return [EXERCISE, "join", "--db", str(db), "--role", role, "--code", codes[role], "--jsonl"]


def latencies(db: Path, readers: Readers, first_seq: int) -> list[float]:
    conn = sqlite3.connect(db)
    stamps = {
        seq: datetime.fromisoformat(wall).timestamp()
        for seq, wall in conn.execute(
            "SELECT seq, wall_time FROM events WHERE type = 'InjectDelivered' AND seq > ?",
            (first_seq,),
        )
    }
    conn.close()
    found = []
    for arrivals in readers.arrivals.values():
        for at, line in arrivals:
            seq = line.get("seq")
            if isinstance(seq, int) and seq in stamps:
                found.append(at - stamps[seq])
    return found


def send_injects(controller: subprocess.Popen[bytes], readers: Readers) -> None:
    assert controller.stdin is not None
    for n in range(INJECTS):
        command = {"type": "SendInject", "title": f"Bench {n}", "body": "x", "to": ["all"]}
        controller.stdin.write((json.dumps(command) + "\n").encode())
        controller.stdin.flush()
        readers.pump(GAP_S)


def idle_cpu(pids: list[int]) -> list[float]:
    before = {pid: cpu_seconds(pid) for pid in pids}
    time.sleep(IDLE_S)
    return [(cpu_seconds(pid) - before[pid]) / IDLE_S * 100 for pid in pids]


def report(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"{name}: n={len(values)} p50 {statistics.median(values) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    db, codes_file = folder / "bench.db", folder / "codes.json"
    controller = start(
        [EXERCISE, "run", "--db", str(db), "--headless", "--start", "--codes", str(codes_file)]
    )
    processes = [controller]
    try:
        control = Readers([controller])
        control.until(lambda: codes_file.exists() and control.arrivals[controller.pid])
        codes = json.loads(codes_file.read_text())

        raw = [start([sys.executable, "-c", RAW_READER, str(db)]) for _ in range(SEATS)]
        processes += raw
        raw_readers = Readers(raw)
        raw_readers.until(lambda: all(raw_readers.arrivals[p.pid] for p in raw))
        first = max(line["seq"] for _, line in control.arrivals[controller.pid] if "seq" in line)
        send_injects(controller, raw_readers)
        raw_readers.pump(2.0)
        raw_latency = latencies(db, raw_readers, first)
        raw_idle = idle_cpu([p.pid for p in raw])
        for proc in raw:
            proc.kill()

        seats = [start(seat_argv(db, n, codes)) for n in range(SEATS)]
        processes += seats
        seat_readers = Readers(seats)
        seat_readers.until(
            lambda: all(
                any(
                    line.get("type") == "InjectDelivered"
                    for _, line in seat_readers.arrivals[s.pid]
                )
                for s in seats
            )
        )  # every seat has caught up with the log
        conn = sqlite3.connect(db)
        first = conn.execute("SELECT MAX(seq) FROM events").fetchone()[0]
        conn.close()
        send_injects(controller, seat_readers)
        seat_readers.pump(2.0)
        seat_latency = latencies(db, seat_readers, first)
        seat_idle = idle_cpu([s.pid for s in seats] + [controller.pid])
    finally:
        for proc in processes:
            if proc.poll() is None:
                proc.terminate()
        for proc in processes:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()

    print(f"delivery of {INJECTS} injects to {SEATS} readers each, {GAP_S:g} s apart:")
    print("  " + report("exercise join --jsonl seats", seat_latency) + " (goal p95 < 250 ms)")
    print("  " + report("baseline: raw sqlite3 readers", raw_latency))
    seat_p95 = sorted(seat_latency)[int(0.95 * (len(seat_latency) - 1))]
    raw_p95 = sorted(raw_latency)[int(0.95 * (len(raw_latency) - 1))]
    print(f"  seats' p95 = {seat_p95 / raw_p95:.1f}x the raw readers'")
    seats_cpu, controller_cpu = seat_idle[:-1], seat_idle[-1]
    print(f"idle CPU over {IDLE_S:g} s (% of one core):")
    print(
        f"  seat: median {statistics.median(seats_cpu):.2f}%, max {max(seats_cpu):.2f}% (goal < 1%)"
    )
    print(f"  controller (clock running, heartbeat each second): {controller_cpu:.2f}%")
    print(f"  baseline: raw sqlite3 reader: median {statistics.median(raw_idle):.2f}%")


if __name__ == "__main__":
    main()
