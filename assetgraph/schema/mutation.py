"""The Mutation root: wiring only. Each feature's mutations are a class of their own module, inherited here.

Every mutation takes one `input` and returns a payload with `errors: [UserError!]!`: expected failures (bad input,
not found, refused) are returned there, never raised (resolvers/mutations.py).
"""

from __future__ import annotations

import strawberry

from assetgraph.schema.branches import BranchMutations
from assetgraph.schema.clips import ClipMutations
from assetgraph.schema.lineage_refresh import LineageRefreshMutations
from assetgraph.schema.pixverse_sync import PixverseSyncMutations
from assetgraph.schema.provider_account import ProviderAccountMutations
from assetgraph.schema.sync_jobs import SyncJobMutations
from assetgraph.schema.typed_metadata_mutations import TypedMetadataMutations
from assetgraph.schema.uploads import DeliveryMutations, UploadMutations


@strawberry.type
class Mutation(
    ProviderAccountMutations,
    UploadMutations,
    DeliveryMutations,
    PixverseSyncMutations,
    SyncJobMutations,
    LineageRefreshMutations,
    BranchMutations,
    ClipMutations,
    TypedMetadataMutations,
):
    pass
