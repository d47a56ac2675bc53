"""Small scenarios written into a temporary course folder, loaded beside the fixture content
(its roles and `test-rubric`): for unit tests of one format feature."""

from __future__ import annotations

from pathlib import Path

from exercise_engine.model.loader import Catalog, load_catalog

CONTENT = Path(__file__).parent / "fixtures" / "content"


def course_catalog(tmp_path: Path, scenario_id: str, text: str) -> Catalog:
    """The catalog of the fixture content plus ``text`` as scenarios/<scenario_id>.yaml."""
    folder = tmp_path / "course" / "scenarios"
    folder.mkdir(parents=True)
    (folder / f"{scenario_id}.yaml").write_text(text)
    return load_catalog([CONTENT, tmp_path / "course"], include_content_path=False)


def messages(catalog: Catalog) -> list[str]:
    """Every diagnostic of ``catalog``, rendered as the validator prints it."""
    return [d.render() for d in catalog.diagnostics.items]


def scenario_text(scenario_id: str, roles: str, rest: str) -> str:
    """A realtime scenario of four hours on ``test-rubric`` whose phases each last an hour;
    ``rest`` adds its variables, facts and injects (YAML at column 0)."""
    return (
        f'format: exercise-scenario/1\nid: {scenario_id}\ntitle: "{scenario_id}"\n'
        f"rubric: test-rubric\nroles: {roles}\n"
        'clock: {mode: realtime, speed: 60, duration: "4h"}\n'
        "phases:\n"
        "  prevent: {next: [{to: react, when: \"elapsed_in_phase >= '1h'\"}]}\n"
        "  react: {next: [{to: rebuild, when: \"elapsed_in_phase >= '1h'\"}]}\n"
        "  rebuild: {}\n" + rest
    )
