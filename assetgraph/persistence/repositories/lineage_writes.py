"""Writing lineage edges: the payloads a rebuild reads, parents found or created in batches, edges replaced.

Every statement is fixed and takes arrays, so that a batch of any size is one prepared statement (see
synced_assets.py for why). Parents are looked up among the child's owner's assets only: an edge never joins two
users' assets.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, BigInteger, Text, any_, func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.enums import MediaType, UploadMethod
from assetgraph.persistence.models import Asset


@dataclass(frozen=True)
class LineageSource:
    """A child asset as a rebuild reads it: whose payload, from which provider, through which account."""

    id: int
    provider_id: str
    provider_account_id: int | None
    payload: Any


@dataclass(frozen=True)
class ParentRequest:
    """A parent a payload names: by the provider's id, by URL, or both; created as `media_type` when missing."""

    media_type: MediaType
    provider_asset_id: str | None
    remote_url: str | None


@dataclass(frozen=True)
class NewEdge:
    child_asset_id: int
    parent_asset_id: int
    relation_type: str
    operation_type: str | None
    sequence_order: int
    parent_role: str | None = None
    parent_end_time: float | None = None
    transformation: Any = None


_SOURCE_COLUMNS = (Asset.id, Asset.provider_id, Asset.provider_account_id, Asset.media_metadata)

# One namespace per user: two rebuilds of one user's assets create a URL-only parent once, not twice (no unique key
# holds remote_url). Held to the end of the parents' transaction.
_PARENTS_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('assetgraph.lineage_parents:' || :user, 0))")

_BY_URL = text(
    """
    SELECT DISTINCT ON (remote_url) remote_url, id FROM assets
    WHERE user_id = :user_id AND remote_url = ANY(CAST(:urls AS text[]))
    ORDER BY remote_url, id
    """
)

_INSERT_PARENTS = text(
    """
    INSERT INTO assets (user_id, media_type, provider_id, provider_asset_id, provider_account_id, remote_url,
                        thumbnail_url, upload_method)
    SELECT :user_id, media_type, :provider_id, provider_asset_id, :account_id, remote_url,
           CASE WHEN media_type = 'image' THEN remote_url END, :upload_method
    FROM unnest(CAST(:media_types AS text[]), CAST(:provider_asset_ids AS text[]), CAST(:remote_urls AS text[]))
         AS parent(media_type, provider_asset_id, remote_url)
    ON CONFLICT (user_id, provider_id, provider_asset_id) WHERE provider_asset_id IS NOT NULL DO NOTHING
    RETURNING id, provider_asset_id, remote_url
    """
)

_DELETE_EDGES = text(
    "DELETE FROM asset_lineage WHERE child_asset_id = ANY(CAST(:children AS bigint[])) RETURNING child_asset_id"
)

_INSERT_EDGES = text(
    """
    INSERT INTO asset_lineage (child_asset_id, parent_asset_id, relation_type, operation_type, sequence_order,
                               parent_role, parent_end_time, transformation)
    SELECT * FROM unnest(CAST(:children AS bigint[]), CAST(:parents AS bigint[]), CAST(:relations AS text[]),
                         CAST(:operations AS text[]), CAST(:orders AS integer[]), CAST(:roles AS text[]),
                         CAST(:end_times AS double precision[]), CAST(:transformations AS jsonb[]))
    ON CONFLICT (child_asset_id, parent_asset_id, relation_type, sequence_order) DO NOTHING
    RETURNING child_asset_id
    """
)


class LineageWriteRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def sources_by_ids(self, user_id: int, ids: Sequence[int]) -> list[LineageSource]:
        """The user's assets among `ids` with their payloads, in one statement; another user's id is absent."""
        if not ids:
            return []
        statement = select(*_SOURCE_COLUMNS).where(
            Asset.user_id == user_id, Asset.id == any_(literal(sorted(set(ids)), ARRAY(BigInteger)))
        )
        return [LineageSource(*row) for row in await self._connection.execute(statement)]

    async def last_id(self, user_id: int) -> int:
        """The user's newest asset id (0 when none): where a scope's pages stop, so that parents a refresh creates
        are not refreshed by it."""
        value = await self._connection.scalar(select(func.max(Asset.id)).where(Asset.user_id == user_id))
        return int(value or 0)

    async def count_sources(self, user_id: int, provider_id: str | None, up_to_id: int) -> int:
        """How many assets a scope refresh up to `up_to_id` goes through."""
        statement = select(func.count()).select_from(Asset).where(Asset.user_id == user_id, Asset.id <= up_to_id)
        if provider_id is not None:
            statement = statement.where(Asset.provider_id == provider_id)
        return int(await self._connection.scalar(statement) or 0)

    async def sources_page(
        self, user_id: int, provider_id: str | None, after_id: int, up_to_id: int, limit: int
    ) -> list[LineageSource]:
        """Up to `limit` of the user's assets (of `provider_id`, when given) with ids in (after_id, up_to_id], by
        id."""
        statement = select(*_SOURCE_COLUMNS).where(Asset.user_id == user_id, Asset.id > after_id, Asset.id <= up_to_id)
        if provider_id is not None:
            statement = statement.where(Asset.provider_id == provider_id)
        statement = statement.order_by(Asset.id).limit(limit)
        return [LineageSource(*row) for row in await self._connection.execute(statement)]

    async def find_or_create_parents(
        self, user_id: int, provider_id: str, account_id: int | None, requests: Sequence[ParentRequest]
    ) -> dict[ParentRequest, int]:
        """Each request's asset id: the user's asset of that provider id, else the user's asset at that URL (the
        oldest), else a new asset of the user (`sync`, no payload) created here. Five statements for any number."""
        if not requests:
            return {}
        await self._connection.execute(_PARENTS_LOCK, {"user": str(user_id)})
        found = await self._find(user_id, provider_id, requests)
        missing = [r for r in dict.fromkeys(requests) if r not in found]
        if missing:
            # One new asset per (id, URL), whatever media types different payloads guessed for it.
            to_create = list({(r.provider_asset_id, r.remote_url): r for r in reversed(missing)}.values())
            rows = await self._connection.execute(
                _INSERT_PARENTS,
                {
                    "user_id": user_id,
                    "provider_id": provider_id,
                    "account_id": account_id,
                    "upload_method": UploadMethod.SYNC.value,
                    "media_types": [r.media_type.value for r in to_create],
                    "provider_asset_ids": [r.provider_asset_id for r in to_create],
                    "remote_urls": [r.remote_url for r in to_create],
                },
            )
            created = {(pid, url): asset_id for asset_id, pid, url in rows}
            for request in missing:
                key = (request.provider_asset_id, request.remote_url)
                if key in created:
                    found[request] = created[key]
            # A parent with an id that another writer (a sync) inserted meanwhile: its row is there now.
            if len(found) < len(set(requests)):
                found.update(await self._find(user_id, provider_id, [r for r in missing if r not in found]))
        return found

    async def _find(
        self, user_id: int, provider_id: str, requests: Sequence[ParentRequest]
    ) -> dict[ParentRequest, int]:
        ids = sorted({r.provider_asset_id for r in requests if r.provider_asset_id is not None})
        by_id: dict[str, int] = {}
        if ids:
            statement = select(Asset.provider_asset_id, Asset.id).where(
                Asset.user_id == user_id,
                Asset.provider_id == provider_id,
                Asset.provider_asset_id == any_(literal(ids, ARRAY(Text))),
            )
            by_id = {str(pid): asset_id for pid, asset_id in await self._connection.execute(statement)}
        urls = sorted({r.remote_url for r in requests if r.remote_url is not None and r.provider_asset_id not in by_id})
        by_url: dict[str, int] = {}
        if urls:
            rows = await self._connection.execute(_BY_URL, {"user_id": user_id, "urls": urls})
            by_url = {url: asset_id for url, asset_id in rows}
        found = {}
        for request in requests:
            asset_id = by_id.get(request.provider_asset_id or "") or by_url.get(request.remote_url or "")
            if asset_id is not None:
                found[request] = asset_id
        return found

    async def delete_edges(self, child_asset_ids: Sequence[int]) -> Counter[int]:
        """Remove every edge to the children's parents, in one statement; how many each child had."""
        if not child_asset_ids:
            return Counter()
        rows = await self._connection.execute(_DELETE_EDGES, {"children": list(child_asset_ids)})
        return Counter(child for (child,) in rows)

    async def insert_edges(self, edges: Sequence[NewEdge]) -> Counter[int]:
        """Insert the edges in one statement, skipping those already there; how many were new, per child."""
        if not edges:
            return Counter()
        rows = await self._connection.execute(
            _INSERT_EDGES,
            {
                "children": [e.child_asset_id for e in edges],
                "parents": [e.parent_asset_id for e in edges],
                "relations": [e.relation_type for e in edges],
                "operations": [e.operation_type for e in edges],
                "orders": [e.sequence_order for e in edges],
                "roles": [e.parent_role for e in edges],
                "end_times": [e.parent_end_time for e in edges],
                "transformations": [None if e.transformation is None else json.dumps(e.transformation) for e in edges],
            },
        )
        return Counter(child for (child,) in rows)
