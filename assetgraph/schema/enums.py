"""GraphQL enums: the domain's vocabularies, registered with Strawberry under their GraphQL names."""

from __future__ import annotations

import strawberry

from assetgraph.domain import asset_query, enums, library_sync

MediaType = enums.MediaType
ContentDomain = enums.ContentDomain
ContentRating = enums.ContentRating
UploadMethod = enums.UploadMethod
ProviderAccountStatus = enums.ProviderAccountStatus
BranchType = enums.BranchType
AssetOrder = asset_query.AssetOrder

for _vocabulary in (
    MediaType,
    ContentDomain,
    ContentRating,
    UploadMethod,
    AssetOrder,
    ProviderAccountStatus,
    BranchType,
):
    strawberry.enum(_vocabulary, name=_vocabulary.__name__)

SyncJobStatus = library_sync.SyncJobStatus
strawberry.enum(
    SyncJobStatus,
    name="SyncJobStatus",
    description="The status of a background job (a library sync, a lineage refresh). QUEUED and RUNNING are active; "
    "the others are final.",
)
