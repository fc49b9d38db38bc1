"""Clips of the caller's assets: spans of a video or an audio track, possibly extracted into an asset of their
own. Every problem is reported at once and nothing is written; another user's asset or clip reads as missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assetgraph.domain.branching import (
    CLIP_NOT_NULL,
    CLIP_RULES,
    MAX_CLIPS_PER_ASSET,
    ClipRecord,
    clip_span_errors,
)
from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors, NotFound
from assetgraph.domain.field_rules import clean_fields, raise_if_any
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.asset_parts import cap_error, owned_assets


async def clips_of_assets(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
) -> dict[int, list[ClipRecord]]:
    async with uow:
        return await uow.clips.of_assets(user_id, asset_ids, max_rows=max_rows)


def _split(given: Mapping[str, Any]) -> tuple[dict[str, Any], bool, int | None]:
    """The clip's own fields; whether `extracted_asset_id` was sent, and its value (None clears it)."""
    fields = {name: value for name, value in given.items() if name != "extracted_asset_id"}
    extracted = given.get("extracted_asset_id")
    return fields, "extracted_asset_id" in given, int(extracted) if extracted is not None else None


def _named(source_field: str, source_id: int, extracted: int | None) -> list[tuple[str, int]]:
    """The assets a clip input names, locked together in one statement (in id order: no two writers deadlock)."""
    named = [(source_field, source_id)]
    return [*named, ("extractedAssetId", extracted)] if extracted is not None and extracted != source_id else named


def _itself(source_id: int, extracted: int | None) -> list[ClientError]:
    if extracted != source_id:
        return []
    return [BadUserInput("A clip's extracted asset must be another asset than its source.", field="extractedAssetId")]


async def add_clip(uow: UnitOfWork, user_id: int, asset_id: int, given: Mapping[str, Any]) -> ClipRecord:
    """A new clip of the caller's asset; `given` holds its fields by snake_case name."""
    fields, _, extracted = _split(given)
    values, errors = clean_fields(fields, CLIP_RULES, CLIP_NOT_NULL)
    async with uow:
        source = (await owned_assets(uow, user_id, _named("assetId", asset_id, extracted), errors)).get("assetId")
        if source is not None:
            errors.extend(clip_span_errors(source, values.get("start_time"), values.get("end_time")))
            count = await uow.clips.count(source.id)
            error = cap_error(count, MAX_CLIPS_PER_ASSET, "An asset", "clips", "assetId")
            errors.extend([error, *_itself(source.id, extracted)] if error else _itself(source.id, extracted))
        raise_if_any(errors)
        added = await uow.clips.add(asset_id, {**values, "extracted_asset_id": extracted})
        await uow.commit()
    return added


async def update_clip(uow: UnitOfWork, user_id: int, clip_id: int, given: Mapping[str, Any]) -> ClipRecord:
    """Change the fields in `given` (only those) of the caller's clip; the span is checked as it will be stored."""
    fields, extracted_sent, extracted = _split(given)
    values, errors = clean_fields(fields, CLIP_RULES, CLIP_NOT_NULL)
    async with uow:
        clip = await uow.clips.lock(user_id, clip_id)
        if clip is None:
            raise ClientErrors([NotFound("clip", field="clipId"), *errors])
        named = _named("clipId", clip.source_asset_id, extracted if extracted_sent else None)
        source = (await owned_assets(uow, user_id, named, errors))["clipId"]
        if "start_time" in values or "end_time" in values:
            start, end = values.get("start_time", clip.start_time), values.get("end_time", clip.end_time)
            errors.extend(clip_span_errors(source, start, end, end_alone="start_time" not in values))
        if extracted_sent:
            errors.extend(_itself(source.id, extracted))
            values["extracted_asset_id"] = extracted
        raise_if_any(errors)
        updated = await uow.clips.update(clip.id, values) if values else clip
        await uow.commit()
    return updated


async def remove_clip(uow: UnitOfWork, user_id: int, clip_id: int) -> int:
    """Delete the caller's clip (an asset extracted from it stays); returns its id."""
    async with uow:
        if not await uow.clips.remove(user_id, clip_id):
            raise NotFound("clip", field="clipId")
        await uow.commit()
    return clip_id
