"""The code keeps the shape DESIGN.md gives it, checked on every test run:

- mypy: strict for engine/, model/, scoring/ and live/, mypy's default checks for the rest
  (``[tool.mypy]`` in pyproject.toml);
- import-linter: the layers (``[tool.importlinter]``), the consoles speaking no SQL among them;
- no ``exec``/``eval`` and no pydantic private attributes anywhere in the package.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "exercise_engine"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
STRICT = ("engine", "model", "scoring", "live")


def test_types_check() -> None:
    """One mypy run over the package (about 15 s on a fresh clone, under a second once its
    cache in .mypy_cache is warm)."""
    mypy = pytest.importorskip(
        "mypy.api", reason="mypy is in the test extra: pip install -e '.[test]'"
    )
    stdout, stderr, status = mypy.run(["--cache-dir", str(ROOT / ".mypy_cache")])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    strict = [e for e in errors if e.startswith(tuple(f"exercise_engine/{p}/" for p in STRICT))]
    assert status == 0, (
        f"mypy found {len(errors)} type error(s) ({len(strict)} in the strict packages "
        f"{', '.join(p + '/' for p in STRICT)}).\n"
        "Fix them (do not silence them with 'type: ignore' unless a library's stubs are wrong;\n"
        "then give the error code and say why on the line). Run it yourself with:\n"
        "    .venv/bin/python -m mypy\n"
        "The strict packages need every function annotated (parameters and return), no\n"
        "bare generics (dict -> dict[str, int]), no implicit re-exports (import a name from\n"
        "the module that defines it), and no Any returned where a type is declared.\n\n"
        + stdout
        + stderr
    )


def test_the_strict_packages_are_the_ones_named() -> None:
    overrides = PYPROJECT["tool"]["mypy"]["overrides"]
    strict = next(o for o in overrides if o.get("disallow_untyped_defs"))
    assert strict["module"] == [f"exercise_engine.{p}.*" for p in STRICT]


# -- layers ---------------------------------------------------------------------------------


def _exists(module: str) -> bool:
    if not module.startswith("exercise_engine."):
        return True  # a library (sqlite3, textual): import-linter knows it or finds no import
    path = ROOT / module.replace(".", "/")
    return path.is_dir() or path.with_suffix(".py").exists()


def _present(config: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The contracts as written, less the packages not written yet (``tui``, ``live``), which
    import-linter would refuse to know; a contract about them applies as soon as they exist."""
    contracts, waiting = [], []
    for contract in config["contracts"]:
        sources = [m for m in contract["source_modules"] if _exists(m)]
        if not sources:
            waiting.append(contract["name"])
            continue
        forbidden = [m for m in contract["forbidden_modules"] if _exists(m)]
        ignored = [
            rule
            for rule in contract.get("ignore_imports", [])
            if all(_exists(side.strip().removesuffix(".*")) for side in rule.split("->"))
        ]
        contracts.append(
            {
                **contract,
                "source_modules": sources,
                "forbidden_modules": forbidden,
                "ignore_imports": ignored,
            }
        )
    return {**config, "contracts": contracts}, waiting


def _toml(config: dict[str, Any]) -> str:
    """``[tool.importlinter]`` as TOML text (strings, booleans and lists of strings only)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {value(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{k} = {value(v)}" for k, v in contract.items()]
    return "\n".join(lines) + "\n"


def _lint(config: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    """import-linter run on ``config`` (written to ``folder``), without its cache."""
    path = folder / "importlinter.toml"
    path.write_text(_toml(config), encoding="utf-8")
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.fail("import-linter is in the test extra: pip install -e '.[test]'")
    return subprocess.run(
        [str(lint), str(path), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_the_layers_hold(tmp_path: Path) -> None:
    config, waiting = _present(PYPROJECT["tool"]["importlinter"])
    result = _lint(config, tmp_path)
    assert result.returncode == 0, (
        "An import breaks the layers in pyproject.toml's [tool.importlinter] (DESIGN.md):\n"
        "move the code to the layer that may do it, or pass the value in from above.\n"
        f"Not yet applicable (package not written): {waiting}\n\n" + result.stdout + result.stderr
    )
    kept = result.stdout.count(" KEPT")
    assert kept == len(config["contracts"]), result.stdout


def test_the_console_contract_is_declared() -> None:
    """It waits for exercise_engine.tui to exist, and applies from its first commit."""
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    consoles = [c for c in contracts if c["source_modules"] == ["exercise_engine.tui"]]
    assert consoles and {"sqlite3", "sqlite_utils", "exercise_engine.store"} <= set(
        consoles[0]["forbidden_modules"]
    )


def test_a_broken_layer_is_caught(tmp_path: Path) -> None:
    """Guard against a check that cannot fail: the store imports sqlite3, so a contract that
    forbids it must be broken."""
    config = {
        "root_package": "exercise_engine",
        "include_external_packages": True,
        "contracts": [
            {
                "name": "store without SQL",
                "type": "forbidden",
                "source_modules": ["exercise_engine.store"],
                "forbidden_modules": ["sqlite3"],
            }
        ],
    }
    result = _lint(config, tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout


# -- no code built from strings, no pydantic internals ----------------------------------------

PRIVATE_PYDANTIC = re.compile(r"__pydantic_\w+")


def offences(path: Path, root: Path = ROOT) -> list[str]:
    """Calls of exec/eval/compile and pydantic private attributes in one source file."""
    found = []
    where = path.relative_to(root)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("exec", "eval", "compile")
        ):
            found.append(f"{where}:{node.lineno}: {node.func.id}()")
        if isinstance(node, ast.Attribute) and PRIVATE_PYDANTIC.fullmatch(node.attr):
            found.append(f"{where}:{node.lineno}: .{node.attr}")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and PRIVATE_PYDANTIC.search(node.value)
        ):
            found.append(f"{where}:{node.lineno}: '{node.value}'")
    return found


def test_no_exec_eval_or_pydantic_private_attributes() -> None:
    found = [o for path in sorted(PACKAGE.rglob("*.py")) for o in offences(path)]
    assert not found, "code built from strings or pydantic internals:\n" + "\n".join(found)


def test_the_grep_sees_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "exec('x = 1')\nvalue = eval('1')\nslot = model.__pydantic_fields_set__\n"
        "name = vars(BaseModel)['__pydantic_extra__']\n",
        encoding="utf-8",
    )
    found = offences(sample, tmp_path)
    assert [f.split(": ", 1)[1] for f in found] == [
        "exec()",
        "eval()",
        ".__pydantic_fields_set__",
        "'__pydantic_extra__'",
    ]
