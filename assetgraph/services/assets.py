"""Reading the caller's gallery."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.asset_query import AssetFilter, PageRequest
from assetgraph.domain.provider_status import ProviderStatus
from assetgraph.persistence.asset_record import AssetRecord
from assetgraph.persistence.database import Database
from assetgraph.persistence.repositories.assets import AssetRepository


async def assets_by_ids(db: Database, user_id: int, ids: Sequence[int]) -> dict[int, AssetRecord]:
    async with db.engine.connect() as connection:
        return await AssetRepository(connection).by_ids(user_id, ids)


async def asset_page(db: Database, user_id: int, request: PageRequest) -> tuple[list[AssetRecord], bool]:
    async with db.engine.connect() as connection:
        return await AssetRepository(connection).page(user_id, request)


async def count_assets(db: Database, user_id: int, asset_filter: AssetFilter) -> int:
    async with db.engine.connect() as connection:
        return await AssetRepository(connection).count(user_id, asset_filter)


async def status_overview(db: Database, user_id: int, asset_filter: AssetFilter) -> dict[ProviderStatus, int]:
    async with db.engine.connect() as connection:
        return await AssetRepository(connection).status_counts(user_id, asset_filter)
