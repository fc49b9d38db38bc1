"""A new asset as a library sync creates it: known by the provider's id for it, not by its bytes (none are here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assetgraph.domain.enums import MediaType, UploadMethod


@dataclass(frozen=True)
class SyncedAsset:
    user_id: int
    media_type: MediaType
    provider_id: str
    provider_asset_id: str
    provider_account_id: int
    remote_url: str | None
    thumbnail_url: str | None
    media_metadata: Any = field(repr=False)
    """The provider's payload, whole."""
    created_at: datetime | None = None
    """None: now, by the database's clock."""
    upload_method: UploadMethod = UploadMethod.SYNC
    moderation: dict[str, Any] | None = None
    """The provider's moderation verdict to record with the row (new_moderation_entry), for an item it filtered."""
