"""The job queue: procrastinate over psycopg 3, on the same database as everything else.

Its tables come from migration 0006. The queue knows task names and arguments only; what a task does is given to
the worker by whoever assembles it (cli.py, app.py), so that jobs stay below services in the layers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import procrastinate
import psycopg_pool
from procrastinate.exceptions import AlreadyEnqueued

logger = logging.getLogger(__name__)

LIBRARY_SYNC_TASK = "library_sync"
LINEAGE_REFRESH_TASK = "lineage_refresh"
TASKS = (LIBRARY_SYNC_TASK, LINEAGE_REFRESH_TASK)
_RUNNERS = "runners"
"""The key of the worker's context under which the JobRunners are found."""

JobRunner = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class JobRunners:
    """What each task does, given by whoever assembles the worker: a job id -> awaitable per task."""

    library_sync: JobRunner
    lineage_refresh: JobRunner


# A runner that raises (the database gone mid-page, say) is tried again later; after that many attempts the
# sync job is left to the worker's maintenance, which queues it again once nothing runs it.
_TASK_RETRY = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2)


def _queueing_lock(sync_job_id: int) -> str:
    return f"sync_job:{sync_job_id}"


def _build_app() -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector())

    @app.task(name=LIBRARY_SYNC_TASK, pass_context=True, retry=_TASK_RETRY)
    async def library_sync(context: procrastinate.JobContext, sync_job_id: int) -> None:
        runners: JobRunners = context.additional_context[_RUNNERS]
        await runners.library_sync(sync_job_id)

    @app.task(name=LINEAGE_REFRESH_TASK, pass_context=True, retry=_TASK_RETRY)
    async def lineage_refresh(context: procrastinate.JobContext, lineage_job_id: int) -> None:
        runners: JobRunners = context.additional_context[_RUNNERS]
        await runners.lineage_refresh(lineage_job_id)

    return app


class JobQueue:
    """Defers jobs; `app` is what a worker runs (jobs/worker.py)."""

    def __init__(self, app: procrastinate.App) -> None:
        self.app = app

    @classmethod
    @asynccontextmanager
    async def open(cls, dsn: str) -> AsyncIterator[JobQueue]:
        """The queue over a libpq DSN. Its connections are made in the background, so that the server starts (and
        says it is not ready) while the database is down; each one is checked before use, so that they come back
        after a database restart."""
        pool = psycopg_pool.AsyncConnectionPool(
            conninfo=dsn,
            min_size=1,
            max_size=4,
            open=False,
            check=psycopg_pool.AsyncConnectionPool.check_connection,
        )
        await pool.open(wait=False)
        try:
            app = _build_app()
            async with app.open_async(pool=pool):
                yield cls(app)
        finally:
            await pool.close()

    async def defer_library_sync(self, sync_job_id: int) -> int | None:
        """Queue the sync job; its queue job's id, or None when one is already waiting for it."""
        try:
            return await self.app.configure_task(
                LIBRARY_SYNC_TASK, queueing_lock=_queueing_lock(sync_job_id)
            ).defer_async(sync_job_id=sync_job_id)
        except AlreadyEnqueued:
            return None

    async def defer_lineage_refresh(self, lineage_job_id: int) -> int | None:
        """Queue the lineage refresh job; its queue job's id, or None when one is already waiting for it."""
        try:
            return await self.app.configure_task(
                LINEAGE_REFRESH_TASK, queueing_lock=f"lineage_job:{lineage_job_id}"
            ).defer_async(lineage_job_id=lineage_job_id)
        except AlreadyEnqueued:
            return None

    async def requeue_stalled(self, stalled_after_seconds: float) -> list[int]:
        """Put the jobs of workers that stopped sending heartbeats back in the queue; their ids."""
        requeued = []
        for task in TASKS:
            stalled = await self.app.job_manager.get_stalled_jobs(
                task_name=task, seconds_since_heartbeat=stalled_after_seconds
            )
            for job in stalled:
                assert job.id is not None
                await self.app.job_manager.retry_job(job)
                requeued.append(job.id)
        return requeued

    def worker_context(self, runners: JobRunners) -> dict[str, Any]:
        return {_RUNNERS: runners}
