"""Typed metadata per media kind; each table keeps an `extra` JSON overflow for what has no column."""

from __future__ import annotations

from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from assetgraph.persistence.models.base import EMBEDDING_DIMENSIONS, Base, id_column


def _owning_asset(primary_key: bool) -> Mapped[int]:
    return mapped_column(
        BigInteger,
        ForeignKey("assets.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
        index=not primary_key,
    )


def _extra() -> Mapped[Any]:
    return mapped_column(JSONB, nullable=False, server_default="{}")


class AudioMetadata(Base):
    __tablename__ = "audio_metadata"

    asset_id: Mapped[int] = _owning_asset(primary_key=True)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[int | None] = mapped_column(Integer)
    bitrate: Mapped[int | None] = mapped_column(Integer)
    codec: Mapped[str | None] = mapped_column(Text)
    bpm: Mapped[float | None] = mapped_column(Float)
    key: Mapped[str | None] = mapped_column(Text)
    has_lyrics: Mapped[bool | None] = mapped_column(Boolean)
    is_speech: Mapped[bool | None] = mapped_column(Boolean)
    language: Mapped[str | None] = mapped_column(Text)
    voice_id: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[Any] = _extra()


class Model3DMetadata(Base):
    __tablename__ = "model3d_metadata"

    asset_id: Mapped[int] = _owning_asset(primary_key=True)
    polygon_count: Mapped[int | None] = mapped_column(BigInteger)
    vertex_count: Mapped[int | None] = mapped_column(BigInteger)
    file_format: Mapped[str | None] = mapped_column(Text)
    has_textures: Mapped[bool | None] = mapped_column(Boolean)
    has_animations: Mapped[bool | None] = mapped_column(Boolean)
    has_rigging: Mapped[bool | None] = mapped_column(Boolean)
    has_materials: Mapped[bool | None] = mapped_column(Boolean)
    material_count: Mapped[int | None] = mapped_column(Integer)
    texture_resolution: Mapped[str | None] = mapped_column(Text)
    bounding_box_size: Mapped[Any | None] = mapped_column(JSONB)
    extra: Mapped[Any] = _extra()


class TemporalSegment(Base):
    """A moment or span inside a video: what is seen and done there."""

    __tablename__ = "temporal_segments"

    id: Mapped[int] = id_column()
    asset_id: Mapped[int] = _owning_asset(primary_key=False)
    segment_type: Mapped[str] = mapped_column(Text, nullable=False)
    timestamp_sec: Mapped[float] = mapped_column(Float, nullable=False)
    frame_number: Mapped[int | None] = mapped_column(Integer)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    objects: Mapped[Any | None] = mapped_column(JSONB)
    actions: Mapped[Any | None] = mapped_column(JSONB)
    embedding: Mapped[Any | None] = mapped_column(Vector(EMBEDDING_DIMENSIONS))
    brightness: Mapped[float | None] = mapped_column(Float)
    dominant_colors: Mapped[Any | None] = mapped_column(JSONB)
    camera_motion: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[Any] = _extra()


class AdultMetadata(Base):
    __tablename__ = "adult_metadata"

    asset_id: Mapped[int] = _owning_asset(primary_key=True)
    intensity_level: Mapped[int | None] = mapped_column(Integer)
    tempo: Mapped[str | None] = mapped_column(Text)
    scene_type: Mapped[str | None] = mapped_column(Text)
    intimacy_level: Mapped[int | None] = mapped_column(Integer)
    body_parts_visible: Mapped[Any | None] = mapped_column(JSONB)
    clothing_state: Mapped[str | None] = mapped_column(Text)
    positions: Mapped[Any | None] = mapped_column(JSONB)
    mood: Mapped[str | None] = mapped_column(Text)
    lighting: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[Any] = _extra()
