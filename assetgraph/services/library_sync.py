"""Whole-library sync as a durable background job (SPEC section 7): start, cancel and read jobs.

Starting checks the account as an import would, then inserts the job (the database allows one active job per
account) and queues it; the worker runs it (services/library_sync_run.py). Another user's job or account reads
exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.errors import BadUserInput, ClientError, ErrorCode, NotFound
from assetgraph.domain.library_sync import LIBRARY_SYNC_MAX_PAGE_SIZE, SyncCursor, SyncJobRecord
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.services.job_queueing import JobsUnavailable, enqueue
from assetgraph.services.pixverse_sync import pixverse_account
from assetgraph.services.resources import Resources


class SyncAlreadyRunning(ClientError):
    code = ErrorCode.SYNC_ALREADY_RUNNING


class SyncJobFinished(ClientError):
    code = ErrorCode.SYNC_JOB_FINISHED


@dataclass(frozen=True)
class JobAnswer:
    """A job and, when the call did not do what it asked, why (the job is then the one in the way, or as it is)."""

    job: SyncJobRecord | None
    error: ClientError | None = None


def _check_page_size(page_size: int) -> None:
    if not 1 <= page_size <= LIBRARY_SYNC_MAX_PAGE_SIZE:
        raise BadUserInput(
            f"'pageSize' must be between 1 and {LIBRARY_SYNC_MAX_PAGE_SIZE} (got {page_size})", field="pageSize"
        )


async def start_library_sync(
    resources: Resources, user_id: int, account_id: int | None, mode: SyncMode, page_size: int
) -> JobAnswer:
    """Queue a sync of the whole library of the caller's Pixverse account. When the account already has an active
    job, that job comes back with SYNC_ALREADY_RUNNING and nothing new is queued."""
    _check_page_size(page_size)
    account = await pixverse_account(resources, user_id, account_id)
    if resources.jobs is None:
        raise JobsUnavailable("This server has no job queue.")
    uow = resources.unit_of_work()
    async with uow:
        job = await uow.sync_jobs.add(user_id, account.record.id, mode, page_size, SyncCursor.start(mode))
        if job is None:
            running = await uow.sync_jobs.active_for_account(user_id, account.record.id)
            return JobAnswer(running, SyncAlreadyRunning("This account's library is already being synced."))
        await uow.commit()
    await enqueue(resources, job.id, resources.jobs.defer_library_sync, lambda uow: uow.sync_jobs)
    return JobAnswer(job)


async def cancel_library_sync(resources: Resources, user_id: int, job_id: int | None) -> JobAnswer:
    """Ask the caller's job to stop: a queued job is cancelled at once, a running one after its current page.
    A job that already ended comes back as it ended, with SYNC_JOB_FINISHED."""
    uow = resources.unit_of_work()
    async with uow:
        cancelled = await uow.sync_jobs.request_cancel(user_id, job_id) if job_id is not None else None
        if cancelled is not None:
            await uow.commit()
            return JobAnswer(cancelled)
        job = await uow.sync_jobs.of_user(user_id, job_id) if job_id is not None else None
    if job is None:
        raise NotFound("sync job", field="jobId")
    return JobAnswer(job, SyncJobFinished(f"This job has already ended ({job.status.value})."))


async def sync_job(resources: Resources, user_id: int, job_id: int | None) -> SyncJobRecord | None:
    """The caller's job, None for a missing id or another user's."""
    if job_id is None:
        return None
    uow = resources.unit_of_work()
    async with uow:
        return await uow.sync_jobs.of_user(user_id, job_id)


@dataclass(frozen=True)
class SyncJobPage:
    jobs: list[SyncJobRecord]
    has_next_page: bool
    total_count: int


async def sync_jobs(resources: Resources, user_id: int, first: int, before_id: int | None) -> SyncJobPage:
    """The caller's jobs, newest first: `first` of them after the cursor's job."""
    uow = resources.unit_of_work()
    async with uow:
        rows = await uow.sync_jobs.page_of_user(user_id, first + 1, before_id)
        total = await uow.sync_jobs.count_of_user(user_id)
    return SyncJobPage(rows[:first], len(rows) > first, total)
