"""Shared fixtures: stable test content, a fresh database per test, an isolated environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import Catalog, load_catalog
from exercise_engine.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"

pytest_plugins = ["steps.cli", "steps.engine", "steps.validator", "steps.workbench"]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a developer's own content path or debug switch."""
    monkeypatch.delenv("EXERCISE_CONTENT_PATH", raising=False)
    monkeypatch.delenv("EXERCISE_DEBUG", raising=False)


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    catalog = load_catalog([CONTENT], include_content_path=False)
    assert not catalog.diagnostics.errors, [d.render() for d in catalog.diagnostics.errors]
    return catalog


@pytest.fixture
def harbour(fixture_catalog: Catalog) -> Bundle:
    return fixture_catalog.bundle("harbour-test")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "exercise.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    with Store(db_path) as opened:
        yield opened
