"""Writes to a user's assets. Upload attempts and moderation go into media_metadata atomically, in one UPDATE."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.upload_history import MAX_ATTEMPTS

# The timestamp is taken by the database as the row is written, so attempts are stamped in the order they were
# appended. It mirrors domain.upload_history.format_utc; tests/services/test_upload_history.py proves they agree.
_NOW_UTC = """to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""

_APPEND_ATTEMPT = text(
    f"""
    UPDATE assets
    SET media_metadata = assetgraph_append_upload_attempt(
        media_metadata,
        CAST(:attempt AS jsonb) || jsonb_build_object('at', {_NOW_UTC}),
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
                                          THEN jsonb_build_object('at', {_NOW_UTC}) ELSE '{{}}'::jsonb END
    )
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
