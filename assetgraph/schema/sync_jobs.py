"""Whole-library sync jobs in the schema: start, cancel, read, list. Wiring only: resolvers decide, types convert."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from assetgraph.domain.enums import MediaType
from assetgraph.domain.library_sync import (
    LIBRARY_SYNC_DEFAULT_PAGE_SIZE,
    LIBRARY_SYNC_MAX_PAGE_SIZE,
    MAX_JOBS_PAGE,
    SyncJobRecord,
)
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.resolvers import sync_jobs as resolvers
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.asset import Info
from assetgraph.schema.connections import PageInfo
from assetgraph.schema.enums import SyncJobStatus
from assetgraph.schema.node import Node
from assetgraph.schema.user_errors import UserError, user_errors


@strawberry.type(description="A whole-library sync of one Pixverse account, run in the background by a worker.")
class SyncJob(Node):
    database_id: int
    account_id: strawberry.ID = strawberry.field(description="The ProviderAccount synced.")
    mode: SyncMode
    page_size: int
    status: SyncJobStatus
    pages_done: int = strawberry.field(description="Pages imported and committed (each with its counts).")
    seen: int = strawberry.field(description="Items listed so far: created + skipped + processing + failed.")
    created: int = strawberry.field(description="Assets created by this job.")
    skipped: int = strawberry.field(description="Items already imported before this job got to them.")
    flagged: int = strawberry.field(description="Of `created`, the ones Pixverse filtered (providerStatus FLAGGED).")
    processing: int = strawberry.field(description="Items still being made: not imported.")
    failed: int = strawberry.field(description="Failed, unreadable or id-less items: not imported.")
    total: int | None = strawberry.field(
        description="Items in the library over the mode's kinds, once Pixverse has reported each kind's count."
    )
    current_kind: MediaType | None = strawberry.field(description="The kind of the next page; null once done.")
    current_offset: int = strawberry.field(description="Where the next page starts in that kind's list.")
    error: str | None = strawberry.field(description="Why the job failed, or how it was cancelled.")
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_record(cls, job: SyncJobRecord) -> SyncJob:
        return cls(
            id=strawberry.ID(to_global_id(NodeType.SYNC_JOB, job.id)),
            database_id=job.id,
            account_id=strawberry.ID(to_global_id(NodeType.PROVIDER_ACCOUNT, job.provider_account_id)),
            mode=job.mode, page_size=job.page_size, status=job.status, pages_done=job.pages_done, seen=job.seen,
            created=job.created, skipped=job.skipped, flagged=job.flagged, processing=job.processing,
            failed=job.failed, total=job.total, current_kind=job.cursor.kind, current_offset=job.cursor.offset,
            error=job.error, cancel_requested=job.cancel_requested, created_at=job.created_at,
            started_at=job.started_at, updated_at=job.updated_at, finished_at=job.finished_at,
        )  # fmt: skip


@strawberry.input
class StartLibrarySyncInput:
    account_id: strawberry.ID = strawberry.field(description="The caller's Pixverse account.")
    mode: SyncMode = SyncMode.BOTH
    page_size: int = strawberry.field(
        default=LIBRARY_SYNC_DEFAULT_PAGE_SIZE,
        description=f"Items per Pixverse page, 1 to {LIBRARY_SYNC_MAX_PAGE_SIZE}; each page is one committed batch.",
    )


@strawberry.type
class SyncJobPayload:
    job: SyncJob | None = strawberry.field(
        description="The job: the one started or cancelled, or the one in the way (SYNC_ALREADY_RUNNING), or the "
        "ended one (SYNC_JOB_FINISHED); null on NOT_FOUND and input errors."
    )
    errors: list[UserError]

    @classmethod
    def from_outcome(cls, outcome: Outcome[resolvers.JobAnswer]) -> SyncJobPayload:
        answer = outcome.value
        errors = list(outcome.errors)
        if answer is not None and answer.error is not None:
            errors.append(answer.error)
        job = answer.job if answer is not None else None
        return cls(job=SyncJob.from_record(job) if job is not None else None, errors=user_errors(errors))


@strawberry.type
class SyncJobEdge:
    cursor: str
    node: SyncJob


@strawberry.type(description="The caller's sync jobs, newest first.")
class SyncJobConnection:
    edges: list[SyncJobEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_page(cls, page: resolvers.SyncJobPage) -> SyncJobConnection:
        edges = [SyncJobEdge(cursor=resolvers.job_cursor(job), node=SyncJob.from_record(job)) for job in page.jobs]
        info = PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return cls(edges=edges, page_info=info, total_count=page.total_count)


First = Annotated[int, strawberry.argument(description=f"0 to {MAX_JOBS_PAGE}.")]


@strawberry.type
class SyncJobQueries:
    @strawberry.field(description="One of the caller's sync jobs; null when missing or not the caller's.")
    async def sync_job(self, info: Info, id: strawberry.ID) -> SyncJob | None:
        job = await resolvers.job_by_global_id(info.context, id)
        return SyncJob.from_record(job) if job is not None else None

    @strawberry.field(description="The caller's sync jobs, newest first.")
    async def sync_jobs(self, info: Info, first: First = 20, after: str | None = None) -> SyncJobConnection:
        return SyncJobConnection.from_page(await resolvers.jobs_page(info.context, first, after))


@strawberry.type
class SyncJobMutations:
    @strawberry.mutation(
        description="Sync the whole Pixverse library of an account in the background: every page imported as "
        "syncPixverseAssets would, each committed with the job's progress (see syncJob and the syncProgress "
        "subscription). Survives worker and server restarts. Errors: `accountId` NOT_FOUND, BAD_USER_INPUT "
        "(another provider's), ACCOUNT_UNUSABLE, SYNC_ALREADY_RUNNING (with that job); `pageSize` BAD_USER_INPUT; "
        "JOBS_UNAVAILABLE."
    )
    async def start_library_sync(self, info: Info, input: StartLibrarySyncInput) -> SyncJobPayload:
        outcome = await resolvers.start(info.context, input.account_id, input.mode, input.page_size)
        return SyncJobPayload.from_outcome(outcome)

    @strawberry.mutation(
        description="Stop one of the caller's sync jobs: a queued job at once, a running one after its current "
        "page (status CANCELLED). Errors: `jobId` NOT_FOUND, SYNC_JOB_FINISHED (with the job as it ended)."
    )
    async def cancel_library_sync(self, info: Info, job_id: strawberry.ID) -> SyncJobPayload:
        return SyncJobPayload.from_outcome(await resolvers.cancel(info.context, job_id))
