"""refreshAssetLineage in the schema: its input, payload and result types. Wiring only."""

from __future__ import annotations

import strawberry

from assetgraph.domain.lineage_refresh import MAX_REFRESH_IDS, LineageRefreshStatus, LineageScope
from assetgraph.resolvers import lineage_refresh as resolvers
from assetgraph.schema.asset import Info
from assetgraph.schema.user_errors import UserError, user_errors

strawberry.enum(LineageScope, name="LineageScope", description="CURRENT_USER: every asset of the caller.")
strawberry.enum(
    LineageRefreshStatus,
    name="LineageRefreshStatus",
    description="What a lineage refresh did with one asset. REBUILT: the payload was read and edges written "
    "(removedEdges deleted, newEdges inserted). UNCHANGED: read, and no edge removed or added. NO_METADATA: not a "
    "Pixverse asset or no payload: its edges are left alone. NOT_FOUND: no such asset of the caller's (another "
    "user's reads the same); nothing touched. FAILED: the rebuild was rolled back: its edges are as they were.",
)


@strawberry.input(description="Exactly one of assetIds, providerId or scope.")
class RefreshAssetLineageInput:
    asset_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description=f"The caller's assets, at most {MAX_REFRESH_IDS}."
    )
    provider_id: str | None = strawberry.field(default=None, description="Every asset of the caller's from it.")
    scope: LineageScope | None = strawberry.field(default=None, description="CURRENT_USER: all the caller's assets.")
    clear_existing: bool = strawberry.field(
        default=True,
        description="True: each asset's edges become exactly those its payload names. False: those are added to "
        "the edges it has.",
    )


@strawberry.type(name="LineageRefreshResult", description="One asset's lineage refresh.")
class LineageRefreshResultType:
    asset_id: strawberry.ID = strawberry.field(description="The asset, as given for an id that was not found.")
    provider_id: str | None
    removed_edges: int
    new_edges: int
    status: LineageRefreshStatus
    error: str | None = strawberry.field(description="Why a FAILED or NO_METADATA asset was not rebuilt.")


@strawberry.type
class RefreshAssetLineagePayload:
    count: int = strawberry.field(description="How many assets have a result.")
    results: list[LineageRefreshResultType] = strawberry.field(
        description="One per distinct id in the order given, or one per asset of the provider or scope, by id."
    )
    errors: list[UserError] = strawberry.field(
        description="`assetIds`/`providerId`/`scope` BAD_USER_INPUT (none or more than one given), `assetIds` "
        "TOO_MANY_ITEMS, `providerId` UNKNOWN_PROVIDER. Then nothing is rebuilt."
    )


_NO_METADATA_REASON = "Not a Pixverse asset, or no Pixverse payload stored: there is nothing to read lineage from."


@strawberry.type
class LineageRefreshMutations:
    @strawberry.mutation(
        description="Rebuild lineage edges from the Pixverse payloads stored on the caller's assets, finding or "
        "creating each parent. Each asset is rebuilt in its own transaction. Manual only: nothing schedules it."
    )
    async def refresh_asset_lineage(self, info: Info, input: RefreshAssetLineageInput) -> RefreshAssetLineagePayload:
        outcome = await resolvers.refresh_asset_lineage(
            info.context, input.asset_ids, input.provider_id, input.scope, input.clear_existing
        )
        results = [
            LineageRefreshResultType(
                asset_id=strawberry.ID(r.asset_id),
                provider_id=r.result.provider_id,
                removed_edges=r.result.removed_edges,
                new_edges=r.result.new_edges,
                status=r.result.status,
                error=r.result.error
                if r.result.status is not LineageRefreshStatus.NO_METADATA
                else _NO_METADATA_REASON,
            )
            for r in outcome.value or []
        ]
        return RefreshAssetLineagePayload(count=len(results), results=results, errors=user_errors(outcome.errors))
