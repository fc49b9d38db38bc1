"""Near-duplicates: the caller's other images whose perceptual hash differs from an asset's in few bits."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hashes import SimilarAsset, similarity_distance_error
from assetgraph.persistence.unit_of_work import UnitOfWork


def _check(max_distance: int, limit: int) -> None:
    error = similarity_distance_error(max_distance)
    if error is not None:
        raise error
    if limit < 0:
        raise BadUserInput(f"'first' must not be negative (got {limit})", field="first")


async def similar_assets(
    uow: UnitOfWork, user_id: int, asset_id: int, max_distance: int, limit: int
) -> list[SimilarAsset]:
    """Up to `limit` of the caller's other assets within `max_distance` bits of asset `asset_id`'s perceptual
    hash, nearest first, then by id; one SQL statement.

    Empty when the asset is not the caller's, has no perceptual hash (not an image) or a degenerate one (a blank
    picture matches nothing); degenerate hashes of other assets are never matched either. The upload pipeline
    calls this for a just-uploaded asset (its own unit of work; the asset must be committed). Raises BadUserInput
    for a `max_distance` outside 0..MAX_SIMILARITY_DISTANCE or a negative `limit`.
    """
    found = await similar_assets_of_many(uow, user_id, [asset_id], max_distance, limit)
    return found.get(asset_id, [])


async def similar_assets_of_many(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int], max_distance: int, limit: int
) -> dict[int, list[SimilarAsset]]:
    """`similar_assets` for several assets in one SQL statement; assets without near-duplicates are absent."""
    _check(max_distance, limit)
    async with uow:
        return await uow.asset_hashes.similar_to(user_id, asset_ids, max_distance, limit)
