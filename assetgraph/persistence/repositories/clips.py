"""Clips of assets. A clip is the user's when its source asset is; another user's clip is simply absent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.branching import ClipRecord
from assetgraph.persistence.models import Asset, AssetClip
from assetgraph.persistence.repositories.asset_parts import record_of

_CLIP = AssetClip.__table__


def _owned_clip(user_id: int) -> Any:
    return select(AssetClip.id).join(Asset, Asset.id == AssetClip.source_asset_id).where(Asset.user_id == user_id)


class ClipRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def of_assets(
        self, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
    ) -> dict[int, list[ClipRecord]]:
        """The clips of the user's assets among `asset_ids`, by start time, in one statement (at most `max_rows` of
        them)."""
        statement = (
            select(_CLIP)
            .join(Asset, Asset.id == AssetClip.source_asset_id)
            .where(Asset.user_id == user_id, AssetClip.source_asset_id.in_(asset_ids))
            .order_by(AssetClip.source_asset_id, AssetClip.start_time, AssetClip.id)
            .limit(max_rows)
        )
        found: dict[int, list[ClipRecord]] = defaultdict(list)
        for row in await self._connection.execute(statement):
            found[row.source_asset_id].append(record_of(ClipRecord, row))
        return found

    async def count(self, asset_id: int) -> int:
        return int(
            await self._connection.scalar(select(func.count()).where(AssetClip.source_asset_id == asset_id)) or 0
        )

    async def add(self, source_asset_id: int, values: Mapping[str, Any]) -> ClipRecord:
        statement = insert(AssetClip).values(source_asset_id=source_asset_id, **values).returning(*_CLIP.c)
        return record_of(ClipRecord, (await self._connection.execute(statement)).one())

    async def lock(self, user_id: int, clip_id: int) -> ClipRecord | None:
        """The user's clip, locked until the transaction ends."""
        return await self.get(user_id, clip_id, lock=True)

    async def get(self, user_id: int, clip_id: int, *, lock: bool = False) -> ClipRecord | None:
        """The user's clip; None when missing or another user's."""
        statement = select(_CLIP).where(AssetClip.id == clip_id, AssetClip.id.in_(_owned_clip(user_id)))
        row = (await self._connection.execute(statement.with_for_update() if lock else statement)).first()
        return record_of(ClipRecord, row) if row is not None else None

    async def update(self, clip_id: int, values: Mapping[str, Any]) -> ClipRecord:
        statement = update(AssetClip).where(AssetClip.id == clip_id).values(**values).returning(*_CLIP.c)
        return record_of(ClipRecord, (await self._connection.execute(statement)).one())

    async def remove(self, user_id: int, clip_id: int) -> bool:
        statement = (
            delete(AssetClip)
            .where(AssetClip.id == clip_id, AssetClip.id.in_(_owned_clip(user_id)))
            .returning(AssetClip.id)
        )
        return (await self._connection.execute(statement)).first() is not None
