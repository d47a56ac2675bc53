"""Scenarios the engine cannot hold are refused by validation, with the numbers; what only a
run can find (conditions on the situation that keep flipping phases, timings that chain past
the horizon) ends as a user error that keeps the log played so far.

Each case passed ``exercise validate`` (one even ``--strict``) before issue 17, then overflowed,
ran off the calendar or ground through two million steps.
"""

from __future__ import annotations

import json
from pathlib import Path

from exercise_engine.cli import main
from exercise_engine.model.limits import MAX_PHASE_ENTRIES, min_time_in_phase, step_budget
from exercise_engine.model.loader import load_bundle

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"
VALID = (FIXTURES / "broken" / "valid.yaml").read_text()
CLOCK = 'clock: {mode: realtime, start: "2030-01-01 06:00", speed: 60, duration: "10h"}'
TO_REBUILD = "- {to: rebuild, when: \"elapsed_in_phase >= '2h'\"}"


def variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    text = VALID
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


def validate(path: Path, capsys, *flags: str) -> tuple[int, str]:
    code = main(["validate", *flags, "--content", str(CONTENT), str(path)])
    out = capsys.readouterr()
    assert "internal error" not in out.err and "Traceback" not in out.err
    return code, out.out


def simulate(path: Path, tmp_path: Path, capsys) -> tuple[int, str, str]:
    db = tmp_path / "run.db"
    code = main(["simulate", "--content", str(CONTENT), str(path), "--db", str(db), "--json"])
    out = capsys.readouterr()
    assert "internal error" not in out.err and "Traceback" not in out.err, out.err
    return code, out.out, out.err


def with_big(tmp_path: Path, name: str, initial: str, effect: str) -> Path:
    """The example with an unbounded variable 'big' that option A of B-01 moves by ``effect``."""
    return variant(
        tmp_path,
        name,
        (
            "violence: {initial: 3, min: 0, max: 10}",
            f"violence: {{initial: 3, min: 0, max: 10}}\n  big: {{initial: {initial}}}",
        ),
        ("effects: {violence: -1}", f"effects: {{violence: -1, big: {effect}}}"),
    )


def test_an_effect_that_overflows_a_variable_is_refused(tmp_path: Path, capsys) -> None:
    path = with_big(tmp_path, "overflow.yaml", "0", "1.7e+308")
    code, out = validate(path, capsys)
    assert code == 1
    assert (
        "overflow.yaml:31:61: error: the effect on 'big' of 1.7e+308 is beyond what a session "
        "can hold (at most 1,000,000,000,000 either way)" in out
    ), out


def test_numbers_the_engine_can_hold_still_play_as_json(tmp_path: Path, capsys) -> None:
    path = with_big(tmp_path, "big.yaml", "-1.0e+12", "1.0e+12")
    code, out, err = simulate(path, tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["final_variables"]["big"] in (-1e12, 0.0)


def test_a_start_near_the_year_9999_is_refused(tmp_path: Path, capsys) -> None:
    path = variant(
        tmp_path, "y9999.yaml", ('start: "2030-01-01 06:00"', 'start: "9999-12-31 20:00"')
    )
    code, out = validate(path, capsys)
    assert code == 1
    assert (
        "y9999.yaml:6:32: error: the scenario clock would run past the end of the calendar" in out
    )


def test_a_time_threshold_beyond_any_clock_is_refused(tmp_path: Path, capsys) -> None:
    path = variant(
        tmp_path,
        "threshold.yaml",
        (TO_REBUILD, "- {to: rebuild, when: \"elapsed_in_phase >= '1d' * 1000000000000\"}"),
    )
    code, out = validate(path, capsys)
    assert code == 1
    assert (
        "threshold.yaml:15:29: error: 'elapsed_in_phase' is compared with 86,400,000,000,000,000"
        in out
    )


def test_a_one_second_turn_for_a_year_is_refused_with_the_move_count(tmp_path: Path, capsys):
    clock = 'clock: {mode: turns, start: "2030-01-01 06:00", turn: "1s", duration: "366d"}'
    code, out = validate(variant(tmp_path, "turns.yaml", (CLOCK, clock)), capsys)
    assert code == 1
    assert "a turn of 1s over 366d makes 31,622,400 moves; a session plays at most 10,000" in out


def test_phases_that_flip_every_second_are_refused(tmp_path: Path, capsys) -> None:
    path = variant(
        tmp_path,
        "flip.yaml",
        ('duration: "10h"', 'duration: "366d"'),
        (TO_REBUILD, "- {to: rebuild, when: \"elapsed_in_phase >= '1s'\"}"),
        (
            "  rebuild: {}",
            "  rebuild:\n    next:\n      - {to: react, when: \"elapsed_in_phase > '0s'\"}",
        ),
    )
    code, out = validate(path, capsys)
    assert code == 1
    assert "phases react -> rebuild -> react can take turns every 2s: up to 31,622,400" in out


def test_a_constant_condition_does_not_pass_strict(tmp_path: Path, capsys) -> None:
    path = variant(tmp_path, "constant.yaml", (TO_REBUILD, '- {to: rebuild, when: "1 > 2"}'))
    assert validate(path, capsys)[0] == 0
    code, out = validate(path, capsys, "--strict")
    assert code == 1
    assert (
        "constant.yaml:15:29: error: the condition '1 > 2' reads nothing from the exercise: "
        "it is always false, so the transition react -> rebuild never happens" in out
    )
    part = variant(tmp_path, "part.yaml", ("violence >= 7 or", "violence >= 7 and 2 * 3 == 7 or"))
    code, out = validate(part, capsys, "--strict")
    assert code == 1 and "'2 * 3 == 7' in the condition of the transition prevent -> react" in out


def test_shipped_scenarios_sit_well_inside_the_budgets() -> None:
    for scenario in ("kallen-early-warning", "mareth-site-attack", "kallen-after-atrocities"):
        assert step_budget(load_bundle(scenario).scenario) > 10_000


def test_the_earliest_a_condition_can_hold_in_its_phase() -> None:
    assert min_time_in_phase("elapsed_in_phase >= '2h'") == 7200
    assert min_time_in_phase("'2h' < elapsed_in_phase") == 7201
    assert min_time_in_phase("elapsed_in_phase >= '1h' and violence > 3") == 3600
    assert min_time_in_phase("elapsed_in_phase >= '1h' or violence > 3") == 0
    assert min_time_in_phase("'2h' > elapsed_in_phase") == 0
    assert min_time_in_phase("elapsed_in_phase >= '4h' * 3") == 43_200


# -- what only a run can find -------------------------------------------------------------------


def test_phases_flipping_on_the_situation_end_as_a_user_error(tmp_path: Path, capsys) -> None:
    flip = "violence > 50 or elapsed_in_phase >= '1s'"
    path = variant(
        tmp_path,
        "mixed.yaml",
        ('duration: "10h"', 'duration: "366d"'),
        (TO_REBUILD, f'- {{to: rebuild, when: "{flip}"}}'),
        ("  rebuild: {}", f'  rebuild:\n    next:\n      - {{to: react, when: "{flip}"}}'),
    )
    assert validate(path, capsys)[0] == 0
    code, out, err = simulate(path, tmp_path, capsys)
    assert code == 1 and not out
    assert f"its phases changed {MAX_PHASE_ENTRIES + 1:,} times" in err, err
    assert "Stopped at 2030-01-01" in err


def test_timings_that_chain_past_the_horizon_end_as_a_user_error(tmp_path: Path, capsys) -> None:
    chain = "".join(
        f"  - id: C-{n:02d}\n    phase: prevent\n"
        f'    after: {{inject: {"B-01" if n == 1 else f"C-{n - 1:02d}"}, delay: "366d"}}\n'
        f'    to: all\n    channel: report\n    title: "Chain {n}"\n    tags: [early-warning]\n'
        for n in range(1, 13)
    )
    path = variant(
        tmp_path,
        "chain.yaml",
        (', duration: "10h"', ""),
        ("injects:\n", "injects:\n" + chain),
        ("violence >= 7 or elapsed_in_phase >= '2h'", "violence >= 9"),
    )
    assert validate(path, capsys)[0] == 0
    code, _out, err = simulate(path, tmp_path, capsys)
    assert code == 1
    assert "its clock would pass 3660d (without clock.duration) to reach 3660d10m" in err, err
