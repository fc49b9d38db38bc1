"""Resolvers of asset reads: decode input, call a loader or service, hand rows back to the schema."""

from __future__ import annotations

import asyncio
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
    counting: asyncio.Task[int] | None = None
    """The COUNT of the filtered set, started beside the page query when the selection asks for totalCount."""

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
) -> AssetPage:
    """A page of the viewer's assets; with `with_total_count`, the count runs meanwhile on a connection of its own
    (the two queries cost the same time as the slower one instead of their sum)."""
    viewer = context.require_viewer()
    request = PageRequest(
        # Out-of-range values never get here: the RequestGuard refuses them before execution.
        first=context.settings.limits.default_page_size if first is None else first,
        after=decode_cursor(after) if after else None,
        order=order,
        filter=request_filter,
    )
    counting = _start_count(context, viewer.user_id, request_filter) if with_total_count else None
    try:
        rows, has_next = await asset_page(context.resources.unit_of_work(), viewer.user_id, request)
    except BaseException:
        if counting is not None:
            counting.cancel()
        raise
    for row in rows:  # the page's rows answer later node(id) / asset(id) lookups without SQL
        context.loaders.asset_by_id.prime(row.id, row)
    return AssetPage(rows, has_next, after is not None, request_filter, viewer.user_id, counting)


def _start_count(context: Context, user_id: int, request_filter: AssetFilter) -> asyncio.Task[int]:
    counting = asyncio.create_task(count_assets(context.resources.unit_of_work(), user_id, request_filter))
    # Retrieved here too, so that a count nobody awaited (its field nulled by a sibling's error) logs nothing.
    counting.add_done_callback(lambda task: task.cancelled() or task.exception())
    return counting


async def total_count(context: Context, page: AssetPage) -> int:
    if page.counting is not None:
        return await page.counting
    return await count_assets(context.resources.unit_of_work(), page.user_id, page.filter)


async def asset_status_overview(context: Context, request_filter: AssetFilter) -> StatusOverview:
    viewer = context.require_viewer()
    return await status_overview(context.resources.unit_of_work(), viewer.user_id, request_filter)
