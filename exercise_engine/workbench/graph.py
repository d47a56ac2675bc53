"""The branch graph of a scenario: which inject or rule leads to which, drawn for people.

Nodes are the injects (in the column of their phase) and the rules that trigger injects; an
edge says how one leads to the next: a follow-up delay, an option that triggers, a rule that
triggers, or a condition that reads an earlier inject (``chose``, ``delivered``...). The same
graph is written as Mermaid (Markdown renders it on GitHub and in most editors) and as an SVG
laid out in phase columns (the HTML preview, self-contained, no script).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from markupsafe import escape

from exercise_engine.model.durations import format_duration
from exercise_engine.model.expressions import compile_expression
from exercise_engine.model.reach import Route
from exercise_engine.model.scenario import PLAY_PHASES, Scenario
from exercise_engine.workbench.wording import one_line

COLUMNS = (*PLAY_PHASES, "any phase", "rules")


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    title: str
    column: str
    kind: str
    """inject or rule."""
    reachable: bool = True
    contingency: bool = False
    decision: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    kind: str
    """after, option, rule or condition."""


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def node(self, key: str) -> Node | None:
        return next((n for n in self.nodes if n.key == key), None)


def _reads(condition: str) -> list[tuple[str, str]]:
    """(inject, what about it) for each inject a condition reads."""
    out = []
    for ref in compile_expression(condition).references:
        what = f"chose {ref.option}" if ref.option else ref.function
        out.append((ref.inject, what))
    return out


def branch_graph(
    scenario: Scenario, routes: Mapping[str, Route], control: Collection[str] = ()
) -> Graph:
    """The graph of ``scenario``; ``routes`` (model/reach.py) marks what can be reached."""
    graph = Graph()
    ids = {i.id for i in scenario.injects}
    for inject in scenario.injects:
        graph.nodes.append(
            Node(
                inject.id,
                inject.id,
                inject.title,
                inject.phase or "any phase",
                "inject",
                inject.id in routes,
                inject.contingency,
                inject.respond is not None,
            )
        )
        if inject.after is not None and inject.after.inject in ids:
            delay = format_duration(inject.after.delay)
            graph.edges.append(Edge(inject.after.inject, inject.id, f"+{delay}", "after"))
        for option in inject.respond.options if inject.respond else []:
            for target in option.triggers:
                if target in ids:
                    graph.edges.append(Edge(inject.id, target, option.id, "option"))
        if inject.when:
            for ref, what in _reads(inject.when):
                if ref in ids:
                    graph.edges.append(Edge(ref, inject.id, what, "condition"))
    for n, rule in enumerate(scenario.rules):
        targets = [t for t in rule.triggers if t in ids]
        if not targets:
            continue  # a rule that only moves variables branches nothing by itself
        key = f"rule:{n}"
        name = rule.id or f"rule {n + 1}"
        graph.nodes.append(Node(key, name, rule.description or rule.when, "rules", "rule"))
        for ref, what in _reads(rule.when):
            if ref in ids:
                graph.edges.append(Edge(ref, key, what, "condition"))
        for target in targets:
            graph.edges.append(Edge(key, target, "", "rule"))
    return graph


# -- Mermaid ----------------------------------------------------------------------------------

_MERMAID_UNSAFE = re.compile(r"[\"`<>{}\[\]()|#;\\]")


def _mermaid_text(text: str, limit: int = 48) -> str:
    """A label Mermaid reads as text whatever the author wrote: no quotes, brackets, markup,
    code fences or line breaks; cut at a word near ``limit``."""
    return one_line(_MERMAID_UNSAFE.sub(" ", text), limit)


def mermaid(graph: Graph) -> str:
    """A Mermaid flowchart, one subgraph per phase column, left to right."""
    keys = {node.key: f"n{k}" for k, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for column in COLUMNS:
        members = [n for n in graph.nodes if n.column == column]
        if not members:
            continue
        lines.append(f'  subgraph c{COLUMNS.index(column)}["{column}"]')
        for node in members:
            text = _mermaid_text(f"{node.label}: {node.title}")
            shape = ('{{"', '"}}') if node.kind == "rule" else ('["', '"]')
            lines.append(f"    {keys[node.key]}{shape[0]}{text}{shape[1]}")
        lines.append("  end")
    arrows = {"after": "-->", "option": "-->", "rule": "==>", "condition": "-.->"}
    for edge in graph.edges:
        label = _mermaid_text(edge.label, 24)
        arrow = arrows[edge.kind]
        middle = f"|{label}|" if label else ""
        lines.append(f"  {keys[edge.source]} {arrow}{middle} {keys[edge.target]}")
    styled = [keys[n.key] for n in graph.nodes if not n.reachable]
    if styled:
        lines.append("  classDef unreachable fill:#fde2e1,stroke:#b3261e,stroke-dasharray:4 3")
        lines.append(f"  class {','.join(styled)} unreachable")
    contingent = [keys[n.key] for n in graph.nodes if n.contingency and n.reachable]
    if contingent:
        lines.append("  classDef contingency fill:#fff4d6,stroke:#a06a00")
        lines.append(f"  class {','.join(contingent)} contingency")
    return "\n".join(lines)


# -- SVG --------------------------------------------------------------------------------------

WIDTH, HEIGHT, COLUMN_GAP, ROW_GAP, TOP = 200, 38, 110, 16, 40


def _layout(graph: Graph) -> tuple[dict[str, tuple[float, float]], list[str], int, int]:
    """Top-left corner of each node, the columns shown, and the drawing's size."""
    columns = [c for c in COLUMNS if any(n.column == c for n in graph.nodes)]
    where: dict[str, tuple[float, float]] = {}
    tallest = 0
    for c, column in enumerate(columns):
        members = [n for n in graph.nodes if n.column == column]
        for r, node in enumerate(members):
            where[node.key] = (20 + c * (WIDTH + COLUMN_GAP), TOP + r * (HEIGHT + ROW_GAP))
        tallest = max(tallest, len(members))
    width = 20 + len(columns) * (WIDTH + COLUMN_GAP)  # room on the right for loops
    height = TOP + tallest * (HEIGHT + ROW_GAP) + 20
    return where, columns, width, height


def svg(graph: Graph) -> str:
    """The graph as an inline SVG: phase columns, boxes, curved arrows with their labels."""
    where, columns, width, height = _layout(graph)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="branch-graph" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Branch graph: {len(graph.nodes)} nodes, {len(graph.edges)} links">',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' "
        "markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' "
        "fill='#555'/></marker></defs>",
    ]
    for c, column in enumerate(columns):
        left = 20 + c * (WIDTH + COLUMN_GAP)
        out.append(f'<text class="column" x="{left}" y="22">{escape(column)}</text>')
    for edge in graph.edges:
        if edge.source not in where or edge.target not in where:
            continue
        out.append(_edge(edge, where[edge.source], where[edge.target]))
    for node in graph.nodes:
        x, y = where[node.key]
        css = " ".join(
            k
            for k, on in (
                (node.kind, True),
                ("unreachable", not node.reachable),
                ("contingency", node.contingency),
                ("decision", node.decision),
            )
            if on
        )
        out.append(
            f'<g class="node {css}"><title>{escape(node.label)}: {escape(node.title)}</title>'
            f'<rect x="{x}" y="{y}" width="{WIDTH}" height="{HEIGHT}" rx="6"/>'
            f'<text x="{x + 8}" y="{y + 15}" class="id">{escape(one_line(node.label, 30))}</text>'
            f'<text x="{x + 8}" y="{y + 30}">{escape(one_line(node.title, 34))}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _edge(edge: Edge, source: tuple[float, float], target: tuple[float, float]) -> str:
    (sx, sy), (tx, ty) = source, target
    sy, ty = sy + HEIGHT / 2, ty + HEIGHT / 2
    if tx > sx:  # forwards: right side to left side
        x1, x2 = sx + WIDTH, tx
        bend = max(40.0, (x2 - x1) / 2)
        path = f"M{x1},{sy} C{x1 + bend},{sy} {x2 - bend},{ty} {x2},{ty}"
        mx, my = (x1 + x2) / 2, (sy + ty) / 2
    else:  # same column or backwards: out of the right side and back into it
        x1 = sx + WIDTH
        x2 = tx + WIDTH
        bend = min(COLUMN_GAP * 0.7, 30.0 + abs(ty - sy) / 8)  # stays in the gap
        path = f"M{x1},{sy} C{x1 + bend},{sy} {x2 + bend},{ty} {x2},{ty}"
        mx, my = max(x1, x2) + bend * 0.75 + 4, (sy + ty) / 2
    label = (
        f'<text class="edge-label" x="{mx:.0f}" y="{my - 3:.0f}">{escape(edge.label)}</text>'
        if edge.label
        else ""
    )
    return f'<g class="edge {edge.kind}"><path d="{path}" marker-end="url(#arrow)"/>{label}</g>'
