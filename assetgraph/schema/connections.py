"""Relay connections over keyset pages."""

from __future__ import annotations

from collections.abc import Iterable

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


def selects_total_count(info: strawberry.Info[Context, None]) -> bool:
    """Whether the connection field being resolved asks for totalCount (directly or in a fragment, @skip and
    @include applied): the gallery resolver then has the page statement count the filtered set too."""
    return any(_asks_for("totalCount", field.selections) for field in info.selected_fields)


def _asks_for(name: str, selections: Iterable[Selection]) -> bool:
    for selection in selections:
        if not _included(selection):
            continue
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        elif isinstance(selection, FragmentSpread | InlineFragment) and _asks_for(name, selection.selections):
            return True
    return False


def _included(selection: Selection) -> bool:
    skip, include = selection.directives.get("skip"), selection.directives.get("include")
    return not (skip is not None and skip.get("if") is True) and not (
        include is not None and include.get("if") is False
    )
