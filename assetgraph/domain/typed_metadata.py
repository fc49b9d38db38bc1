"""Typed metadata per media kind (SPEC section 3): what is kept, and the rules their inputs follow.

An asset has at most one audio, one 3D and one adult record, and any number of temporal segments (moments of a
video or an audio track, ordered by time). Each keeps an `extra` JSON object for what has no field of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assetgraph.domain.enums import MediaType
from assetgraph.domain.field_rules import (
    MAX_DESCRIPTION_CHARS,
    MAX_SHORT_TEXT_CHARS,
    MAX_URL_CHARS,
    Rule,
    finite,
    flag,
    json_value,
    non_negative,
    text,
    vector,
    whole,
)

EMBEDDING_DIMENSIONS = 768
MAX_SEGMENTS_PER_ASSET = 500
MAX_LEVEL = 10
"""Intensity and intimacy are levels from 0 to MAX_LEVEL."""


class MetadataKind(StrEnum):
    AUDIO = "audio"
    MODEL_3D = "3D model"
    ADULT = "adult"
    TEMPORAL_SEGMENT = "temporal segment"


MEDIA_OF_KIND: Mapping[MetadataKind, frozenset[str]] = {
    MetadataKind.AUDIO: frozenset({MediaType.AUDIO.value, MediaType.VIDEO.value}),
    MetadataKind.MODEL_3D: frozenset({MediaType.MODEL_3D.value}),
    MetadataKind.ADULT: frozenset(m.value for m in MediaType),
    MetadataKind.TEMPORAL_SEGMENT: frozenset({MediaType.AUDIO.value, MediaType.VIDEO.value}),
}


def media_rule(kind: MetadataKind) -> str | None:
    """Which assets may hold `kind` metadata, in the API's MediaType names ("AUDIO or VIDEO"); None: any asset."""
    allowed = MEDIA_OF_KIND[kind]
    if allowed == frozenset(m.value for m in MediaType):
        return None
    return " or ".join(sorted(MediaType(value).name for value in allowed))


"""The media types an asset may have to carry each kind of record."""

_EXTRA = json_value(object_only=True)
_SHORT = text(MAX_SHORT_TEXT_CHARS)

AUDIO_RULES: Mapping[str, Rule] = {
    "sample_rate": whole(),
    "channels": whole(),
    "bitrate": whole(),
    "codec": _SHORT,
    "bpm": non_negative(),
    "key": _SHORT,
    "has_lyrics": flag(),
    "is_speech": flag(),
    "language": _SHORT,
    "voice_id": _SHORT,
    "extra": _EXTRA,
}

MODEL3D_RULES: Mapping[str, Rule] = {
    "polygon_count": whole(high=2**63 - 1),
    "vertex_count": whole(high=2**63 - 1),
    "file_format": _SHORT,
    "has_textures": flag(),
    "has_animations": flag(),
    "has_rigging": flag(),
    "has_materials": flag(),
    "material_count": whole(),
    "texture_resolution": _SHORT,
    "bounding_box_size": json_value(1024),
    "extra": _EXTRA,
}

ADULT_RULES: Mapping[str, Rule] = {
    "intensity_level": whole(0, MAX_LEVEL),
    "tempo": _SHORT,
    "scene_type": _SHORT,
    "intimacy_level": whole(0, MAX_LEVEL),
    "body_parts_visible": json_value(),
    "clothing_state": _SHORT,
    "positions": json_value(),
    "mood": _SHORT,
    "lighting": _SHORT,
    "extra": _EXTRA,
}

SEGMENT_RULES: Mapping[str, Rule] = {
    "segment_type": _SHORT,
    "timestamp_sec": non_negative(),
    "frame_number": whole(),
    "thumbnail_url": text(MAX_URL_CHARS),
    "description": text(MAX_DESCRIPTION_CHARS, strip=False),
    "objects": json_value(),
    "actions": json_value(),
    "embedding": vector(EMBEDDING_DIMENSIONS),
    "brightness": finite(),
    "dominant_colors": json_value(),
    "camera_motion": _SHORT,
    "extra": _EXTRA,
}
SEGMENT_NOT_NULL = frozenset({"segment_type", "timestamp_sec", "extra"})
RECORD_NOT_NULL = frozenset({"extra"})
"""`extra` is an object, `{}` when empty: null is refused rather than stored."""


@dataclass(frozen=True, slots=True)
class AudioMetadataRecord:
    asset_id: int
    sample_rate: int | None
    channels: int | None
    bitrate: int | None
    codec: str | None
    bpm: float | None
    key: str | None
    has_lyrics: bool | None
    is_speech: bool | None
    language: str | None
    voice_id: str | None
    extra: Any


@dataclass(frozen=True, slots=True)
class Model3DMetadataRecord:
    asset_id: int
    polygon_count: int | None
    vertex_count: int | None
    file_format: str | None
    has_textures: bool | None
    has_animations: bool | None
    has_rigging: bool | None
    has_materials: bool | None
    material_count: int | None
    texture_resolution: str | None
    bounding_box_size: Any
    extra: Any


@dataclass(frozen=True, slots=True)
class AdultMetadataRecord:
    asset_id: int
    intensity_level: int | None
    tempo: str | None
    scene_type: str | None
    intimacy_level: int | None
    body_parts_visible: Any
    clothing_state: str | None
    positions: Any
    mood: str | None
    lighting: str | None
    extra: Any


@dataclass(frozen=True, slots=True)
class TemporalSegmentRecord:
    id: int
    asset_id: int
    segment_type: str
    timestamp_sec: float
    frame_number: int | None
    thumbnail_url: str | None
    description: str | None
    objects: Any
    actions: Any
    embedding: list[float] | None
    brightness: float | None
    dominant_colors: Any
    camera_motion: str | None
    extra: Any


MetadataRecord = AudioMetadataRecord | Model3DMetadataRecord | AdultMetadataRecord

RULES_OF_KIND: Mapping[MetadataKind, Mapping[str, Rule]] = {
    MetadataKind.AUDIO: AUDIO_RULES,
    MetadataKind.MODEL_3D: MODEL3D_RULES,
    MetadataKind.ADULT: ADULT_RULES,
    MetadataKind.TEMPORAL_SEGMENT: SEGMENT_RULES,
}
