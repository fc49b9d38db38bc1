"""Assets a library sync imports, by (user, provider, provider_asset_id): the unique key makes imports race-safe."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import ARRAY, Text, any_, literal, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.synced_asset import SyncedAsset
from assetgraph.persistence.metadata_writes_sql import NOW_UTC
from assetgraph.persistence.models import Asset

# Rows are the arrays' elements, in step; a missing created_at is the transaction's time, as a column default would
# be. A filtered item's moderation entry is written with its row, stamped by the database's clock like every other
# moderation entry (see asset_writes.py). The conflict target is the partial unique index on a user's provider ids.
_INSERT_MISSING = text(
    f"""
    INSERT INTO assets (user_id, media_type, provider_id, provider_asset_id, provider_account_id, remote_url,
                        thumbnail_url, media_metadata, upload_method, created_at)
    SELECT user_id, media_type, provider_id, provider_asset_id, account_id, remote_url, thumbnail_url,
           CASE WHEN moderation IS NULL THEN payload
                ELSE assetgraph_set_moderation(
                    payload, provider_id, moderation || jsonb_build_object('at', {NOW_UTC}))
           END,
           upload_method, coalesce(created_at, now())
    FROM unnest(CAST(:user_ids AS bigint[]), CAST(:media_types AS text[]), CAST(:provider_ids AS text[]),
                CAST(:provider_asset_ids AS text[]), CAST(:account_ids AS bigint[]), CAST(:remote_urls AS text[]),
                CAST(:thumbnail_urls AS text[]), CAST(:payloads AS jsonb[]), CAST(:upload_methods AS text[]),
                CAST(:created_ats AS timestamptz[]), CAST(:moderations AS jsonb[]))
         AS page(user_id, media_type, provider_id, provider_asset_id, account_id, remote_url, thumbnail_url, payload,
                 upload_method, created_at, moderation)
    ON CONFLICT (user_id, provider_id, provider_asset_id) WHERE provider_asset_id IS NOT NULL DO NOTHING
    RETURNING provider_asset_id, id
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
            # One array parameter: the same statement (prepared once) for any number of ids.
            Asset.provider_asset_id == any_(literal(sorted(set(provider_asset_ids)), ARRAY(Text))),
        )
        return {str(pid): asset_id for pid, asset_id in await self._connection.execute(statement)}

    async def insert_missing(self, assets: Sequence[SyncedAsset]) -> dict[str, int]:
        """Insert the assets in one statement, skipping any the user already has (same provider and id, whoever
        inserted it, concurrent runs included); returns the ones this call created: provider id -> asset id."""
        if not assets:
            return {}
        # One fixed statement over arrays, whatever the page's length: compiled and prepared once per connection.
        # A multi-row VALUES built per call was compiled afresh every page (a bind parameter per value), which cost
        # more than the database's own work.
        result = await self._connection.execute(
            _INSERT_MISSING,
            {
                "user_ids": [a.user_id for a in assets],
                "media_types": [a.media_type.value for a in assets],
                "provider_ids": [a.provider_id for a in assets],
                "provider_asset_ids": [a.provider_asset_id for a in assets],
                "account_ids": [a.provider_account_id for a in assets],
                "remote_urls": [a.remote_url for a in assets],
                "thumbnail_urls": [a.thumbnail_url for a in assets],
                "payloads": [json.dumps(a.media_metadata) for a in assets],
                "upload_methods": [a.upload_method.value for a in assets],
                "created_ats": [a.created_at for a in assets],
                "moderations": [None if a.moderation is None else json.dumps(a.moderation) for a in assets],
            },
        )
        return {str(pid): asset_id for pid, asset_id in result}
