"""Relay connections over keyset pages."""

from __future__ import annotations

import strawberry

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
