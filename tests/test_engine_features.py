"""Binds the engine's behaviour specs (features/*.feature) to the steps in tests/steps/."""

from pytest_bdd import scenarios

scenarios(
    "phases.feature", "injects.feature", "decisions.feature", "clock.feature", "recovery.feature"
)
