"""A story that answers play: conditional paragraphs and the facts they state.

An inject's ``paragraphs`` are added to its body where their condition holds at delivery; the
engine decides it then and records the paragraphs that held (``InjectDelivered.paragraphs``),
so every reader shows the text the seats actually read. ``facts`` name what the story states
and when it is true; ``engine.facts.contradictions`` finds a delivery that told a seat
something its table had already made untrue.
"""

from __future__ import annotations

from pathlib import Path

from tinycontent import course_catalog, messages, scenario_text

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.facts import contradictions
from exercise_engine.engine.state import apply
from exercise_engine.engine.visibility import reading
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

SCENARIO = scenario_text(
    "story-test",
    "[military, humanitarian]",
    """\
variables:
  violence: {initial: 5, min: 0, max: 10, better: lower}
facts:
  qrf-forward: {text: "The QRF is forward at the bridge.", holds: "chose('MOVE', 'military', 'A')"}
  qrf-far: {text: "The QRF is two hours away.", holds: "not chose('MOVE', 'military', 'A')"}
injects:
  - id: MOVE
    phase: prevent
    at: "+0m"
    to: [military]
    channel: radio
    title: "Move the QRF?"
    respond:
      due: "30m"
      options:
        - {id: A, text: "Move it forward", effects: {violence: -2}}
        - {id: B, text: "Keep it in reserve"}
  - id: SIEGE
    phase: react
    at: "+0m"
    to: [military, humanitarian]
    channel: phone
    title: "The church is surrounded"
    body: |
      Eight hundred people in the church.
    paragraphs:
      - when: "chose('MOVE', 'military', 'A')"
        asserts: [qrf-forward]
        text: The QRF is at the bridge, ten minutes away.
      - when: "not chose('MOVE', 'military', 'A')"
        asserts: [qrf-far]
        text: The QRF is two hours away by road.
      - when: "violence >= 5"
        text: Houses are burning on the market road.
""",
)


def _play(tmp_path: Path, option: str, text: str = SCENARIO) -> tuple[Engine, list[ev.Recorded]]:
    catalog = course_catalog(tmp_path, "story-test", text)
    assert not catalog.diagnostics.errors, messages(catalog)
    engine = Engine(catalog.bundle("story-test"))
    state = engine.initial_state()
    events: list[ev.Event] = list(engine.create(state, 1))
    for event in events:
        apply(event, state)
    military = cmd.Actor.player("military", seat="m1")
    for command, now in (
        (cmd.StartPlay(), 0),
        (cmd.Respond(actor=military, inject="MOVE", option=option, rationale="x"), 60),
        (cmd.AdvanceClock(), 3600),
    ):
        events += engine.handle(state, command, now).events
    return engine, [ev.Recorded(seq, e, "") for seq, e in enumerate(events, 1)]


def _siege(log: list[ev.Recorded]) -> ev.InjectDelivered:
    return next(
        r.event
        for r in log
        if isinstance(r.event, ev.InjectDelivered) and r.event.inject == "SIEGE"
    )


def test_the_paragraphs_that_held_at_delivery_are_recorded_and_read(tmp_path: Path) -> None:
    engine, log = _play(tmp_path, "A")
    siege = _siege(log)
    assert siege.paragraphs == [0]  # forward; violence fell to 3, so nothing is burning
    inject = engine.scenario.inject("SIEGE")
    assert inject.text(siege.paragraphs) == (
        "Eight hundred people in the church.\n\nThe QRF is at the bridge, ten minutes away.\n"
    )
    read = reading(siege, ["military", "humanitarian"], engine.bundle, lambda _: None)
    assert read is not None and read.shown is not None
    assert "ten minutes away" in read.shown["inject"]["body"]
    assert "two hours" not in read.shown["inject"]["body"]


def test_another_run_reads_the_other_paragraphs(tmp_path: Path) -> None:
    engine, log = _play(tmp_path, "B")
    siege = _siege(log)
    assert siege.paragraphs == [1, 2]
    text = engine.scenario.inject("SIEGE").text(siege.paragraphs)
    assert "two hours away" in text and "market road" in text


def test_a_delivery_stating_a_fact_that_does_not_hold_is_a_contradiction(tmp_path: Path) -> None:
    """The body says the QRF is two hours away whatever the force did: the run that moved it
    forward reads a story that contradicts its own decision."""
    careless = SCENARIO.replace(
        "    body: |\n      Eight hundred people in the church.\n",
        "    body: |\n      Eight hundred people in the church. The QRF is two hours away.\n"
        "    asserts: [qrf-far]\n",
    )
    engine, log = _play(tmp_path, "A", careless)
    found = contradictions(engine.bundle, log)
    assert [(c.inject, c.fact, c.roles) for c in found] == [
        ("SIEGE", "qrf-far", ("military", "humanitarian"))
    ]
    engine, log = _play(tmp_path / "other", "B", careless)
    assert not contradictions(engine.bundle, log)


def test_a_paragraph_condition_is_validated_like_any_condition(tmp_path: Path) -> None:
    broken = SCENARIO.replace('"violence >= 5"', '"violence >=> 5"')
    found = messages(course_catalog(tmp_path, "story-test", broken))
    assert any("invalid expression" in m and "paragraphs[2].when" in m for m in found), found


def test_a_paragraph_condition_naming_an_unknown_variable_is_flagged(tmp_path: Path) -> None:
    found = messages(
        course_catalog(
            tmp_path, "story-test", SCENARIO.replace('"violence >= 5"', '"violense >= 5"')
        )
    )
    assert any("paragraphs[2].when" in m and "violense" in m for m in found), found


def test_an_asserted_fact_must_be_one_the_scenario_names(tmp_path: Path) -> None:
    text = SCENARIO.replace("asserts: [qrf-far]", "asserts: [qrf-gone]")
    found = messages(course_catalog(tmp_path, "story-test", text))
    assert any("unknown fact 'qrf-gone'" in m and "paragraphs[1].asserts" in m for m in found), (
        found
    )


def test_a_fact_whose_condition_names_an_unknown_inject_is_flagged(tmp_path: Path) -> None:
    text = SCENARIO.replace("holds: \"chose('MOVE'", "holds: \"chose('MOVED'")
    found = messages(course_catalog(tmp_path, "story-test", text))
    assert any("facts.qrf-forward.holds" in m and "MOVED" in m for m in found), found


def test_a_shared_inject_reads_as_the_sharing_role_read_it(tmp_path: Path) -> None:
    catalog = course_catalog(tmp_path, "story-test", SCENARIO)
    bundle = catalog.bundle("story-test")
    with Store(":memory:") as store:
        controller = sim.start(store, bundle, 1, "best")
        sim.run(controller, "best")
        delivered = controller.state.deliveries[("SIEGE", "military")]
    engine = Engine(bundle)
    shared = ev.InformationShared(
        t=delivered.t,
        role="military",
        to=["humanitarian"],
        inject="SIEGE",
        note="",
        paragraphs=list(delivered.paragraphs),
    )
    read = reading(shared, ["humanitarian"], engine.bundle, lambda _: None)
    assert read is not None and read.shown is not None
    assert read.shown["inject"]["body"] == bundle.scenario.inject("SIEGE").text(
        delivered.paragraphs
    )
