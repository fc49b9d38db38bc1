"""Relay connections over keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from assetgraph.resolvers.assets import AssetPage, total_count
from assetgraph.resolvers.context import Context
from assetgraph.schema.asset import Asset


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


_BADGE_FIELDS = frozenset({"providerStates", "providerFlagReason", "lastUploadStatusByProvider"})
"""The Asset fields read from the badges (AssetRecord.badges())."""


def connection_needs(info: strawberry.Info[Context, None]) -> ConnectionNeeds:
    total_count = badges = False
    for connection in info.selected_fields:
        for field in _fields(connection.selections):
            if field.name == "totalCount":
                total_count = True
            elif field.name == "nodes":
                badges = badges or _asks_for_badges(field.selections)
            elif field.name == "edges":
                nodes = (node for node in _fields(field.selections) if node.name == "node")
                badges = badges or any(_asks_for_badges(node.selections) for node in nodes)
    return ConnectionNeeds(total_count, badges)


def _asks_for_badges(selections: Iterable[Selection]) -> bool:
    return any(field.name in _BADGE_FIELDS for field in _fields(selections))


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The included fields of `selections`, those of its fragments included."""
    for selection in selections:
        if not _included(selection):
            continue
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def _included(selection: Selection) -> bool:
    skip, include = selection.directives.get("skip"), selection.directives.get("include")
    return not (skip is not None and skip.get("if") is True) and not (
        include is not None and include.get("if") is False
    )
