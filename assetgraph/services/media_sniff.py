"""Recognising a file's media type from its first bytes, with puremagic's signature database."""

from __future__ import annotations

import puremagic

from assetgraph.domain.media_types import SniffedType, accepted_type

_GLB_MAGIC = b"glTF"  # binary glTF 2.0, which puremagic's database lacks


def sniff(head: bytes) -> SniffedType | None:
    """What the bytes are, if the library keeps that kind of file; the declared type is never consulted."""
    if head[:4] == _GLB_MAGIC and head[4:8] == (2).to_bytes(4, "little"):
        return accepted_type(["model/gltf-binary"])
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    ranked = sorted(matches, key=lambda match: -match.confidence)
    return accepted_type([match.mime_type for match in ranked if match.mime_type])
