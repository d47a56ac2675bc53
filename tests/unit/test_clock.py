"""The realtime clock, stepped with a fake wall clock."""

from exercise_engine.engine.clock import ScenarioClock


def test_scenario_time_runs_at_speed_and_stops_when_paused() -> None:
    clock = ScenarioClock(speed=30)
    assert clock.now(100.0) == 0
    clock.start(100.0)
    assert clock.now(102.0) == 60  # 2 wall seconds at 30x
    clock.pause(102.0)
    assert clock.now(500.0) == 60
    clock.resume(500.0)
    assert clock.now(501.0) == 90


def test_a_speed_change_keeps_the_time_already_elapsed() -> None:
    clock = ScenarioClock(speed=10)
    clock.start(0.0)
    clock.set_speed(10.0, 60)
    assert clock.now(10.0) == 100
    assert clock.now(11.0) == 160


def test_the_clock_catches_up_with_the_log_after_a_restart() -> None:
    clock = ScenarioClock(speed=1)
    clock.catch_up(3600)
    clock.start(0.0)
    assert clock.now(1.0) == 3601
    assert clock.wall_until(3661, 1.0) == 60
