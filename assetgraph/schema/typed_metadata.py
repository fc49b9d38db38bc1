"""Typed metadata of an asset in the schema (SPEC section 3): the audio, 3D and adult records, and temporal
segments. The mutations that write them are in typed_metadata_mutations.py."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

from assetgraph.domain.typed_metadata import (
    AdultMetadataRecord,
    AudioMetadataRecord,
    Model3DMetadataRecord,
    TemporalSegmentRecord,
)
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.node import Node
from assetgraph.schema.scalars import JSON, BigInt


def _fields(record: Any) -> dict[str, Any]:
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    values["asset_id"] = strawberry.ID(to_global_id(NodeType.ASSET, record.asset_id))
    return values


@strawberry.type(description="What is known of an audio track (an audio asset's, or a video's soundtrack).")
class AudioMetadata:
    asset_id: strawberry.ID
    sample_rate: int | None = strawberry.field(description="Samples per second.")
    channels: int | None
    bitrate: int | None = strawberry.field(description="Bits per second.")
    codec: str | None
    bpm: float | None = strawberry.field(description="Beats per minute.")
    key: str | None = strawberry.field(description="Musical key, such as `C minor`.")
    has_lyrics: bool | None
    is_speech: bool | None
    language: str | None
    voice_id: str | None
    extra: JSON = strawberry.field(description="What has no field of its own (a JSON object).")

    @classmethod
    def from_record(cls, record: AudioMetadataRecord) -> AudioMetadata:
        return cls(**_fields(record))


@strawberry.type(name="Model3DMetadata", description="What is known of a 3D model.")
class Model3DMetadata:
    asset_id: strawberry.ID
    polygon_count: BigInt | None
    vertex_count: BigInt | None
    file_format: str | None = strawberry.field(description="Such as `glb`, `fbx`, `obj`.")
    has_textures: bool | None
    has_animations: bool | None
    has_rigging: bool | None
    has_materials: bool | None
    material_count: int | None
    texture_resolution: str | None = strawberry.field(description="Such as `2048x2048`.")
    bounding_box_size: JSON | None
    extra: JSON = strawberry.field(description="What has no field of its own (a JSON object).")

    @classmethod
    def from_record(cls, record: Model3DMetadataRecord) -> Model3DMetadata:
        return cls(**_fields(record))


@strawberry.type(description="Descriptive metadata of adult content.")
class AdultMetadata:
    asset_id: strawberry.ID
    intensity_level: int | None = strawberry.field(description="0 to 10.")
    tempo: str | None
    scene_type: str | None
    intimacy_level: int | None = strawberry.field(description="0 to 10.")
    body_parts_visible: JSON | None
    clothing_state: str | None
    positions: JSON | None
    mood: str | None
    lighting: str | None
    extra: JSON = strawberry.field(description="What has no field of its own (a JSON object).")

    @classmethod
    def from_record(cls, record: AdultMetadataRecord) -> AdultMetadata:
        return cls(**_fields(record))


@strawberry.type(description="A moment of a video or an audio track: what is seen, heard and done there.")
class TemporalSegment(Node):
    database_id: int
    asset_id: strawberry.ID
    segment_type: str = strawberry.field(description="What kind of moment: `scene`, `shot`, `keyframe`, ...")
    timestamp_sec: float
    frame_number: int | None
    thumbnail_url: str | None
    description: str | None
    objects: JSON | None
    actions: JSON | None
    embedding: list[float] | None = strawberry.field(description="768 numbers, if computed.")
    brightness: float | None
    dominant_colors: JSON | None
    camera_motion: str | None
    extra: JSON = strawberry.field(description="What has no field of its own (a JSON object).")

    @classmethod
    def from_record(cls, record: TemporalSegmentRecord) -> TemporalSegment:
        values = _fields(record)
        values["database_id"] = values["id"]
        values["id"] = strawberry.ID(to_global_id(NodeType.TEMPORAL_SEGMENT, record.id))
        return cls(**values)
