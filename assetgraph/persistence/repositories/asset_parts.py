"""What the repositories of an asset's parts (branches, clips, typed metadata) share: the owner's source assets,
locked while a part is written, and rows turned into records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.branching import SourceAsset
from assetgraph.persistence.models import Asset

R = TypeVar("R")


def record_of(record_type: type[R], row: Any) -> R:
    """A record whose fields are named as the row's columns."""
    return record_type(**row._mapping)


class OwnedAssetRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def lock_sources(self, user_id: int, ids: Sequence[int]) -> dict[int, SourceAsset]:
        """The user's assets among `ids`, locked until the transaction ends (in id order, so that two writers
        never wait on each other): the parts written under them are counted and capped one writer at a time.
        Another user's id is simply absent."""
        if not ids:
            return {}
        statement = (
            select(Asset.id, Asset.media_type, Asset.duration_sec)
            .where(Asset.user_id == user_id, Asset.id.in_(sorted(set(ids))))
            .order_by(Asset.id)
            .with_for_update(key_share=True)
        )
        return {
            row.id: SourceAsset(row.id, row.media_type, row.duration_sec)
            for row in await self._connection.execute(statement)
        }
