"""Hypothesis-generated operations over any GraphQL schema: random valid selections from the Query root with
aliases, named and inline fragments, type conditions on every member of an abstract type, arguments as literals or
variables, and @skip/@include with literal or variable conditions.

Every field gets a response name no other selection of the document uses (its own name the first time, an alias
after), so no two selections can conflict and every generated document validates: what differs between two
executors is then execution, never validation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLField,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    GraphQLWrappingType,
    ast_from_value,
    print_ast,
)
from hypothesis import strategies as st

from tests.differential.values import ValuePool, value_for


@dataclass(frozen=True)
class GeneratedOperation:
    text: str
    variables: dict[str, Any]
    other_variables: dict[str, Any]
    """A second set for the same document: each @skip/@include condition negated, each argument drawn anew (a plan
    cached for the document must not keep the first request's values)."""


def _named(type_: Any) -> GraphQLNamedType:
    while isinstance(type_, GraphQLWrappingType):
        type_ = type_.of_type
    named: GraphQLNamedType = type_
    return named


def _is_composite(type_: Any) -> bool:
    return isinstance(_named(type_), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)


@dataclass
class _Builder:
    draw: st.DrawFn
    schema: GraphQLSchema
    pool: ValuePool
    rng: random.Random
    rough: bool
    max_depth: int
    used_names: set[str] = field(default_factory=set)
    variables: dict[str, tuple[str, Any, Any]] = field(default_factory=dict)
    """Per variable: its type, its value in the first request and in the second."""
    fragments: list[str] = field(default_factory=list)

    def _chance(self, percent: int) -> bool:
        """True `percent` times in 100; False for hypothesis's simplest draw (0), so shrinking drops the extra."""
        return self.draw(st.integers(0, 99)) >= 100 - percent

    def _variable(self, type_: GraphQLInputType, value: Any, other_value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (str(type_), value, other_value)
        return f"${name}"

    def _argument(self, name: str, argument: GraphQLArgument) -> str:
        value = value_for(self.rng, self.pool, argument.type, name, self.rough)
        other_value = value_for(self.rng, self.pool, argument.type, name, self.rough)
        if self._chance(50):
            try:
                literal = ast_from_value(value, argument.type)
            except Exception:  # a value the type cannot serialize (an Int out of range): send it as a variable
                literal = None
            if literal is not None:
                return f"{name}: {print_ast(literal)}"
        return f"{name}: {self._variable(argument.type, value, other_value)}"

    def _directives(self) -> str:
        if not self._chance(15):
            return ""
        condition = "true" if self._chance(50) else "false"
        if self._chance(50):
            condition = self._variable(GraphQLNonNull(GraphQLBoolean), condition == "true", condition != "true")
        return f" @{'skip' if self._chance(50) else 'include'}(if: {condition})"

    def _response_name(self, name: str) -> str:
        if name not in self.used_names and not self._chance(25):
            self.used_names.add(name)
            return name
        alias = f"{name}_{len(self.used_names)}"
        self.used_names.add(alias)
        return f"{alias}: {name}"

    def _field(self, name: str, definition: GraphQLField, depth: int) -> str:
        required = [n for n, a in definition.args.items() if isinstance(a.type, GraphQLNonNull)]
        chosen = [n for n in definition.args if n in required or self._chance(30)]
        arguments = f"({', '.join(self._argument(n, definition.args[n]) for n in chosen)})" if chosen else ""
        selection = ""
        target = _named(definition.type)
        if isinstance(target, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):  # _is_composite
            selection = " " + self.selection_set(target, depth + 1)
        return f"{self._response_name(name)}{arguments}{self._directives()}{selection}"

    def _fields(self, type_: GraphQLObjectType | GraphQLInterfaceType, depth: int) -> list[str]:
        names = sorted(type_.fields)
        if depth >= self.max_depth:  # leaves only, so the selection ends here
            names = [n for n in names if not _is_composite(type_.fields[n].type)] or ["__typename"]
        picked = self.draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True)) if names else []
        return [self._field(n, type_.fields[n], depth) if n != "__typename" else "__typename" for n in picked]

    def _fragment(self, on: GraphQLNamedType, depth: int, enclosing: GraphQLNamedType) -> str:
        """A spread of a named fragment, or an inline fragment on `on` (without a type condition when `on` is the
        enclosing type)."""
        inner = self.selection_set(on, depth, fragments=False)  # type: ignore[arg-type]
        if self._chance(50):
            name = f"F{len(self.fragments)}"
            self.fragments.append(f"fragment {name} on {on.name} {inner}")
            return f"...{name}{self._directives()}"
        condition = f" on {on.name}" if on is not enclosing or not self._chance(30) else ""
        return f"...{condition}{self._directives()} {inner}"

    def selection_set(
        self, type_: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType, depth: int, fragments: bool = True
    ) -> str:
        selections: list[str] = []
        if not isinstance(type_, GraphQLUnionType):
            selections += self._fields(type_, depth)
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
            members = list(self.schema.get_possible_types(type_))
            chosen = self.draw(st.lists(st.sampled_from(members), max_size=3, unique=True)) if members else []
            selections += [self._fragment(member, depth, type_) for member in chosen]
            if self._chance(50) or not selections:
                selections.append("__typename")
        if fragments and depth < self.max_depth and self._chance(20):
            selections.append(self._fragment(type_, depth, type_))
        return "{ " + " ".join(selections) + " }"


@st.composite
def operations(draw: st.DrawFn, schema: GraphQLSchema, pool: ValuePool, max_depth: int = 4) -> GeneratedOperation:
    """A valid query over `schema`'s Query root, with its variables' values."""
    rough = draw(st.integers(0, 99)) >= 75  # a quarter of the operations carry malformed values
    builder = _Builder(draw, schema, pool, random.Random(draw(st.integers(0, 2**32))), rough, max_depth)
    assert schema.query_type is not None
    selection = builder.selection_set(schema.query_type, 1)
    definitions = ", ".join(f"${name}: {type_}" for name, (type_, _, _) in builder.variables.items())
    header = f"query Generated({definitions})" if definitions else "query Generated"
    text = "\n".join([f"{header} {selection}", *builder.fragments])
    first = {name: value for name, (_, value, _) in builder.variables.items()}
    return GeneratedOperation(text, first, {name: other for name, (_, _, other) in builder.variables.items()})
