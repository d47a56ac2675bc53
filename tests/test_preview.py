"""``exercise preview`` and ``simulate --verbose`` (issue 15): a scenario seen before it is
played: the timeline of a dry run with what caused each inject, the branch graph, and every
inject's reachability with a path to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.reach import inject_routes, requirements
from exercise_engine.workbench.graph import branch_graph, mermaid, svg
from exercise_engine.workbench.preview import build_preview, render

CONTENT = Path(__file__).parent / "fixtures" / "content"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
RIDGE = Path(__file__).parent / "fixtures" / "ridge"


def test_requirements_are_the_ways_a_condition_can_hold() -> None:
    ways = requirements("chose('A', 'r', 'B') and (delivered('C') or x > 3)")
    assert ways == (frozenset({"A"}), frozenset({"A", "C"}))
    assert requirements("not delivered('A') and x > 1") == (frozenset(),)
    assert requirements("overdue('A') or chose('B', 'r', 'X')") == (
        frozenset({"A"}),
        frozenset({"B"}),
    )


def test_every_inject_of_the_fixture_is_reachable_with_a_path(fixture_catalog: Catalog) -> None:
    scenario = fixture_catalog.bundle("harbour-test").scenario
    routes = inject_routes(scenario)
    assert set(routes) == {i.id for i in scenario.injects}
    armed = [step.text for step in routes["I-04"]]
    assert armed[0] == "prevent begins at STARTEX"
    assert "I-01 at +30m" in armed
    assert armed[-1] == "I-04: option A of I-01 (un_mission) triggers it"
    ruled = " -> ".join(step.text for step in routes["I-08"])
    assert "react when" in ruled and "rule joint-patrols" in ruled
    assert [s.text for s in routes["I-02"]][-1] == "I-02 1h after I-01"


def test_a_condition_on_an_inject_nothing_delivers_is_unreachable(tmp_path: Path) -> None:
    from exercise_engine.model.loader import load_catalog

    text = (BROKEN / "undeliverable.yaml").read_text()
    text += (
        "  - id: B-04\n    phase: react\n    when: \"chose('B-03', 'military', 'A')\"\n"
        '    to: [police]\n    channel: radio\n    title: "Only after B-03"\n'
    )
    path = tmp_path / "undeliverable.yaml"
    path.write_text(text)
    catalog = load_catalog([path], [CONTENT])
    scenario = catalog.scenarios["broken-example"].model
    routes = inject_routes(scenario)
    assert "B-03" not in routes and "B-04" not in routes
    assert "B-01" in routes
    warned = [d.message for d in catalog.diagnostics.items if "B-04" in d.message]
    assert any("can never be delivered" in m for m in warned), warned


def test_the_dry_run_says_what_caused_each_inject(fixture_catalog: Catalog) -> None:
    preview = build_preview(fixture_catalog, "harbour-test", "best", 1)
    causes = {inject: h.why for inject, h in preview.run.delivered.items()}
    assert causes["I-01"] == "at +30m into prevent"
    assert causes["I-02"] == "1h after I-01"
    assert causes["I-04"] == "option A of I-01 (un_mission)"
    assert "I-08" not in causes  # armed by the rule as react ended: never delivered
    fired = [h for h in preview.run.happenings if h.kind == "rule"]
    assert [h.title for h in fired] == ["rule joint-patrols fires"]
    row = next(r for r in preview.reach if r.inject == "I-08")
    assert row.reachable and row.run == "not delivered in this run"
    phases = [h.title for h in preview.run.happenings if h.kind == "phase"]
    assert phases[:3] == ["prevent begins", "react begins", "rebuild begins"]
    assert any(
        h.kind == "decision" and "chose A on I-01" in h.title for h in preview.run.happenings
    )


def test_the_dry_run_says_a_plenary_is_discussed_and_who_rates_it() -> None:
    from exercise_engine.model.loader import load_catalog

    catalog = load_catalog([RIDGE], include_content_path=False)
    preview = build_preview(catalog, "ridge-team", "best", 1)
    assert preview.run.delivered["NIGHT"].why == (
        "at +5m into module T3; plenary, evaluators rate OC-2"
    )
    assert preview.run.delivered["TENDERS"].why == "option A of GEN (eoc_director)"


def test_another_policy_gives_another_timeline(fixture_catalog: Catalog) -> None:
    best = build_preview(fixture_catalog, "harbour-test", "best", 1)
    worst = build_preview(fixture_catalog, "harbour-test", "worst", 1)
    assert "I-04" in best.run.delivered and "I-04" not in worst.run.delivered
    assert "I-05" in worst.run.delivered  # the contingency fires when the answer is overdue
    row = next(r for r in worst.reach if r.inject == "I-04")
    assert row.reachable and row.run == "not delivered in this run"


def test_the_graph_links_options_rules_follow_ups_and_conditions(
    fixture_catalog: Catalog,
) -> None:
    scenario = fixture_catalog.bundle("harbour-test").scenario
    graph = branch_graph(scenario, inject_routes(scenario))
    edges = {(e.source, e.target, e.kind, e.label) for e in graph.edges}
    assert ("I-01", "I-04", "option", "A") in edges
    assert ("I-01", "I-02", "after", "+1h") in edges
    assert ("I-01", "I-05", "condition", "overdue") in edges
    assert ("rule:0", "I-08", "rule", "") in edges
    assert ("I-06", "rule:0", "condition", "chose A") in edges
    chart = mermaid(graph)
    assert chart.startswith("flowchart LR")
    assert re.search(r"n0 -->\|\+1h\| n1", chart)
    drawing = svg(graph)
    assert drawing.count('class="node') == len(graph.nodes)
    assert drawing.count('<g class="edge ') == len(graph.edges)


def test_hostile_titles_cannot_break_the_graph_or_the_page(tmp_path: Path) -> None:
    from exercise_engine.model.loader import load_catalog

    text = (
        (BROKEN / "valid.yaml")
        .read_text()
        .replace('title: "Leaflets"', 'title: "x\\"] --> evil[\\"<script>alert(1)</script> ```"')
    )
    path = tmp_path / "valid.yaml"
    path.write_text(text)
    catalog = load_catalog([path], [CONTENT])
    preview = build_preview(catalog, str(path))
    chart = preview.mermaid
    node = next(line for line in chart.splitlines() if "B-01" in line)
    assert node.count('"') == 2 and "<" not in node and "`" not in node and "]" not in node[:-2]
    html = render(preview, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = render(preview, "md")
    assert md.count("```") == 2  # the mermaid fence only


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_preview_writes_each_format_and_nothing_else(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"preview.{fmt}"
    code = main(
        ["preview", "harbour-test", "--content", str(CONTENT), "--format", fmt, "-o", str(out)]
    )
    assert code == 0, capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no database left behind
    text = out.read_text()
    for inject in ("I-01", "I-04", "I-08"):
        assert inject in text
    if fmt == "md":
        assert "```mermaid\nflowchart LR" in text
    if fmt == "html":
        assert "<svg" in text and "<script" not in text and "http" not in text.split("<svg")[0]


def test_preview_of_a_scenario_with_errors_prints_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["preview", str(BROKEN / "unknown-role.yaml"), "--content", str(CONTENT)])
    assert code == 1
    assert "unknown role 'un-mission'" in capsys.readouterr().err


def test_simulate_verbose_lists_what_it_delivered_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "run.db"
    code = main(["simulate", "harbour-test", "--content", str(CONTENT), "--db", str(db), "-v"])
    assert code == 0
    out = capsys.readouterr().out
    assert "what happened, by what:" in out
    assert re.search(r"inject\s+I-04 to military: Request for patrols\s+\(option A of I-01", out)
    assert re.search(r"rule\s+rule joint-patrols fires  \(chose\('I-06', 'military', 'A'\)", out)
