"""``exercise msel import``: real third-party MSELs and the layouts planners write.

The OpenBAS chronograms must give the offsets OpenBAS's own tests expect; Crucible Blueprint's
sheet must import, validate and simulate; every error names the file, the row and the column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml
from external import external_file

from exercise_engine.cli import main
from exercise_engine.model.loader import load_bundle
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

OPENBAS_COLUMNS = "B=channel,B=title,C=time,D=to,E=subject,F=message,G=message,H=expected"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def absolute_offsets(path: Path) -> list[int]:
    """Each inject's time from STARTEX: its phase's start (from the time transitions) + at."""
    data = yaml.safe_load(path.read_text())
    begins = {"prevent": 0}
    for _phase, body in data["phases"].items():
        for step in body.get("next", []):
            if "when" in step:
                begins[step["to"]] = _seconds(step["when"].split("'")[1])
    return [begins[i["phase"]] + _seconds(i["at"]) for i in data["injects"] if "at" in i]


def _seconds(text: str) -> int:
    from exercise_engine.model.durations import parse_duration

    return parse_duration(text, allow_plus=True)


def import_sheet(capsys, tmp_path: Path, sheet: Path, *extra: str) -> tuple[Path, str]:
    out = tmp_path / "imported.yaml"
    code, stdout, stderr = run(capsys, "msel", "import", str(sheet), "-o", str(out), *extra)
    assert code == 0, stderr
    assert "exercise validate: 0 errors" in stdout
    return out, stderr


def simulate(path: Path, tmp_path: Path) -> dict:
    with Store(tmp_path / "sim.db") as store:
        controller = sim.start(store, load_bundle(str(path)), 1, "best")
        return sim.play_to_debrief(controller, "best", None)


# -- OpenBAS chronograms: no header row, a column map, OpenBAS's own expected offsets --------


@pytest.mark.parametrize(
    ("number", "extra", "expected"),
    [
        (1, (), [0, 30 * 86400]),
        (3, (), [0, 86400, 86400 + 5 * 60, 2 * 86400]),
        (4, ("--start", "2024-06-26"), [0, 86400, 2 * 86400, 4 * 86400 + 5 * 60]),
        (5, (), [0, 86400, (2 * 24 + 2) * 3600 - 5 * 60, 4 * 86400]),
    ],
)
def test_openbas_chronograms_give_openbas_offsets(capsys, tmp_path, number, extra, expected):
    sheet = external_file("msel", f"openbas-test_file_{number}.xlsx")
    out, warnings = import_sheet(capsys, tmp_path, sheet, "--columns", OPENBAS_COLUMNS, *extra)
    assert sorted(absolute_offsets(out)) == expected
    assert "placeholder row ('???'); skipped" in warnings
    assert "trailing empty; skipped" in warnings
    assert simulate(out, tmp_path)["injects_delivered"] == len(expected)


def test_openbas_absolute_dates_set_the_scenario_clock(capsys, tmp_path):
    sheet = external_file("msel", "openbas-test_file_2.xlsx")
    out, _ = import_sheet(capsys, tmp_path, sheet, "--columns", OPENBAS_COLUMNS)
    data = yaml.safe_load(out.read_text())
    assert data["clock"]["start"] == "2024-06-26 09:00"  # read day first: 26 is no month
    assert sorted(absolute_offsets(out)) == [0, 300, 300]
    assert [i["channel"] for i in data["injects"]] == ["phone", "email", "email"]


def test_openbas_relative_days_need_no_start_date_here(capsys, tmp_path):
    """OpenBAS refuses 'J 09h00' without a start date because it schedules on a calendar; a
    scenario counts from STARTEX, so the offsets come out the same with or without one."""
    sheet = external_file("msel", "openbas-test_file_4.xlsx")
    out, _ = import_sheet(capsys, tmp_path, sheet, "--columns", OPENBAS_COLUMNS)
    assert sorted(absolute_offsets(out)) == [0, 86400, 2 * 86400, 4 * 86400 + 5 * 60]
    assert "start" not in yaml.safe_load(out.read_text())["clock"]


def test_chronogram_without_column_map_is_refused_with_advice(capsys, tmp_path):
    sheet = external_file("msel", "openbas-test_file_1.xlsx")
    code, _, err = run(capsys, "msel", "import", str(sheet), "-o", str(tmp_path / "x.yaml"))
    assert code == 1
    assert f"{sheet}: no header row found" in err and "--columns" in err
    assert "Traceback" not in err and not (tmp_path / "x.yaml").exists()


# -- Crucible Blueprint: header row, ISO times, rows out of order, every cell text -------------


def test_blueprint_sheet_imports_validates_and_simulates(capsys, tmp_path):
    sheet = external_file("msel", "blueprint-PlaywrightMSEL.xlsx")
    out, warnings = import_sheet(capsys, tmp_path, sheet)
    data = yaml.safe_load(out.read_text())
    assert [i["title"] for i in data["injects"]] == ["Attack-1", "STARTEX"]  # sorted by time
    assert [i["at"] for i in data["injects"]] == ["+0m", "+9h53m20s"]
    assert data["clock"]["start"] == "2023-03-22 18:06"
    first = data["injects"][0]
    assert first["body"] == "XSS Reported\n\nnothing"  # Description and Details
    assert data["injects"][1]["from"] == "FEMA" and data["injects"][1]["to"] == "all"
    assert "column C (Assigned To): warning: column not imported" in warnings
    assert "column E (Exercise Time): warning: column not imported: column F" in warnings
    assert "row 3, column I (To): warning: recipient 'OCCIP' matches no role" in warnings
    result = simulate(out, tmp_path)
    assert result["injects_delivered"] == 2


def test_blueprint_recipients_mapped_with_roles_option(capsys, tmp_path):
    sheet = external_file("msel", "blueprint-PlaywrightMSEL.xlsx")
    out, warnings = import_sheet(capsys, tmp_path, sheet, "--roles", "OCCIP=humanitarian")
    assert yaml.safe_load(out.read_text())["injects"][0]["to"] == ["humanitarian"]
    assert "OCCIP" not in warnings


# -- layouts planners write --------------------------------------------------------------------


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HSEEP = """\
" Inject\nNo. ",Scenario Time,Phase,Delivery Method,Originator,Recipient(s),Subject,Message,\
Expected Player Action,Controller Notes,Core Capability,Status
1,Day 1 (0600),Prevent,Email printout,OCHA Kallen,"UNMISS, OCHA",Leaflets,Leaflets in Bora,\
Recognise hate speech,Watch UN,Obj 1: Early warning,Draft
2,D+1 06:00,React,Phone call,Governor,Government,Call,The governor calls,,,,Draft
3,Day 1 07:29 PM,prevent,Carrier pigeon,Radio Bora,All,Broadcast,Hate radio,,,,Draft
4,Day 2 14:00,rebuild,Verbal,Elders,"Host State, Police",Talks,Elders ask for talks,,,,Draft
5,,,,,,???,,,,,
,,,,,,,,,,,
"""


def test_hseep_sheet_headers_times_recipients_channels(capsys, tmp_path):
    sheet = write_csv(tmp_path / "hseep.csv", HSEEP)
    out, warnings = import_sheet(capsys, tmp_path, sheet)
    data = yaml.safe_load(out.read_text())
    by_id = {i["id"]: i for i in data["injects"]}
    assert [i["id"] for i in data["injects"]] == ["1", "3", "2", "4"]  # sorted by time
    assert by_id["1"]["to"] == ["un_mission", "humanitarian"]
    assert by_id["1"]["channel"] == "email" and by_id["2"]["channel"] == "phone"
    assert by_id["4"]["channel"] == "meeting" and by_id["4"]["to"] == ["host_state", "police"]
    assert by_id["3"]["channel"] == "report" and by_id["3"]["to"] == "all"
    assert (
        "row 4, column D (Delivery Method): warning: delivery method 'Carrier pigeon'" in warnings
    )
    assert by_id["1"]["notes"] == "Recognise hate speech\n\nWatch UN"
    assert data["objectives"] == [{"id": "OBJ-1", "text": "Obj 1: Early warning"}]
    # phases begin at their earliest inject and end by time
    assert data["phases"]["prevent"]["next"] == [{"to": "react", "when": "elapsed >= '1d'"}]
    assert data["phases"]["react"]["next"] == [{"to": "rebuild", "when": "elapsed >= '1d8h'"}]
    assert by_id["3"]["phase"] == "prevent" and by_id["3"]["at"] == "+13h29m"
    assert by_id["4"]["phase"] == "rebuild" and by_id["4"]["at"] == "+0m"
    assert "row 6: warning: placeholder row ('???'); skipped" in warnings
    assert "row 7: warning: row 7: trailing empty; skipped" in warnings
    assert "column L (Status): warning: column not imported" in warnings
    assert simulate(out, tmp_path)["phases_reached"] == ["prevent", "react", "rebuild"]


def test_phase_at_splits_a_sheet_without_phases(capsys, tmp_path):
    sheet = write_csv(
        tmp_path / "plain.csv",
        "T+min,To,Subject\n0,UN,Start\n45,Force,Militia seen\n100,OCHA,Displacement\n",
    )
    out, _ = import_sheet(capsys, tmp_path, sheet, "--phase-at", "react=T+30m,rebuild=T+90m")
    data = yaml.safe_load(out.read_text())
    assert [(i["phase"], i["at"]) for i in data["injects"]] == [
        ("prevent", "+0m"),
        ("react", "+15m"),
        ("rebuild", "+10m"),
    ]
    assert data["phases"]["react"]["next"][0]["when"] == "elapsed >= '1h30m'"
    assert absolute_offsets(out) == [0, 45 * 60, 100 * 60]


def test_without_phase_column_everything_is_in_the_first_phase(capsys, tmp_path):
    sheet = write_csv(tmp_path / "p.csv", "Time,To,Title\n09:30,UN,A\n0930,UN,B\n+2:35,UN,C\n")
    out, _ = import_sheet(capsys, tmp_path, sheet)
    data = yaml.safe_load(out.read_text())
    assert {i["phase"] for i in data["injects"]} == {"prevent"}
    assert [i["at"] for i in data["injects"]] == ["+0m", "+0m", "+2h35m"]


def test_xlsx_serial_times_merged_cells_and_sheet_choice(capsys, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active["A1"] = "Exercise KALLEN: MSEL"
    ws = book.create_sheet("MSEL")
    ws.append(["Event #", "Date-Time", "Move", "Mode", "To", "Title", "Description"])
    ws.append([1, dt.datetime(2027, 3, 14, 6, 0), 1, "Radio", "Force", "Column", "Seen"])
    ws.append(["DAY 1 AFTERNOON"])
    ws.merge_cells("A3:G3")
    ws.append([2, 46460.75, 2, "TV", "UN", "News", "Report"])  # an unformatted serial date
    ws.append([3, dt.datetime(2027, 3, 14, 20, 0), None, "Social media", "Police", "Post", "x"])
    ws.merge_cells("C4:C5")  # the move written once for two rows
    path = tmp_path / "kallen.xlsx"
    book.save(path)
    out, warnings = import_sheet(capsys, tmp_path, path, "--sheet", "MSEL")
    data = yaml.safe_load(out.read_text())
    assert [i["at"] for i in data["injects"]] == ["+0m", "+0m", "+2h"]
    assert [i["phase"] for i in data["injects"]] == ["prevent", "react", "react"]
    assert [i["channel"] for i in data["injects"]] == ["radio", "news", "social"]
    assert data["clock"]["start"] == "2027-03-14 06:00"
    assert "row 3: warning: section heading 'DAY 1 AFTERNOON' (merged cells); skipped" in warnings


# -- errors: file, row and column; nothing half-written ---------------------------------------


def test_every_error_names_file_row_and_column(capsys, tmp_path):
    sheet = write_csv(
        tmp_path / "bad.csv",
        "No.,Time,Phase,To,Subject,Contingency\n"
        "1,25:99,prevent,UN,A,\n"
        "2,Tuesday-ish,prevent,UN,B,\n"
        "3,10:00,Move 7,UN,C,maybe\n",
    )
    out = tmp_path / "bad.yaml"
    code, _, err = run(capsys, "msel", "import", str(sheet), "-o", str(out))
    assert code == 1 and not out.exists()
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert lines[0].startswith(f"{sheet}, row 2, column B (Time): error: 25:99 is not a time")
    assert lines[1].startswith(f"{sheet}, row 3, column B (Time): error: cannot read 'Tuesday-ish'")
    assert any(f"{sheet}, row 4, column F (Contingency): error: 'maybe'" in x for x in lines)
    assert "nothing written: 3 error(s)" in err
    assert "Traceback" not in err


def test_moves_beyond_three_phases_are_a_warning_naming_the_cell(capsys, tmp_path):
    sheet = write_csv(
        tmp_path / "moves.csv",
        "Time,Move,To,Subject\n10:00,0,UN,A\n11:00,1,UN,B\n12:00,2,UN,C\n13:00,3,UN,D\n"
        "14:00,Escalation,UN,E\n",
    )
    out, warnings = import_sheet(capsys, tmp_path, sheet)
    assert f"{sheet}, row 2, column B (Move): warning: the sheet has 4 moves" in warnings
    assert f"{sheet}, row 6, column B (Move): warning: cannot read phase 'Escalation'" in warnings
    assert {i["phase"] for i in yaml.safe_load(out.read_text())["injects"]} == {"prevent"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--columns", "C=flavour"), "'flavour' in 'C=flavour' names no field"),
        (("--columns", "C"), "'C' is not COLUMN=field"),
        (("--roles", "UN=blue_helmets"), "unknown role 'blue_helmets'"),
        (("--start", "next tuesday"), "--start 'next tuesday' is not a date"),
        (("--phase-at", "endex=T+1h"), "is not react=TIME or rebuild=TIME"),
        (("--sheet", "MSEL"), "a csv file has no sheets"),
    ],
)
def test_bad_options_are_refused_plainly(capsys, tmp_path, extra, message):
    sheet = write_csv(tmp_path / "s.csv", "Time,To,Subject\n10:00,UN,A\n")
    out = tmp_path / "o.yaml"
    code, _, err = run(capsys, "msel", "import", str(sheet), "-o", str(out), *extra)
    assert code == 1 and message in err and "Traceback" not in err
    assert not out.exists()


def test_missing_sheet_file(capsys, tmp_path):
    code, _, err = run(
        capsys, "msel", "import", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.yaml")
    )
    assert code == 1 and "none.csv: no such file" in err


def test_library_import(capsys, tmp_path):
    sheet = write_csv(tmp_path / "lib.csv", "Time,To,Subject,Message\n10:00,UN,A,Body\n")
    out = tmp_path / "lib.yaml"
    code, _stdout, err = run(capsys, "msel", "import", str(sheet), "--library", "-o", str(out))
    assert code == 0, err
    data = yaml.safe_load(out.read_text())
    assert data["format"] == "exercise-injects/1"
    assert data["injects"][0] == {
        "id": "INJ-001",
        "to": ["un_mission"],
        "channel": "report",
        "title": "A",
        "body": "Body",
    }


# -- OpenEOC: markdown situation manual tables and printed inject cards (stretch goal) --------


@pytest.mark.parametrize(
    ("name", "first_times"),
    [
        ("openeoc-EXERCISE-SITUATION-MANUAL.md", [0, 5, 10, 20, 40]),
        ("openeoc-deerhorn-EXERCISE-INJECT-CARDS.md", [0, 10, 20, 30, 45]),
    ],
)
def test_openeoc_markdown_msels_import_validate_and_simulate(capsys, tmp_path, name, first_times):
    sheet = external_file("msel", name)
    out, warnings = import_sheet(capsys, tmp_path, sheet)
    data = yaml.safe_load(out.read_text())
    assert len(data["injects"]) == 15
    assert data["injects"][0]["id"] == "1.1" and data["injects"][-1]["id"].startswith("4.")
    assert [o // 60 for o in absolute_offsets(out)][:5] == first_times
    assert "has 4 moves (1, 2, 3, 4) and a scenario three phases" in warnings
    assert simulate(out, tmp_path)["injects_delivered"] == 15


def test_openeoc_modules_split_by_phase_at(capsys, tmp_path):
    sheet = external_file("msel", "openeoc-EXERCISE-SITUATION-MANUAL.md")
    out, _ = import_sheet(capsys, tmp_path, sheet, "--phase-at", "react=+0:40,rebuild=+2:10")
    phases = [i["phase"] for i in yaml.safe_load(out.read_text())["injects"]]
    assert phases[:4] == ["prevent"] * 4 and phases[4] == "react" and phases[-1] == "rebuild"


def test_phase_column_named_or_ignored(capsys, tmp_path):
    sheet = write_csv(
        tmp_path / "groups.csv",
        "Time,Group,To,Subject\n10:00,prevent,UN,A\n11:00,react,UN,B\n12:00,rebuild,UN,C\n",
    )
    out, _ = import_sheet(capsys, tmp_path, sheet, "--phase-column", "Group")
    assert [i["phase"] for i in yaml.safe_load(out.read_text())["injects"]] == [
        "prevent", "react", "rebuild"
    ]  # fmt: skip
    out.unlink()
    out, _ = import_sheet(capsys, tmp_path, sheet)  # 'Group' names no field: all in prevent
    assert {i["phase"] for i in yaml.safe_load(out.read_text())["injects"]} == {"prevent"}
    out.unlink()
    sheet = write_csv(tmp_path / "moves.csv", "Time,Move,To,Subject\n10:00,1,UN,A\n11:00,2,UN,B\n")
    out, _ = import_sheet(capsys, tmp_path, sheet, "--phase-column", "none")
    assert {i["phase"] for i in yaml.safe_load(out.read_text())["injects"]} == {"prevent"}


def test_an_endex_row_ends_play_instead_of_becoming_an_inject(capsys, tmp_path):
    sheet = write_csv(
        tmp_path / "endex.csv",
        "Time,To,Subject\n08:00,UN,STARTEX\n09:30,Force,Column seen\n12:00,All,ENDEX\n",
    )
    out, warnings = import_sheet(capsys, tmp_path, sheet)
    data = yaml.safe_load(out.read_text())
    assert [i["title"] for i in data["injects"]] == ["STARTEX", "Column seen"]
    assert data["clock"]["duration"] == "4h"
    assert f"{sheet}, row 4: warning: ENDEX row: play ends there" in warnings
    result = simulate(out, tmp_path)
    assert result["ended"] == "endex" and result["scenario_time"] == "T+4h"
