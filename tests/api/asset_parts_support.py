"""Helpers of the tests of an asset's parts (branches, clips, typed metadata): assets to hang them on, the
mutations, and the rows as stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from assetgraph.persistence.database import Database
from assetgraph.persistence.models import (
    AdultMetadata,
    Asset,
    AssetBranch,
    AssetBranchVariant,
    AssetClip,
    AudioMetadata,
    Model3DMetadata,
    TemporalSegment,
)
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.support import GraphQLClient, insert_assets

ERRORS = "errors { code message field }"
PART_TABLES = (
    AssetBranch,
    AssetBranchVariant,
    AssetClip,
    AudioMetadata,
    Model3DMetadata,
    AdultMetadata,
    TemporalSegment,
)


def asset_gid(database_id: int) -> str:
    return to_global_id(NodeType.ASSET, database_id)


async def new_assets(db: Database, user_id: int, count: int = 1, **columns: Any) -> list[int]:
    """`count` assets of the user (videos of 60 s unless `columns` say otherwise); their database ids."""
    row = {"media_type": "video", "duration_sec": 60.0, **columns}
    return await insert_assets(db, user_id, [dict(row) for _ in range(count)])


async def part_counts(db: Database, user_id: int) -> dict[str, int]:
    """How many rows of each part table belong to the user's assets: what a refused mutation must leave as is."""
    counts: dict[str, int] = {}
    async with db.engine.connect() as conn:
        for model in PART_TABLES:
            table = model.__table__
            owner = table.c.get("source_asset_id", table.c.get("asset_id"))
            if owner is None:  # variants hang from a branch
                owner_ids = select(AssetBranch.id).join(Asset, Asset.id == AssetBranch.source_asset_id)
                condition = table.c.branch_id.in_(owner_ids.where(Asset.user_id == user_id))
            else:
                condition = owner.in_(select(Asset.id).where(Asset.user_id == user_id))
            counts[table.name] = int(await conn.scalar(select(func.count()).select_from(table).where(condition)) or 0)
    return counts


async def row_of(db: Database, model: Any, **key: Any) -> dict[str, Any] | None:
    table = model.__table__
    query = select(table).where(*(table.c[name] == value for name, value in key.items()))
    async with db.engine.connect() as conn:
        row = (await conn.execute(query)).first()
    return dict(row._mapping) if row is not None else None


async def mutate(client: GraphQLClient, mutation: str, name: str, input: dict[str, Any]) -> dict[str, Any]:
    """Run `mutation` (whose variable is `$input`) and return its payload."""
    payload: dict[str, Any] = (await client.data(mutation, {"input": input}))[name]
    return payload


def fields_of(errors: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in errors]
