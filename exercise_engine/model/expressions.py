"""The scenario expression language: small, typed, and safe for untrusted files.

Conditions such as ``violence >= 7 and elapsed_in_phase >= '12h'`` are parsed with Python's
``ast`` and accepted only if every node is on a whitelist: names, numbers, strings, comparisons,
``and``/``or``/``not``, arithmetic, and calls of the three query functions. The checked tree is
compiled into closures (never ``eval``), so evaluation can touch nothing but the context it is
given. Checking happens at load time, so a designer sees the error with its line, not mid-exercise.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from exercise_engine.model.durations import DurationError, parse_duration

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 8

FUNCTIONS: dict[str, tuple[int, int, str]] = {
    # name: (min args, max args, signature shown in errors)
    "delivered": (1, 2, "delivered('INJ-ID'[, 'role'])"),
    "responded": (1, 2, "responded('INJ-ID'[, 'role'])"),
    "chose": (3, 3, "chose('INJ-ID', 'role', 'OPTION')"),
    "overdue": (1, 2, "overdue('INJ-ID'[, 'role'])"),
}
TIME_NAMES = ("elapsed", "elapsed_in_phase")
STATE_NAMES = ("phase", *TIME_NAMES, "move")
RESERVED_NAMES = frozenset(
    {*STATE_NAMES, *FUNCTIONS, "true", "false", "True", "False", "any", "and", "or", "not"}
)
"""Names the language gives a meaning of its own: no scenario variable may take one."""
ANY_ROLE = "any"


class ExpressionError(ValueError):
    """An expression that may not run; ``offset`` is the 0-based column inside the expression."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


class ExpressionContext(Protocol):
    """What an expression can read: the exercise state, never anything else."""

    @property
    def phase(self) -> str: ...
    @property
    def elapsed(self) -> int: ...
    @property
    def elapsed_in_phase(self) -> int: ...
    @property
    def move(self) -> int: ...

    def variable(self, name: str) -> float: ...
    def delivered(self, inject: str, role: str | None = None) -> bool: ...
    def responded(self, inject: str, role: str | None = None) -> bool: ...
    def chose(self, inject: str, role: str, option: str) -> bool: ...
    def overdue(self, inject: str, role: str | None = None) -> bool: ...


Evaluator = Callable[[ExpressionContext], Any]


@dataclass(frozen=True)
class Reference:
    """A call of a query function, kept so cross-references can be checked after loading."""

    function: str
    inject: str
    role: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class Expression:
    source: str
    variables: frozenset[str]
    references: tuple[Reference, ...]
    phases: frozenset[str]
    time_thresholds: tuple[tuple[str, int], ...]
    state_names: frozenset[str]
    """The state names it reads (``STATE_NAMES``: phase, elapsed, elapsed_in_phase, move)."""
    _evaluate: Evaluator = field(repr=False, compare=False)

    def evaluate(self, context: ExpressionContext) -> bool:
        """Truth of the condition; a runtime fault (unknown variable, x/0) counts as false."""
        try:
            return bool(self._evaluate(context))
        except (KeyError, ZeroDivisionError, OverflowError, TypeError, ValueError):
            return False

    @property
    def uses_time(self) -> bool:
        return bool(self.time_thresholds)


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_FORBIDDEN = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "indexing ('[...]') is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.IfExp: "'x if c else y' is not allowed; use 'and'/'or'",
    ast.ListComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "mappings are not allowed",
    ast.Set: "sets are not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Await: "'await' is not allowed",
}


def syntax_tree(source: str) -> ast.Expression:
    """Python's parse of ``source``, without the ``SyntaxWarning``s it would print to the
    terminal ("invalid decimal literal"): they are not for people writing scenarios."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source.strip(), mode="eval")


@lru_cache(maxsize=8192)
def compile_expression(source: str) -> Expression:
    """Check ``source`` against the whitelist and compile it; raise ``ExpressionError``."""
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(source)} characters; the limit is {MAX_LENGTH}")
    if not source.strip():
        raise ExpressionError("expression is empty")
    try:
        tree = syntax_tree(source)
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0)
        raise ExpressionError(f"syntax error: {exc.msg}", offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is too deeply nested") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"expression has {count} parts; the limit is {MAX_NODES}")
    compiler = _Compiler()
    kind, evaluate = compiler.visit(tree.body)
    if kind != "bool":
        raise ExpressionError(
            f"a condition must be true or false, but this is a {_KIND_NAMES[kind]}; "
            "compare it, like 'violence >= 7'",
            0,
        )
    return Expression(
        source=source,
        variables=frozenset(compiler.variables),
        references=tuple(compiler.references),
        phases=frozenset(compiler.phases),
        time_thresholds=tuple(sorted(compiler.thresholds)),
        state_names=frozenset(compiler.state_names),
        _evaluate=evaluate,
    )


_KIND_NAMES = {
    "num": "number",
    "dur": "duration",
    "str": "text",
    "bool": "true/false value",
    "durlit": "duration",
}


class _Compiler:
    """Type-checks the tree (number, duration, text, truth value) and builds closures."""

    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.references: list[Reference] = []
        self.phases: set[str] = set()
        self.thresholds: set[tuple[str, int]] = set()
        self.state_names: set[str] = set()

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, getattr(node, "col_offset", 0))

    def kind_error(self, node: ast.AST, message: str, *operands: ast.AST) -> ExpressionError:
        """A type error, unless an operand is a name the language does not know that looks
        like one it does (``elapsed_in_phse``): that is a typo, said as one. Any other unknown
        name is a scenario variable, a number, and the message says so."""
        for operand in operands:
            if not isinstance(operand, ast.Name) or operand.id in STATE_NAMES:
                continue
            if operand.id not in self.variables:
                continue
            close = difflib.get_close_matches(operand.id, STATE_NAMES, n=1, cutoff=0.75)
            if close:
                return ExpressionError(
                    f"unknown name '{operand.id}'; did you mean '{close[0]}'?", operand.col_offset
                )
            message += f" ('{operand.id}' is read as a scenario variable, a number)"
        return self.fail(node, message)

    def visit(self, node: ast.AST) -> tuple[str, Evaluator]:
        for forbidden, message in _FORBIDDEN.items():
            if isinstance(node, forbidden):
                raise self.fail(node, message)
        method: Callable[[Any], tuple[str, Evaluator]] | None = getattr(
            self, "visit_" + type(node).__name__, None
        )
        if method is None:
            raise self.fail(node, f"'{type(node).__name__}' is not allowed in an expression")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> tuple[str, Evaluator]:
        value = node.value
        if isinstance(value, bool):
            return "bool", lambda _c, v=value: v
        if isinstance(value, int | float):
            if abs(value) > 1e12:
                raise self.fail(node, "number is too large")
            # Numbers are floats: arithmetic stays constant-time (no giant integers) and an
            # overflow is an error the evaluation catches, never a hang.
            return "num", lambda _c, v=float(value): v
        if isinstance(value, str):
            try:
                seconds = parse_duration(value)
            except DurationError:
                return "str", lambda _c, v=value: v
            return "durlit", lambda _c, v=seconds: v
        raise self.fail(node, f"the value {value!r} is not allowed")

    def visit_Name(self, node: ast.Name) -> tuple[str, Evaluator]:
        name = node.id
        if name.startswith("_"):
            raise self.fail(node, f"names starting with '_' are not allowed ('{name}')")
        if name in ("true", "True"):
            return "bool", lambda _c: True
        if name in ("false", "False"):
            return "bool", lambda _c: False
        if name in FUNCTIONS:
            raise self.fail(node, f"'{name}' is a function: {FUNCTIONS[name][2]}")
        if name in STATE_NAMES:
            self.state_names.add(name)
        if name == "phase":
            return "str", lambda c: c.phase
        if name == "elapsed":
            return "dur", lambda c: c.elapsed
        if name == "elapsed_in_phase":
            return "dur", lambda c: c.elapsed_in_phase
        if name == "move":
            return "num", lambda c: c.move
        self.variables.add(name)
        return "num", lambda c, n=name: c.variable(n)

    def visit_BoolOp(self, node: ast.BoolOp) -> tuple[str, Evaluator]:
        parts = [self.visit(v)[1] for v in node.values]
        if isinstance(node.op, ast.And):
            return "bool", lambda c: all(p(c) for p in parts)
        return "bool", lambda c: any(p(c) for p in parts)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> tuple[str, Evaluator]:
        kind, operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return "bool", lambda c: not operand(c)
        if kind not in ("num", "dur", "durlit"):
            raise self.fail(node, f"cannot negate a {_KIND_NAMES[kind]}")
        if isinstance(node.op, ast.USub):
            return ("dur" if kind == "durlit" else kind), lambda c: -operand(c)
        if isinstance(node.op, ast.UAdd):
            return kind, operand
        raise self.fail(node, "'~' is not allowed")

    def visit_BinOp(self, node: ast.BinOp) -> tuple[str, Evaluator]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.fail(node, "only + - * / // % and small powers are allowed")
        left_kind, left = self.visit(node.left)
        right_kind, right = self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.Pow):
                raise self.fail(node, "powers cannot be nested")
            exponent = node.right
            if not (
                isinstance(exponent, ast.Constant)
                and isinstance(exponent.value, int)
                and not isinstance(exponent.value, bool)
                and 0 <= exponent.value <= MAX_EXPONENT
            ):
                raise self.fail(
                    node,
                    f"'**' takes a whole-number exponent from 0 to "
                    f"{MAX_EXPONENT} (huge powers are refused)",
                )
        kind = self._arith_kind(node, left_kind, right_kind)
        return kind, lambda c: op(left(c), right(c))

    def _arith_kind(self, node: ast.BinOp, left: str, right: str) -> str:
        left = "dur" if left == "durlit" else left
        right = "dur" if right == "durlit" else right
        if left == right == "num":
            return "num"
        if isinstance(node.op, ast.Add | ast.Sub) and left == right == "dur":
            return "dur"
        if isinstance(node.op, ast.Mult) and {left, right} == {"dur", "num"}:
            return "dur"
        if isinstance(node.op, ast.Div | ast.FloorDiv) and (left, right) == ("dur", "num"):
            return "dur"
        raise self.kind_error(
            node,
            f"cannot combine a {_KIND_NAMES[left]} and a {_KIND_NAMES[right]} with this operator",
            node.left,
            node.right,
        )

    def visit_Compare(self, node: ast.Compare) -> tuple[str, Evaluator]:
        kinds_and_parts = [self.visit(node.left)] + [self.visit(c) for c in node.comparators]
        nodes = [node.left, *node.comparators]
        checks = []
        for i, op_node in enumerate(node.ops):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(node, "only == != < <= > >= comparisons are allowed")
            (lk, left), (rk, right) = kinds_and_parts[i], kinds_and_parts[i + 1]
            self._check_comparable(node, nodes[i], nodes[i + 1], lk, rk, op_node)
            checks.append((op, left, right))
        return "bool", lambda c: all(op(lf(c), rf(c)) for op, lf, rf in checks)

    def _check_comparable(
        self,
        node: ast.AST,
        left_node: ast.AST,
        right_node: ast.AST,
        left: str,
        right: str,
        op: ast.cmpop,
    ) -> None:
        pair = {left, right}
        if pair <= {"num"} or pair <= {"bool"}:
            return
        if pair <= {"dur", "durlit"}:
            self._note_threshold(left_node, right_node)
            return
        if "str" in pair and pair <= {"str", "durlit"}:
            if not isinstance(op, ast.Eq | ast.NotEq):
                raise self.fail(node, "text can only be compared with == or !=")
            for side, other in ((left_node, right_node), (right_node, left_node)):
                if (
                    isinstance(side, ast.Name)
                    and side.id == "phase"
                    and isinstance(other, ast.Constant)
                ):
                    self.phases.add(str(other.value))
            return
        if "dur" in pair and "num" in pair:
            raise self.kind_error(
                node,
                "compare elapsed time with a duration in quotes, like elapsed_in_phase >= '12h'",
                left_node,
                right_node,
            )
        if "str" in pair and "num" in pair:
            raise self.kind_error(
                node,
                "a number cannot be compared with text; numbers are written without quotes",
                left_node,
                right_node,
            )
        raise self.kind_error(
            node,
            f"cannot compare a {_KIND_NAMES[left]} with a {_KIND_NAMES[right]}",
            left_node,
            right_node,
        )

    def _note_threshold(self, left: ast.AST, right: ast.AST) -> None:
        """Remember instants when a time condition can change, so the clock checks exactly then:
        ``elapsed_in_phase >= '12h'`` (or ``'4h' * 3``) can only change 12 h into the phase."""
        for side, other in ((left, right), (right, left)):
            if isinstance(side, ast.Name) and side.id in TIME_NAMES:
                seconds = self._constant(other)
                if seconds is not None and not math.isfinite(seconds):
                    raise self.fail(other, "this duration is too large to compare with")
                if seconds is not None:
                    self.thresholds.add((side.id, int(seconds)))

    def _constant(self, node: ast.AST) -> float | None:
        """The value of a subtree made only of literals and arithmetic, else None."""
        if not all(
            isinstance(n, ast.Constant | ast.BinOp | ast.UnaryOp | ast.operator | ast.unaryop)
            for n in ast.walk(node)
        ):
            return None
        try:
            value = _Compiler().visit(node)[1](None)  # type: ignore[arg-type]
        except (ArithmeticError, TypeError, ValueError, ExpressionError):
            return None
        return value if isinstance(value, int | float) else None

    def visit_Call(self, node: ast.Call) -> tuple[str, Evaluator]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                node, "only delivered(), responded(), chose() and overdue() can be called"
            )
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(
                node,
                f"'{name}' is not a known function; the functions are "
                "delivered(), responded(), chose() and overdue()",
            )
        low, high, signature = FUNCTIONS[name]
        if node.keywords or not low <= len(node.args) <= high:
            raise self.fail(node, f"call it as {signature}")
        args: list[str] = []
        for arg in node.args:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise self.fail(arg, f"arguments of {name}() are ids in quotes: {signature}")
            args.append(arg.value)
        if name == "chose":
            inject, role, option = args
            self.references.append(Reference(name, inject, role, option))
            return "bool", lambda c: c.chose(inject, role, option)
        inject, maybe_role = args[0], args[1] if len(args) == 2 else None
        self.references.append(Reference(name, inject, maybe_role))
        query = name
        return "bool", lambda c: getattr(c, query)(inject, maybe_role)
