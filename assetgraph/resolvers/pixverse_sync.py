"""Resolvers of Pixverse library sync: decode global ids, call the service, hand its values back."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.errors import ClientErrors
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import pixverse_moderation, pixverse_sync
from assetgraph.services.pixverse_moderation import ModerationResult
from assetgraph.services.pixverse_sync import DryRun, SyncResult

__all__ = ["DryRun", "ModerationResult", "SyncResult", "dry_run", "refresh_moderation", "sync_assets"]


def _account_id(global_id: str) -> int | None:
    """A malformed id reads like a missing account (the service reports it NOT_FOUND)."""
    return database_id_of(global_id, NodeType.PROVIDER_ACCOUNT)


async def dry_run(context: Context, account_id: str, limit: int, offset: int, include_images: bool) -> DryRun:
    """Raises the service's ClientErrors: a query reports them as GraphQL errors with code and field."""
    viewer = context.require_viewer()
    try:
        return await pixverse_sync.dry_run(
            context.resources, viewer.user_id, _account_id(account_id), limit, offset, include_images
        )
    except ClientErrors as exc:
        raise exc.errors[0] from None  # a field carries one error: the first bad argument


async def sync_assets(
    context: Context, account_id: str, mode: SyncMode, limit: int, offset: int
) -> Outcome[SyncResult]:
    viewer = context.require_viewer()
    return await outcome_of(
        pixverse_sync.sync_assets(context.resources, viewer.user_id, _account_id(account_id), mode, limit, offset)
    )


async def refresh_moderation(context: Context, asset_ids: Sequence[str]) -> Outcome[list[ModerationResult]]:
    viewer = context.require_viewer()
    ids = [database_id_of(asset_id, NodeType.ASSET) for asset_id in asset_ids]
    return await outcome_of(pixverse_moderation.refresh_moderation(context.resources, viewer.user_id, ids))
