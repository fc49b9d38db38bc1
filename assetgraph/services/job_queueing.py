"""Putting a job row (a sync, a lineage refresh) on the queue: the one rule for a queue that will not take it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from assetgraph.domain.errors import ClientError, ErrorCode
from assetgraph.domain.library_sync import SyncJobStatus
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.resources import Resources

logger = logging.getLogger(__name__)


class JobsUnavailable(ClientError):
    code = ErrorCode.JOBS_UNAVAILABLE


class _JobRows(Protocol):
    async def finish(self, job_id: int, status: SyncJobStatus, error: str | None) -> Any: ...

    async def set_queue_job(self, job_id: int, queue_job_id: int) -> None: ...


async def enqueue(
    resources: Resources,
    job_id: int,
    defer: Callable[[int], Awaitable[int | None]],
    rows: Callable[[UnitOfWork], _JobRows],
) -> None:
    """Defer the job and remember its queue entry. When the queue refuses it, the job is failed ("could not be
    queued", so that it is not left active for ever) and JobsUnavailable is raised."""
    uow = resources.unit_of_work()
    try:
        queue_job_id = await defer(job_id)
    except Exception:
        logger.exception("job_defer_failed", extra={"job_id": job_id})
        async with uow:
            await rows(uow).finish(job_id, SyncJobStatus.FAILED, "The job could not be queued.")
            await uow.commit()
        raise JobsUnavailable("The job could not be queued; try again shortly.") from None
    if queue_job_id is not None:  # None: an entry for it is already waiting
        async with uow:
            await rows(uow).set_queue_job(job_id, queue_job_id)
            await uow.commit()
