"""The content loader: library overrides, duplicate ids, shadowing, and library checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from exercise_engine.model.loader import load_catalog

CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "content"
VALID = Path(__file__).resolve().parents[1] / "fixtures" / "broken" / "valid.yaml"

LIBRARY = """format: exercise-injects/1
id: extra
injects:
  - id: warning
    channel: radio
    title: "Warning"
    expect: [UND-1]
    respond:
      due: "45m"
      prompt: "What now?"
      options:
        - {id: A, text: "Act", scores: {UND-1: 4}}
        - {id: B, text: "Wait", scores: {UND-1: 1}}
"""


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def messages(catalog) -> list[str]:
    return [d.render() for d in catalog.diagnostics.items]


def test_an_override_merges_mappings_and_replaces_the_rest(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "injects" / "extra.yaml").write_text(LIBRARY)
    scenario = VALID.read_text() + (
        '  - use: extra/warning\n    id: B-03\n    phase: react\n    at: "+20m"\n'
        '    to: [military]\n    respond: {due: "10m"}\n'
    )
    (root / "scenarios" / "merge.yaml").write_text(scenario)
    catalog = load_catalog([root], include_content_path=False)
    assert not catalog.diagnostics.errors, messages(catalog)
    inject = catalog.scenarios["broken-example"].model.inject("B-03")
    assert inject.respond.due == 600
    assert [o.id for o in inject.respond.options] == ["A", "B"]
    assert inject.respond.prompt == "What now?"


def test_library_mistakes_are_caught_without_a_scenario(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    broken = LIBRARY.replace("expect: [UND-1]", "expect: [UND-9]")
    broken += '  - id: warning\n    channel: radio\n    title: "Twice"\n'
    (root / "injects" / "extra.yaml").write_text(broken)
    chained = LIBRARY.replace("id: extra", "id: chain").replace(
        "    channel: radio\n", "    use: extra/warning\n    channel: radio\n", 1
    )
    (root / "injects" / "chain.yaml").write_text(chained)
    found = "\n".join(messages(load_catalog([root], include_content_path=False)))
    assert "unknown criterion 'UND-9'" in found
    assert "inject id 'warning' is used twice in this library" in found
    assert "a library inject cannot use another" in found


def test_ids_are_unique_within_a_root_even_across_subfolders(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "scenarios" / "a").mkdir()
    (root / "scenarios" / "b").mkdir()
    shutil.copy(VALID, root / "scenarios" / "a" / "one.yaml")
    shutil.copy(VALID, root / "scenarios" / "b" / "two.yaml")
    found = messages(load_catalog([root], include_content_path=False))
    assert any("scenario id 'broken-example' is already defined" in m for m in found), found


def test_a_designer_folder_shadows_the_shipped_content(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    catalog = load_catalog(content=[root])
    assert catalog.roles["un_mission"].model.name == "Test role un_mission"
    assert catalog.roles["un_mission"].root < catalog.rubrics["poc-doctrine"].root
    assert not [m for m in messages(catalog) if "already defined" in m]


def test_overdue_of_an_inject_without_a_due_time_is_flagged(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    scenario = VALID.read_text().replace(
        "\"elapsed_in_phase >= '2h'\"", "\"overdue('B-02') or elapsed_in_phase >= '2h'\""
    )
    (root / "scenarios" / "x.yaml").write_text(scenario)
    found = messages(load_catalog([root], include_content_path=False))
    assert any("overdue() is never true for B-02" in m for m in found), found
