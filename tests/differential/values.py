"""Values for an operation's variables, drawn from a pool of plausible ones: the viewer's ids, another user's,
malformed ids, null, enum members, small and out-of-range numbers.

Draws are made with a `random.Random` seeded from the operation's text, so every run sends the same values. The
name of a variable or input field steers the pool (`accountId` draws account ids, `providerId` provider ids), as a
client would fill them; input objects get their required fields and, by chance, some optional ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    type_from_ast,
)


class _FilePart:
    """Stands where an `Upload` goes: the request is then sent as a multipart request with a file part there."""

    def __repr__(self) -> str:
        return "FILE"


FILE = _FilePart()


def file_paths(value: Any, path: str = "variables") -> list[str]:
    """Where FILE stands in `value`, as the multipart request spec's map names it (`variables.input.file`)."""
    if value is FILE:
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in file_paths(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in file_paths(item, f"{path}.{index}")]
    return []


def without_files(value: Any) -> Any:
    """`value` with each FILE replaced by null, as the multipart spec's `operations` part carries it."""
    if value is FILE:
        return None
    if isinstance(value, dict):
        return {key: without_files(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_files(item) for item in value]
    return value


@dataclass
class ValuePool:
    """The ids and strings the seed made, by kind; `ids["asset"]` are the viewer's assets' global ids."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    foreign_ids: list[str] = field(default_factory=list)
    """Another user's objects: they must read as missing."""
    sha256s: list[str] = field(default_factory=list)
    malformed_ids: tuple[str, ...] = ("", "nope", "QXNzZXQ6OTk5OTk5OQ==", "VXNlcjox", "Asset:1")

    def id_for(self, rng: random.Random, hint: str, rough: bool) -> str:
        roll = rng.random() if rough else 1.0
        if roll < 0.1:
            return rng.choice(self.malformed_ids)
        if roll < 0.2 and self.foreign_ids:
            return rng.choice(self.foreign_ids)
        lowered = hint.lower()
        for kind in sorted(self.ids, key=len, reverse=True):
            if kind in lowered and self.ids[kind]:
                return rng.choice(self.ids[kind])
        return rng.choice([value for values in self.ids.values() for value in values])


_PROVIDERS = ("pixverse", "sora", "runway", "local", "nope", "")
_TEXTS = ("a", "scene", "  spaced  ", "", "x" * 120)
_INTS = (0, 1, 2, 3, 5, -1, 20, 600, 2**31)
_SMALL_INTS = (1, 2, 3, 0, -1, 501)
_FLOATS = (0.0, 1.5, 12.25, 59.0, -1.0, 1e9)
_JSON: tuple[object, ...] = ({"a": 1}, {"jwt": "sandbox-jwt"}, {"api_key": "sandbox-key"}, [1, "two"], "text", 3, {})
_TIMES = ("2026-01-02T03:04:05+00:00", "2000-01-01T00:00:00Z", "not a time")


def _string(rng: random.Random, pool: ValuePool, hint: str, rough: bool) -> str:
    lowered = hint.lower()
    if "provider" in lowered:
        return rng.choice(_PROVIDERS if rough else _PROVIDERS[:4])
    if "sha256" in lowered:
        return rng.choice([*pool.sha256s, "ab" * 32, "nothex", "AB" * 32])
    if "url" in lowered:
        return rng.choice(("http://127.0.0.1:9/x.png", "ftp://example.test/x", "nope"))
    if lowered in ("after", "cursor"):
        return rng.choice(("bm9wZQ==", "garbage", ""))
    return rng.choice(_TEXTS if rough else _TEXTS[:2])


def _scalar(rng: random.Random, pool: ValuePool, scalar: GraphQLScalarType, hint: str, rough: bool) -> Any:
    name = scalar.name
    if name == "ID":
        return pool.id_for(rng, hint, rough)
    if name == "String":
        return _string(rng, pool, hint, rough)
    if name == "Int":
        small = any(word in hint.lower() for word in ("first", "limit", "last", "size", "depth", "distance"))
        choices = _SMALL_INTS if small else _INTS
        return rng.choice(choices if rough else choices[:4])
    if name == "BigInt":
        return rng.choice((0, 7, 2**40, -3))
    if name == "Float":
        return rng.choice(_FLOATS)
    if name == "Boolean":
        return rng.random() < 0.5
    if name == "DateTime":
        return rng.choice(_TIMES)
    if name == "JSON":
        return rng.choice(_JSON)
    if name == "Upload":
        return FILE
    return rng.choice(("x", 1, None))


def value_for(
    rng: random.Random, pool: ValuePool, type_: GraphQLInputType, hint: str, rough: bool, depth: int = 0
) -> Any:
    """A value for `type_`: a fitting one, or with `rough` now and then null or a wrong one, as clients send them."""
    if isinstance(type_, GraphQLNonNull):
        return value_for(rng, pool, type_.of_type, hint, rough, depth)
    if rough and rng.random() < 0.05:
        return None
    if isinstance(type_, GraphQLList):
        count = rng.choice((0, 1, 1, 2, 3) if rough else (1, 1, 2))
        return [value_for(rng, pool, type_.of_type, hint, rough, depth + 1) for _ in range(count)]
    if isinstance(type_, GraphQLEnumType):
        return rng.choice([*type_.values, *(["NOT_A_MEMBER"] if rough and rng.random() < 0.05 else [])])
    if isinstance(type_, GraphQLInputObjectType):
        result: dict[str, Any] = {}
        for name, input_field in type_.fields.items():
            required = isinstance(input_field.type, GraphQLNonNull) and input_field.default_value is Undefined
            if required or (depth < 3 and rng.random() < 0.4):
                result[name] = value_for(rng, pool, input_field.type, name, rough, depth + 1)
        return result
    assert isinstance(type_, GraphQLScalarType)
    return _scalar(rng, pool, type_, hint, rough)


def variables_for(
    rng: random.Random, pool: ValuePool, schema: GraphQLSchema, operation: OperationDefinitionNode, rough: bool
) -> dict[str, Any]:
    """Values for the operation's variables; an optional one is left out now and then (its default applies).
    Without `rough`, every value fits its place (the viewer's ids, sane numbers), so the operation gets through
    to its resolvers; with it, nulls, malformed and foreign ids and out-of-range numbers turn up."""
    variables: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        type_ = type_from_ast(schema, definition.type)
        assert type_ is not None
        name = definition.variable.name.value
        if not isinstance(type_, GraphQLNonNull) and rng.random() < 0.25:
            continue
        variables[name] = value_for(rng, pool, type_, name, rough)  # type: ignore[arg-type]
    return variables
