"""Resolvers of asset reads: decode input, call a loader or service, hand rows back to the schema."""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.asset_query import AssetFilter, AssetOrder, PageRequest, StatusOverview
from assetgraph.domain.asset_record import AssetRecord
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.cursors import cursor_at, decode_cursor
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.services.assets import asset_page, count_assets, status_overview


async def asset_by_id(context: Context, database_id: int) -> AssetRecord | None:
    """The viewer's asset, or None when it is missing or another user's."""
    asset: AssetRecord | None = await context.loaders.asset_by_id.load(database_id)
    return asset


async def asset_by_global_id(context: Context, global_id: str) -> AssetRecord | None:
    """The viewer's asset, or None: malformed ids, unknown ids and other users' ids all look the same."""
    database_id = database_id_of(global_id, NodeType.ASSET)
    return await asset_by_id(context, database_id) if database_id is not None else None


@dataclass(frozen=True)
class AssetPage:
    rows: list[AssetRecord]
    has_next_page: bool
    has_previous_page: bool
    filter: AssetFilter
    user_id: int
    total: int | None = None
    """The size of the filtered set, when the selection asks for totalCount and the page statement could carry it."""

    def cursor_of(self, asset: AssetRecord) -> str:
        return cursor_at(asset.created_at, asset.id)


async def assets_page(
    context: Context,
    request_filter: AssetFilter,
    first: int | None,
    after: str | None,
    order: AssetOrder,
    *,
    with_total_count: bool = False,
    with_badges: bool = False,
) -> AssetPage:
    """A page of the viewer's assets; with `with_total_count`, the page statement counts the filtered set too, and
    with `with_badges` it derives each asset's badges (the selection shows them)."""
    viewer = context.require_viewer()
    request = PageRequest(
        # Out-of-range values never get here: the RequestGuard refuses them before execution.
        first=context.settings.limits.default_page_size if first is None else first,
        after=decode_cursor(after) if after else None,
        order=order,
        filter=request_filter,
    )
    page = await asset_page(
        context.resources.unit_of_work(), viewer.user_id, request, with_total=with_total_count, with_badges=with_badges
    )
    for row in page.records:  # the page's rows answer later node(id) / asset(id) lookups without SQL
        context.loaders.asset_by_id.prime(row.id, row)
    return AssetPage(page.records, page.has_next, after is not None, request_filter, viewer.user_id, page.total)


async def total_count(context: Context, page: AssetPage) -> int:
    if page.total is not None:
        return page.total
    return await count_assets(context.resources.unit_of_work(), page.user_id, page.filter)


async def asset_status_overview(context: Context, request_filter: AssetFilter) -> StatusOverview:
    viewer = context.require_viewer()
    return await status_overview(context.resources.unit_of_work(), viewer.user_id, request_filter)
