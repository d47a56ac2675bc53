"""Stored bundles read back without validating them again: the trusted path of ``Bundle``.

A session stores its bundle as the JSON of models that were validated when it was created.
Validating that JSON again costs a report of a 20,000-inject scenario a fifth of a second, for
nothing that can have changed. The builders here make the same models from the stored data
directly: one function per model class, generated once from the class's fields (as dataclasses
and pydantic generate theirs), that puts each field's value in place, builds nested models the
same way, makes the integers of float fields floats as strict validation does, and sets
pydantic's own attributes as validation does, ``model_post_init`` included. For what
``Bundle.to_json`` wrote, the result is exactly the validated one: equal, with the same field
order, types, fields set and private state (tests/unit/test_stored_bundle.py); the instances of
a class share one fields-set object, which frozen models never change.

The builders trust values and check shapes: a missing or extra key, a container or a number of
another type, or a value that a before-validator would still convert (a duration written as
text) raises ``Untrusted``, and ``Bundle.from_json`` validates as before. A model class that is
not strict and frozen, that rewrites strings, that has validators other than after-validators
(which only check, in this package), or a field of a kind not handled here, is never built here.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, StringConstraints

Build = Callable[[Any], Any]
Expression = Callable[[str], str]
"""Given the source of an expression for a stored value, the source of the model value."""


class Untrusted(Exception):
    """The data is not what ``to_json`` writes: validate it instead."""


_builders: dict[type[BaseModel], Build] = {}


def build(cls: type[BaseModel], data: Any) -> Any:
    """An instance of ``cls`` from stored data; raises ``Untrusted`` when it must be validated."""
    try:
        return _builder(cls)(data)
    except (KeyError, TypeError, AttributeError) as exc:  # a missing key, a wrong container
        raise Untrusted(str(exc)) from None


def _builder(cls: type[BaseModel]) -> Build:
    found = _builders.get(cls)
    if found is None:
        _builders[cls] = lambda v: _builders[cls](v)  # for a model that contains itself
        found = _builders[cls] = _compile(cls)
    return found


def _refuse(value: Any) -> Any:
    raise Untrusted(f"unexpected {type(value).__name__}")


def _float(value: Any) -> float:
    """Strict validation's float for what is not a float already: an int (not a bool)."""
    if type(value) is int:
        return float(value)
    raise Untrusted(f"expected a number, got {type(value).__name__}")


class _Compiler:
    """The source of one model class's builder, and the names it uses."""

    def __init__(self) -> None:
        self.scope: dict[str, Any] = {"_refuse": _refuse, "_float": _float, "_new": object.__new__}
        self.names = (f"_t{i}" for i in itertools.count())

    def bind(self, value: Any) -> str:
        name = next(self.names)
        self.scope[name] = value
        return name

    def exactly(self, kind: type) -> Expression:
        """The value, which must be of type ``kind``."""
        kind_name = self.bind(kind)

        def expression(source: str) -> str:
            t = next(self.names)
            return f"({t} if type({t} := {source}) is {kind_name} else _refuse({t}))"

        return expression

    def each(self, kind: type, then: Callable[[str], str]) -> Expression:
        """A container of type ``kind``, through ``then`` (a comprehension over it: no
        assignment expression may stand in a comprehension's iterable, hence a call)."""
        check = self.bind(_checker(kind))
        return lambda source: then(f"{check}({source})")

    def converter(self, annotation: Any, metadata: list[Any], converts: bool) -> Expression | None:
        """How a field's stored value becomes its model value; None for a kind not handled.

        ``converts``: a before-validator accepts more than the stored type, so check the type.
        """
        while typing.get_origin(annotation) is Annotated:
            metadata = [*metadata, *annotation.__metadata__]
            annotation = annotation.__origin__
        if any(_rewrites(m) for m in metadata):
            return None
        converts = converts or any(isinstance(m, BeforeValidator) for m in metadata)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (Union, types.UnionType):
            return self.union([a for a in args if a is not type(None)], converts)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            builder = self.bind(_builder(annotation))
            return lambda source: f"{builder}({source})"
        if annotation is float:
            float_name = self.bind(float)

            def number(source: str) -> str:
                t = next(self.names)
                return f"({t} if type({t} := {source}) is {float_name} else _float({t}))"

            return number
        if annotation in (int, str, bool) or origin is Literal:
            return self.exactly(annotation) if converts and origin is not Literal else _same
        if origin is list:
            item = self.converter(args[0], [], False)
            if item is None:
                return None
            if item is _same:
                return self.exactly(list)
            x = next(self.names)
            return self.each(list, lambda s: f"[{item(x)} for {x} in {s}]")
        if origin is dict:
            item = self.converter(args[1], [], False)
            if item is None:
                return None
            if item is _same:
                return self.exactly(dict)
            k, x = next(self.names), next(self.names)
            return self.each(dict, lambda s: f"{{{k}: {item(x)} for {k}, {x} in {s}.items()}}")
        return None

    def union(self, options: list[Any], converts: bool) -> Expression | None:
        if len(options) == 1:  # X | None
            inner = self.converter(options[0], [], converts)
            if inner is None:
                return None

            def optional(source: str) -> str:
                t = next(self.names)
                return f"(None if ({t} := {source}) is None else {inner(t)})"

            return optional
        # several kinds (``list[str] | Literal["all"]``): plain values only, kept as they are
        return _same if not converts and all(map(_plain, options)) else None


def _rewrites(constraint: Any) -> bool:
    """String constraints that change the value (strip, upper or lower case)."""
    return isinstance(constraint, StringConstraints) and bool(
        constraint.strip_whitespace or constraint.to_upper or constraint.to_lower
    )


def _checker(kind: type) -> Build:
    def check(value: Any) -> Any:
        return value if type(value) is kind else _refuse(value)

    return check


def _same(source: str) -> str:
    return source


def _plain(annotation: Any) -> bool:
    """Strings, integers, booleans, literals, or lists of them: values validation keeps."""
    while typing.get_origin(annotation) is Annotated:
        if any(isinstance(m, BeforeValidator) for m in annotation.__metadata__):
            return False
        annotation = annotation.__origin__
    if annotation in (str, int, bool) or typing.get_origin(annotation) is Literal:
        return True
    return typing.get_origin(annotation) is list and _plain(typing.get_args(annotation)[0])


_SLOTS = {
    f"_set_{name}": vars(BaseModel)[slot].__set__  # BaseModel's own slots, set directly
    for name, slot in (
        ("dict", "__dict__"),
        ("fields_set", "__pydantic_fields_set__"),
        ("extra", "__pydantic_extra__"),
        ("private", "__pydantic_private__"),
    )
}


def _compile(cls: type[BaseModel]) -> Build:
    config, decorators = cls.model_config, cls.__pydantic_decorators__
    if not (config.get("strict") and config.get("frozen")) or any(
        config.get(option) for option in ("str_strip_whitespace", "str_to_lower", "str_to_upper")
    ):
        return _refuse  # lax models convert values, other models may change their fields set
    if decorators.root_validators or decorators.validators or decorators.field_serializers:
        return _refuse
    if any(d.info.mode != "after" for d in decorators.model_validators.values()):
        return _refuse
    before = {
        name
        for d in decorators.field_validators.values()
        if d.info.mode != "after"
        for name in d.info.fields
    }
    compiler = _Compiler()
    values = []
    for name, field in cls.model_fields.items():
        convert = compiler.converter(field.annotation, field.metadata, name in before)
        if convert is None:
            return _refuse
        values.append(f"{name!r}: {convert(f'v[{field.alias or name!r}]')}")
    scope = compiler.scope
    # Every stored field is set, so every instance has the same fields set: one set per class,
    # as frozen models never change it (pydantic's copies copy it first). A set per instance
    # costs a 20,000-inject bundle 25 MB.
    scope.update(_cls=cls, _names=set(cls.model_fields), _dict=dict, **_SLOTS)
    post_init = "    o.model_post_init(None)\n" if cls.__pydantic_post_init__ else ""
    source = (
        "def build(v):\n"
        f"    if type(v) is not _dict or len(v) != {len(values)}:\n"
        "        _refuse(v)\n"
        f"    d = {{{', '.join(values)}}}\n"
        "    o = _new(_cls)\n"
        "    _set_dict(o, d)\n"
        "    _set_fields_set(o, _names)\n"
        "    _set_extra(o, None)\n"
        "    _set_private(o, None)\n"
        f"{post_init}"
        "    return o\n"
    )
    exec(source, scope)
    return scope["build"]
