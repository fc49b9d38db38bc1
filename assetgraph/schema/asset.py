"""The Asset type: every stored column of an asset, plus a global id."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from assetgraph.domain import enums
from assetgraph.resolvers.assets import ASSET_TYPE
from assetgraph.resolvers.global_ids import to_global_id
from assetgraph.schema.enums import ContentDomain, ContentRating, MediaType, UploadMethod
from assetgraph.schema.node import Node
from assetgraph.schema.scalars import JSON, BigInt

if TYPE_CHECKING:
    from assetgraph.persistence.models import Asset as AssetRow


@strawberry.type(name="Asset", description="One media file of the viewer's library.")
class Asset(Node):
    database_id: int = strawberry.field(description="The row id; prefer `id` in clients.")
    media_type: MediaType
    provider_id: str = strawberry.field(description="The primary provider; 'local' for library-only files.")
    provider_asset_id: str | None
    provider_account_id: strawberry.ID | None
    remote_url: str | None
    thumbnail_url: str | None
    storage_key: str | None
    sha256: str | None
    phash64: BigInt | None
    size_bytes: BigInt | None
    mime_type: str | None
    width: int | None
    height: int | None
    duration_sec: float | None
    description: str | None
    tags: list[str]
    style_tags: list[str]
    embedding: list[float] | None
    content_domain: ContentDomain
    content_category: str | None
    content_taxonomy: JSON | None
    content_rating: ContentRating
    age_restricted: bool
    searchable: bool
    original_source_url: str | None
    upload_method: UploadMethod
    media_metadata: JSON | None
    provider_uploads: JSON | None
    sync_status: str | None
    created_at: datetime
    updated_at: datetime
    last_accessed_at: datetime | None

    @classmethod
    def from_row(cls, row: AssetRow) -> Asset:
        return cls(
            id=strawberry.ID(to_global_id(ASSET_TYPE, row.id)),
            database_id=row.id,
            media_type=enums.MediaType(row.media_type),
            provider_id=row.provider_id,
            provider_asset_id=row.provider_asset_id,
            provider_account_id=(
                strawberry.ID(to_global_id("ProviderAccount", row.provider_account_id))
                if row.provider_account_id is not None
                else None
            ),
            remote_url=row.remote_url,
            thumbnail_url=row.thumbnail_url,
            storage_key=row.storage_key,
            sha256=row.sha256,
            phash64=BigInt(row.phash64) if row.phash64 is not None else None,
            size_bytes=BigInt(row.size_bytes) if row.size_bytes is not None else None,
            mime_type=row.mime_type,
            width=row.width,
            height=row.height,
            duration_sec=row.duration_sec,
            description=row.description,
            tags=list(row.tags or ()),
            style_tags=list(row.style_tags or ()),
            embedding=[float(x) for x in row.embedding] if row.embedding is not None else None,
            content_domain=enums.ContentDomain(row.content_domain),
            content_category=row.content_category,
            content_taxonomy=row.content_taxonomy,
            content_rating=enums.ContentRating(row.content_rating),
            age_restricted=row.age_restricted,
            searchable=row.searchable,
            original_source_url=row.original_source_url,
            upload_method=enums.UploadMethod(row.upload_method),
            media_metadata=row.media_metadata,
            provider_uploads=row.provider_uploads,
            sync_status=row.sync_status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_accessed_at=row.last_accessed_at,
        )
