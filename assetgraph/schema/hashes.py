"""Root fields by content: is this file in my library (checkByHash, checkByHashes), and what looks like it
(similarAssets). Wiring only: resolvers decide, types convert."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from assetgraph.domain.hash_checks import HashCheck as DomainHashCheck
from assetgraph.domain.hashes import MAX_HASHES_PER_CHECK
from assetgraph.resolvers import assets as asset_resolvers
from assetgraph.resolvers import hashes as hash_resolvers
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.asset import SIMILAR_ASSETS_DESCRIPTION, Asset, Info, MaxDistance, SimilarAsset, SimilarFirst
from assetgraph.schema.user_errors import UserError

ProviderId = Annotated[
    str | None, strawberry.argument(description="The provider the notes are about ('pixverse'); null: any provider.")
]


@strawberry.type(description="Whether a file with this SHA-256 is in the viewer's library, and where its copies are.")
class HashCheck:
    sha256: str = strawberry.field(description="The hash as given (any case, even malformed).")
    valid: bool = strawberry.field(description="Whether it is a SHA-256 hash (64 hexadecimal characters, any case).")
    exists: bool = strawberry.field(description="Whether one of the viewer's assets has this content.")
    uploaded_to_providers: list[str] = strawberry.field(
        description="The providers holding a copy (status OK), the asset's primary provider first."
    )
    note: str = strawberry.field(
        description=(
            "For people: 'Not in your library', 'Already on <p>', 'In your library; not uploaded to <p>', "
            "'In your library; flagged by <p>', 'Already in your library' (for 'local'), 'In your library; on "
            "<p1>, <p2>' or 'In your library; not on any provider' (no providerId), 'Not a SHA-256 hash'."
        )
    )
    error: UserError | None = strawberry.field(description="Why the hash was not looked up (malformed), if it was not.")
    asset_id: strawberry.ID | None = strawberry.field(
        description="The global id of the viewer's asset with this content; null when it does not exist."
    )
    database_id: strawberry.Private[int | None]

    @strawberry.field(
        graphql_type=Asset | None,
        description=(
            "The viewer's asset with this content; null when it does not exist. Read in one more statement for the "
            "whole list, and only when asked for: `assetId` costs nothing."
        ),
    )
    def asset(self, info: Info) -> Awaitable[Asset | None] | None:
        # Synchronous when there is nothing to read: ten thousand answers would otherwise each await a coroutine.
        return self._asset(info, self.database_id) if self.database_id is not None else None

    async def _asset(self, info: Info, database_id: int) -> Asset | None:
        row = await asset_resolvers.asset_by_id(info.context, database_id)
        return Asset.from_row(row) if row is not None else None

    @classmethod
    def from_domain(cls, check: DomainHashCheck) -> HashCheck:
        return cls(
            sha256=check.sha256,
            valid=check.valid,
            exists=check.exists,
            uploaded_to_providers=list(check.uploaded_to_providers),
            note=check.note,
            error=UserError.from_client_error(check.error) if check.error is not None else None,
            asset_id=strawberry.ID(to_global_id(NodeType.ASSET, check.asset_id))
            if check.asset_id is not None
            else None,
            database_id=check.asset_id,
        )


@strawberry.type
class HashQueries:
    @strawberry.field(
        description=(
            "Is a file with this SHA-256 in the viewer's library, and on which providers? Read-only (never changes "
            "`lastAccessedAt`); another user's identical file reads as not existing; a malformed hash is answered "
            "with `valid: false` and an error naming `sha256`. `providerId` tailors the note to that provider."
        )
    )
    async def check_by_hash(self, info: Info, sha256: str, provider_id: ProviderId = None) -> HashCheck:
        return HashCheck.from_domain(await hash_resolvers.check_by_hash(info.context, sha256, provider_id))

    @strawberry.field(
        description=(
            f"`checkByHash` for a whole folder: up to {MAX_HASHES_PER_CHECK:,} hashes in one call and one SQL "
            "statement (and one more for all the `asset`s, if asked for), answered in the given order; each "
            "malformed hash is answered with an error naming `sha256s[i]` while the others are looked up."
        )
    )
    async def check_by_hashes(self, info: Info, sha256s: list[str], provider_id: ProviderId = None) -> list[HashCheck]:
        checks = await hash_resolvers.check_by_hashes(info.context, sha256s, provider_id)
        return [HashCheck.from_domain(check) for check in checks]

    @strawberry.field(description=SIMILAR_ASSETS_DESCRIPTION + " Null when the asset is missing or not the viewer's.")
    async def similar_assets(
        self, info: Info, asset_id: strawberry.ID, max_distance: MaxDistance = None, first: SimilarFirst = None
    ) -> list[SimilarAsset] | None:
        found = await hash_resolvers.similar_assets_by_global_id(info.context, asset_id, max_distance, first)
        return [SimilarAsset.from_domain(similar) for similar in found] if found is not None else None
