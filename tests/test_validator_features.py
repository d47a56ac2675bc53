"""Binds the designer's validator specs (features/validate_content.feature) to their steps."""

from pytest_bdd import scenarios

scenarios("validate_content.feature")
