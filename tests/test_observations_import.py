"""``exercise observations import``: an evaluator's EEG recorded in a session, all rows or none."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from exercise_engine.cli import main
from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.model.loader import load_bundle
from exercise_engine.msel import observations
from exercise_engine.session import simulate as sim
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session of the shipped default scenario played to its debrief by bots."""
    db = tmp_path_factory.mktemp("eeg") / "played.db"
    with Store(db) as store:
        controller = sim.start(store, load_bundle(), 1, "best")
        sim.play_to_debrief(controller, "best", None)
    return db


@pytest.fixture
def db(played: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "session.db"
    copy.write_bytes(played.read_bytes())
    return copy


def observations_in(db: Path) -> list[ev.ObservationRecorded]:
    with Store(db, create=False) as store:
        session = store.session().id
        return [
            r.event for r in store.events(session) if isinstance(r.event, ev.ObservationRecorded)
        ]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eeg_rows_become_observations_through_the_engine(capsys, tmp_path, db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Core capability", "Critical Task", "Organization", "Target rating",
                  "Observation notes", "Inject #"])  # fmt: skip
    sheet.append(["Early warning", "UND-2", "UN Mission", "S", "Named the leaflets", "INJ-103"])
    sheet.append(["Protection", "pro-2", "Force", "Performed without challenges", "", None])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Access", "PRO-4", "OCHA", "N/O", "Not seen", None])
    path = tmp_path / "eeg.xlsx"
    book.save(path)
    code, out, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                         "--evaluator", "Maj. Okafor")  # fmt: skip
    assert code == 0, err
    assert "recorded 3 observations by Maj. Okafor" in out
    recorded = observations_in(db)
    assert [(o.criterion, o.role, o.rating, o.inject) for o in recorded] == [
        ("UND-2", "un_mission", "S", "INJ-103"),
        ("PRO-2", "military", "P", None),
        ("PRO-4", "humanitarian", "N/O", None),
    ]
    assert {o.evaluator for o in recorded} == {"Maj. Okafor"}


def test_a_time_links_the_last_inject_the_role_received(capsys, tmp_path, db):
    path = tmp_path / "eeg.csv"
    path.write_text("Criterion,Role,Rating,Note,Time\nUND-2,un_mission,M,Slow to act,T+1h\n")
    code, _, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                       "--evaluator", "E")  # fmt: skip
    assert code == 0, err
    (observation,) = observations_in(db)
    with Store(db, create=False) as store:
        controller = ExerciseController.resume(store, store.session().id)
        delivered = [d for d in controller.state.deliveries.values()
                     if d.role == "un_mission" and d.t <= 3600]  # fmt: skip
    assert observation.inject == max(delivered, key=lambda d: d.t).inject
    assert observation.note.endswith("] Slow to act")


def test_bad_rows_are_all_listed_and_nothing_is_recorded(capsys, tmp_path, db):
    path = tmp_path / "eeg.csv"
    path.write_text(
        "Criterion,Role,Rating,Note,Inject\n"
        "UND-2,UN,S,fine,\n"
        "UND-99,UN,S,,\n"
        "PRO-2,Blue helmets,Q,,INJ-999\n"
    )
    code, _, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                       "--evaluator", "E")  # fmt: skip
    assert code == 1
    assert f"{path}, row 3, column A (Criterion): error: unknown criterion 'UND-99'" in err
    assert f"{path}, row 4, column B (Role): error: 'Blue helmets' is no role" in err
    assert f"{path}, row 4, column C (Rating): error: unknown rating 'Q'" in err
    assert f"{path}, row 4, column E (Inject): error: unknown inject 'INJ-999'" in err
    assert "nothing recorded: 4 error(s)" in err
    assert observations_in(db) == []


def test_the_engine_refuses_and_nothing_is_half_imported(capsys, tmp_path):
    """A session still in setup takes no observations: the engine's reason, per row."""
    db = tmp_path / "setup.db"
    with Store(db) as store:
        ExerciseController.create(store, load_bundle(), 1)
    path = tmp_path / "eeg.csv"
    path.write_text("Criterion,Role,Rating\nUND-2,UN,S\nPRO-2,Force,P\n")
    code, _, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                       "--evaluator", "E")  # fmt: skip
    assert code == 1
    assert f"{path}, row 2: error: observations are recorded during play and the debrief" in err
    assert observations_in(db) == []


def test_refuses_when_the_log_moved_under_it(capsys, tmp_path, db, monkeypatch):
    """A controller writing the session while the sheet is checked: refuse, write nothing."""
    original = observations.read_observations

    def meanwhile_a_controller_writes(*args, **kwargs):
        found = original(*args, **kwargs)
        with Store(db, create=False) as store:
            live = ExerciseController.resume(store, store.session().id)
            live.submit(
                cmd.RecordObservation(
                    actor=cmd.Actor.evaluator("Live"), criterion="UND-1", role="police", rating="U"
                )
            )
        return found

    monkeypatch.setattr(observations, "read_observations", meanwhile_a_controller_writes)
    path = tmp_path / "eeg.csv"
    path.write_text("Criterion,Role,Rating\nUND-2,UN,S\n")
    code, _, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                       "--evaluator", "E")  # fmt: skip
    assert code == 1
    assert "moved on while the sheet was checked" in err and "nothing was imported" in err
    assert [o.evaluator for o in observations_in(db)] == ["Live"]


def test_refuses_while_a_live_controller_holds_the_session(capsys, tmp_path, db):
    """A controller that has been heard from holds the lease: no writing behind its back."""
    import os
    import time

    from exercise_engine.store import live

    with Store(db, create=False) as store:
        session = store.session().id
        taken, _ = live.take_lease(
            store.conn, session, "controller A", now=time.time(), ttl=30, pid=os.getpid()
        )
        assert taken
    path = tmp_path / "eeg.csv"
    path.write_text("Criterion,Role,Rating\nUND-2,UN,S\n")
    code, _, err = run(
        capsys, "observations", "import", str(path), "--db", str(db), "--evaluator", "E"
    )
    assert code == 1
    assert "is run by a live controller (controller A" in err
    assert "evaluator console" in err
    assert observations_in(db) == []
    with Store(db, create=False) as store:  # a stopped controller lets the import in
        live.release_lease(store.conn, session, "controller A", time.time())
    code, _, err = run(
        capsys, "observations", "import", str(path), "--db", str(db), "--evaluator", "E"
    )
    assert code == 0, err
    assert len(observations_in(db)) == 1


def test_missing_columns_and_database(capsys, tmp_path, db):
    path = tmp_path / "eeg.csv"
    path.write_text("Criterion,Role,Notes\nUND-2,UN,x\n")
    code, _, err = run(capsys, "observations", "import", str(path), "--db", str(db),
                       "--evaluator", "E")  # fmt: skip
    assert code == 1 and "no column for rating" in err
    code, _, err = run(capsys, "observations", "import", str(path), "--db",
                       str(tmp_path / "none.db"), "--evaluator", "E")  # fmt: skip
    assert code == 1 and "none.db" in err and "Traceback" not in err
