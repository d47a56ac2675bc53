"""How quickly the consoles come up, how quickly an event reaches a seat's screen, what a seat
costs in memory: each figure beside a bare Textual app measured in the same run.

    python benchmarks/bench_tui.py [--runs 5] [--seats 30] [--injects 10] [--idle 30]
                                   [--only startup|delivery|idle]

1. Start to first frame: each console started as a process in its own pseudo-terminal
   (120x40), from the exec to its first frame (the words saying what it opens: "Opening ...",
   "Joining ...") and to its first full frame (the console itself: the MSEL, the seat's inbox,
   the look-fors), each run on a database of its own; the same for a bare Textual app with one
   line of text. Median of ``--runs``; goals: < 1 s and <= 2x bare.
2. Event committed -> text on a seat's screen: a headless controller and ``--seats`` seat
   consoles (the five roles in turn), each in its own pseudo-terminal; the controller sends
   ``--injects`` ad-hoc injects to every role, each titled with a unique word; for every seat,
   the time from the event's commit (its ``wall_time`` in the log) to the moment the word is
   written to that seat's terminal. p50 / p95 / max; goal p95 < 500 ms.
3. Memory: the resident set of one seat console, settled, beside the bare app's.
4. Idle CPU: each console left alone for ``--idle`` seconds while play runs (the default
   scenario at its speed, after a minute of play at x120 has filled the inbox and the MSEL),
   as a share of one core (utime + stime from /proc); beside the bare Textual app and the live
   layer's own JSON-lines seat (``exercise join --jsonl``), the floor a console adds to.

Figures are from one machine, shared and noisy; the ratios against the bare app are what the
goals are about.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import fcntl
import json
import os
import pty
import re
import resource
import selectors
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from bench_live import EXERCISE, ROLES, cpu_seconds  # the live benchmark's (same folder)

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('bare textual app ready')\n"
    "Bare().run()\n"
)
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
HELD_MAX = 64
"""An escape sequence longer than this is not one the pattern knows: it is not held back."""


class Terminal:
    """A process in its own pseudo-terminal, with what it has written so far, as text.

    Each chunk read is stripped of escape sequences once, as it arrives (a sequence split
    between two reads is held back until it is whole): re-stripping everything written so far
    on every read, for 30 terminals, spent the CPU the seats were being measured on."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env={**environment, **(env or {})},
            start_new_session=True, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        os.set_blocking(self.master, False)
        self.text = ""
        self._held = b""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def read(self) -> bytes:
        try:
            chunk = os.read(self.master, 1 << 16)
        except (BlockingIOError, OSError):
            return b""
        data = self._held + chunk
        cut = data.rfind(b"\x1b")
        whole = cut < 0 or len(data) - cut > HELD_MAX or ANSI.match(data, cut) is not None
        data, self._held = (data, b"") if whole else (data[:cut], data[cut:])
        self.text += self._decoder.decode(ANSI.sub(b"", data))
        return chunk

    def clear(self) -> None:
        """Forget the text read so far (what comes next is searched alone)."""
        self.text = ""

    def wait_for(self, word: str, deadline: float = 60.0) -> float:
        """Seconds from the start until ``word`` was on the terminal."""
        end = time.perf_counter() + deadline
        while word not in self.text:
            if time.perf_counter() > end or self.process.poll() is not None:
                raise RuntimeError(f"{word!r} never appeared: {self.text[-400:]!r}")
            self.read() or time.sleep(0.002)
        return time.perf_counter() - self.started

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return kib / 1024


def idle_share(term: Terminal, seconds: float, settle: float = 5.0) -> float:
    """Percent of one core ``term``'s process uses while nobody touches it (its output read
    and dropped, as a terminal would)."""
    end = time.monotonic() + settle
    while time.monotonic() < end:
        term.read()
        time.sleep(0.05)
    term.clear()
    used, start = cpu_seconds(term.process.pid), time.monotonic()
    while time.monotonic() < start + seconds:
        term.read()
        term.clear()
        time.sleep(0.05)
    return 100 * (cpu_seconds(term.process.pid) - used) / (time.monotonic() - start)


def first_frames(
    argv_for: Callable[[int], list[str]], words: tuple[str, str], runs: int
) -> tuple[float, float]:
    """Median seconds from the exec to ``words[0]`` (the first frame) and to ``words[1]``
    (the console drawn) on the terminal; ``argv_for(n)`` is the command of run ``n``."""
    first, ready = [], []
    for n in range(runs):
        term = Terminal(argv_for(n))
        try:
            first.append(term.wait_for(words[0]))
            ready.append(term.wait_for(words[1]))
        finally:
            term.close()
    return statistics.median(first), statistics.median(ready)


def start_controller(
    folder: Path, speed: float | None = None
) -> tuple[subprocess.Popen[str], Path, dict[str, str]]:
    db, codes = folder / "bench.db", folder / "codes.json"
    argv = [EXERCISE, "run", "--db", str(db), "--headless", "--start", "--codes", str(codes)]
    controller = subprocess.Popen(
        argv + (["--speed", str(speed)] if speed else []),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert controller.stdout is not None
    json.loads(controller.stdout.readline())  # started
    return controller, db, json.loads(codes.read_text())


def seat_argv(db: Path, role: str, code: str, name: str) -> list[str]:
    return [EXERCISE, "join", "--db", str(db), "--role", role, "--code", code, "--name", name]


def startup(runs: int) -> dict[str, tuple[float, float]]:
    ready = "bare textual app ready"
    figures = {"bare Textual app": first_frames(lambda n: [sys.executable, "-c", BARE],
                                                (ready, ready), runs)}  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        figures["hot-seat (exercise play)"] = first_frames(
            lambda n: [EXERCISE, "play", "--db", str(folder / f"play{n}.db")],
            ("Opening", "MSEL"), runs,
        )  # fmt: skip
        figures["controller (exercise run)"] = first_frames(
            lambda n: [EXERCISE, "run", "--db", str(folder / f"run{n}.db")],
            ("Opening", "MSEL"), runs,
        )  # fmt: skip
        controller, db, codes = start_controller(folder)
        try:
            figures["seat (exercise join)"] = first_frames(
                lambda n: seat_argv(db, "police", codes["police"], f"bench{n}"),
                ("Joining", "Brief & mandate"), runs,
            )  # fmt: skip
            figures["evaluator (exercise evaluate)"] = first_frames(
                lambda n: [EXERCISE, "evaluate", "--db", str(db), "--code", codes["evaluator"]],
                ("Joining", "Look-fors"), runs,
            )  # fmt: skip
        finally:
            controller.kill()
            controller.wait()
    return figures


def committed(db: Path, title: str) -> float:
    """The wall time (epoch seconds) the log says the delivery titled ``title`` was written."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT wall_time FROM events WHERE type = 'InjectDelivered' "
            "AND json_extract(payload, '$.adhoc.title') = ?",
            (title,),
        ).fetchone()
    finally:
        conn.close()
    return dt.datetime.fromisoformat(row[0]).timestamp()


def delivery(seats: int, injects: int) -> tuple[list[float], float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        controller, db, codes = start_controller(Path(folder))
        assert controller.stdin is not None
        terms: list[Terminal] = []
        bare = Terminal([sys.executable, "-c", BARE])
        try:
            for n in range(seats):
                role = ROLES[n % len(ROLES)]
                terms.append(Terminal(seat_argv(db, role, codes[role], f"seat{n}")))
            for term in terms:
                term.wait_for("Brief & mandate", deadline=300)
            bare.wait_for("bare textual app ready")
            time.sleep(3)  # every seat settled and following
            seat_rss, bare_rss = terms[0].rss_mib(), bare.rss_mib()
            selector = selectors.DefaultSelector()
            for term in terms:
                selector.register(term.master, selectors.EVENT_READ, term)
            latencies: list[float] = []
            own = resource.getrusage(resource.RUSAGE_SELF)
            for k in range(injects):
                word = f"BENCHWORD{k:04d}"
                for term in terms:
                    term.read()
                    term.clear()
                seen: dict[int, float] = {}
                command = {"type": "SendInject", "to": ["all"], "title": word, "channel": "radio",
                           "body": "A benchmark inject.", "sender": "bench"}  # fmt: skip
                controller.stdin.write(json.dumps(command) + "\n")
                controller.stdin.flush()
                end = time.time() + 60
                while len(seen) < len(terms) and time.time() < end:
                    for key, _ in selector.select(0.5):
                        term = key.data
                        term.read()
                        if id(term) not in seen and word in term.text:
                            seen[id(term)] = time.time()
                if len(seen) < len(terms):
                    raise RuntimeError(f"{len(terms) - len(seen)} seats never showed {word}")
                at = committed(db, word)
                latencies += [t - at for t in seen.values()]
                time.sleep(0.5)
            used = resource.getrusage(resource.RUSAGE_SELF)
            own_cpu = used.ru_utime + used.ru_stime - own.ru_utime - own.ru_stime
            return latencies, seat_rss, bare_rss, own_cpu
        finally:
            for term in [*terms, bare]:
                term.close()
            controller.kill()
            controller.wait()


def idle(seconds: float) -> dict[str, float]:
    """Idle CPU of each console (and of the bare app and the JSON-lines seat) during play."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        controller, db, codes = start_controller(Path(folder), speed=120)
        assert controller.stdin is not None and controller.stdout is not None
        try:
            time.sleep(30)  # an hour of play: injects delivered, the MSEL moving
            command = {"type": "SetSpeed", "speed": 10}
            controller.stdin.write(json.dumps(command) + "\n")
            controller.stdin.flush()
            consoles = {
                "bare Textual app": ([sys.executable, "-c", BARE], "bare textual app ready"),
                "seat, JSON lines (--jsonl)": (
                    [*seat_argv(db, "police", codes["police"], "jsonl"), "--jsonl"],
                    '"seq"',
                ),
                "seat (exercise join)": (
                    seat_argv(db, "host_state", codes["host_state"], "bench"),
                    "Brief & mandate",
                ),
                "evaluator (exercise evaluate)": (
                    [EXERCISE, "evaluate", "--db", str(db), "--code", codes["evaluator"]],
                    "Look-fors",
                ),
                "controller (exercise run --start)": (
                    [EXERCISE, "run", "--db", str(Path(folder) / "run.db"), "--start"],
                    "MSEL",
                ),
                "hot-seat (exercise play)": (
                    [EXERCISE, "play", "--db", str(Path(folder) / "play.db")],
                    "MSEL",
                ),
            }
            for name, (argv, word) in consoles.items():
                term = Terminal(argv)
                try:
                    term.wait_for(word)
                    figures[name] = idle_share(term, seconds)
                finally:
                    term.close()
        finally:
            controller.kill()
            controller.wait()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--injects", type=int, default=10)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds left alone")
    parser.add_argument("--only", choices=("startup", "delivery", "idle"))
    args = parser.parse_args()
    if args.only in (None, "startup"):
        print(
            f"start to first frame / to the console drawn (median of {args.runs}, "
            "120x40 pseudo-terminal):"
        )
        figures = startup(args.runs)
        bare, _ = figures["bare Textual app"]
        for name, (first, ready) in figures.items():
            print(
                f"  {name:32} {first * 1000:6.0f} ms ({first / bare:4.1f}x bare)   "
                f"drawn {ready * 1000:6.0f} ms ({ready / bare:4.1f}x bare)"
            )
    if args.only in (None, "delivery"):
        report_delivery(args.seats, args.injects)
    if args.only in (None, "idle"):
        print(f"idle CPU, {args.idle:.0f} s left alone during play (% of one core):")
        shares = idle(args.idle)
        bare_share = shares["bare Textual app"]
        for name, share in shares.items():
            ratio = f"{share / bare_share:5.1f}x bare" if bare_share > 0 else ""
            print(f"  {name:34} {share:5.2f} %   {ratio}")
    return 0


def report_delivery(seats: int, injects: int) -> None:
    latencies, seat_rss, bare_rss, own_cpu = delivery(seats, injects)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"event committed -> text on a seat's screen, {seats} seat consoles, "
        f"{injects} injects ({len(latencies)} arrivals):"
    )
    print(
        f"  p50 {statistics.median(latencies) * 1000:.0f} ms   p95 {p95 * 1000:.0f} ms   "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"memory: one seat console {seat_rss:.0f} MiB resident; bare Textual app {bare_rss:.0f}"
          f" MiB ({seat_rss / bare_rss:.1f}x)")  # fmt: skip
    print(f"this benchmark's own CPU while measuring: {own_cpu:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
