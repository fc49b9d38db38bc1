"""Pixverse library sync in the schema: the dry run (a query), the import and the moderation refresh (mutations).
Wiring only: resolvers decide, types convert."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from assetgraph.domain.enums import MediaType
from assetgraph.domain.pixverse_items import (
    DRY_RUN_DEFAULT_LIMIT,
    DRY_RUN_MAX_LIMIT,
    MAX_REFRESH_ASSETS,
    SYNC_DEFAULT_LIMIT,
    SYNC_MAX_LIMIT,
    PixverseItem,
    PixverseItemStatus,
    SyncMode,
    SyncOutcome,
)
from assetgraph.resolvers import pixverse_sync as resolvers
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.asset import Info
from assetgraph.schema.scalars import JSON
from assetgraph.schema.user_errors import UserError, user_errors

strawberry.enum(
    PixverseItemStatus,
    name="PixverseItemStatus",
    description="A Pixverse item's state, read from its video_status / image_status and URLs (one rule: "
    "domain/pixverse_items.py). Unknown or missing codes read as FAILED.",
)
strawberry.enum(SyncMode, name="PixverseSyncMode")
strawberry.enum(SyncOutcome, name="PixverseSyncOutcome", description="What a sync did with one listed item.")


def _asset_gid(asset_id: int | None) -> strawberry.ID | None:
    return strawberry.ID(to_global_id(NodeType.ASSET, asset_id)) if asset_id is not None else None


@strawberry.interface(description="One item of a Pixverse library, as Pixverse listed it.")
class PixverseLibraryItem:
    kind: MediaType = strawberry.field(description="VIDEO or IMAGE.")
    video_id: str | None = strawberry.field(description="Pixverse's id of a video (a string: ids exceed 2^32).")
    image_id: str | None = strawberry.field(description="Pixverse's id of an image.")
    provider_asset_id: str | None = strawberry.field(description="videoId or imageId, whichever the item has.")
    status: PixverseItemStatus
    status_reason: str | None = strawberry.field(
        description="Why the status is not DONE: `video_status 7`, `placeholder default.mp4`, `no video_id`."
    )
    remote_url: str | None
    thumbnail_url: str | None
    remote_created_at: datetime | None = strawberry.field(description="The payload's create time, if readable.")
    raw: JSON = strawberry.field(description="The payload exactly as Pixverse sent it.")

    @staticmethod
    def fields_of(item: PixverseItem) -> dict[str, object]:
        pid = item.provider_asset_id
        return {
            "kind": item.kind,
            "video_id": pid if item.kind is MediaType.VIDEO else None,
            "image_id": pid if item.kind is MediaType.IMAGE else None,
            "provider_asset_id": pid,
            "status": item.state.status,
            "status_reason": item.state.reason,
            "remote_url": item.remote_url,
            "thumbnail_url": item.thumbnail_url,
            "remote_created_at": item.created_at,
            "raw": item.raw,
        }


@strawberry.type
class PixverseScannedItem(PixverseLibraryItem):
    already_imported: bool = strawberry.field(description="Whether one of the caller's assets is this item.")
    asset_id: strawberry.ID | None = strawberry.field(description="That asset; null when not imported.")


@strawberry.type
class PixverseSyncedItem(PixverseLibraryItem):
    outcome: SyncOutcome
    asset_id: strawberry.ID | None = strawberry.field(
        description="The asset created, or the one that already existed; null for PROCESSING and FAILED items."
    )


@strawberry.type(description="One media kind's page of the library against the caller's assets.")
class PixverseLibraryScan:
    kind: MediaType
    total_remote: int = strawberry.field(description="Items of this kind in the whole Pixverse library.")
    existing_count: int = strawberry.field(description="Items of this page already imported.")
    items: list[PixverseScannedItem]


@strawberry.type
class PixverseSyncDryRun:
    account_id: strawberry.ID
    limit: int
    offset: int
    total_remote: int = strawberry.field(description="videos.totalRemote + images.totalRemote.")
    existing_count: int = strawberry.field(description="videos.existingCount + images.existingCount.")
    videos: PixverseLibraryScan
    images: PixverseLibraryScan | None = strawberry.field(description="Null when includeImages is false.")

    @classmethod
    def from_domain(cls, run: resolvers.DryRun) -> PixverseSyncDryRun:
        scans = [scan for scan in (run.videos, run.images) if scan is not None]
        converted = [
            PixverseLibraryScan(
                kind=scan.kind,
                total_remote=scan.total_remote,
                existing_count=scan.existing_count,
                items=[
                    PixverseScannedItem(
                        **PixverseLibraryItem.fields_of(s.item),  # type: ignore[arg-type]
                        already_imported=s.already_imported,
                        asset_id=_asset_gid(s.asset_id),
                    )
                    for s in scan.items
                ],
            )
            for scan in scans
        ]
        return cls(
            account_id=strawberry.ID(to_global_id(NodeType.PROVIDER_ACCOUNT, run.account_id)),
            limit=run.limit,
            offset=run.offset,
            total_remote=sum(scan.total_remote for scan in scans),
            existing_count=sum(scan.existing_count for scan in scans),
            videos=converted[0],
            images=converted[1] if len(converted) > 1 else None,
        )


@strawberry.input
class SyncPixverseAssetsInput:
    account_id: strawberry.ID = strawberry.field(description="The caller's Pixverse account.")
    mode: SyncMode = SyncMode.BOTH
    limit: int = strawberry.field(
        default=SYNC_DEFAULT_LIMIT, description=f"Items per kind, 1 to {SYNC_MAX_LIMIT} (one Pixverse page)."
    )
    offset: int = strawberry.field(default=0, description="Where the page starts in each kind's list, 0 or more.")


@strawberry.type(
    description="Exact counts over the listed items: created + skippedExisting + processing + failed = "
    "items listed. On errors that stop the run before Pixverse is called, every count is 0."
)
class SyncPixverseAssetsPayload:
    created: int = strawberry.field(description="Assets this run created (DONE and FILTERED items not yet here).")
    skipped_existing: int = strawberry.field(
        description="DONE and FILTERED items already imported (by an earlier or a concurrent run)."
    )
    flagged: int = strawberry.field(
        description="Of `created`, the FILTERED ones: imported with providerStatus FLAGGED and the reason."
    )
    processing: int = strawberry.field(description="Items still being made: not imported, sync again later.")
    failed: int = strawberry.field(description="Failed, unreadable or id-less items: not imported.")
    total_remote: int = strawberry.field(description="Items in the Pixverse library, over the kinds read.")
    items: list[PixverseSyncedItem]
    errors: list[UserError] = strawberry.field(
        description="`accountId` NOT_FOUND / BAD_USER_INPUT (another provider's) / ACCOUNT_UNUSABLE (disabled, "
        "expired session: the account is then ERROR); `limit`, `offset` BAD_USER_INPUT; PROVIDER_FAILED when "
        "Pixverse failed one kind's page (the counts cover what was done)."
    )

    @classmethod
    def from_outcome(cls, outcome: Outcome[resolvers.SyncResult]) -> SyncPixverseAssetsPayload:
        result = outcome.value
        errors = list(outcome.errors) + (result.errors if result is not None else [])
        if result is None:
            return cls(created=0, skipped_existing=0, flagged=0, processing=0, failed=0, total_remote=0, items=[],
                       errors=user_errors(errors))  # fmt: skip
        items = [
            PixverseSyncedItem(
                **PixverseLibraryItem.fields_of(s.item),  # type: ignore[arg-type]
                outcome=s.outcome,
                asset_id=_asset_gid(s.asset_id),
            )
            for s in result.items
        ]
        return cls(
            created=result.created, skipped_existing=result.skipped_existing, flagged=result.flagged,
            processing=result.processing, failed=result.failed, total_remote=result.total_remote, items=items,
            errors=user_errors(errors),
        )  # fmt: skip


@strawberry.input
class RefreshModerationInput:
    asset_ids: list[strawberry.ID] = strawberry.field(
        description=f"The caller's Pixverse assets, at most {MAX_REFRESH_ASSETS}."
    )


@strawberry.type(description="One asset's moderation as Pixverse now says it.")
class ModerationRefreshResult:
    asset_id: strawberry.ID
    flagged: bool | None = strawberry.field(description="The flag as now recorded; null when not checked.")
    reason: str | None
    status: PixverseItemStatus | None
    error: str | None = strawberry.field(description="Why the asset was not checked (its flag is unchanged).")


@strawberry.type
class RefreshModerationPayload:
    results: list[ModerationRefreshResult] = strawberry.field(description="One per distinct id, in order given.")
    errors: list[UserError] = strawberry.field(
        description="`assetIds[i]` NOT_FOUND (missing or another user's; then nothing is checked), `assetIds` "
        "TOO_MANY_ITEMS."
    )


Limit = Annotated[int, strawberry.argument(description=f"Items per kind, 1 to {DRY_RUN_MAX_LIMIT}.")]
Offset = Annotated[int, strawberry.argument(description="Where the page starts in each kind's list, 0 or more.")]


@strawberry.type
class PixverseSyncQueries:
    @strawberry.field(
        description="A page of the account's Pixverse videos (and images) against the caller's assets; writes "
        "nothing. Errors: `accountId` NOT_FOUND, BAD_USER_INPUT (another provider's), ACCOUNT_UNUSABLE; `limit`, "
        "`offset` BAD_USER_INPUT; PROVIDER_FAILED."
    )
    async def pixverse_sync_dry_run(
        self,
        info: Info,
        account_id: strawberry.ID,
        limit: Limit = DRY_RUN_DEFAULT_LIMIT,
        offset: Offset = 0,
        include_images: bool = True,
    ) -> PixverseSyncDryRun:
        run = await resolvers.dry_run(info.context, account_id, limit, offset, include_images)
        return PixverseSyncDryRun.from_domain(run)


@strawberry.type
class PixverseSyncMutations:
    @strawberry.mutation(
        description="Import the missing items of one page per kind of a Pixverse library as assets (payload whole "
        "in mediaMetadata, no lineage). Idempotent; concurrent runs create each asset once."
    )
    async def sync_pixverse_assets(self, info: Info, input: SyncPixverseAssetsInput) -> SyncPixverseAssetsPayload:
        outcome = await resolvers.sync_assets(info.context, input.account_id, input.mode, input.limit, input.offset)
        return SyncPixverseAssetsPayload.from_outcome(outcome)

    @strawberry.mutation(description="Re-read Pixverse assets from Pixverse and set or clear their moderation flag.")
    async def refresh_moderation(self, info: Info, input: RefreshModerationInput) -> RefreshModerationPayload:
        outcome = await resolvers.refresh_moderation(info.context, input.asset_ids)
        results = [
            ModerationRefreshResult(
                asset_id=strawberry.ID(to_global_id(NodeType.ASSET, r.asset_id)),
                flagged=r.flagged,
                reason=r.reason,
                status=r.status,
                error=r.error,
            )
            for r in outcome.value or []
        ]
        return RefreshModerationPayload(results=results, errors=user_errors(outcome.errors))
