"""Hostile content files: each case of issue 17 that hung, blew up memory, leaked a file or
misplaced an error, run as a designer runs it.

The cases that hung or ate gigabytes before the fix run ``exercise`` as a child process with
a memory ceiling and a generous deadline, so that a regression fails the test instead of
hanging the suite or the machine (the deadline is a guard, not a measure of speed).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.aar import play

from exercise_engine import cli
from exercise_engine.cli import main
from exercise_engine.errors import UserError
from exercise_engine.model.diagnostics import ContentError
from exercise_engine.model.yamlsource import MAX_ITEMS, MAX_VALUES, load_yaml
from exercise_engine.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"
VALID = (FIXTURES / "broken" / "valid.yaml").read_text()
DEADLINE_S = 120
MEMORY_CEILING = 2 * 1024**3


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def exercise(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``exercise ARGS`` as a child process under a memory ceiling and a deadline."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "exercise_engine", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=DEADLINE_S,
            preexec_fn=_ceiling,
            env={**os.environ, "EXERCISE_CONTENT_PATH": ""},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"exercise {' '.join(args)} did not finish within {DEADLINE_S} s")


def refused(run: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert fragment in run.stdout + run.stderr, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr


# -- hangs and memory ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["x: &a [*a]", "x: &a {b: *a}", "x: &a\n  y: [1, {z: *a}]\n", "x: &a\n  <<: *a\n"],
)
def test_an_alias_cycle_is_refused_at_the_alias(tmp_path: Path, text: str) -> None:
    (tmp_path / "cycle.yaml").write_text(text)
    run = exercise("validate", "cycle.yaml", cwd=tmp_path)
    refused(run, "a cycle that would never end")
    assert run.stdout.startswith("cycle.yaml:"), run.stdout


@pytest.mark.slow
def test_an_alias_cycle_in_a_rubric_does_not_hang_the_report(tmp_path: Path) -> None:
    with Store(tmp_path / "exercise.db") as store:
        play.persist(store, play.play())
    (tmp_path / "rubric.yaml").write_text("format: exercise-rubric/1\nid: r\nx: &a [*a]\n")
    run = exercise("report", "--db", "exercise.db", "--rubric", "rubric.yaml", cwd=tmp_path)
    refused(run, "rubric.yaml:3:8: error: the alias '*a' stands inside the node '&a'")


@pytest.mark.slow
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    refused(exercise("validate", "pipe.yaml", cwd=tmp_path), "a named pipe, not a regular file")
    folder = tmp_path / "c" / "scenarios"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.yaml")
    refused(exercise("validate", "c", cwd=tmp_path), "c/scenarios/pipe.yaml: error: a named pipe")


@pytest.mark.slow
def test_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "c" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    refused(exercise("validate", "c", cwd=tmp_path), "outside its content folder")
    refused(exercise("validate", "/dev/zero", cwd=tmp_path), "a device, not a regular file")


@pytest.mark.slow
def test_msel_import_into_a_pipe_a_device_or_a_cycle_is_refused(tmp_path: Path) -> None:
    """``msel import --into`` read its scenario with yaml.safe_load: a named pipe hung it, a
    link to /dev/zero read until memory ran out. It now reads as every content file is."""
    assert main(["msel", "export", "kallen-early-warning", "-o", str(tmp_path / "k.csv")]) == 0
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "cycle.yaml").write_text("format: exercise-scenario/1\nx: &a [*a]\n")
    for into, said in [
        ("pipe.yaml", "--into: a named pipe, not a regular file"),
        ("zero.yaml", "--into: a device, not a regular file"),
        ("cycle.yaml", "--into: cycle.yaml:2:8: error: the alias '*a' stands inside the node"),
    ]:
        run = exercise("msel", "import", "k.csv", "-o", "out.yaml", "--into", into, cwd=tmp_path)
        refused(run, said)
        assert not (tmp_path / "out.yaml").exists()


@pytest.mark.slow
def test_a_ten_million_item_list_fails_fast_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text("format: exercise-scenario/1\nx: [" + "1," * 10**7 + "]\n")
    run = exercise("validate", "big.yaml", cwd=tmp_path)
    refused(run, f"more than {MAX_ITEMS:,} items in one list")
    assert run.stdout.startswith(f"big.yaml:2:{5 + 2 * MAX_ITEMS}: error:"), run.stdout


@pytest.mark.slow
def test_a_hundred_thousand_injects_fail_fast_with_the_limit(tmp_path: Path) -> None:
    inject = '  - {id: I-%d, phase: prevent, at: "+1m", to: all, channel: news, title: "t"}\n'
    text = VALID.split("injects:")[0] + "injects:\n"
    text += "".join(inject % n for n in range(100_000))
    assert len(text.encode()) < 20 * 1024 * 1024
    (tmp_path / "many.yaml").write_text(text)
    run = exercise("validate", "many.yaml", cwd=tmp_path)
    refused(run, f"more than {MAX_ITEMS:,} items in one list")
    assert run.stdout.startswith(f"many.yaml:{text.count(chr(10), 0, text.index('I-50000')) + 1}:")


def test_a_million_values_in_shorter_lists_fail_with_the_limit() -> None:
    row = "  - [" + "1," * 40_000 + "]\n"
    with pytest.raises(ContentError) as caught:
        load_yaml("format: exercise-scenario/1\nx:\n" + row * 30, "values.yaml")
    (only,) = caught.value.diagnostics
    assert only.message.startswith(f"this file holds more than {MAX_VALUES:,} values")
    assert only.position.line == 3 + MAX_VALUES // 40_001


def test_aliases_that_multiply_are_refused_before_they_are_built() -> None:
    lines = ["format: exercise-scenario/1", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 8)}]" for i in range(1, 12)]
    with pytest.raises(ContentError) as caught:
        load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    (only,) = caught.value.diagnostics
    assert "(an 'alias bomb')" in only.message and only.position.line == 6


# -- nothing leaks ------------------------------------------------------------------------------


def test_a_link_out_of_the_content_folder_is_not_followed(tmp_path: Path, capsys) -> None:
    secret = tmp_path / "private" / "notes.yaml"
    secret.parent.mkdir()
    secret.write_text("SECRET-MARKER root:x:0:0:root:/root:/bin/bash\n" * 50)
    folder = tmp_path / "c" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "x.yaml").symlink_to(secret)
    (folder / "inside.yaml").symlink_to(folder.parent / "own.yaml")
    (folder.parent / "own.yaml").write_text("format: nothing\n")
    assert main(["validate", str(tmp_path / "c")]) == 1
    out = capsys.readouterr()
    assert "SECRET-MARKER" not in out.out + out.err
    assert "x.yaml: error: a symbolic link to a file outside its content folder" in out.out
    assert "inside.yaml:1:9: error: unknown format 'nothing'" in out.out  # inside: followed


def test_a_file_holding_one_long_value_is_not_echoed(tmp_path: Path, capsys) -> None:
    (tmp_path / "passwd.yaml").write_text("SECRET-MARKER root:x:0:0:root:/root:/bin/bash\n" * 50)
    assert main(["validate", str(tmp_path / "passwd.yaml")]) == 1
    out = capsys.readouterr().out
    assert out.count("SECRET-MARKER") == 1, out
    assert len(out.splitlines()[0]) < len(str(tmp_path)) + 200, out


def test_a_file_name_cannot_forge_a_diagnostic_line(tmp_path: Path, capsys) -> None:
    name = "evil\nforged.yaml:1:1: error: \x1b[2Jsomething else.yaml"
    (tmp_path / name).write_text("format: nothing\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if ": error: " in line]
    assert len(lines) == 1 and "unknown format 'nothing'" in lines[0], out
    assert "\x1b" not in out and "evil\\nforged.yaml" in out


def test_titles_and_ids_reach_the_terminal_without_escape_sequences(tmp_path: Path, capsys):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    title = 'title: "\\e]0;pwned\\a\\e[2JBroken\\nexample\\u202e"'
    (scenarios / "x.yaml").write_text(VALID.replace('title: "Broken example"', title))
    assert main(["scenarios", "--content", str(tmp_path), "--content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("broken-example"))
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert line.endswith("\\x1b]0;pwned\\x07\\x1b[2JBroken\\nexample\\u202e"), line


# -- positions ----------------------------------------------------------------------------------


def test_a_line_separator_does_not_shift_the_lines_reported(tmp_path: Path) -> None:
    text = 'title: "one\u2028two\u2029three\x85four"\nid: x\nid: y\n'
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "sep.yaml")
    assert caught.value.diagnostics[0].render().startswith("sep.yaml:3:1: error: duplicate key")


@pytest.mark.parametrize("before", ["ab", "\u00e9\u00e9", "\u2028\u2029", "\U0001f600\u00e9"])
def test_a_nul_is_reported_where_it_is(before: str) -> None:
    """libyaml counts the offset of a refused character in UTF-8 bytes: after a non-ASCII
    character it named the wrong character at the wrong column."""
    text = f'format: exercise-scenario/1\nid: x\ntitle: "{before}\x00c"\n'
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "nul.yaml")
    assert caught.value.diagnostics[0].render() == (
        "nul.yaml:3:11: error: the character U+0000 is not allowed in a YAML file "
        "(control characters are not allowed); remove it"
    )


def test_a_nul_in_a_comment_after_other_scripts_is_reported_where_it_is() -> None:
    text = 'title: "Caf\u00e9 \u2014 \u0416"\n# note \x00 here\nid: x\n'
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "nul.yaml")
    assert (
        caught.value.diagnostics[0].render().startswith("nul.yaml:2:8: error: the character U+0000")
    )


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"id: x\ntitle: caf\xe9\n", "2:11: error: file is not valid UTF-8 text (byte 0xE9)"),
        (
            b"id: x\ntitle: \xc3\xa9\xc3\xa9\xff\n",
            "2:10: error: file is not valid UTF-8 text (byte 0xFF)",
        ),
        (b"\xef\xbb\xbfid: \xff\n", "1:5: error: file is not valid UTF-8 text (byte 0xFF)"),
    ],
)
def test_a_byte_that_is_not_utf8_is_reported_at_its_column(data: bytes, where: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_yaml(data, "bytes.yaml")
    assert caught.value.diagnostics[0].render().startswith(f"bytes.yaml:{where}")


def test_a_line_separator_in_a_comment_is_named_in_the_syntax_error() -> None:
    """YAML 1.1 ends a line at U+2028 even in a comment: the line an editor shows is fine,
    so the message says what YAML saw."""
    text = "id: x\n# a comment\u2028that goes on\ntitle: y\n"
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "sep.yaml")
    message = caught.value.diagnostics[0].render()
    assert message.startswith("sep.yaml:3:1: error: YAML syntax error: "), message
    assert "the U+2028 on line 2 ends a line for YAML" in message, message


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["simulate", "preview", "play", "run"])
@pytest.mark.parametrize("seed", ["99999999999999999999", "-99999999999999999999", "1e3"])
def test_a_seed_that_cannot_be_stored_is_a_usage_error(
    tmp_path: Path, capsys, command: str, seed: str
) -> None:
    """A seed beyond 64 bits was an internal OverflowError when the session row was written."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--seed", seed, "--db", str(tmp_path / "x.db")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"exercise {command}: error: argument --seed: " in err, err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("command", ["join", "evaluate"])
@pytest.mark.parametrize("seq", ["99999999999999999999", "-1", "1e3"])
def test_an_event_number_sqlite_cannot_compare_is_a_usage_error(
    tmp_path: Path, capsys, command: str, seq: str
) -> None:
    args = ["--db", str(tmp_path / "x.db"), "--code", "AAAA-BBBB-CCCC", "--from", seq]
    with pytest.raises(SystemExit) as exit_:
        main([command, *args, *(["--role", "police"] if command == "join" else [])])
    assert exit_.value.code == 2
    assert f"exercise {command}: error: argument --from: " in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (cli.UsageError, 2, "error: "),
        (UserError, 1, "error: "),
        (OverflowError, 3, "internal error: OverflowError: "),
    ],
)
def test_the_command_lines_error_messages_carry_no_control_characters(
    monkeypatch, capsys, error: type[Exception], code: int, said: str
) -> None:
    """Every message main() prints for a failed command is one line: whatever text an error
    carries (a path, a title, an exception's own words) has its control characters escaped."""

    def failing(_args: object) -> int:
        raise error("a\x1b[2Jb\nexercise scenarios: error: forged\u202e")

    monkeypatch.setattr(cli, "cmd_scenarios", failing)
    monkeypatch.delenv("EXERCISE_DEBUG", raising=False)
    assert main(["scenarios"]) == code
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert (
        first == f"exercise scenarios: {said}a\\x1b[2Jb\\nexercise scenarios: error: forged\\u202e"
    )
    assert "\x1b" not in err and "\u202e" not in err and err.count("forged") == 1, err


def test_an_argument_the_parser_refuses_is_shown_without_escape_sequences(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "x.yaml", "--\x1b[2Jx", "\x1b]0;pwned\x07"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err, err
    assert "unrecognized arguments: --\\x1b[2Jx \\x1b]0;pwned\\x07" in err, err


def test_a_scenario_id_with_a_newline_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "scenario", "abc\n"]) == 2
    assert "'abc\\n' is not a valid scenario id" in capsys.readouterr().err
    assert not (tmp_path / "scenarios").exists()
