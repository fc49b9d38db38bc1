"""Resolvers of whole-library sync jobs: decode ids and cursors, call the service, hand its values back."""

from __future__ import annotations

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.library_sync import MAX_JOBS_PAGE, SyncJobRecord
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of, to_global_id
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import library_sync
from assetgraph.services.library_sync import JobAnswer, SyncJobPage

__all__ = ["JobAnswer", "SyncJobPage", "SyncJobRecord", "cancel", "job_by_global_id", "jobs_page", "start"]


def job_cursor(job: SyncJobRecord) -> str:
    return to_global_id(NodeType.SYNC_JOB, job.id)


async def start(context: Context, account_id: str, mode: SyncMode, page_size: int) -> Outcome[JobAnswer]:
    viewer = context.require_viewer()
    account = database_id_of(account_id, NodeType.PROVIDER_ACCOUNT)
    return await outcome_of(
        library_sync.start_library_sync(context.resources, viewer.user_id, account, mode, page_size)
    )


async def cancel(context: Context, job_id: str) -> Outcome[JobAnswer]:
    viewer = context.require_viewer()
    job = database_id_of(job_id, NodeType.SYNC_JOB)
    return await outcome_of(library_sync.cancel_library_sync(context.resources, viewer.user_id, job))


async def job_by_id(context: Context, database_id: int) -> SyncJobRecord | None:
    viewer = context.require_viewer()
    return await library_sync.sync_job(context.resources, viewer.user_id, database_id)


async def job_by_global_id(context: Context, global_id: str) -> SyncJobRecord | None:
    """The caller's job; None for a malformed id, a missing job or another user's."""
    database_id = database_id_of(global_id, NodeType.SYNC_JOB)
    return await job_by_id(context, database_id) if database_id is not None else None


async def jobs_page(context: Context, first: int, after: str | None) -> SyncJobPage:
    viewer = context.require_viewer()
    if not 0 <= first <= MAX_JOBS_PAGE:
        raise BadUserInput(f"'first' must be between 0 and {MAX_JOBS_PAGE} (got {first})", field="first")
    before_id = None
    if after is not None:
        before_id = database_id_of(after, NodeType.SYNC_JOB)
        if before_id is None:
            raise BadUserInput("'after' is not a cursor of this connection", field="after")
    return await library_sync.sync_jobs(context.resources, viewer.user_id, first, before_id)
