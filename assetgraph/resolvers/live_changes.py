"""Resolvers of the subscriptions: decode ids, follow the service's live changes, read what changed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.errors import NotFound
from assetgraph.domain.identity import Unauthenticated
from assetgraph.domain.library_sync import SyncJobRecord
from assetgraph.domain.lineage_refresh import LineageJobRecord
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.services.auth import authenticate
from assetgraph.services.live_changes import AssetChange, follow_asset_changes, follow_lineage_job, follow_sync_job

__all__ = ["AssetChange", "asset_changes", "lineage_progress", "sync_progress"]


async def _ensure_still_authenticated(context: Context) -> None:
    """A subscription outlives the check made when it started: before each later event, the socket's token must
    still be live, so that revoking a token ends its subscriptions (one indexed lookup an event)."""
    viewer = context.require_viewer()
    if context.credential is None:
        return  # not a socket: the request's own authentication covers its one response
    current = await authenticate(context.resources.database, context.credential)
    if current is None or current.user_id != viewer.user_id:
        raise Unauthenticated()


async def sync_progress(context: Context, job_id: str) -> AsyncIterator[SyncJobRecord]:
    """The caller's job now, then as it changes, until it ends; NotFound for a malformed, missing or other user's
    id."""
    viewer = context.require_viewer()
    database_id = database_id_of(job_id, NodeType.SYNC_JOB)
    if database_id is None:
        raise NotFound("sync job", field="jobId")
    first = True
    async for job in follow_sync_job(context.resources, viewer.user_id, database_id):
        if not first:
            await _ensure_still_authenticated(context)
        first = False
        yield job


async def lineage_progress(context: Context, job_id: str) -> AsyncIterator[LineageJobRecord]:
    """The caller's lineage refresh job now, then after each batch, until it ends; NotFound for a malformed,
    missing or other user's id."""
    viewer = context.require_viewer()
    database_id = database_id_of(job_id, NodeType.LINEAGE_JOB)
    if database_id is None:
        raise NotFound("lineage refresh job", field="jobId")
    first = True
    async for job in follow_lineage_job(context.resources, viewer.user_id, database_id):
        if not first:
            await _ensure_still_authenticated(context)
        first = False
        yield job


async def asset_changes(context: Context) -> AsyncIterator[tuple[AssetChange, AssetRecord]]:
    """Each change of the caller's assets with the asset as it is once the change is committed (an asset deleted
    meanwhile is left out)."""
    viewer = context.require_viewer()
    missed = False  # carried to the next event when the one that carried it was of an asset deleted since
    async for changes in follow_asset_changes(context.resources, viewer.user_id):
        await _ensure_still_authenticated(context)
        # The socket's context outlives these events: a cached row would be the asset before the change.
        context.reset_loaders()
        assets = await context.loaders.asset_by_id.load_many([change.asset_id for change in changes])
        for change, asset in zip(changes, assets, strict=True):
            missed = missed or change.missed_before
            if asset is not None:
                yield (replace(change, missed_before=True) if missed else change), asset
                missed = False
