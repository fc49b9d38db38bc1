"""Reading the caller's gallery."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.asset_query import AssetFilter, PageRequest
from assetgraph.domain.provider_status import ProviderStatus
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from assetgraph.persistence.repositories.assets import AssetRepository


async def assets_by_ids(db: Database, user_id: int, ids: Sequence[int]) -> dict[int, Asset]:
    async with db.sessions() as session:
        return await AssetRepository(session).by_ids(user_id, ids)


async def asset_page(db: Database, user_id: int, request: PageRequest) -> tuple[list[Asset], bool]:
    async with db.sessions() as session:
        return await AssetRepository(session).page(user_id, request)


async def count_assets(db: Database, user_id: int, asset_filter: AssetFilter) -> int:
    async with db.sessions() as session:
        return await AssetRepository(session).count(user_id, asset_filter)


async def status_overview(db: Database, user_id: int, asset_filter: AssetFilter) -> dict[ProviderStatus, int]:
    async with db.sessions() as session:
        return await AssetRepository(session).status_counts(user_id, asset_filter)
