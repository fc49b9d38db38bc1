"""Lineage refreshes too large for one request (over INLINE_REFRESH_MAX assets) run as background jobs.

The job walks the user's assets (of a provider, or all) by id, up to the newest id when it was started, one batch at
a time through the same rebuild as a refresh in the request (services/lineage_refresh.py). After each batch its
cursor and counts are committed; a worker that dies resumes from the last committed batch, and redoing a batch
changes nothing (edges are inserted ON CONFLICT DO NOTHING). One active refresh job per user; one runner per job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from assetgraph.domain.errors import ClientError, ErrorCode
from assetgraph.domain.lineage_refresh import (
    INLINE_REFRESH_MAX,
    REFRESH_BATCH_SIZE,
    LineageBatchCounts,
    LineageJobRecord,
    LineageRefreshResult,
)
from assetgraph.persistence.run_locks import lineage_job_run_lock
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.job_queueing import JobsUnavailable, enqueue
from assetgraph.services.lineage_refresh import LineageSelection, check_selection, rebuild_batch, refresh_lineage
from assetgraph.services.resources import Resources

logger = logging.getLogger(__name__)


class LineageRefreshRunning(ClientError):
    code = ErrorCode.LINEAGE_REFRESH_RUNNING


@dataclass(frozen=True)
class LineageRefreshOutcome:
    """A refresh done in the request (`results`), or queued as a job (`job`, and no results yet)."""

    results: list[LineageRefreshResult]
    job: LineageJobRecord | None = None
    error: ClientError | None = None
    """Why nothing was queued (LINEAGE_REFRESH_RUNNING: `job` is then the one in the way)."""


async def refresh_or_queue(
    resources: Resources, user_id: int, selection: LineageSelection, clear_existing: bool
) -> LineageRefreshOutcome:
    """Rebuild the selected assets' lineage in the request, or, for a provider or scope of more than
    INLINE_REFRESH_MAX assets, queue a job that does (followed with lineageRefreshJob / lineageRefreshProgress)."""
    check_selection(resources, selection)
    if selection.asset_ids is None:
        uow = resources.unit_of_work()
        async with uow:
            up_to_id = await uow.lineage_writes.last_id(user_id)
            total = await uow.lineage_writes.count_sources(user_id, selection.provider_id, up_to_id)
        if total > INLINE_REFRESH_MAX:
            return await start_lineage_job(resources, user_id, selection.provider_id, clear_existing, up_to_id, total)
    return LineageRefreshOutcome(await refresh_lineage(resources, user_id, selection, clear_existing))


async def start_lineage_job(
    resources: Resources, user_id: int, provider_id: str | None, clear_existing: bool, up_to_id: int, total: int
) -> LineageRefreshOutcome:
    """Queue the refresh; the job. When the user already has one queued or running, that one comes back with
    LINEAGE_REFRESH_RUNNING. Raises JobsUnavailable when nothing can be queued (then nothing is started)."""
    if resources.jobs is None:
        raise JobsUnavailable("This server has no job queue.")
    uow = resources.unit_of_work()
    async with uow:
        job = await uow.lineage_jobs.add(user_id, provider_id, clear_existing, up_to_id, total)
        if job is None:
            running = await uow.lineage_jobs.active_of_user(user_id)
            error = LineageRefreshRunning(
                "A lineage refresh of yours is already queued or running: follow it with lineageRefreshJob.",
                field="scope" if provider_id is None else "providerId",
            )
            return LineageRefreshOutcome([], running, error)
        await uow.commit()
    await enqueue(resources, job.id, resources.jobs.defer_lineage_refresh, lambda uow: uow.lineage_jobs)
    return LineageRefreshOutcome([], job)


async def lineage_job(resources: Resources, user_id: int, job_id: int | None) -> LineageJobRecord | None:
    """The caller's job, None for a missing id or another user's."""
    if job_id is None:
        return None
    uow = resources.unit_of_work()
    async with uow:
        return await uow.lineage_jobs.of_user(user_id, job_id)


async def run_lineage_job(resources: Resources, job_id: int) -> None:
    """Run the job from its cursor to its end; return at once when another runner has it."""
    async with lineage_job_run_lock(resources.database, job_id) as ours:
        if not ours:
            logger.info("lineage_job_running_elsewhere", extra={"lineage_job_id": job_id})
            return
        await _run(resources, job_id)


async def _run(resources: Resources, job_id: int) -> None:
    uow = resources.unit_of_work()
    async with uow:
        job = await uow.lineage_jobs.mark_running(job_id)
        await uow.commit()
    while job is not None and not job.finished:
        async with uow:
            sources = await uow.lineage_writes.sources_page(
                job.user_id, job.provider_id, job.after_id, job.up_to_id, REFRESH_BATCH_SIZE
            )
        if not sources:
            async with uow:
                job = await uow.lineage_jobs.record_batch(job.id, 0, LineageBatchCounts(), job.after_id, last=True)
                await uow.commit()
            return
        # The progress is committed with the batch's edges: a worker that dies redoes a batch it never counted.
        record = partial(_record_batch, job.id, len(sources), sources[-1].id)
        await rebuild_batch(uow, job.user_id, sources, job.clear_existing, record)
        async with uow:
            job = await uow.lineage_jobs.get(job.id)


async def _record_batch(
    job_id: int, assets: int, after_id: int, uow: UnitOfWork, results: dict[int, LineageRefreshResult]
) -> None:
    await uow.lineage_jobs.record_batch(
        job_id, assets, LineageBatchCounts.of(list(results.values())), after_id, last=False
    )
