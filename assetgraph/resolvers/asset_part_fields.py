"""Resolvers of the fields that read an asset's parts: through the request's loaders, so that a page of assets
costs one statement per kind of part, whatever its size."""

from __future__ import annotations

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.resolvers.context import Context


async def branches(context: Context, asset_id: int) -> list[BranchRecord]:
    return await context.loaders.branches_by_asset.load_list(asset_id)


async def variants(context: Context, branch_id: int) -> list[VariantRecord]:
    return await context.loaders.variants_by_branch.load_list(branch_id)


async def clips(context: Context, asset_id: int) -> list[ClipRecord]:
    return await context.loaders.clips_by_asset.load_list(asset_id)


async def temporal_segments(context: Context, asset_id: int) -> list[TemporalSegmentRecord]:
    return await context.loaders.temporal_segments_by_asset.load_list(asset_id)


async def metadata(context: Context, kind: MetadataKind, asset_id: int) -> MetadataRecord | None:
    found: MetadataRecord | None = await context.loaders.metadata_by_asset(kind).load(asset_id)
    return found


async def linked_asset(context: Context, asset_id: int | None) -> AssetRecord | None:
    """An asset a part leads to (a variant's, a clip's extracted one): the viewer's own, or None."""
    if asset_id is None:
        return None
    found: AssetRecord | None = await context.loaders.asset_by_id.load(asset_id)
    return found
