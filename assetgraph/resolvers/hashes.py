"""Resolvers of hash checks and near-duplicates: decode input, call a service or loader."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.hash_checks import HashCheck
from assetgraph.domain.hashes import DEFAULT_SIMILAR_LIMIT, SimilarAsset, similarity_distance_error
from assetgraph.resolvers.assets import asset_by_global_id
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.loaders import SimilarAssetsKey
from assetgraph.services.hash_checks import check_hash, check_hashes


async def check_by_hash(context: Context, sha256: str, provider_id: str | None) -> HashCheck:
    viewer = context.require_viewer()
    return await check_hash(context.resources.unit_of_work(), viewer.user_id, sha256, provider_id)


async def check_by_hashes(context: Context, sha256s: Sequence[str], provider_id: str | None) -> list[HashCheck]:
    viewer = context.require_viewer()
    return await check_hashes(context.resources.unit_of_work(), viewer.user_id, sha256s, provider_id)


async def similar_assets(
    context: Context, asset_id: int, max_distance: int | None, first: int | None
) -> list[SimilarAsset]:
    """Near-duplicates of the viewer's asset `asset_id` (batched per request: a page of assets is one statement).
    `maxDistance` defaults to the configured threshold; `first` was bounded by the request guard."""
    distance = context.settings.near_duplicate_max_distance if max_distance is None else max_distance
    error = similarity_distance_error(distance)
    if error is not None:
        raise error
    limit = DEFAULT_SIMILAR_LIMIT if first is None else first
    found: list[SimilarAsset] = await context.loaders.similar_assets.load(SimilarAssetsKey(asset_id, distance, limit))
    return found


async def similar_assets_by_global_id(
    context: Context, global_id: str, max_distance: int | None, first: int | None
) -> list[SimilarAsset] | None:
    """None when the asset is missing or another user's (the same answer for both), else its near-duplicates."""
    asset = await asset_by_global_id(context, global_id)
    if asset is None:
        return None
    return await similar_assets(context, asset.id, max_distance, first)
