"""Assets a library sync imports, by (user, provider, provider_asset_id): the unique key makes imports race-safe."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.synced_asset import SyncedAsset
from assetgraph.persistence.models import Asset

# Stamped by the database's clock, like every other moderation entry (see asset_writes.py).
_FLAG_MANY = text(
    """
    UPDATE assets
    SET media_metadata = assetgraph_set_moderation(
        assets.media_metadata, :provider_id,
        flags.moderation || jsonb_build_object(
            'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'))
    )
    FROM (SELECT unnest(CAST(:ids AS bigint[])) AS id, unnest(CAST(:moderations AS jsonb[])) AS moderation) AS flags
    WHERE assets.id = flags.id
    """
)


class SyncedAssetRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def existing(self, user_id: int, provider_id: str, provider_asset_ids: Sequence[str]) -> dict[str, int]:
        """Which of the provider's ids the user already has an asset for, in one statement: id -> asset id."""
        if not provider_asset_ids:
            return {}
        statement = select(Asset.provider_asset_id, Asset.id).where(
            Asset.user_id == user_id,
            Asset.provider_id == provider_id,
            Asset.provider_asset_id.in_(sorted(set(provider_asset_ids))),
        )
        return {str(pid): asset_id for pid, asset_id in await self._connection.execute(statement)}

    async def insert_missing(self, assets: Sequence[SyncedAsset]) -> dict[str, int]:
        """Insert the assets in one statement, skipping any the user already has (same provider and id, whoever
        inserted it, concurrent runs included); returns the ones this call created: provider id -> asset id."""
        if not assets:
            return {}
        rows: list[dict[str, Any]] = [
            {
                "user_id": a.user_id,
                "media_type": a.media_type.value,
                "provider_id": a.provider_id,
                "provider_asset_id": a.provider_asset_id,
                "provider_account_id": a.provider_account_id,
                "remote_url": a.remote_url,
                "thumbnail_url": a.thumbnail_url,
                "media_metadata": a.media_metadata,
                "upload_method": a.upload_method.value,
                "created_at": a.created_at if a.created_at is not None else func.now(),
            }
            for a in assets
        ]
        statement = (
            pg_insert(Asset)
            .values(rows)
            .on_conflict_do_nothing(
                index_elements=["user_id", "provider_id", "provider_asset_id"],
                index_where=text("provider_asset_id IS NOT NULL"),
            )
            .returning(Asset.provider_asset_id, Asset.id)
        )
        return {str(pid): asset_id for pid, asset_id in await self._connection.execute(statement)}

    async def set_moderation_many(self, provider_id: str, moderations: Mapping[int, dict[str, Any]]) -> None:
        """Replace `provider_id`'s moderation entry of each asset (asset id -> entry), in one statement."""
        if not moderations:
            return
        await self._connection.execute(
            _FLAG_MANY,
            {
                "provider_id": provider_id,
                "ids": list(moderations),
                "moderations": [json.dumps(entry) for entry in moderations.values()],
            },
        )
