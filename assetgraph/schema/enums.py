"""GraphQL enums, exposing the domain's vocabularies under their GraphQL names."""

from __future__ import annotations

import strawberry

from assetgraph.domain import asset_query, enums

MediaType = strawberry.enum(enums.MediaType, name="MediaType")
ContentDomain = strawberry.enum(enums.ContentDomain, name="ContentDomain")
ContentRating = strawberry.enum(enums.ContentRating, name="ContentRating")
UploadMethod = strawberry.enum(enums.UploadMethod, name="UploadMethod")
AssetOrder = strawberry.enum(asset_query.AssetOrder, name="AssetOrder")
