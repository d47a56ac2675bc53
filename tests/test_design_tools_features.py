"""Binds the designer's command-line specs (features/design_tools.feature) to their steps."""

from pytest_bdd import scenarios

scenarios("design_tools.feature")
