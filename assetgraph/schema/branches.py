"""Branches of an asset and their variants in the schema: the types, and the mutations with their inputs and
payloads. Another user's asset, branch or variant reads as NOT_FOUND, exactly like a missing one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from assetgraph.domain import enums
from assetgraph.domain.branching import (
    MAX_BRANCHES_PER_ASSET,
    MAX_VARIANTS_PER_BRANCH,
    BranchRecord,
    VariantRecord,
)
from assetgraph.domain.field_rules import JSON_SIZE, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TAG_CHARS
from assetgraph.resolvers import asset_part_fields as fields
from assetgraph.resolvers import asset_parts as resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.enums import BranchType
from assetgraph.schema.node import Node
from assetgraph.schema.scalars import JSON
from assetgraph.schema.sent_fields import sent_fields
from assetgraph.schema.user_errors import UserError, user_errors

if TYPE_CHECKING:
    from assetgraph.schema.asset import Asset

Info = strawberry.Info[Context, None]
LazyAsset = Annotated["Asset", strawberry.lazy("assetgraph.schema.asset")]

_NAME = f"1 to {MAX_NAME_CHARS} characters (surrounding spaces are dropped)."
_TAG = f"1 to {MAX_TAG_CHARS} characters; null: none."
_JSON = f"Any JSON of at most {JSON_SIZE} and 10 levels; null: none."
_TIME = "Seconds from the start, 0 or more, not past the asset's duration when it is known; null: unknown."


@strawberry.type(description="A variant of a branch: another of the viewer's assets the story may continue with.")
class AssetBranchVariant(Node):
    database_id: int
    name: str
    tag: str | None
    weight: float = strawberry.field(description="Relative chance of this variant (0 or more).")
    conditions: JSON | None = strawberry.field(description="When this variant applies (free-form JSON).")
    created_at: datetime
    variant_asset_id: strawberry.ID
    variant_asset_database_id: strawberry.Private[int]

    @strawberry.field(
        description="The asset this variant leads to (shown even when hidden from listings, as `asset(id)` does)."
    )
    async def variant_asset(self, info: Info) -> LazyAsset | None:
        from assetgraph.schema.asset import Asset

        row = await fields.linked_asset(info.context, self.variant_asset_database_id)
        return Asset.from_row(row) if row is not None else None

    @classmethod
    def from_record(cls, record: VariantRecord) -> AssetBranchVariant:
        return cls(
            id=strawberry.ID(to_global_id(NodeType.ASSET_BRANCH_VARIANT, record.id)),
            database_id=record.id,
            name=record.name,
            tag=record.tag,
            weight=record.weight,
            conditions=record.conditions,
            created_at=record.created_at,
            variant_asset_id=strawberry.ID(to_global_id(NodeType.ASSET, record.variant_asset_id)),
            variant_asset_database_id=record.variant_asset_id,
        )


@strawberry.type(description="A point of an asset where the story may go several ways (its variants).")
class AssetBranch(Node):
    database_id: int
    source_asset_id: strawberry.ID
    branch_time: float | None = strawberry.field(description="Seconds from the start of the source asset.")
    branch_frame: int | None
    name: str
    description: str | None
    tag: str | None
    branch_type: BranchType
    game_metadata: JSON | None
    created_at: datetime

    @strawberry.field(description="Its variants, oldest first.")
    async def variants(self, info: Info) -> list[AssetBranchVariant]:
        return [AssetBranchVariant.from_record(r) for r in await fields.variants(info.context, self.database_id)]

    @classmethod
    def from_record(cls, record: BranchRecord) -> AssetBranch:
        return cls(
            id=strawberry.ID(to_global_id(NodeType.ASSET_BRANCH, record.id)),
            database_id=record.id,
            source_asset_id=strawberry.ID(to_global_id(NodeType.ASSET, record.source_asset_id)),
            branch_time=record.branch_time,
            branch_frame=record.branch_frame,
            name=record.name,
            description=record.description,
            tag=record.tag,
            branch_type=enums.BranchType(record.branch_type),
            game_metadata=record.game_metadata,
            created_at=record.created_at,
        )


@strawberry.input
class AddAssetBranchInput:
    asset_id: strawberry.ID = strawberry.field(description="The source asset, one of the caller's.")
    name: str = strawberry.field(description=_NAME)
    branch_time: float | None = strawberry.field(default=None, description=_TIME)
    branch_frame: int | None = strawberry.field(default=None, description="Frame number, 0 or more; null: unknown.")
    description: str | None = strawberry.field(default=None, description=f"At most {MAX_DESCRIPTION_CHARS} chars.")
    tag: str | None = strawberry.field(default=None, description=_TAG)
    branch_type: BranchType = BranchType.MANUAL
    game_metadata: JSON | None = strawberry.field(default=None, description=_JSON)


@strawberry.input(description="Only the fields given change; a null clears a field (`name`, `branchType`: refused).")
class UpdateAssetBranchInput:
    branch_id: strawberry.ID
    name: str | None = strawberry.field(default=strawberry.UNSET, description=_NAME)
    branch_time: float | None = strawberry.field(default=strawberry.UNSET, description=_TIME)
    branch_frame: int | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    tag: str | None = strawberry.UNSET
    branch_type: BranchType | None = strawberry.UNSET
    game_metadata: JSON | None = strawberry.UNSET


@strawberry.input
class RemoveAssetBranchInput:
    branch_id: strawberry.ID


@strawberry.input
class AddBranchVariantInput:
    branch_id: strawberry.ID
    variant_asset_id: strawberry.ID = strawberry.field(description="Another of the caller's assets.")
    name: str = strawberry.field(description=_NAME)
    tag: str | None = strawberry.field(default=None, description=_TAG)
    weight: float = strawberry.field(default=1.0, description="Relative chance, a finite number, 0 or more.")
    conditions: JSON | None = strawberry.field(default=None, description=_JSON)


@strawberry.input(
    description="Only the fields given change; a null clears a field (`name`, `weight`, `variantAssetId`: refused)."
)
class UpdateBranchVariantInput:
    variant_id: strawberry.ID
    variant_asset_id: strawberry.ID | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    tag: str | None = strawberry.UNSET
    weight: float | None = strawberry.UNSET
    conditions: JSON | None = strawberry.UNSET


@strawberry.input
class RemoveBranchVariantInput:
    variant_id: strawberry.ID


@strawberry.type
class AssetBranchPayload:
    branch: AssetBranch | None = strawberry.field(description="The branch as stored; null when `errors` is not empty.")
    errors: list[UserError]


@strawberry.type
class BranchVariantPayload:
    variant: AssetBranchVariant | None = strawberry.field(description="The variant as stored; null on errors.")
    errors: list[UserError]


@strawberry.type(description="What a removal removed.")
class RemovedPayload:
    removed_id: strawberry.ID | None = strawberry.field(description="The id of what was removed; null on errors.")
    errors: list[UserError]


def removed(node_type: NodeType, outcome: Outcome[int]) -> RemovedPayload:
    found = strawberry.ID(to_global_id(node_type, outcome.value)) if outcome.value is not None else None
    return RemovedPayload(removed_id=found, errors=user_errors(outcome.errors))


def _branch(outcome: Outcome[BranchRecord]) -> AssetBranchPayload:
    branch = AssetBranch.from_record(outcome.value) if outcome.value is not None else None
    return AssetBranchPayload(branch=branch, errors=user_errors(outcome.errors))


def _variant(outcome: Outcome[VariantRecord]) -> BranchVariantPayload:
    variant = AssetBranchVariant.from_record(outcome.value) if outcome.value is not None else None
    return BranchVariantPayload(variant=variant, errors=user_errors(outcome.errors))


@strawberry.type
class BranchMutations:
    @strawberry.mutation(
        description=f"Add a branch to one of the caller's assets (at most {MAX_BRANCHES_PER_ASSET} each). Errors: "
        "`assetId` (NOT_FOUND, TOO_MANY_ITEMS), any other field (BAD_USER_INPUT); on any, nothing is written."
    )
    async def add_asset_branch(self, info: Info, input: AddAssetBranchInput) -> AssetBranchPayload:
        given = sent_fields(input, exclude=("asset_id",))
        return _branch(await resolvers.add_branch(info.context, input.asset_id, given))

    @strawberry.mutation(
        description="Change a branch. Errors: `branchId` (NOT_FOUND), any other field "
        "(BAD_USER_INPUT); on any, nothing changes."
    )
    async def update_asset_branch(self, info: Info, input: UpdateAssetBranchInput) -> AssetBranchPayload:
        given = sent_fields(input, exclude=("branch_id",))
        return _branch(await resolvers.update_branch(info.context, input.branch_id, given))

    @strawberry.mutation(
        description="Remove a branch and its variants (their assets stay). Errors: `branchId` (NOT_FOUND)."
    )
    async def remove_asset_branch(self, info: Info, input: RemoveAssetBranchInput) -> RemovedPayload:
        return removed(NodeType.ASSET_BRANCH, await resolvers.remove_branch(info.context, input.branch_id))

    @strawberry.mutation(
        description=f"Add a variant to a branch (at most {MAX_VARIANTS_PER_BRANCH} each). Errors: `branchId` "
        "(NOT_FOUND, TOO_MANY_ITEMS), `variantAssetId` (NOT_FOUND; BAD_USER_INPUT when it is the branch's source), "
        "any other field (BAD_USER_INPUT); on any, nothing is written."
    )
    async def add_branch_variant(self, info: Info, input: AddBranchVariantInput) -> BranchVariantPayload:
        given = sent_fields(input, exclude=("branch_id", "variant_asset_id"))
        return _variant(await resolvers.add_variant(info.context, input.branch_id, input.variant_asset_id, given))

    @strawberry.mutation(
        description="Change a variant. Errors: `variantId`, `variantAssetId` (NOT_FOUND), any "
        "other field (BAD_USER_INPUT); on any, nothing changes."
    )
    async def update_branch_variant(self, info: Info, input: UpdateBranchVariantInput) -> BranchVariantPayload:
        given = sent_fields(input, exclude=("variant_id",))
        return _variant(await resolvers.update_variant(info.context, input.variant_id, given))

    @strawberry.mutation(description="Remove a variant (its asset stays). Errors: `variantId` (NOT_FOUND).")
    async def remove_branch_variant(self, info: Info, input: RemoveBranchVariantInput) -> RemovedPayload:
        return removed(NodeType.ASSET_BRANCH_VARIANT, await resolvers.remove_variant(info.context, input.variant_id))
