"""Synthetic scenarios of any size, written as YAML, for benchmarks and load tests.

A generated scenario uses every timing and adjudication path (at, after, when, option triggers,
rules, contingencies) so that measuring it measures the engine a real scenario exercises, and it
is written as text so that loading it measures the real loader.
"""

from __future__ import annotations

import random

ROLES = ("host_state", "un_mission", "military", "police", "humanitarian")
PHASES = ("prevent", "react", "rebuild")


def synthetic_scenario(
    injects: int,
    criteria: list[str],
    *,
    rubric: str = "poc-doctrine",
    scenario_id: str = "synthetic",
    seed: int = 1,
) -> str:
    """YAML text of a valid scenario with ``injects`` injects scored on ``criteria``."""
    rng = random.Random(seed)
    per_phase = max(1, injects // 3)
    span = max(3600, per_phase * 60)  # one inject a minute of scenario time per phase
    lines = [
        "format: exercise-scenario/1",
        f"id: {scenario_id}",
        f'title: "Synthetic scenario of {injects} injects"',
        f"rubric: {rubric}",
        f"roles: [{', '.join(ROLES)}]",
        f'clock: {{mode: realtime, start: "2030-01-01 06:00", speed: 60, '
        f'duration: "{3 * span // 60 + 60}m"}}',
        "variables:",
        "  violence: {initial: 5, min: 0, max: 10, better: lower}",
        "  access: {initial: 5, min: 0, max: 10, better: higher}",
        "  trust: {initial: 5, min: 0, max: 10, better: higher}",
        "phases:",
        "  prevent:",
        f"    next: [{{to: react, when: \"elapsed_in_phase >= '{span // 60}m'\"}}]",
        "  react:",
        f"    next: [{{to: rebuild, when: \"elapsed_in_phase >= '{span // 60}m'\"}}]",
        "  rebuild:",
        '    next: [{to: react, when: "violence >= 10 and trust <= 0"}]',
        "injects:",
    ]
    ids = [f"S-{n:04d}" for n in range(1, injects + 1)]
    for n, inject_id in enumerate(ids):
        phase = PHASES[min(n // per_phase, 2)]
        to = rng.sample(ROLES, rng.randint(1, 5))
        lines += [f"  - id: {inject_id}", f"    phase: {phase}"]
        kind = n % 10
        if kind == 7 and n > 0:
            lines.append(f'    after: {{inject: {ids[n - 1]}, delay: "{rng.randint(1, 30)}m"}}')
        elif kind == 8:
            lines.append(f'    when: "access < {rng.randint(2, 4)} or trust > 8"')
        elif kind == 9:
            lines += [f"    when: \"overdue('{ids[n - 2]}')\"", "    contingency: true"]
        else:
            lines.append(f'    at: "+{(n % per_phase) * span // per_phase // 60}m"')
        lines += [
            f"    to: [{', '.join(to)}]",
            f"    channel: {rng.choice(['report', 'radio', 'cable', 'news', 'phone'])}",
            f'    title: "Synthetic inject {n + 1}"',
            f'    body: "Report number {n + 1} from the field, with details for the seats."',
            f"    tags: [{rng.choice(['early-warning', 'hate-media', 'monitoring'])}]",
            # The first inject expects every criterion, so the scenario passes --strict.
            f"    expect: [{', '.join(criteria) if n == 0 else rng.choice(criteria)}]",
        ]
        if kind in (0, 2, 4, 6):
            good, bad = rng.sample(criteria, 2)
            lines += [
                "    respond:",
                f'      due: "{rng.choice([30, 45, 60, 90])}m"',
                "      options:",
                f'        - {{id: A, text: "Act", effects: {{violence: -1, trust: 1}}, '
                f"scores: {{{good}: 4, {bad}: 2}}}}",
                f'        - {{id: B, text: "Wait", effects: {{violence: 1, access: -1}}, '
                f"scores: {{{good}: 1, {bad}: 3}}}}",
            ]
    lines.append("rules:")
    for n in range(0, min(injects, 200), 20):
        first, second = ids[n], ids[min(n + 2, injects - 1)]
        lines += [
            f"  - when: \"chose('{first}', 'any', 'A') and chose('{second}', 'any', 'A')\"",
            "    effects: {access: 1}",
        ]
    return "\n".join(lines) + "\n"
