"""Input types and their conversion to the domain's query objects."""

from __future__ import annotations

from datetime import datetime

import strawberry

from assetgraph.domain.asset_query import AssetFilter
from assetgraph.schema.enums import ContentDomain, ContentRating, MediaType, UploadMethod
from assetgraph.schema.provider_status import ProviderStatus


@strawberry.input(description="All given conditions must hold. Lists mean 'any of'.")
class AssetFilterInput:
    media_type: list[MediaType] | None = None
    provider_id: str | None = strawberry.field(default=None, description="The asset's primary provider.")
    tags: list[str] | None = strawberry.field(default=None, description="Assets carrying all of these tags.")
    content_domain: list[ContentDomain] | None = None
    content_rating: list[ContentRating] | None = None
    upload_method: list[UploadMethod] | None = None
    include_age_restricted: bool = strawberry.field(
        default=False, description="Age-restricted assets are hidden unless this is true."
    )
    include_unsearchable: bool = strawberry.field(
        default=False, description="Assets marked not searchable are hidden unless this is true."
    )
    created_after: datetime | None = None
    created_before: datetime | None = None
    provider_status: list[ProviderStatus] | None = strawberry.field(
        default=None, description="Status at the asset's primary provider is any of these."
    )
    has_failed_upload: bool | None = strawberry.field(
        default=None, description="True: some provider's newest upload attempt failed. False: none did."
    )
    flagged: bool | None = strawberry.field(
        default=None, description="True: some provider currently flags the asset. False: none does."
    )

    def to_domain(self) -> AssetFilter:
        return AssetFilter(
            media_types=tuple(self.media_type or ()),
            provider_id=self.provider_id,
            tags=tuple(self.tags or ()),
            content_domains=tuple(self.content_domain or ()),
            content_ratings=tuple(self.content_rating or ()),
            upload_methods=tuple(self.upload_method or ()),
            include_age_restricted=self.include_age_restricted,
            include_unsearchable=self.include_unsearchable,
            created_after=self.created_after,
            created_before=self.created_before,
            provider_statuses=tuple(self.provider_status or ()),
            has_failed_upload=self.has_failed_upload,
            flagged=self.flagged,
        )
