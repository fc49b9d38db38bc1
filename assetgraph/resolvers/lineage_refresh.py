"""Resolver of refreshAssetLineage: decode the ids, call the service, hand its results back with the ids given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assetgraph.domain.errors import ClientError
from assetgraph.domain.lineage_refresh import LineageJobRecord, LineageRefreshResult, LineageScope
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of, to_global_id
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import lineage_jobs
from assetgraph.services.lineage_refresh import LineageSelection


@dataclass(frozen=True)
class RefreshAnswer:
    refreshed: list[RefreshedAsset]
    job: LineageJobRecord | None
    """The background job doing the refresh (then `refreshed` is empty), or the one in the way (`error`)."""
    error: ClientError | None


@dataclass(frozen=True)
class RefreshedAsset:
    asset_id: str
    """The global id: as given for an id that could not be read, so the caller can match its result."""
    result: LineageRefreshResult


async def refresh_asset_lineage(
    context: Context,
    asset_ids: Sequence[str] | None,
    provider_id: str | None,
    scope: LineageScope | None,
    clear_existing: bool,
) -> Outcome[RefreshAnswer]:
    viewer = context.require_viewer()
    if asset_ids is not None:
        asset_ids = list(dict.fromkeys(asset_ids))  # one result per distinct id, unreadable ones included
    ids = None if asset_ids is None else [database_id_of(given, NodeType.ASSET) for given in asset_ids]
    selection = LineageSelection(asset_ids=ids, provider_id=provider_id, scope=scope)
    outcome = await outcome_of(
        lineage_jobs.refresh_or_queue(context.resources, viewer.user_id, selection, clear_existing)
    )
    if outcome.value is None:
        return Outcome(errors=outcome.errors)
    refreshed = []
    for result in outcome.value.results:
        if result.asset_id is None:
            assert asset_ids is not None and result.position is not None
            shown = asset_ids[result.position]
        elif asset_ids is not None and result.position is not None:
            shown = asset_ids[result.position]  # another user's id reads back exactly as it was given
        else:
            shown = to_global_id(NodeType.ASSET, result.asset_id)
        refreshed.append(RefreshedAsset(shown, result))
    return Outcome(value=RefreshAnswer(refreshed, outcome.value.job, outcome.value.error))


async def lineage_job_by_id(context: Context, database_id: int) -> LineageJobRecord | None:
    viewer = context.require_viewer()
    return await lineage_jobs.lineage_job(context.resources, viewer.user_id, database_id)


async def lineage_job_by_global_id(context: Context, global_id: str) -> LineageJobRecord | None:
    """The caller's lineage refresh job; None for a malformed id, a missing job or another user's."""
    database_id = database_id_of(global_id, NodeType.LINEAGE_JOB)
    return await lineage_job_by_id(context, database_id) if database_id is not None else None
