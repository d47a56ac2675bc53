"""``exercise msel export`` and the round trip: import(export(s)) keeps every inject field.

Written against whatever the shipped scenarios say today (their text is being rewritten): the
comparison is field by field on the loaded models, not on fixed text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import yaml

from exercise_engine.cli import main
from exercise_engine.model.loader import load_bundle, load_catalog
from exercise_engine.msel.export import COLUMNS

SHIPPED = sorted(load_catalog().scenarios)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def injects_of(path: str) -> list[dict]:
    return [i.model_dump(by_alias=True) for i in load_bundle(path).scenario.injects]


def test_three_shipped_scenarios_to_round_trip() -> None:
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_import_of_export_keeps_every_inject_field(capsys, tmp_path, scenario_id, suffix):
    catalog = load_catalog()
    original = catalog.scenarios[scenario_id].document.path
    sheet = tmp_path / f"msel{suffix}"
    code, out, err = run(capsys, "msel", "export", scenario_id, "-o", str(sheet))
    assert code == 0, err
    result = tmp_path / "back.yaml"
    code, out, err = run(
        capsys, "msel", "import", str(sheet), "--into", original, "-o", str(result)
    )
    assert code == 0, err
    assert "exercise validate: 0 errors" in out
    before, after = injects_of(original), injects_of(str(result))
    assert [i["id"] for i in after] == [i["id"] for i in before]
    for old, new in zip(before, after, strict=True):
        assert new == old, f"inject {old['id']} changed in the round trip"


@pytest.mark.parametrize("scenario_id", SHIPPED[:1])
def test_import_of_export_alone_is_a_valid_scenario(capsys, tmp_path, scenario_id):
    """Without --into the variables the options move are declared for the designer to set."""
    sheet = tmp_path / "msel.xlsx"
    assert run(capsys, "msel", "export", scenario_id, "-o", str(sheet))[0] == 0
    out = tmp_path / "alone.yaml"
    code, stdout, err = run(capsys, "msel", "import", str(sheet), "-o", str(out))
    assert code == 0 and "exercise validate: 0 errors" in stdout, err
    assert "declared with initial 0" in err
    assert [i["id"] for i in injects_of(str(out))] == [
        i.id for i in load_bundle(scenario_id).scenario.injects
    ]


def test_export_is_a_readable_hseep_msel(capsys, tmp_path):
    scenario = load_bundle(SHIPPED[0]).scenario
    sheet = tmp_path / "msel.xlsx"
    assert run(capsys, "msel", "export", scenario.id, "-o", str(sheet))[0] == 0
    book = openpyxl.load_workbook(sheet)
    rows = list(book["MSEL"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    first = dict(zip(COLUMNS, rows[1], strict=True))
    inject = scenario.injects[0]
    assert first["Inject No."] == inject.id and first["Subject"] == inject.title
    assert first["Channel"] == inject.channel and first["Phase"] == (inject.phase or None)
    assert book["MSEL"].freeze_panes == "B2"
    options = [r for r in rows[1:] if r[COLUMNS.index("Option")]]
    assert len(options) == sum(len(i.respond.options) for i in scenario.injects if i.respond)


def test_csv_export_keeps_formulas_out(capsys, tmp_path):
    """A markdown list ('- item') or an effect ('+1') must not become a spreadsheet formula."""
    sheet = tmp_path / "msel.csv"
    assert run(capsys, "msel", "export", SHIPPED[0], "-o", str(sheet))[0] == 0
    with sheet.open(newline="", encoding="utf-8") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_a_field_the_exporter_has_no_column_for_survives(capsys, tmp_path):
    """The 'Other fields (YAML)' column carries what no column holds (here a field of a newer
    format, injected into the sheet by hand, to show the importer merges it)."""
    sheet = tmp_path / "msel.csv"
    assert run(capsys, "msel", "export", SHIPPED[0], "-o", str(sheet))[0] == 0
    with sheet.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    decided = next(r for r in rows[1:] if r[COLUMNS.index("Decision")])
    decided[COLUMNS.index("Other fields (YAML)")] = "respond:\n  rationale: none"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    original = load_catalog().scenarios[SHIPPED[0]].document.path
    out = tmp_path / "back.yaml"
    code, _, err = run(capsys, "msel", "import", str(sheet), "--into", original, "-o", str(out))
    assert code == 0, err
    injects = {i["id"]: i for i in yaml.safe_load(out.read_text())["injects"]}
    changed = injects[decided[0]]["respond"]
    assert changed["rationale"] == "none" and changed["options"]  # merged, options kept


def test_export_errors(capsys, tmp_path):
    code, _, err = run(capsys, "msel", "export", SHIPPED[0], "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "must be a .csv or .xlsx file" in err
    code, _, err = run(capsys, "msel", "export", "no-such-scenario", "-o", str(tmp_path / "x.csv"))
    assert code == 1 and "no-such-scenario" in err
    assert not Path(tmp_path / "x.csv").exists()
