"""The Query root: the viewer, node lookup and the gallery."""

from __future__ import annotations

import strawberry

from assetgraph.domain.asset_query import AssetFilter
from assetgraph.domain.asset_query import AssetOrder as DomainAssetOrder
from assetgraph.resolvers import assets as asset_resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import from_global_id, to_global_id
from assetgraph.schema.asset import Asset
from assetgraph.schema.connections import AssetConnection
from assetgraph.schema.enums import AssetOrder
from assetgraph.schema.inputs import AssetFilterInput
from assetgraph.schema.node import Node
from assetgraph.schema.provider_status import AssetStatusOverview, ProviderStatus

Info = strawberry.Info[Context, None]


@strawberry.type(name="User", description="The authenticated caller.")
class Viewer(Node):
    database_id: int
    email: str


def _viewer(info: Info) -> Viewer:
    viewer = info.context.require_viewer()
    return Viewer(
        id=strawberry.ID(to_global_id("User", viewer.user_id)), database_id=viewer.user_id, email=viewer.email
    )


async def _asset(info: Info, id: strawberry.ID) -> Asset | None:
    row = await asset_resolvers.asset_by_global_id(info.context, id)
    return Asset.from_row(row) if row is not None else None


@strawberry.type
class Query:
    @strawberry.field(description="The caller, as identified by the bearer token.")
    def viewer(self, info: Info) -> Viewer:
        return _viewer(info)

    @strawberry.field(description="Any object by global id; null when missing or not the caller's.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        decoded = from_global_id(id)
        if decoded is None:
            return None
        type_name, _ = decoded
        if type_name == asset_resolvers.ASSET_TYPE:
            return await _asset(info, id)
        if type_name == "User":
            viewer = _viewer(info)
            return viewer if viewer.id == id else None
        return None

    @strawberry.field(description="One of the caller's assets; null when missing or not the caller's.")
    async def asset(self, info: Info, id: strawberry.ID) -> Asset | None:
        return await _asset(info, id)

    @strawberry.field(description="The caller's assets, newest first by default, keyset-paginated.")
    async def assets(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AssetFilterInput | None = None,
        order_by: AssetOrder = DomainAssetOrder.CREATED_AT_DESC,
    ) -> AssetConnection:
        page = await asset_resolvers.assets_page(
            info.context,
            filter.to_domain() if filter else AssetFilter(),
            first,
            after,
            DomainAssetOrder(order_by),
        )
        return AssetConnection(page=page)

    @strawberry.field(description="Counts per primary provider status over the whole filtered set (one query).")
    async def asset_status_overview(self, info: Info, filter: AssetFilterInput | None = None) -> AssetStatusOverview:
        counts = await asset_resolvers.asset_status_overview(
            info.context, filter.to_domain() if filter else AssetFilter()
        )
        return AssetStatusOverview(
            ok=counts[ProviderStatus.OK],
            local_only=counts[ProviderStatus.LOCAL_ONLY],
            flagged=counts[ProviderStatus.FLAGGED],
            unknown=counts[ProviderStatus.UNKNOWN],
            total=sum(counts.values()),
        )
