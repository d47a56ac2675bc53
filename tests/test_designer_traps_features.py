"""Binds the designer's traps (features/designer_traps.feature) to their steps."""

from pytest_bdd import scenarios

scenarios("designer_traps.feature")
