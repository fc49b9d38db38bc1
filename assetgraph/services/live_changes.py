"""Live changes for subscriptions: a sync job's progress and the caller's asset changes, as the database notifies
them (any process's commit), re-read from the database so that a subscriber sees committed state only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from assetgraph.domain.errors import NotFound
from assetgraph.domain.library_sync import SyncJobRecord
from assetgraph.domain.lineage_refresh import LineageJobRecord
from assetgraph.persistence.change_listener import ChangeListener
from assetgraph.persistence.change_notifications_sql import (
    ASSET_CHANGED_CHANNEL,
    ASSET_CHANGES,
    LINEAGE_JOB_CHANNEL,
    SYNC_JOB_CHANNEL,
)
from assetgraph.services.library_sync import sync_job
from assetgraph.services.lineage_jobs import lineage_job
from assetgraph.services.resources import Resources


def _listener(resources: Resources) -> ChangeListener:
    if resources.changes is None:
        raise RuntimeError("these resources have no change listener")
    return resources.changes


class _Job(Protocol):
    @property
    def finished(self) -> bool: ...


J = TypeVar("J", bound=_Job)


async def _follow_job(
    resources: Resources,
    channel: str,
    job_id: int | None,
    read: Callable[[], Awaitable[J | None]],
    what: str,
) -> AsyncIterator[J]:
    """The job now, then each committed change of it, ending after the job ends. NotFound (field jobId) for a
    missing job or another user's, before anything is yielded. Consecutive notifications are read as one (the row
    holds the latest state); a state already sent is not sent again."""
    listener = _listener(resources)
    # Watch before reading: nothing committed after the read is missed.
    with listener.watch(channel, str(job_id)) as feed:
        job = await read()
        if job is None:
            raise NotFound(what, field="jobId")
        yield job
        while not job.finished:
            await feed.next_batch()
            current = await read()
            if current is None:  # removed with its account or its user
                return
            if current != job:
                job = current
                yield job


def follow_sync_job(resources: Resources, user_id: int, job_id: int | None) -> AsyncIterator[SyncJobRecord]:
    """The caller's sync job as it is now, then after each committed change (every page), until it ends."""
    return _follow_job(resources, SYNC_JOB_CHANNEL, job_id, lambda: sync_job(resources, user_id, job_id), "sync job")


def follow_lineage_job(resources: Resources, user_id: int, job_id: int | None) -> AsyncIterator[LineageJobRecord]:
    """The caller's lineage refresh job as it is now, then after each committed batch, until it ends."""
    return _follow_job(
        resources, LINEAGE_JOB_CHANNEL, job_id, lambda: lineage_job(resources, user_id, job_id), "lineage refresh job"
    )


@dataclass(frozen=True)
class AssetChange:
    asset_id: int
    change: str
    """One of change_notifications_sql.ASSET_CHANGES: created, upload (an attempt recorded or a copy changed),
    flag (the provider's moderation changed)."""
    missed_before: bool = False
    """Changes committed before this one may not have been relayed: the subscriber fell a thousand changes behind,
    or the server's listening connection was made again. Whoever shows the assets should read them afresh."""


async def follow_asset_changes(resources: Resources, user_id: int) -> AsyncIterator[list[AssetChange]]:
    """The changes of the caller's assets from now on, as committed, in batches of those that arrived together (a
    sync's page notifies one per item), oldest first; a subscriber reads the assets itself."""
    listener = _listener(resources)
    with listener.watch(ASSET_CHANGED_CHANNEL, str(user_id)) as feed:
        missed = False
        while True:
            batch = await feed.next_batch()
            missed = missed or batch.gap
            changes = [change for change in map(_parse_asset_change, batch.payloads) if change is not None]
            if changes:
                if missed:
                    changes[0] = replace(changes[0], missed_before=True)
                    missed = False
                yield changes


def _parse_asset_change(payload: str) -> AssetChange | None:
    _, asset_id, change = payload.split(":", 2) if payload.count(":") == 2 else ("", "", "")
    if not asset_id.isdigit() or change not in ASSET_CHANGES:
        return None
    return AssetChange(int(asset_id), change)
