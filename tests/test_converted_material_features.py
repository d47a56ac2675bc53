"""Binds features/converted_material.feature (issue 15's "Must show") to its steps."""

from pytest_bdd import scenarios

scenarios("converted_material.feature")
