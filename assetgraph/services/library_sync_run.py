"""Running a library sync job, page by page, for the worker (jobs/worker.py calls it by job id).

Each page is read from Pixverse outside any transaction, then imported in one transaction that also locks the job
row, checks that its cursor is still where the page was read from, and commits the page's counts and the next
cursor with the assets. A worker killed at any point leaves either the whole page or none of it; the job runs again
from its cursor (procrastinate's retry, or the stalled-worker maintenance) and creates nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assetgraph.config import Settings
from assetgraph.domain.errors import ClientError
from assetgraph.domain.library_sync import PageProgress, SyncJobRecord, SyncJobStatus, cursor_after_page
from assetgraph.domain.pixverse_items import (
    PIXVERSE_PROVIDER_ID,
    PixverseItem,
    PixverseItemStatus,
    SyncOutcome,
    read_item,
)
from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.persistence.run_locks import sync_job_run_lock
from assetgraph.providers.base import MediaKind, ProviderError, ProviderPage
from assetgraph.services.pixverse_sync import (
    PixverseAccount,
    SyncedItem,
    import_items,
    pixverse_account,
    provider_trouble,
)
from assetgraph.services.resources import Resources

logger = logging.getLogger(__name__)

_RETRYABLE = frozenset({UploadErrorCode.RATE_LIMITED, UploadErrorCode.PROVIDER_UNAVAILABLE, UploadErrorCode.TIMEOUT})


@dataclass(frozen=True)
class SyncRunPolicy:
    page_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SyncRunPolicy:
        return cls(settings.sync_page_attempts, settings.sync_retry_backoff_seconds)

    def wait_before(self, attempt: int, retry_after: float | None) -> float:
        """The pause before try number `attempt` (2, 3, ...): doubling, or the provider's Retry-After if longer."""
        wait = min(self.backoff_seconds * 2.0 ** (attempt - 2), self.backoff_max_seconds)
        return max(wait, min(retry_after or 0.0, self.backoff_max_seconds))


def _progress(outcomes: Sequence[SyncedItem]) -> PageProgress:
    counts = Counter(synced.outcome for synced in outcomes)
    flagged = sum(
        1
        for synced in outcomes
        if synced.outcome is SyncOutcome.CREATED and synced.item.state.status is PixverseItemStatus.FILTERED
    )
    return PageProgress(
        seen=len(outcomes),
        created=counts[SyncOutcome.CREATED],
        skipped=counts[SyncOutcome.SKIPPED_EXISTING],
        flagged=flagged,
        processing=counts[SyncOutcome.PROCESSING],
        failed=counts[SyncOutcome.FAILED],
    )


async def _read_page(
    resources: Resources, account: PixverseAccount, job: SyncJobRecord, policy: SyncRunPolicy
) -> ProviderPage:
    """The page at the job's cursor, tried again on rate limits, outages and timeouts (with backoff)."""
    assert job.cursor.kind is not None
    adapter = resources.providers.require(PIXVERSE_PROVIDER_ID)
    attempt = 1
    while True:
        try:
            return await adapter.list_page(
                account.credentials, MediaKind(job.cursor.kind.value), job.cursor.offset, job.page_size
            )
        except ProviderError as error:
            if error.code not in _RETRYABLE or attempt >= policy.page_attempts:
                raise
            attempt += 1
            wait = policy.wait_before(attempt, error.retry_after)
            logger.info("sync_page_retry", extra={"sync_job_id": job.id, "attempt": attempt, "wait": wait})
            await asyncio.sleep(wait)


async def _import_page(resources: Resources, job: SyncJobRecord, page: ProviderPage) -> SyncJobRecord | None:
    """Import the page read at `job.cursor` and commit it with the job's progress, and return the job as committed;
    None when the job moved on, ended or was asked to stop meanwhile (another worker took it, it was cancelled), in
    which case nothing is written."""
    kind = job.cursor.kind
    assert kind is not None
    items: list[PixverseItem] = [read_item(kind, raw) for raw in page.items]
    uow = resources.unit_of_work()
    async with uow:
        current = await uow.sync_jobs.get(job.id, lock=True)
        if current is None or current.finished or current.cancel_requested or current.cursor != job.cursor:
            return None
        outcomes = await import_items(uow, job.user_id, job.provider_account_id, items)
        following = cursor_after_page(job.mode, job.cursor, len(page.items), job.page_size, page.total)
        kind_total = (kind, page.total) if page.total is not None else None
        updated = await uow.sync_jobs.record_page(job.id, _progress(outcomes), following, kind_total)
        await uow.commit()
    return updated


async def _finish(resources: Resources, job_id: int, status: SyncJobStatus, error: str | None) -> None:
    uow = resources.unit_of_work()
    async with uow:
        await uow.sync_jobs.finish(job_id, status, error)
        await uow.commit()


async def _fail_on_provider_error(
    resources: Resources, account: PixverseAccount, job: SyncJobRecord, error: ProviderError
) -> None:
    trouble = await provider_trouble(resources, account, error)  # an expired session marks the account
    where = f"{job.cursor.kind.value if job.cursor.kind else ''} page at offset {job.cursor.offset}"
    await _finish(resources, job.id, SyncJobStatus.FAILED, f"Pixverse failed on the {where}: {trouble.message}")


async def run_library_sync(resources: Resources, sync_job_id: int, policy: SyncRunPolicy) -> None:
    """Run the job from its cursor to the end of the library, or until it is cancelled or fails; return at once
    when another runner (in this process or another) is running it."""
    async with sync_job_run_lock(resources.database, sync_job_id) as ours:
        if not ours:
            logger.info("sync_job_running_elsewhere", extra={"sync_job_id": sync_job_id})
            return
        await _run(resources, sync_job_id, policy)


async def _run(resources: Resources, sync_job_id: int, policy: SyncRunPolicy) -> None:
    uow = resources.unit_of_work()
    async with uow:
        job = await uow.sync_jobs.mark_running(sync_job_id)
        await uow.commit()
    if job is None:
        return  # ended already: cancelled while queued, or finished by an earlier run
    try:
        account = await pixverse_account(resources, job.user_id, job.provider_account_id)
    except ClientError as error:
        await _finish(resources, job.id, SyncJobStatus.FAILED, error.message)
        return
    current: SyncJobRecord | None = None
    while True:
        if current is None:
            async with uow:
                current = await uow.sync_jobs.get(sync_job_id)
        if current is None or current.finished:
            return
        if current.cancel_requested:
            pages = current.pages_done
            await _finish(resources, job.id, SyncJobStatus.CANCELLED, f"Cancelled after {pages} page(s).")
            return
        if current.cursor.kind is None:
            await _finish(resources, job.id, SyncJobStatus.SUCCEEDED, None)
            return
        try:
            page = await _read_page(resources, account, current, policy)
        except ProviderError as error:
            await _fail_on_provider_error(resources, account, current, error)
            return
        # The job as the page's transaction committed it: no second read per page. A cancel committed after that
        # is seen under the next page's lock, before anything of that page is written.
        current = await _import_page(resources, current, page)
