"""Lineage edges written straight into asset_lineage, for tests of the read side (the write side has its own)."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import text

from assetgraph.persistence.database import Database
from assetgraph.resolvers.global_ids import NodeType, to_global_id

_INSERT = text(
    """
    INSERT INTO asset_lineage (child_asset_id, parent_asset_id, relation_type, operation_type, parent_role,
                               sequence_order, parent_start_time, parent_end_time, parent_frame, transformation)
    VALUES (:child, :parent, :relation_type, :operation_type, :parent_role,
            :sequence_order, :parent_start_time, :parent_end_time, :parent_frame, CAST(:transformation AS jsonb))
    """
)


@dataclass(frozen=True)
class Edge:
    """`parent` fed `child`; the other columns as stored."""

    parent: int
    child: int
    relation_type: str = "SOURCE_IMAGE"
    operation_type: str | None = "image_to_video"
    parent_role: str | None = None
    sequence_order: int = 0
    parent_start_time: float | None = None
    parent_end_time: float | None = None
    parent_frame: int | None = None
    transformation: str | None = None  # JSON text


async def insert_edges(db: Database, edges: list[Edge]) -> None:
    rows: list[dict[str, Any]] = [{"child": e.child, **asdict(e)} for e in edges]
    async with db.engine.begin() as conn:
        await conn.execute(_INSERT, rows)


async def chain(db: Database, ids: list[int], relation_type: str = "SOURCE_IMAGE") -> None:
    """ids[0] -> ids[1] -> ...: each asset the parent of the next."""
    await insert_edges(db, [Edge(p, c, relation_type) for p, c in itertools.pairwise(ids)])


def gid(asset_id: int) -> str:
    return to_global_id(NodeType.ASSET, asset_id)
