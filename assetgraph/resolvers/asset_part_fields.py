"""Resolvers of the fields that read an asset's parts: through the request's loaders, so that a page of assets
costs one statement per kind of part, whatever its size."""

from __future__ import annotations

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.resolvers.context import Context


async def branches(context: Context, asset_id: int) -> list[BranchRecord]:
    found: list[BranchRecord] = await context.loaders.branches_by_asset.load(asset_id)
    return context.loaders.list_budget.take(found, "branches")


async def variants(context: Context, branch_id: int) -> list[VariantRecord]:
    found: list[VariantRecord] = await context.loaders.variants_by_branch.load(branch_id)
    return context.loaders.list_budget.take(found, "variants")


async def clips(context: Context, asset_id: int) -> list[ClipRecord]:
    found: list[ClipRecord] = await context.loaders.clips_by_asset.load(asset_id)
    return context.loaders.list_budget.take(found, "clips")


async def temporal_segments(context: Context, asset_id: int) -> list[TemporalSegmentRecord]:
    found: list[TemporalSegmentRecord] = await context.loaders.temporal_segments_by_asset.load(asset_id)
    return context.loaders.list_budget.take(found, "temporalSegments")


async def metadata(context: Context, kind: MetadataKind, asset_id: int) -> MetadataRecord | None:
    found: MetadataRecord | None = await context.loaders.metadata_by_asset(kind).load(asset_id)
    return found


async def linked_asset(context: Context, asset_id: int | None) -> AssetRecord | None:
    """An asset a part leads to (a variant's, a clip's extracted one): the viewer's own, or None."""
    if asset_id is None:
        return None
    found: AssetRecord | None = await context.loaders.asset_by_id.load(asset_id)
    return found
