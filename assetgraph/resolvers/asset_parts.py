"""Resolvers of an asset's parts (branches and variants, clips, typed metadata): decode ids, call the service.

`given` maps the input fields the client sent (snake_case, nulls included) to their values; the asset ids among
them are decoded here, a malformed one to an id no row has (so it reads as missing, like another user's).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, id_to_look_up
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import branches, clips, typed_metadata
from assetgraph.services.asset_parts import CallerUseCase, PartRead, part_by_id

T = TypeVar("T")
P = TypeVar("P")
_ASSET_ID_FIELDS = ("variant_asset_id", "extracted_asset_id")


def _decoded(given: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: id_to_look_up(value, NodeType.ASSET) if name in _ASSET_ID_FIELDS and value is not None else value
        for name, value in given.items()
    }


async def _run(context: Context, call: CallerUseCase[T]) -> Outcome[T]:
    viewer = context.require_viewer()
    return await outcome_of(call(context.resources.unit_of_work(), viewer.user_id))


def _asset(global_id: str) -> int:
    return id_to_look_up(global_id, NodeType.ASSET)


async def add_branch(context: Context, asset_id: str, given: Mapping[str, Any]) -> Outcome[BranchRecord]:
    return await _run(context, lambda uow, user: branches.add_branch(uow, user, _asset(asset_id), given))


async def update_branch(context: Context, branch_id: str, given: Mapping[str, Any]) -> Outcome[BranchRecord]:
    branch = id_to_look_up(branch_id, NodeType.ASSET_BRANCH)
    return await _run(context, lambda uow, user: branches.update_branch(uow, user, branch, given))


async def remove_branch(context: Context, branch_id: str) -> Outcome[int]:
    branch = id_to_look_up(branch_id, NodeType.ASSET_BRANCH)
    return await _run(context, lambda uow, user: branches.remove_branch(uow, user, branch))


async def add_variant(
    context: Context, branch_id: str, variant_asset_id: str, given: Mapping[str, Any]
) -> Outcome[VariantRecord]:
    branch = id_to_look_up(branch_id, NodeType.ASSET_BRANCH)
    asset = _asset(variant_asset_id)
    return await _run(context, lambda uow, user: branches.add_variant(uow, user, branch, asset, given))


async def update_variant(context: Context, variant_id: str, given: Mapping[str, Any]) -> Outcome[VariantRecord]:
    variant = id_to_look_up(variant_id, NodeType.ASSET_BRANCH_VARIANT)
    return await _run(context, lambda uow, user: branches.update_variant(uow, user, variant, _decoded(given)))


async def remove_variant(context: Context, variant_id: str) -> Outcome[int]:
    variant = id_to_look_up(variant_id, NodeType.ASSET_BRANCH_VARIANT)
    return await _run(context, lambda uow, user: branches.remove_variant(uow, user, variant))


async def add_clip(context: Context, asset_id: str, given: Mapping[str, Any]) -> Outcome[ClipRecord]:
    return await _run(context, lambda uow, user: clips.add_clip(uow, user, _asset(asset_id), _decoded(given)))


async def update_clip(context: Context, clip_id: str, given: Mapping[str, Any]) -> Outcome[ClipRecord]:
    clip = id_to_look_up(clip_id, NodeType.ASSET_CLIP)
    return await _run(context, lambda uow, user: clips.update_clip(uow, user, clip, _decoded(given)))


async def remove_clip(context: Context, clip_id: str) -> Outcome[int]:
    clip = id_to_look_up(clip_id, NodeType.ASSET_CLIP)
    return await _run(context, lambda uow, user: clips.remove_clip(uow, user, clip))


async def set_metadata(
    context: Context, kind: MetadataKind, asset_id: str, given: Mapping[str, Any]
) -> Outcome[MetadataRecord]:
    return await _run(context, lambda uow, user: typed_metadata.set_metadata(uow, kind, user, _asset(asset_id), given))


async def remove_metadata(context: Context, kind: MetadataKind, asset_id: str) -> Outcome[int]:
    return await _run(context, lambda uow, user: typed_metadata.remove_metadata(uow, kind, user, _asset(asset_id)))


async def add_segment(context: Context, asset_id: str, given: Mapping[str, Any]) -> Outcome[TemporalSegmentRecord]:
    return await _run(context, lambda uow, user: typed_metadata.add_segment(uow, user, _asset(asset_id), given))


async def update_segment(context: Context, segment_id: str, given: Mapping[str, Any]) -> Outcome[TemporalSegmentRecord]:
    segment = id_to_look_up(segment_id, NodeType.TEMPORAL_SEGMENT)
    return await _run(context, lambda uow, user: typed_metadata.update_segment(uow, user, segment, given))


async def remove_segment(context: Context, segment_id: str) -> Outcome[int]:
    segment = id_to_look_up(segment_id, NodeType.TEMPORAL_SEGMENT)
    return await _run(context, lambda uow, user: typed_metadata.remove_segment(uow, user, segment))


# One part by id, for node(id): None when missing or another user's.


def _part_fetcher(read: PartRead[P]) -> Callable[[Context, int], Awaitable[P | None]]:
    async def fetch(context: Context, part_id: int) -> P | None:
        viewer = context.require_viewer()
        return await part_by_id(context.resources.unit_of_work(), viewer.user_id, read, part_id)

    return fetch


branch_by_id = _part_fetcher(lambda uow, user, part: uow.branches.get(user, part))
variant_by_id = _part_fetcher(lambda uow, user, part: uow.branches.get_variant(user, part))
clip_by_id = _part_fetcher(lambda uow, user, part: uow.clips.get(user, part))
segment_by_id = _part_fetcher(lambda uow, user, part: uow.typed_metadata.get_segment(user, part))
