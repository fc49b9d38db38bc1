"""Relay connections over keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionNode,
    VariableNode,
)
from strawberry.utils.str_converters import to_camel_case

from assetgraph.resolvers.assets import AssetPage, total_count
from assetgraph.resolvers.context import Context
from assetgraph.schema.asset import READ_FROM_BADGES, Asset


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class AssetEdge:
    cursor: str
    node: Asset


@strawberry.type(description="A keyset-paginated page of the viewer's assets.")
class AssetConnection:
    page: strawberry.Private[AssetPage]
    _assets: strawberry.Private[list[Asset] | None] = None

    def assets(self) -> list[Asset]:
        """Each row converted once, whether the query asks for edges, nodes or both."""
        if self._assets is None:
            self._assets = [Asset.from_row(row) for row in self.page.rows]
        return self._assets

    @strawberry.field
    def edges(self) -> list[AssetEdge]:
        return [
            AssetEdge(cursor=self.page.cursor_of(row), node=asset)
            for row, asset in zip(self.page.rows, self.assets(), strict=True)
        ]

    @strawberry.field
    def nodes(self) -> list[Asset]:
        return self.assets()

    @strawberry.field
    def page_info(self) -> PageInfo:
        rows = self.page.rows
        return PageInfo(
            has_next_page=self.page.has_next_page,
            has_previous_page=self.page.has_previous_page,
            start_cursor=self.page.cursor_of(rows[0]) if rows else None,
            end_cursor=self.page.cursor_of(rows[-1]) if rows else None,
        )

    @strawberry.field(description="Assets matching the filter across all pages (one COUNT query).")
    async def total_count(self, info: strawberry.Info[Context, None]) -> int:
        return await total_count(info.context, self.page)


@dataclass(frozen=True, slots=True)
class ConnectionNeeds:
    """What the selection of an `assets` connection asks for beyond the page's columns (@skip and @include applied,
    fragments included): the gallery resolver reads these with the page statement itself."""

    total_count: bool
    badges: bool


_BADGE_FIELDS = frozenset(map(to_camel_case, READ_FROM_BADGES))
"""The GraphQL names of the Asset fields read from the badges."""


def connection_needs(info: strawberry.Info[Context, None]) -> ConnectionNeeds:
    """Read from the field's AST (graphql-core's, through Strawberry's `_raw_info`): Strawberry's `selected_fields`
    would first convert the whole selection, arguments included, into its own objects on every request."""
    raw = info._raw_info
    total_count = badges = False
    for field in _subfields(raw, raw.field_nodes):
        name = field.name.value
        if name == "totalCount":
            total_count = True
        elif name == "nodes":
            badges = badges or _asks_for_badges(raw, [field])
        elif name == "edges":
            nodes = [node for node in _subfields(raw, [field]) if node.name.value == "node"]
            badges = badges or _asks_for_badges(raw, nodes)
    return ConnectionNeeds(total_count, badges)


def _asks_for_badges(raw: GraphQLResolveInfo[Any], fields: list[FieldNode]) -> bool:
    return any(field.name.value in _BADGE_FIELDS for field in _subfields(raw, fields))


def _subfields(raw: GraphQLResolveInfo[Any], fields: Iterable[FieldNode]) -> Iterator[FieldNode]:
    """The fields selected under `fields`, @skip and @include applied, those of their fragments included."""
    for field in fields:
        if field.selection_set is not None:
            yield from _selected(raw, field.selection_set.selections)


def _selected(raw: GraphQLResolveInfo[Any], selections: Iterable[SelectionNode]) -> Iterator[FieldNode]:
    for selection in selections:
        if not _included(raw, selection):
            continue
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _selected(raw, selection.selection_set.selections)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _selected(raw, fragment.selection_set.selections)


def _included(raw: GraphQLResolveInfo[Any], selection: SelectionNode) -> bool:
    """@skip and @include, as graphql-core's field collection applies them (validation has checked their `if`)."""
    for directive in selection.directives or ():
        name = directive.name.value
        if name in ("skip", "include") and _condition(directive, raw.variable_values) is (name == "skip"):
            return False
    return True


def _condition(directive: DirectiveNode, variables: Any) -> object:
    """The value of the directive's `if`: a literal, or the variable's coerced value (resolve infos carry the coerced
    values as a dict; graphql-core's own VariableValues holds them in `coerced`)."""
    for argument in directive.arguments or ():
        if argument.name.value == "if":
            value = argument.value
            if isinstance(value, BooleanValueNode):
                return value.value
            if isinstance(value, VariableNode):
                coerced = getattr(variables, "coerced", variables)
                return coerced.get(value.name.value) if coerced is not None else None
    return None
