"""refreshAssetLineage in the schema: its input, payload and result types. Wiring only."""

from __future__ import annotations

from datetime import datetime

import strawberry

from assetgraph.domain.lineage_refresh import (
    INLINE_REFRESH_MAX,
    MAX_REFRESH_IDS,
    LineageJobRecord,
    LineageRefreshStatus,
    LineageScope,
)
from assetgraph.resolvers import lineage_refresh as resolvers
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.asset import Info
from assetgraph.schema.enums import SyncJobStatus
from assetgraph.schema.node import Node
from assetgraph.schema.user_errors import UserError, user_errors

strawberry.enum(LineageScope, name="LineageScope", description="CURRENT_USER: every asset of the caller.")
strawberry.enum(
    LineageRefreshStatus,
    name="LineageRefreshStatus",
    description="What a lineage refresh did with one asset. REBUILT: the payload was read and edges written "
    "(removedEdges deleted, newEdges inserted). UNCHANGED: read, and no edge removed or added. NO_METADATA: not a "
    "Pixverse asset or no payload: its edges are left alone. NOT_FOUND: no such asset of the caller's (another "
    "user's reads the same); nothing touched. FAILED: the rebuild was rolled back: its edges are as they were.",
)


@strawberry.input(description="Exactly one of assetIds, providerId or scope.")
class RefreshAssetLineageInput:
    asset_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description=f"The caller's assets, at most {MAX_REFRESH_IDS}."
    )
    provider_id: str | None = strawberry.field(default=None, description="Every asset of the caller's from it.")
    scope: LineageScope | None = strawberry.field(default=None, description="CURRENT_USER: all the caller's assets.")
    clear_existing: bool = strawberry.field(
        default=True,
        description="True: each asset's edges become exactly those its payload names. False: those are added to "
        "the edges it has.",
    )


@strawberry.type(name="LineageRefreshResult", description="One asset's lineage refresh.")
class LineageRefreshResultType:
    asset_id: strawberry.ID = strawberry.field(description="The asset, as given for an id that was not found.")
    provider_id: str | None
    removed_edges: int
    new_edges: int
    status: LineageRefreshStatus
    error: str | None = strawberry.field(description="Why a FAILED or NO_METADATA asset was not rebuilt.")


@strawberry.type(
    description=f"A lineage refresh of more than {INLINE_REFRESH_MAX} assets (a provider's or all the caller's), run "
    "in the background by a worker, batch by batch; follow it with lineageRefreshProgress."
)
class LineageRefreshJob(Node):
    database_id: int
    provider_id: str | None = strawberry.field(description="The provider whose assets it rebuilds; null: all.")
    clear_existing: bool
    status: SyncJobStatus
    total: int = strawberry.field(description="Assets it goes through (those existing when it was started).")
    done: int = strawberry.field(description="Assets gone through so far, each batch committed with its counts.")
    rebuilt: int
    unchanged: int
    no_metadata: int
    failed: int
    removed_edges: int
    new_edges: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_record(cls, job: LineageJobRecord) -> LineageRefreshJob:
        counts = job.counts
        return cls(
            id=strawberry.ID(to_global_id(NodeType.LINEAGE_JOB, job.id)), database_id=job.id,
            provider_id=job.provider_id, clear_existing=job.clear_existing, status=job.status, total=job.total,
            done=job.done, rebuilt=counts.rebuilt, unchanged=counts.unchanged, no_metadata=counts.no_metadata,
            failed=counts.failed, removed_edges=counts.removed_edges, new_edges=counts.new_edges, error=job.error,
            created_at=job.created_at, started_at=job.started_at, updated_at=job.updated_at,
            finished_at=job.finished_at,
        )  # fmt: skip


@strawberry.type
class RefreshAssetLineagePayload:
    job: LineageRefreshJob | None = strawberry.field(
        description=f"For a provider or scope of more than {INLINE_REFRESH_MAX} assets: the background job doing the "
        "refresh (then `results` is empty), or the one in the way (LINEAGE_REFRESH_RUNNING). Null otherwise."
    )
    count: int = strawberry.field(description="How many assets have a result.")
    results: list[LineageRefreshResultType] = strawberry.field(
        description="One per distinct id in the order given, or one per asset of the provider or scope, by id."
    )
    errors: list[UserError] = strawberry.field(
        description="`assetIds`/`providerId`/`scope` BAD_USER_INPUT (none or more than one given), `assetIds` "
        "TOO_MANY_ITEMS, `providerId` UNKNOWN_PROVIDER, `scope`/`providerId` LINEAGE_REFRESH_RUNNING, "
        "JOBS_UNAVAILABLE. Then nothing is rebuilt."
    )


_NO_METADATA_REASON = "Not a Pixverse asset, or no Pixverse payload stored: there is nothing to read lineage from."


@strawberry.type
class LineageRefreshMutations:
    @strawberry.mutation(
        description="Rebuild lineage edges from the Pixverse payloads stored on the caller's assets, finding or "
        "creating each parent. Each asset's rebuild is atomic: a failure leaves its old edges. A provider or scope of "
        f"more than {INLINE_REFRESH_MAX} assets is queued as a background job (`job`). Manual only: nothing schedules "
        "it."
    )
    async def refresh_asset_lineage(self, info: Info, input: RefreshAssetLineageInput) -> RefreshAssetLineagePayload:
        outcome = await resolvers.refresh_asset_lineage(
            info.context, input.asset_ids, input.provider_id, input.scope, input.clear_existing
        )
        results = [
            LineageRefreshResultType(
                asset_id=strawberry.ID(r.asset_id),
                provider_id=r.result.provider_id,
                removed_edges=r.result.removed_edges,
                new_edges=r.result.new_edges,
                status=r.result.status,
                error=r.result.error
                if r.result.status is not LineageRefreshStatus.NO_METADATA
                else _NO_METADATA_REASON,
            )
            for r in (outcome.value.refreshed if outcome.value is not None else [])
        ]
        errors = list(outcome.errors)
        job = outcome.value.job if outcome.value is not None else None
        if outcome.value is not None and outcome.value.error is not None:
            errors.append(outcome.value.error)
        return RefreshAssetLineagePayload(
            job=LineageRefreshJob.from_record(job) if job is not None else None,
            count=len(results),
            results=results,
            errors=user_errors(errors),
        )


@strawberry.type
class LineageRefreshQueries:
    @strawberry.field(description="One of the caller's lineage refresh jobs; null when missing or not the caller's.")
    async def lineage_refresh_job(self, info: Info, id: strawberry.ID) -> LineageRefreshJob | None:
        job = await resolvers.lineage_job_by_global_id(info.context, id)
        return LineageRefreshJob.from_record(job) if job is not None else None
