"""The subscriptions (graphql-transport-ws): a sync job's live progress and the caller's asset changes. Wiring
only: resolvers follow the changes, types convert."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum

import strawberry

from assetgraph.resolvers import live_changes as resolvers
from assetgraph.schema.asset import Asset, Info
from assetgraph.schema.lineage_refresh import LineageRefreshJob
from assetgraph.schema.sync_jobs import SyncJob


@strawberry.enum(description="What happened to an asset.")
class AssetChangeKind(Enum):
    CREATED = "created"
    UPLOAD = strawberry.enum_value("upload", description="An upload attempt was recorded, or a provider copy changed.")
    FLAG = strawberry.enum_value(
        "flag", description="A provider's moderation verdict was recorded: a flag set, cleared, or confirmed again."
    )


@strawberry.type(description="One committed change of one of the caller's assets.")
class AssetChangeEvent:
    change: AssetChangeKind
    asset: Asset = strawberry.field(description="The asset as it is once the change is committed.")
    missed_before: bool = strawberry.field(
        description="True when changes committed before this one may not have been sent (the subscriber fell a "
        "thousand changes behind, or the server's database connection was made again): read the gallery afresh."
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "A sync job's progress: the job as it is now, then the job again after each committed change (every "
            "page), ending after the job ends (SUCCEEDED, FAILED or CANCELLED). Relayed from whichever process runs "
            "the job. Errors: `jobId` NOT_FOUND (malformed, missing or another user's)."
        )
    )
    async def sync_progress(self, info: Info, job_id: strawberry.ID) -> AsyncGenerator[SyncJob, None]:
        async for job in resolvers.sync_progress(info.context, job_id):
            yield SyncJob.from_record(job)

    @strawberry.subscription(
        description=(
            "A lineage refresh job's progress: the job now, then after each committed batch, ending after the job "
            "ends. Errors: `jobId` NOT_FOUND (malformed, missing or another user's)."
        )
    )
    async def lineage_refresh_progress(
        self, info: Info, job_id: strawberry.ID
    ) -> AsyncGenerator[LineageRefreshJob, None]:
        async for job in resolvers.lineage_progress(info.context, job_id):
            yield LineageRefreshJob.from_record(job)

    @strawberry.subscription(
        description=(
            "The caller's assets as they change, from now on: created (uploads, URL imports, syncs), an upload "
            "attempt recorded, a provider flag changed. Relayed from whichever process commits the change."
        )
    )
    async def asset_changed(self, info: Info) -> AsyncGenerator[AssetChangeEvent, None]:
        async for change, asset in resolvers.asset_changes(info.context):
            yield AssetChangeEvent(
                change=AssetChangeKind(change.change), asset=Asset.from_row(asset), missed_before=change.missed_before
            )
