"""Typed metadata of the caller's assets: the audio, 3D and adult records (one of each per asset, set and
removed), and temporal segments (added, changed, removed). Every problem is reported at once and nothing is
written; another user's asset or segment reads as missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assetgraph.domain.branching import SourceAsset, time_within
from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors, NotFound
from assetgraph.domain.field_rules import clean_fields, raise_if_any
from assetgraph.domain.typed_metadata import (
    MAX_SEGMENTS_PER_ASSET,
    MEDIA_OF_KIND,
    RECORD_NOT_NULL,
    RULES_OF_KIND,
    SEGMENT_NOT_NULL,
    SEGMENT_RULES,
    MetadataKind,
    MetadataRecord,
    TemporalSegmentRecord,
    media_rule,
)
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.asset_parts import cap_error, owned_assets


async def metadata_of_assets(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int], *, kind: MetadataKind
) -> dict[int, MetadataRecord]:
    async with uow:
        return await uow.typed_metadata.of_assets(kind, user_id, asset_ids)


async def segments_of_assets(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
) -> dict[int, list[TemporalSegmentRecord]]:
    async with uow:
        return await uow.typed_metadata.segments_of(user_id, asset_ids, max_rows=max_rows)


def _media_error(kind: MetadataKind, source: SourceAsset) -> ClientError | None:
    if source.media_type in MEDIA_OF_KIND[kind]:
        return None
    return BadUserInput(f"Only an asset of mediaType {media_rule(kind)} has {kind.value} metadata.", field="assetId")


async def set_metadata(
    uow: UnitOfWork, kind: MetadataKind, user_id: int, asset_id: int, given: Mapping[str, Any]
) -> MetadataRecord:
    """Create the `kind` record of the caller's asset, or change the fields in `given` (only those) of the one it
    has; a field never given is null (`extra`: {})."""
    values, errors = clean_fields(given, RULES_OF_KIND[kind], RECORD_NOT_NULL)
    async with uow:
        source = (await owned_assets(uow, user_id, [("assetId", asset_id)], errors)).get("assetId")
        error = _media_error(kind, source) if source is not None else None
        raise_if_any([*errors, *([error] if error else [])])
        record = await uow.typed_metadata.upsert(kind, asset_id, values)
        await uow.commit()
    return record


async def remove_metadata(uow: UnitOfWork, kind: MetadataKind, user_id: int, asset_id: int) -> int:
    """Delete the `kind` record of the caller's asset; returns the asset's id."""
    async with uow:
        if not await uow.typed_metadata.remove(kind, user_id, asset_id):
            raise NotFound(f"{kind.value} metadata for an asset", field="assetId")
        await uow.commit()
    return asset_id


def _segment_errors(source: SourceAsset, values: Mapping[str, Any]) -> list[ClientError]:
    errors = [
        _media_error(MetadataKind.TEMPORAL_SEGMENT, source),
        time_within(source, values.get("timestamp_sec"), "timestampSec"),
    ]
    return [error for error in errors if error is not None]


async def add_segment(uow: UnitOfWork, user_id: int, asset_id: int, given: Mapping[str, Any]) -> TemporalSegmentRecord:
    values, errors = clean_fields(given, SEGMENT_RULES, SEGMENT_NOT_NULL)
    async with uow:
        source = (await owned_assets(uow, user_id, [("assetId", asset_id)], errors)).get("assetId")
        if source is not None:
            errors.extend(_segment_errors(source, values))
            count = await uow.typed_metadata.count_segments(source.id)
            error = cap_error(count, MAX_SEGMENTS_PER_ASSET, "An asset", "temporal segments", "assetId")
            errors.extend([error] if error else [])
        raise_if_any(errors)
        added = await uow.typed_metadata.add_segment(asset_id, values)
        await uow.commit()
    return added


async def update_segment(
    uow: UnitOfWork, user_id: int, segment_id: int, given: Mapping[str, Any]
) -> TemporalSegmentRecord:
    """Change the fields in `given` (only those) of the caller's segment."""
    values, errors = clean_fields(given, SEGMENT_RULES, SEGMENT_NOT_NULL)
    async with uow:
        segment = await uow.typed_metadata.lock_segment(user_id, segment_id)
        if segment is None:
            raise ClientErrors([NotFound("temporal segment", field="segmentId"), *errors])
        source = (await owned_assets(uow, user_id, [("segmentId", segment.asset_id)], errors))["segmentId"]
        error = time_within(source, values.get("timestamp_sec"), "timestampSec")
        raise_if_any([*errors, *([error] if error else [])])
        updated = await uow.typed_metadata.update_segment(segment.id, values) if values else segment
        await uow.commit()
    return updated


async def remove_segment(uow: UnitOfWork, user_id: int, segment_id: int) -> int:
    async with uow:
        if not await uow.typed_metadata.remove_segment(user_id, segment_id):
            raise NotFound("temporal segment", field="segmentId")
        await uow.commit()
    return segment_id
