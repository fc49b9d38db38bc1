"""A job worker: procrastinate's worker running the queue's tasks, kept alive through database outages, and the
maintenance that makes jobs outlive the workers that ran them."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from assetgraph.jobs.queue import JobQueue, JobRunners
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

_RECANCEL_SECONDS = 0.5


@dataclass(frozen=True)
class WorkerOptions:
    name: str
    concurrency: int
    heartbeat_seconds: float
    stalled_after_seconds: float
    """A worker silent for that long is taken for dead, and its jobs are queued again."""
    maintenance_seconds: float
    poll_seconds: float = 1.0
    """How often procrastinate looks for due jobs without a notification (its retries send none)."""
    restart_delay_seconds: float = 2.0


async def _maintain(queue: JobQueue, database: Database, options: WorkerOptions) -> None:
    """Every few seconds: queue again the jobs whose worker died (stale heartbeat), and the active sync and lineage
    jobs with no live queue entry (a start that died between its insert and its defer)."""
    while True:
        await asyncio.sleep(options.maintenance_seconds)
        try:
            requeued = await queue.requeue_stalled(options.stalled_after_seconds)
            if requeued:
                logger.warning("stalled_jobs_requeued", extra={"queue_job_ids": requeued})
            await _requeue_orphans(queue, UnitOfWork(database), options.stalled_after_seconds)
        except Exception:
            logger.warning("job_maintenance_failed", exc_info=True)


async def _requeue_orphans(queue: JobQueue, uow: UnitOfWork, older_than_seconds: float) -> None:
    async with uow:
        sync_orphans = await uow.sync_jobs.unqueued_active(older_than_seconds)
        lineage_orphans = await uow.lineage_jobs.unqueued_active(older_than_seconds)
    for sync_job_id in sync_orphans:
        queue_job_id = await queue.defer_library_sync(sync_job_id)
        if queue_job_id is not None:
            async with uow:
                await uow.sync_jobs.set_queue_job(sync_job_id, queue_job_id)
                await uow.commit()
            logger.warning("sync_job_requeued", extra={"sync_job_id": sync_job_id})
    for lineage_job_id in lineage_orphans:
        queue_job_id = await queue.defer_lineage_refresh(lineage_job_id)
        if queue_job_id is not None:
            async with uow:
                await uow.lineage_jobs.set_queue_job(lineage_job_id, queue_job_id)
                await uow.commit()
            logger.warning("lineage_job_requeued", extra={"lineage_job_id": lineage_job_id})


async def run_worker(queue: JobQueue, database: Database, runners: JobRunners, options: WorkerOptions) -> None:
    """Run jobs until cancelled. When the worker fails (its database connection lost), it starts again after a
    pause, so that a database restart does not end job processing for the life of the process."""
    maintenance = asyncio.create_task(_maintain(queue, database, options), name="job-maintenance")
    jobs = asyncio.create_task(_run_jobs(queue, runners, options), name="job-worker")
    try:
        await asyncio.shield(jobs)
    finally:
        await _cancel_until_done(jobs)
        maintenance.cancel()
        await asyncio.gather(maintenance, return_exceptions=True)


async def _cancel_until_done(task: asyncio.Task[None]) -> None:
    """Cancel `task` and wait for it to end, cancelling again while it runs on.

    A cancellation that arrives while procrastinate's worker is still starting (registering itself, waiting for a
    pooled connection) can be swallowed on the way (asyncio.wait_for before Python 3.12 drops a cancellation that
    races the result), and the worker then runs on as if nothing had been asked: an app shutting down would wait
    for it forever. Asked again, it stops.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=_RECANCEL_SECONDS)


async def _run_jobs(queue: JobQueue, runners: JobRunners, options: WorkerOptions) -> None:
    while True:
        try:
            await queue.app.run_worker_async(
                name=options.name,
                concurrency=options.concurrency,
                install_signal_handlers=False,
                additional_context=queue.worker_context(runners),
                update_heartbeat_interval=options.heartbeat_seconds,
                stalled_worker_timeout=options.stalled_after_seconds,
                fetch_job_polling_interval=options.poll_seconds,
                delete_jobs="successful",
            )
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("job_worker_failed", exc_info=True)
            await asyncio.sleep(options.restart_delay_seconds)
