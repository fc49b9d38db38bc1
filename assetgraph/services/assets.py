"""Reading the caller's gallery. Each read is one statement, so it runs autocommitted (no BEGIN/ROLLBACK)."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.asset_query import AssetFilter, PageRequest, PageRows, StatusOverview
from assetgraph.domain.asset_record import AssetRecord
from assetgraph.persistence.unit_of_work import UnitOfWork


async def assets_by_ids(uow: UnitOfWork, user_id: int, ids: Sequence[int]) -> dict[int, AssetRecord]:
    async with uow.autocommitted() as reads:
        return await reads.assets.by_ids(user_id, ids)


async def asset_page(
    uow: UnitOfWork, user_id: int, request: PageRequest, *, with_total: bool = False, with_badges: bool = False
) -> PageRows:
    async with uow.autocommitted() as reads:
        return await reads.assets.page(user_id, request, with_total=with_total, with_badges=with_badges)


async def count_assets(uow: UnitOfWork, user_id: int, asset_filter: AssetFilter) -> int:
    async with uow.autocommitted() as reads:
        return await reads.assets.count(user_id, asset_filter)


async def status_overview(uow: UnitOfWork, user_id: int, asset_filter: AssetFilter) -> StatusOverview:
    async with uow.autocommitted() as reads:
        return await reads.assets.status_overview(user_id, asset_filter)
