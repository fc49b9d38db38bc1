"""`node(id)` and the caller: what a global id refers to, when the caller may see it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.identity import Viewer
from assetgraph.domain.library_sync import SyncJobRecord
from assetgraph.domain.lineage_refresh import LineageJobRecord
from assetgraph.domain.provider_accounts import ProviderAccountRecord
from assetgraph.domain.typed_metadata import TemporalSegmentRecord
from assetgraph.resolvers.asset_parts import branch_by_id, clip_by_id, segment_by_id, variant_by_id
from assetgraph.resolvers.assets import asset_by_id
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, from_global_id
from assetgraph.resolvers.lineage_refresh import lineage_job_by_id
from assetgraph.resolvers.provider_accounts import provider_account_by_id
from assetgraph.resolvers.sync_jobs import job_by_id

NodeValue = (
    AssetRecord
    | Viewer
    | ProviderAccountRecord
    | SyncJobRecord
    | LineageJobRecord
    | BranchRecord
    | VariantRecord
    | ClipRecord
    | TemporalSegmentRecord
)
"""What `node(id)` may find; the schema maps each to its GraphQL type."""


def viewer(context: Context) -> Viewer:
    """The authenticated caller."""
    return context.require_viewer()


async def _user(context: Context, user_id: int) -> Viewer | None:
    # A user is visible to themselves only.
    caller = context.require_viewer()
    return caller if caller.user_id == user_id else None


_FETCHERS: dict[NodeType, Callable[[Context, int], Awaitable[NodeValue | None]]] = {
    NodeType.ASSET: asset_by_id,
    NodeType.USER: _user,
    NodeType.PROVIDER_ACCOUNT: provider_account_by_id,
    NodeType.SYNC_JOB: job_by_id,
    NodeType.LINEAGE_JOB: lineage_job_by_id,
    NodeType.ASSET_BRANCH: branch_by_id,
    NodeType.ASSET_BRANCH_VARIANT: variant_by_id,
    NodeType.ASSET_CLIP: clip_by_id,
    NodeType.TEMPORAL_SEGMENT: segment_by_id,
}


async def node_by_global_id(context: Context, global_id: str) -> NodeValue | None:
    """The caller's object with this id, or None: malformed, unknown and other users' ids all look the same."""
    decoded = from_global_id(global_id)
    fetch = _FETCHERS.get(decoded.type) if decoded is not None else None
    if decoded is None or fetch is None:
        return None
    return await fetch(context, decoded.database_id)
