"""Lineage refresh jobs. A user's reads are scoped to that user; the worker's go by job id alone.

Every insert and update of a row notifies `assetgraph_lineage_job` with its id (a trigger of migration 0007).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.library_sync import ACTIVE_STATUSES, SyncJobStatus
from assetgraph.domain.lineage_refresh import LineageBatchCounts, LineageJobRecord
from assetgraph.persistence.models import LineageJob

_ACTIVE_ROW = LineageJob.status.in_([status.value for status in ACTIVE_STATUSES])


def _record(row: Any) -> LineageJobRecord:
    return LineageJobRecord(
        id=row.id,
        user_id=row.user_id,
        provider_id=row.provider_id,
        clear_existing=row.clear_existing,
        status=SyncJobStatus(row.status),
        up_to_id=row.up_to_id,
        after_id=row.after_id,
        total=row.total,
        done=row.done,
        counts=LineageBatchCounts(
            rebuilt=row.rebuilt,
            unchanged=row.unchanged,
            no_metadata=row.no_metadata,
            failed=row.failed,
            removed_edges=row.removed_edges,
            new_edges=row.new_edges,
        ),
        error=row.error,
        created_at=row.created_at,
        started_at=row.started_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
    )


class LineageJobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _one(self, statement: Any) -> LineageJobRecord | None:
        row = (await self._connection.execute(statement)).first()
        return _record(row) if row is not None else None

    async def add(
        self, user_id: int, provider_id: str | None, clear_existing: bool, up_to_id: int, total: int
    ) -> LineageJobRecord | None:
        """A queued job; None when the user already has an active one (one at a time per user)."""
        return await self._one(
            pg_insert(LineageJob)
            .values(
                user_id=user_id, provider_id=provider_id, clear_existing=clear_existing, up_to_id=up_to_id, total=total
            )
            .on_conflict_do_nothing(index_elements=["user_id"], index_where=text("status IN ('queued', 'running')"))
            .returning(LineageJob)
        )

    async def active_of_user(self, user_id: int) -> LineageJobRecord | None:
        return await self._one(select(LineageJob).where(LineageJob.user_id == user_id, _ACTIVE_ROW))

    async def of_user(self, user_id: int, job_id: int) -> LineageJobRecord | None:
        return await self._one(select(LineageJob).where(LineageJob.id == job_id, LineageJob.user_id == user_id))

    async def get(self, job_id: int, *, lock: bool = False) -> LineageJobRecord | None:
        statement = select(LineageJob).where(LineageJob.id == job_id)
        return await self._one(statement.with_for_update() if lock else statement)

    async def set_queue_job(self, job_id: int, queue_job_id: int) -> None:
        await self._connection.execute(
            update(LineageJob).where(LineageJob.id == job_id).values(queue_job_id=queue_job_id)
        )

    async def mark_running(self, job_id: int) -> LineageJobRecord | None:
        """queued -> running (started_at kept from a first start); None unless the job is active."""
        return await self._one(
            update(LineageJob)
            .where(LineageJob.id == job_id, _ACTIVE_ROW)
            .values(
                status=SyncJobStatus.RUNNING.value,
                started_at=func.coalesce(LineageJob.started_at, func.now()),
                updated_at=func.now(),
            )
            .returning(LineageJob)
        )

    async def record_batch(
        self, job_id: int, assets: int, counts: LineageBatchCounts, after_id: int, last: bool
    ) -> LineageJobRecord | None:
        """Add one batch's counts and move the cursor past it; the last batch ends the job."""
        values: dict[str, Any] = {
            "done": LineageJob.done + assets,
            "rebuilt": LineageJob.rebuilt + counts.rebuilt,
            "unchanged": LineageJob.unchanged + counts.unchanged,
            "no_metadata": LineageJob.no_metadata + counts.no_metadata,
            "failed": LineageJob.failed + counts.failed,
            "removed_edges": LineageJob.removed_edges + counts.removed_edges,
            "new_edges": LineageJob.new_edges + counts.new_edges,
            "after_id": after_id,
            "updated_at": func.now(),
        }
        if last:
            values.update(status=SyncJobStatus.SUCCEEDED.value, finished_at=func.now())
        return await self._one(update(LineageJob).where(LineageJob.id == job_id).values(values).returning(LineageJob))

    async def finish(self, job_id: int, status: SyncJobStatus, error: str | None) -> LineageJobRecord | None:
        return await self._one(
            update(LineageJob)
            .where(LineageJob.id == job_id, _ACTIVE_ROW)
            .values(status=status.value, error=error, finished_at=func.now(), updated_at=func.now())
            .returning(LineageJob)
        )

    async def unqueued_active(self, older_than_seconds: float) -> list[int]:
        """Active jobs whose queue entry is missing or no longer alive: the worker queues them again."""
        rows = await self._connection.execute(
            text(
                """
                SELECT j.id FROM lineage_jobs j
                LEFT JOIN procrastinate_jobs q ON q.id = j.queue_job_id
                WHERE j.status IN ('queued', 'running')
                  AND j.updated_at < now() - make_interval(secs => :older)
                  AND (q.id IS NULL OR q.status NOT IN ('todo', 'doing'))
                """
            ),
            {"older": older_than_seconds},
        )
        return [row[0] for row in rows]
