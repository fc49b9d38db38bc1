"""The Query root: the viewer, node lookup and the gallery. Wiring only: resolvers decide, types convert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from assetgraph.domain.asset_query import AssetFilter
from assetgraph.domain.asset_query import AssetOrder as DomainAssetOrder
from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.identity import Viewer
from assetgraph.domain.library_sync import SyncJobRecord
from assetgraph.domain.lineage_refresh import LineageJobRecord
from assetgraph.domain.provider_accounts import ProviderAccountRecord
from assetgraph.domain.typed_metadata import TemporalSegmentRecord
from assetgraph.resolvers import assets as asset_resolvers
from assetgraph.resolvers import nodes as node_resolvers
from assetgraph.resolvers.context import Context
from assetgraph.schema.asset import Asset
from assetgraph.schema.branches import AssetBranch, AssetBranchVariant
from assetgraph.schema.clips import AssetClip
from assetgraph.schema.connections import AssetConnection, connection_needs
from assetgraph.schema.enums import AssetOrder
from assetgraph.schema.hashes import HashQueries
from assetgraph.schema.inputs import AssetFilterInput
from assetgraph.schema.lineage import LineageQueries
from assetgraph.schema.lineage_refresh import LineageRefreshJob, LineageRefreshQueries
from assetgraph.schema.node import Node
from assetgraph.schema.pixverse_sync import PixverseSyncQueries
from assetgraph.schema.provider_account import ProviderAccount, ProviderAccountQueries
from assetgraph.schema.provider_status import AssetStatusOverview
from assetgraph.schema.sync_jobs import SyncJob, SyncJobQueries
from assetgraph.schema.typed_metadata import TemporalSegment
from assetgraph.schema.user import User

Info = strawberry.Info[Context, None]


_NODE_OF: dict[type, Callable[[Any], Node]] = {
    AssetRecord: Asset.from_row,
    Viewer: User.from_viewer,
    ProviderAccountRecord: ProviderAccount.from_record,
    SyncJobRecord: SyncJob.from_record,
    LineageJobRecord: LineageRefreshJob.from_record,
    BranchRecord: AssetBranch.from_record,
    VariantRecord: AssetBranchVariant.from_record,
    ClipRecord: AssetClip.from_record,
    TemporalSegmentRecord: TemporalSegment.from_record,
}
"""The GraphQL type of each value node(id) may find (resolvers/nodes.py NodeValue)."""


def _as_node(found: node_resolvers.NodeValue | None) -> Node | None:
    return _NODE_OF[type(found)](found) if found is not None else None


@strawberry.type
class Query(
    ProviderAccountQueries, HashQueries, PixverseSyncQueries, SyncJobQueries, LineageQueries, LineageRefreshQueries
):
    @strawberry.field(description="The caller, as identified by the bearer token.")
    def viewer(self, info: Info) -> User:
        return User.from_viewer(node_resolvers.viewer(info.context))

    @strawberry.field(description="Any object by global id; null when missing or not the caller's.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return _as_node(await node_resolvers.node_by_global_id(info.context, id))

    @strawberry.field(description="One of the caller's assets; null when missing or not the caller's.")
    async def asset(self, info: Info, id: strawberry.ID) -> Asset | None:
        row = await asset_resolvers.asset_by_global_id(info.context, id)
        return Asset.from_row(row) if row is not None else None

    @strawberry.field(description="The caller's assets, newest first by default, keyset-paginated.")
    async def assets(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AssetFilterInput | None = None,
        order_by: AssetOrder = DomainAssetOrder.CREATED_AT_DESC,
    ) -> AssetConnection:
        needs = connection_needs(info)
        page = await asset_resolvers.assets_page(
            info.context,
            filter.to_domain() if filter else AssetFilter(),
            first,
            after,
            DomainAssetOrder(order_by),
            with_total_count=needs.total_count,
            with_badges=needs.badges,
        )
        return AssetConnection(page=page)

    @strawberry.field(description="Counts per primary provider status over the whole filtered set (one query).")
    async def asset_status_overview(self, info: Info, filter: AssetFilterInput | None = None) -> AssetStatusOverview:
        overview = await asset_resolvers.asset_status_overview(
            info.context, filter.to_domain() if filter else AssetFilter()
        )
        return AssetStatusOverview.from_domain(overview)
