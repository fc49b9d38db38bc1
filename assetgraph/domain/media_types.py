"""Which files the library keeps: media types recognised from a file's own bytes, never from what a client declares."""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.enums import MediaType

ACCEPTED: dict[str, MediaType] = {
    "image/png": MediaType.IMAGE,
    "image/jpeg": MediaType.IMAGE,
    "image/webp": MediaType.IMAGE,
    "image/gif": MediaType.IMAGE,
    "video/mp4": MediaType.VIDEO,
    "video/quicktime": MediaType.VIDEO,
    "video/webm": MediaType.VIDEO,
    "audio/mpeg": MediaType.AUDIO,
    "audio/wav": MediaType.AUDIO,
    "audio/ogg": MediaType.AUDIO,
    "audio/flac": MediaType.AUDIO,
    "model/gltf-binary": MediaType.MODEL_3D,
}
"""Canonical MIME type -> what the library files it as."""

# Names the sniffing library may give for an accepted type.
_ALIASES = {"audio/wave": "audio/wav", "audio/x-wav": "audio/wav", "audio/x-flac": "audio/flac"}


@dataclass(frozen=True)
class SniffedType:
    mime_type: str
    media_type: MediaType


def accepted_type(candidates: list[str]) -> SniffedType | None:
    """The first candidate MIME type (best first) the library keeps, or None."""
    for candidate in candidates:
        mime = _ALIASES.get(candidate, candidate)
        if mime in ACCEPTED:
            return SniffedType(mime, ACCEPTED[mime])
    return None
