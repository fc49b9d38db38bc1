"""GraphQL enums: the domain's vocabularies, registered with Strawberry under their GraphQL names."""

from __future__ import annotations

import strawberry

from assetgraph.domain import asset_query, enums

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
