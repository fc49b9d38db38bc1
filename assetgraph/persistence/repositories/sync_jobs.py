"""Sync jobs. A user's reads and writes are scoped to that user; the worker's reads go by job id alone.

Every insert and update of a row notifies `assetgraph_sync_job` with its id (a trigger of migration 0006), on commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.enums import MediaType
from assetgraph.domain.library_sync import ACTIVE_STATUSES, PageProgress, SyncCursor, SyncJobRecord, SyncJobStatus
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.persistence.models import SyncJob

_ACTIVE = [status.value for status in ACTIVE_STATUSES]


def _total(mode: SyncMode, kind_totals: Mapping[str, Any]) -> int | None:
    totals = [kind_totals.get(kind.value) for kind in mode.kinds]
    return sum(int(t) for t in totals if t is not None) if all(t is not None for t in totals) else None


def _record(row: Any) -> SyncJobRecord:
    mode = SyncMode(row.mode)
    return SyncJobRecord(
        id=row.id,
        user_id=row.user_id,
        provider_account_id=row.provider_account_id,
        mode=mode,
        page_size=row.page_size,
        status=SyncJobStatus(row.status),
        cursor=SyncCursor(MediaType(row.cursor_kind) if row.cursor_kind else None, row.cursor_offset),
        pages_done=row.pages_done,
        seen=row.seen,
        created=row.created,
        skipped=row.skipped,
        flagged=row.flagged,
        processing=row.processing,
        failed=row.failed,
        total=_total(mode, row.kind_totals),
        kind_totals={str(k): int(v) for k, v in row.kind_totals.items()},
        error=row.error,
        cancel_requested=row.cancel_requested,
        created_at=row.created_at,
        started_at=row.started_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
    )


_ACTIVE_ROW = SyncJob.status.in_(_ACTIVE)


class SyncJobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _one(self, statement: Any) -> SyncJobRecord | None:
        row = (await self._connection.execute(statement)).first()
        return _record(row) if row is not None else None

    async def add(
        self, user_id: int, account_id: int, mode: SyncMode, page_size: int, cursor: SyncCursor
    ) -> SyncJobRecord | None:
        """A new queued job; None when the account already has an active one (the unique index decides, so two
        concurrent starts cannot both succeed)."""
        statement = (
            pg_insert(SyncJob)
            .values(
                user_id=user_id,
                provider_account_id=account_id,
                mode=mode.value,
                page_size=page_size,
                cursor_kind=cursor.kind.value if cursor.kind else None,
                cursor_offset=cursor.offset,
            )
            .on_conflict_do_nothing(
                index_elements=["provider_account_id"], index_where=text("status IN ('queued', 'running')")
            )
            .returning(SyncJob)
        )
        return await self._one(statement)

    async def active_for_account(self, user_id: int, account_id: int) -> SyncJobRecord | None:
        return await self._one(
            select(SyncJob).where(SyncJob.user_id == user_id, SyncJob.provider_account_id == account_id, _ACTIVE_ROW)
        )

    async def of_user(self, user_id: int, job_id: int) -> SyncJobRecord | None:
        return await self._one(select(SyncJob).where(SyncJob.id == job_id, SyncJob.user_id == user_id))

    async def many_of_user(self, user_id: int, job_ids: Sequence[int]) -> dict[int, SyncJobRecord]:
        rows = await self._connection.execute(
            select(SyncJob).where(SyncJob.user_id == user_id, SyncJob.id.in_(sorted(set(job_ids))))
        )
        return {row.id: _record(row) for row in rows}

    async def page_of_user(self, user_id: int, limit: int, before_id: int | None) -> list[SyncJobRecord]:
        """The user's jobs newest first, `limit` of them, after (older than) `before_id` when given."""
        statement = select(SyncJob).where(SyncJob.user_id == user_id)
        if before_id is not None:
            statement = statement.where(SyncJob.id < before_id)
        rows = await self._connection.execute(statement.order_by(SyncJob.id.desc()).limit(limit))
        return [_record(row) for row in rows]

    async def count_of_user(self, user_id: int) -> int:
        return int(await self._connection.scalar(select(func.count()).where(SyncJob.user_id == user_id)) or 0)

    async def get(self, job_id: int, *, lock: bool = False) -> SyncJobRecord | None:
        """Any user's job, for the worker; `lock` holds the row until the transaction ends."""
        statement = select(SyncJob).where(SyncJob.id == job_id)
        return await self._one(statement.with_for_update() if lock else statement)

    async def set_queue_job(self, job_id: int, queue_job_id: int) -> None:
        await self._connection.execute(update(SyncJob).where(SyncJob.id == job_id).values(queue_job_id=queue_job_id))

    async def mark_running(self, job_id: int) -> SyncJobRecord | None:
        """queued -> running (started_at kept from a first start); None unless the job is active."""
        return await self._one(
            update(SyncJob)
            .where(SyncJob.id == job_id, _ACTIVE_ROW)
            .values(
                status=SyncJobStatus.RUNNING.value,
                started_at=func.coalesce(SyncJob.started_at, func.now()),
                updated_at=func.now(),
            )
            .returning(SyncJob)
        )

    async def record_page(
        self, job_id: int, progress: PageProgress, following: SyncCursor, kind_total: tuple[MediaType, int] | None
    ) -> SyncJobRecord | None:
        """Add one page's counts and move the cursor, finishing the job when the cursor has run out."""
        values: dict[str, Any] = {
            "pages_done": SyncJob.pages_done + 1,
            "seen": SyncJob.seen + progress.seen,
            "created": SyncJob.created + progress.created,
            "skipped": SyncJob.skipped + progress.skipped,
            "flagged": SyncJob.flagged + progress.flagged,
            "processing": SyncJob.processing + progress.processing,
            "failed": SyncJob.failed + progress.failed,
            "cursor_kind": following.kind.value if following.kind else None,
            "cursor_offset": following.offset,
            "updated_at": func.now(),
        }
        if kind_total is not None:
            kind, total = kind_total
            values["kind_totals"] = SyncJob.kind_totals.op("||")(func.jsonb_build_object(kind.value, total))
        if following.kind is None:
            values.update(status=SyncJobStatus.SUCCEEDED.value, finished_at=func.now())
        return await self._one(update(SyncJob).where(SyncJob.id == job_id).values(values).returning(SyncJob))

    async def set_kind_totals(self, job_id: int, kind_totals: Mapping[MediaType, int]) -> None:
        await self._connection.execute(
            update(SyncJob)
            .where(SyncJob.id == job_id)
            .values(kind_totals={kind.value: total for kind, total in kind_totals.items()}, updated_at=func.now())
        )

    async def finish(self, job_id: int, status: SyncJobStatus, error: str | None) -> SyncJobRecord | None:
        """An active job ends with `status`; None when it had already ended."""
        return await self._one(
            update(SyncJob)
            .where(SyncJob.id == job_id, _ACTIVE_ROW)
            .values(status=status.value, error=error, finished_at=func.now(), updated_at=func.now())
            .returning(SyncJob)
        )

    async def request_cancel(self, user_id: int, job_id: int) -> SyncJobRecord | None:
        """Ask the user's active job to stop: a queued one is cancelled at once, a running one after its current
        page. None when the user has no such job or it already ended."""
        queued = SyncJob.status == SyncJobStatus.QUEUED.value
        return await self._one(
            update(SyncJob)
            .where(SyncJob.id == job_id, SyncJob.user_id == user_id, _ACTIVE_ROW)
            .values(
                cancel_requested=True,
                status=case((queued, SyncJobStatus.CANCELLED.value), else_=SyncJob.status),
                error=case((queued, "Cancelled before it started."), else_=SyncJob.error),
                finished_at=case((queued, func.now()), else_=SyncJob.finished_at),
                updated_at=func.now(),
            )
            .returning(SyncJob)
        )

    async def unqueued_active(self, older_than_seconds: float) -> list[int]:
        """Active jobs whose queue entry is missing or no longer alive (a start that died before deferring, a
        queue job that failed outright): the worker queues them again."""
        rows = await self._connection.execute(
            text(
                """
                SELECT s.id FROM sync_jobs s
                LEFT JOIN procrastinate_jobs q ON q.id = s.queue_job_id
                WHERE s.status IN ('queued', 'running')
                  AND s.updated_at < now() - make_interval(secs => :older)
                  AND (q.id IS NULL OR q.status NOT IN ('todo', 'doing'))
                """
            ),
            {"older": older_than_seconds},
        )
        return [job_id for (job_id,) in rows]
