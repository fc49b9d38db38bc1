"""Mutations of typed metadata: set (create or change) and remove an asset's audio, 3D or adult record; add,
change and remove temporal segments. Another user's asset or segment reads as NOT_FOUND, like a missing one."""

from __future__ import annotations

import strawberry

from assetgraph.domain.field_rules import FLOAT32_MAX, JSON_SIZE, MAX_SHORT_TEXT_CHARS
from assetgraph.domain.typed_metadata import (
    MAX_LEVEL,
    MAX_SEGMENTS_PER_ASSET,
    AdultMetadataRecord,
    AudioMetadataRecord,
    MetadataKind,
    Model3DMetadataRecord,
    TemporalSegmentRecord,
    media_rule,
)
from assetgraph.resolvers import asset_parts as resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.branches import RemovedPayload, removed
from assetgraph.schema.scalars import JSON, BigInt
from assetgraph.schema.sent_fields import sent_fields
from assetgraph.schema.typed_metadata import AdultMetadata, AudioMetadata, Model3DMetadata, TemporalSegment
from assetgraph.schema.user_errors import UserError, user_errors

Info = strawberry.Info[Context, None]
UNSET = strawberry.UNSET
_SET = (
    "Creates the asset's record, or changes the fields given (only those) of the one it has; a null clears a field "
    f"(`extra`: refused). Texts: 1 to {MAX_SHORT_TEXT_CHARS} characters; counts and rates: 0 or more; JSON: at "
    f"most {JSON_SIZE}; `extra`: a JSON object."
)


def _errors(kind: MetadataKind) -> str:
    """The errors of a mutation writing `kind` metadata, the media types it takes read from the rule itself."""
    allowed = media_rule(kind)
    media = f"; BAD_USER_INPUT for an asset whose mediaType is not {allowed}" if allowed is not None else ""
    return f"Errors: `assetId` (NOT_FOUND{media}), any other field (BAD_USER_INPUT); on any, nothing is written."


@strawberry.input(description=_SET)
class SetAudioMetadataInput:
    asset_id: strawberry.ID = strawberry.field(description="One of the caller's audio or video assets.")
    sample_rate: int | None = UNSET
    channels: int | None = UNSET
    bitrate: int | None = UNSET
    codec: str | None = UNSET
    bpm: float | None = UNSET
    key: str | None = UNSET
    has_lyrics: bool | None = UNSET
    is_speech: bool | None = UNSET
    language: str | None = UNSET
    voice_id: str | None = UNSET
    extra: JSON | None = UNSET


@strawberry.input(name="SetModel3DMetadataInput", description=_SET)
class SetModel3DMetadataInput:
    asset_id: strawberry.ID = strawberry.field(description="One of the caller's 3D model assets.")
    polygon_count: BigInt | None = UNSET
    vertex_count: BigInt | None = UNSET
    file_format: str | None = UNSET
    has_textures: bool | None = UNSET
    has_animations: bool | None = UNSET
    has_rigging: bool | None = UNSET
    has_materials: bool | None = UNSET
    material_count: int | None = UNSET
    texture_resolution: str | None = UNSET
    bounding_box_size: JSON | None = strawberry.field(default=UNSET, description="At most 1024 bytes of JSON.")
    extra: JSON | None = UNSET


@strawberry.input(description=f"{_SET} Levels: 0 to {MAX_LEVEL}.")
class SetAdultMetadataInput:
    asset_id: strawberry.ID = strawberry.field(description="One of the caller's assets.")
    intensity_level: int | None = UNSET
    tempo: str | None = UNSET
    scene_type: str | None = UNSET
    intimacy_level: int | None = UNSET
    body_parts_visible: JSON | None = UNSET
    clothing_state: str | None = UNSET
    positions: JSON | None = UNSET
    mood: str | None = UNSET
    lighting: str | None = UNSET
    extra: JSON | None = UNSET


@strawberry.input
class RemoveAssetMetadataInput:
    asset_id: strawberry.ID


_SEGMENT = (
    f"Texts: 1 to {MAX_SHORT_TEXT_CHARS} characters (`description` 5000, `thumbnailUrl` 2048); `timestampSec`: 0 or "
    f"more, not past the asset's duration when known; `embedding`: 768 numbers, each at most {FLOAT32_MAX:.8g} in "
    "size (a 32-bit float); JSON: at most "
    f"{JSON_SIZE}; `extra`: a JSON object."
)


@strawberry.input(description=_SEGMENT)
class AddTemporalSegmentInput:
    asset_id: strawberry.ID = strawberry.field(description="One of the caller's video or audio assets.")
    segment_type: str
    timestamp_sec: float
    frame_number: int | None = None
    thumbnail_url: str | None = None
    description: str | None = None
    objects: JSON | None = None
    actions: JSON | None = None
    embedding: list[float] | None = None
    brightness: float | None = None
    dominant_colors: JSON | None = None
    camera_motion: str | None = None
    extra: JSON | None = UNSET


@strawberry.input(
    description="Only the fields given change; a null clears a field (`segmentType`, `timestampSec`, `extra`: "
    f"refused). {_SEGMENT}"
)
class UpdateTemporalSegmentInput:
    segment_id: strawberry.ID
    segment_type: str | None = UNSET
    timestamp_sec: float | None = UNSET
    frame_number: int | None = UNSET
    thumbnail_url: str | None = UNSET
    description: str | None = UNSET
    objects: JSON | None = UNSET
    actions: JSON | None = UNSET
    embedding: list[float] | None = UNSET
    brightness: float | None = UNSET
    dominant_colors: JSON | None = UNSET
    camera_motion: str | None = UNSET
    extra: JSON | None = UNSET


@strawberry.input
class RemoveTemporalSegmentInput:
    segment_id: strawberry.ID


@strawberry.type
class AudioMetadataPayload:
    audio_metadata: AudioMetadata | None = strawberry.field(description="As stored; null on errors.")
    errors: list[UserError]


@strawberry.type(name="Model3DMetadataPayload")
class Model3DMetadataPayload:
    model3d_metadata: Model3DMetadata | None = strawberry.field(description="As stored; null on errors.")
    errors: list[UserError]


@strawberry.type
class AdultMetadataPayload:
    adult_metadata: AdultMetadata | None = strawberry.field(description="As stored; null on errors.")
    errors: list[UserError]


@strawberry.type
class TemporalSegmentPayload:
    segment: TemporalSegment | None = strawberry.field(description="As stored; null on errors.")
    errors: list[UserError]


def _segment(outcome: Outcome[TemporalSegmentRecord]) -> TemporalSegmentPayload:
    segment = TemporalSegment.from_record(outcome.value) if outcome.value is not None else None
    return TemporalSegmentPayload(segment=segment, errors=user_errors(outcome.errors))


async def _set(info: Info, kind: MetadataKind, input: object, asset_id: str) -> tuple[object, list[UserError]]:
    """Set one kind of metadata from the fields `input` sent: the record as stored (None on errors), and the errors."""
    given = sent_fields(input, exclude=("asset_id",))
    outcome = await resolvers.set_metadata(info.context, kind, asset_id, given)
    return outcome.value, user_errors(outcome.errors)


async def _remove(info: Info, kind: MetadataKind, asset_id: str) -> RemovedPayload:
    return removed(NodeType.ASSET, await resolvers.remove_metadata(info.context, kind, asset_id))


_REMOVE = "Remove the asset's {} metadata; `removedId` is the asset's id. Errors: `assetId` (NOT_FOUND)."


@strawberry.type
class TypedMetadataMutations:
    @strawberry.mutation(description=f"Set an audio or video asset's audio metadata. {_errors(MetadataKind.AUDIO)}")
    async def set_audio_metadata(self, info: Info, input: SetAudioMetadataInput) -> AudioMetadataPayload:
        record, errors = await _set(info, MetadataKind.AUDIO, input, input.asset_id)
        found = AudioMetadata.from_record(record) if isinstance(record, AudioMetadataRecord) else None
        return AudioMetadataPayload(audio_metadata=found, errors=errors)

    @strawberry.mutation(description=f"Set a 3D model asset's metadata. {_errors(MetadataKind.MODEL_3D)}")
    async def set_model3d_metadata(self, info: Info, input: SetModel3DMetadataInput) -> Model3DMetadataPayload:
        record, errors = await _set(info, MetadataKind.MODEL_3D, input, input.asset_id)
        found = Model3DMetadata.from_record(record) if isinstance(record, Model3DMetadataRecord) else None
        return Model3DMetadataPayload(model3d_metadata=found, errors=errors)

    @strawberry.mutation(
        description=f"Set an asset's adult-content metadata (any media type). {_errors(MetadataKind.ADULT)}"
    )
    async def set_adult_metadata(self, info: Info, input: SetAdultMetadataInput) -> AdultMetadataPayload:
        record, errors = await _set(info, MetadataKind.ADULT, input, input.asset_id)
        found = AdultMetadata.from_record(record) if isinstance(record, AdultMetadataRecord) else None
        return AdultMetadataPayload(adult_metadata=found, errors=errors)

    @strawberry.mutation(description=_REMOVE.format("audio"))
    async def remove_audio_metadata(self, info: Info, input: RemoveAssetMetadataInput) -> RemovedPayload:
        return await _remove(info, MetadataKind.AUDIO, input.asset_id)

    @strawberry.mutation(description=_REMOVE.format("3D"))
    async def remove_model3d_metadata(self, info: Info, input: RemoveAssetMetadataInput) -> RemovedPayload:
        return await _remove(info, MetadataKind.MODEL_3D, input.asset_id)

    @strawberry.mutation(description=_REMOVE.format("adult"))
    async def remove_adult_metadata(self, info: Info, input: RemoveAssetMetadataInput) -> RemovedPayload:
        return await _remove(info, MetadataKind.ADULT, input.asset_id)

    @strawberry.mutation(
        description=f"Add a temporal segment to a video or audio asset (at most {MAX_SEGMENTS_PER_ASSET} each). "
        f"{_errors(MetadataKind.TEMPORAL_SEGMENT)} `assetId` may also be TOO_MANY_ITEMS."
    )
    async def add_temporal_segment(self, info: Info, input: AddTemporalSegmentInput) -> TemporalSegmentPayload:
        given = sent_fields(input, exclude=("asset_id",))
        return _segment(await resolvers.add_segment(info.context, input.asset_id, given))

    @strawberry.mutation(
        description="Change a temporal segment. Errors: `segmentId` (NOT_FOUND), any other field (BAD_USER_INPUT); "
        "on any, nothing changes."
    )
    async def update_temporal_segment(self, info: Info, input: UpdateTemporalSegmentInput) -> TemporalSegmentPayload:
        given = sent_fields(input, exclude=("segment_id",))
        return _segment(await resolvers.update_segment(info.context, input.segment_id, given))

    @strawberry.mutation(description="Remove a temporal segment. Errors: `segmentId` (NOT_FOUND).")
    async def remove_temporal_segment(self, info: Info, input: RemoveTemporalSegmentInput) -> RemovedPayload:
        return removed(NodeType.TEMPORAL_SEGMENT, await resolvers.remove_segment(info.context, input.segment_id))
