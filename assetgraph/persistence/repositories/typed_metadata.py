"""Typed metadata records (audio, 3D, adult: one per asset) and temporal segments (many per asset). A record is the
user's when its asset is: every read and write by a user goes through that join."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.typed_metadata import (
    AdultMetadataRecord,
    AudioMetadataRecord,
    MetadataKind,
    MetadataRecord,
    Model3DMetadataRecord,
    TemporalSegmentRecord,
)
from assetgraph.persistence.models import AdultMetadata, Asset, AudioMetadata, Model3DMetadata, TemporalSegment
from assetgraph.persistence.repositories.asset_parts import record_of

_TABLES: Mapping[MetadataKind, tuple[Any, type[MetadataRecord]]] = {
    MetadataKind.AUDIO: (AudioMetadata.__table__, AudioMetadataRecord),
    MetadataKind.MODEL_3D: (Model3DMetadata.__table__, Model3DMetadataRecord),
    MetadataKind.ADULT: (AdultMetadata.__table__, AdultMetadataRecord),
}
_SEGMENT = TemporalSegment.__table__


def _segment(row: Any) -> TemporalSegmentRecord:
    values = dict(row._mapping)
    if values["embedding"] is not None:
        values["embedding"] = [float(x) for x in values["embedding"]]
    return TemporalSegmentRecord(**values)


def _owned_assets(user_id: int) -> Any:
    return select(Asset.id).where(Asset.user_id == user_id)


class TypedMetadataRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def of_assets(self, kind: MetadataKind, user_id: int, asset_ids: Sequence[int]) -> dict[int, MetadataRecord]:
        """The `kind` records of the user's assets among `asset_ids`, in one statement."""
        table, record_type = _TABLES[kind]
        statement = select(table).where(table.c.asset_id.in_(asset_ids), table.c.asset_id.in_(_owned_assets(user_id)))
        return {row.asset_id: record_of(record_type, row) for row in await self._connection.execute(statement)}

    async def upsert(self, kind: MetadataKind, asset_id: int, values: Mapping[str, Any]) -> MetadataRecord:
        """Create the asset's record, or change the fields in `values` of the one it has."""
        table, record_type = _TABLES[kind]
        statement = pg_insert(table).values(asset_id=asset_id, **values)
        changes = {name: statement.excluded[name] for name in values} or {"asset_id": statement.excluded.asset_id}
        statement = statement.on_conflict_do_update(index_elements=[table.c.asset_id], set_=changes)
        return record_of(record_type, (await self._connection.execute(statement.returning(*table.c))).one())

    async def remove(self, kind: MetadataKind, user_id: int, asset_id: int) -> bool:
        """True when the user's asset had a `kind` record."""
        table, _ = _TABLES[kind]
        statement = (
            delete(table)
            .where(table.c.asset_id == asset_id, table.c.asset_id.in_(_owned_assets(user_id)))
            .returning(table.c.asset_id)
        )
        return (await self._connection.execute(statement)).first() is not None

    async def segments_of(
        self, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
    ) -> dict[int, list[TemporalSegmentRecord]]:
        """The temporal segments of the user's assets among `asset_ids`, by timestamp, in one statement (at most
        `max_rows` of them)."""
        statement = (
            select(_SEGMENT)
            .where(TemporalSegment.asset_id.in_(asset_ids), TemporalSegment.asset_id.in_(_owned_assets(user_id)))
            .order_by(TemporalSegment.asset_id, TemporalSegment.timestamp_sec, TemporalSegment.id)
            .limit(max_rows)
        )
        found: dict[int, list[TemporalSegmentRecord]] = defaultdict(list)
        for row in await self._connection.execute(statement):
            found[row.asset_id].append(_segment(row))
        return found

    async def count_segments(self, asset_id: int) -> int:
        return int(await self._connection.scalar(select(func.count()).where(TemporalSegment.asset_id == asset_id)) or 0)

    async def add_segment(self, asset_id: int, values: Mapping[str, Any]) -> TemporalSegmentRecord:
        statement = insert(TemporalSegment).values(asset_id=asset_id, **values).returning(*_SEGMENT.c)
        return _segment((await self._connection.execute(statement)).one())

    async def lock_segment(self, user_id: int, segment_id: int) -> TemporalSegmentRecord | None:
        return await self.get_segment(user_id, segment_id, lock=True)

    async def get_segment(self, user_id: int, segment_id: int, *, lock: bool = False) -> TemporalSegmentRecord | None:
        """The user's segment; None when missing or another user's."""
        statement = select(_SEGMENT).where(
            TemporalSegment.id == segment_id, TemporalSegment.asset_id.in_(_owned_assets(user_id))
        )
        row = (await self._connection.execute(statement.with_for_update() if lock else statement)).first()
        return _segment(row) if row is not None else None

    async def update_segment(self, segment_id: int, values: Mapping[str, Any]) -> TemporalSegmentRecord:
        statement = (
            update(TemporalSegment).where(TemporalSegment.id == segment_id).values(**values).returning(*_SEGMENT.c)
        )
        return _segment((await self._connection.execute(statement)).one())

    async def remove_segment(self, user_id: int, segment_id: int) -> bool:
        statement = (
            delete(TemporalSegment)
            .where(TemporalSegment.id == segment_id, TemporalSegment.asset_id.in_(_owned_assets(user_id)))
            .returning(TemporalSegment.id)
        )
        return (await self._connection.execute(statement)).first() is not None
