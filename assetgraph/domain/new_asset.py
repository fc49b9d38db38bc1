"""A new asset as an upload or an import creates it: the columns known when its bytes are stored."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from assetgraph.domain.enums import MediaType, UploadMethod


@dataclass(frozen=True)
class NewAsset:
    user_id: int
    media_type: MediaType
    provider_id: str
    storage_key: str
    sha256: str
    size_bytes: int
    mime_type: str
    upload_method: UploadMethod
    phash64: int | None = None
    width: int | None = None
    height: int | None = None
    original_source_url: str | None = None
    description: str | None = None
    media_metadata: dict[str, Any] = field(default_factory=dict)


NEW_ASSET_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(NewAsset))
