"""Looking a user's assets up by content: exact copies by SHA-256, near-duplicates by perceptual hash.

Both are reads only: nothing here writes, so nothing here touches `last_accessed_at`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Text, any_, bindparam, func, literal, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.hash_checks import HashedAsset
from assetgraph.domain.hashes import SimilarAsset
from assetgraph.domain.provider_status import RULE_METADATA_KEYS, AssetFacts
from assetgraph.persistence.models import Asset
from assetgraph.persistence.phash_sql import informative_phash, phash_distance
from assetgraph.persistence.repositories.assets import RECORD_COLUMNS


class AssetHashRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def by_sha256s(self, user_id: int, sha256s: Sequence[str]) -> dict[str, HashedAsset]:
        """The caller's assets whose hash is among `sha256s` (lower case), by hash, in one statement.

        `sha256 = ANY(array)` sends the hashes as one array parameter (10,000 of them are one value, not 10,000
        placeholders) and is answered from the unique (user_id, sha256) index. Only what the provider status rule
        reads is fetched, media_metadata cut down to the rule's keys: a synced asset keeps a provider's whole
        payload there, and decoding thousands of those would cost more than the lookup.
        """
        if not sha256s:
            return {}
        hashes = bindparam("sha256s", list(sha256s), type_=ARRAY(Text))
        rule_metadata = func.jsonb_build_object(
            *(part for key in RULE_METADATA_KEYS for part in (literal(key, Text), Asset.media_metadata[key]))
        )
        query = select(
            Asset.id,
            Asset.sha256,
            Asset.provider_id,
            Asset.provider_asset_id,
            Asset.storage_key,
            Asset.provider_uploads,
            rule_metadata,
        ).where(Asset.user_id == user_id, Asset.sha256 == any_(hashes))
        return {
            sha256: HashedAsset(
                id=asset_id,
                facts=AssetFacts(
                    provider_id=provider_id,
                    provider_asset_id=provider_asset_id,
                    storage_key=storage_key,
                    provider_uploads=provider_uploads,
                    media_metadata=media_metadata,
                ),
            )
            for asset_id, sha256, provider_id, provider_asset_id, storage_key, provider_uploads, media_metadata in (
                await self._connection.execute(query)
            )
        }

    async def similar_to(
        self, user_id: int, asset_ids: Sequence[int], max_distance: int, limit: int
    ) -> dict[int, list[SimilarAsset]]:
        """For each of the caller's `asset_ids` with an informative hash, up to `limit` of the caller's other assets
        within `max_distance`, nearest first (then by id), in one statement; other ids are absent.

        Each source's candidates come from a LATERAL scan of the user's informative hashes (the partial index
        ix_assets_user_phash, index-only), and only the matches are read from the table.
        """
        if not asset_ids or limit <= 0:
            return {}
        table = Asset.__table__
        source, candidate = table.alias("source"), table.alias("candidate")
        distance = phash_distance(candidate.c.phash64, source.c.phash64)
        matches = (
            select(candidate.c.id.label("id"), distance.label("distance"))
            .where(
                candidate.c.user_id == source.c.user_id,
                informative_phash(candidate.c.phash64),
                candidate.c.id != source.c.id,
                distance <= max_distance,
            )
            .order_by(distance, candidate.c.id)
            .limit(limit)
            .lateral("match")
        )
        ids = bindparam("asset_ids", list(asset_ids), type_=ARRAY(BigInteger))
        query = (
            select(source.c.id, matches.c.distance, *RECORD_COLUMNS)
            .select_from(source.join(matches, true()).join(Asset, Asset.id == matches.c.id))
            .where(source.c.user_id == user_id, source.c.id == any_(ids), informative_phash(source.c.phash64))
            .order_by(source.c.id, matches.c.distance, matches.c.id)
        )
        found: dict[int, list[SimilarAsset]] = {}
        for row in await self._connection.execute(query):
            found.setdefault(row[0], []).append(SimilarAsset(asset=AssetRecord(*row[2:]), distance=row[1]))
        return found
