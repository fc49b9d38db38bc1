"""Writes to a user's assets. Upload attempts and moderation go into media_metadata atomically, in one UPDATE."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.new_asset import NEW_ASSET_COLUMNS, NewAsset
from assetgraph.domain.upload_history import MAX_ATTEMPTS
from assetgraph.persistence.metadata_writes_sql import NOW_UTC
from assetgraph.persistence.models import Asset

# The timestamp is taken by the database as the row is written, so attempts are stamped in the order they were
# appended. It mirrors domain.upload_history.format_utc; tests/services/test_upload_history.py proves they agree.

_APPEND_ATTEMPT = text(
    f"""
    UPDATE assets
    SET media_metadata = assetgraph_append_upload_attempt(
        media_metadata,
        CAST(:attempt AS jsonb) || jsonb_build_object('at', {NOW_UTC}),
        :provider_id, :status, :keep
    )
    WHERE id = :asset_id
    RETURNING id
    """
)

_SET_MODERATION = text(
    f"""
    UPDATE assets
    SET media_metadata = assetgraph_set_moderation(
        media_metadata,
        :provider_id,
        CAST(:moderation AS jsonb) || CASE WHEN CAST(:at AS text) IS NULL
                                          THEN jsonb_build_object('at', {NOW_UTC}) ELSE '{{}}'::jsonb END
    )
    WHERE id = :asset_id
    RETURNING id
    """
)


_ADD_PROVIDER_COPY = text(
    """
    UPDATE assets
    SET provider_uploads = CASE WHEN jsonb_typeof(provider_uploads) = 'object' THEN provider_uploads
                                ELSE '{}'::jsonb END
                           || jsonb_build_object(CAST(:provider_id AS text),
                                                 jsonb_build_object('id', CAST(:copy_id AS text),
                                                                    'url', CAST(:url AS text))),
        provider_asset_id = CASE WHEN provider_id = :provider_id AND provider_asset_id IS NULL
                                 THEN :copy_id ELSE provider_asset_id END,
        remote_url = CASE WHEN provider_id = :provider_id AND remote_url IS NULL THEN :url ELSE remote_url END,
        updated_at = now()
    WHERE id = :asset_id
    RETURNING id
    """
)


class AssetWriteRepository:
    """Each write is one statement; recording an attempt or a verdict changes nothing but its key of media_metadata."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def append_attempt(self, asset_id: int, attempt: dict[str, Any]) -> bool:
        """Append `attempt`, stamped `at` by the database's clock; keep the newest MAX_ATTEMPTS."""
        result = await self._connection.execute(
            _APPEND_ATTEMPT,
            {
                "asset_id": asset_id,
                "attempt": json.dumps(attempt),
                "provider_id": attempt["provider_id"],
                "status": attempt["status"],
                "keep": MAX_ATTEMPTS,
            },
        )
        return result.first() is not None

    async def set_moderation(self, asset_id: int, provider_id: str, moderation: dict[str, Any]) -> bool:
        """Replace the moderation entry of `provider_id`; a missing `at` is stamped with the database's clock."""
        result = await self._connection.execute(
            _SET_MODERATION,
            {
                "asset_id": asset_id,
                "provider_id": provider_id,
                "moderation": json.dumps(moderation),
                "at": moderation.get("at"),
            },
        )
        return result.first() is not None

    async def insert_uploaded(self, asset: NewAsset) -> tuple[int, bool]:
        """The id of the user's asset with this content, and whether this call created it.

        Race-safe through the unique (user_id, sha256) index: of concurrent inserts of one file, one creates the
        row and the others find it.
        """
        values = {column: getattr(asset, column) for column in NEW_ASSET_COLUMNS}
        statement = (
            pg_insert(Asset)
            .values(values)
            .on_conflict_do_nothing(index_elements=["user_id", "sha256"], index_where=text("sha256 IS NOT NULL"))
            .returning(Asset.id)
        )
        created = (await self._connection.execute(statement)).scalar_one_or_none()
        if created is not None:
            return created, True
        existing = select(Asset.id).where(Asset.user_id == asset.user_id, Asset.sha256 == asset.sha256)
        return (await self._connection.execute(existing)).scalar_one(), False

    async def add_provider_copy(self, asset_id: int, provider_id: str, copy_id: str, url: str | None) -> None:
        """Record that `provider_id` holds a copy (provider_uploads[p] = {id, url}); the primary provider's id and
        URL are filled in when still empty."""
        await self._connection.execute(
            _ADD_PROVIDER_COPY, {"asset_id": asset_id, "provider_id": provider_id, "copy_id": copy_id, "url": url}
        )

    async def touch_accessed(self, asset_id: int) -> None:
        await self._connection.execute(update(Asset).where(Asset.id == asset_id).values(last_accessed_at=func.now()))

    async def attach_blob(self, asset_id: int, key: str, sha256: str, size_bytes: int, mime_type: str) -> None:
        """Record that the asset's bytes are now stored here; known facts (sha256, size, type) are kept as they were."""
        await self._connection.execute(
            update(Asset)
            .where(Asset.id == asset_id)
            .values(
                storage_key=key,
                sha256=func.coalesce(Asset.sha256, sha256),
                size_bytes=func.coalesce(Asset.size_bytes, size_bytes),
                mime_type=func.coalesce(Asset.mime_type, mime_type),
                updated_at=func.now(),
            )
        )

    async def attach_blob_without_hash(self, asset_id: int, key: str, size_bytes: int, mime_type: str) -> None:
        """attach_blob for bytes another of the user's assets already holds (sha256 is unique per user)."""
        await self._connection.execute(
            update(Asset)
            .where(Asset.id == asset_id)
            .values(
                storage_key=key,
                size_bytes=func.coalesce(Asset.size_bytes, size_bytes),
                mime_type=func.coalesce(Asset.mime_type, mime_type),
                updated_at=func.now(),
            )
        )
