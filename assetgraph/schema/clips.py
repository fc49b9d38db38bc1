"""Clips of an asset in the schema: the type, and the mutations with their inputs and payloads. Another user's
asset or clip reads as NOT_FOUND, exactly like a missing one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from assetgraph.domain.branching import MAX_CLIPS_PER_ASSET, ClipRecord
from assetgraph.domain.field_rules import JSON_SIZE, MAX_NAME_CHARS, MAX_TAG_CHARS
from assetgraph.resolvers import asset_part_fields as fields
from assetgraph.resolvers import asset_parts as resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.branches import RemovedPayload, removed
from assetgraph.schema.node import Node
from assetgraph.schema.scalars import JSON
from assetgraph.schema.sent_fields import sent_fields
from assetgraph.schema.user_errors import UserError, user_errors

if TYPE_CHECKING:
    from assetgraph.schema.asset import Asset

Info = strawberry.Info[Context, None]
LazyAsset = Annotated["Asset", strawberry.lazy("assetgraph.schema.asset")]

_TIME = "Seconds from the start, 0 or more, not past the asset's duration when it is known."
_SPAN = "`startTime` must be before `endTime`."


@strawberry.type(description="A span [startTime, endTime) of a video or an audio asset.")
class AssetClip(Node):
    database_id: int
    source_asset_id: strawberry.ID
    start_time: float
    end_time: float
    tag: str | None
    name: str | None
    playback_metadata: JSON | None
    created_at: datetime
    extracted_asset_id: strawberry.ID | None
    extracted_asset_database_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The asset this span was extracted into, if any (shown even when hidden from listings, as "
        "`asset(id)` does)."
    )
    async def extracted_asset(self, info: Info) -> LazyAsset | None:
        from assetgraph.schema.asset import Asset

        row = await fields.linked_asset(info.context, self.extracted_asset_database_id)
        return Asset.from_row(row) if row is not None else None

    @classmethod
    def from_record(cls, record: ClipRecord) -> AssetClip:
        extracted = record.extracted_asset_id
        return cls(
            id=strawberry.ID(to_global_id(NodeType.ASSET_CLIP, record.id)),
            database_id=record.id,
            source_asset_id=strawberry.ID(to_global_id(NodeType.ASSET, record.source_asset_id)),
            start_time=record.start_time,
            end_time=record.end_time,
            tag=record.tag,
            name=record.name,
            playback_metadata=record.playback_metadata,
            created_at=record.created_at,
            extracted_asset_id=strawberry.ID(to_global_id(NodeType.ASSET, extracted)) if extracted else None,
            extracted_asset_database_id=extracted,
        )


@strawberry.input
class AddAssetClipInput:
    asset_id: strawberry.ID = strawberry.field(description="The source: one of the caller's videos or audio assets.")
    start_time: float = strawberry.field(description=f"{_TIME} {_SPAN}")
    end_time: float = strawberry.field(description=_TIME)
    name: str | None = strawberry.field(default=None, description=f"1 to {MAX_NAME_CHARS} characters; null: none.")
    tag: str | None = strawberry.field(default=None, description=f"1 to {MAX_TAG_CHARS} characters; null: none.")
    extracted_asset_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another of the caller's assets, holding the span on its own; null: none."
    )
    playback_metadata: JSON | None = strawberry.field(
        default=None, description=f"Any JSON of at most {JSON_SIZE}; null: none."
    )


@strawberry.input(
    description="Only the fields given change; a null clears a field (`startTime`, `endTime`: refused). The span "
    "is checked as it will be stored."
)
class UpdateAssetClipInput:
    clip_id: strawberry.ID
    start_time: float | None = strawberry.UNSET
    end_time: float | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    tag: str | None = strawberry.UNSET
    extracted_asset_id: strawberry.ID | None = strawberry.UNSET
    playback_metadata: JSON | None = strawberry.UNSET


@strawberry.input
class RemoveAssetClipInput:
    clip_id: strawberry.ID


@strawberry.type
class AssetClipPayload:
    clip: AssetClip | None = strawberry.field(description="The clip as stored; null when `errors` is not empty.")
    errors: list[UserError]


def _clip(outcome: Outcome[ClipRecord]) -> AssetClipPayload:
    clip = AssetClip.from_record(outcome.value) if outcome.value is not None else None
    return AssetClipPayload(clip=clip, errors=user_errors(outcome.errors))


@strawberry.type
class ClipMutations:
    @strawberry.mutation(
        description=f"Add a clip to one of the caller's video or audio assets (at most {MAX_CLIPS_PER_ASSET} each). "
        "Errors: `assetId` (NOT_FOUND, TOO_MANY_ITEMS; BAD_USER_INPUT for an asset without a timeline), "
        "`extractedAssetId` (NOT_FOUND), `startTime` (BAD_USER_INPUT when not before `endTime`), any other field "
        "(BAD_USER_INPUT); on any, nothing is written."
    )
    async def add_asset_clip(self, info: Info, input: AddAssetClipInput) -> AssetClipPayload:
        given = sent_fields(input, exclude=("asset_id",))
        return _clip(await resolvers.add_clip(info.context, input.asset_id, given))

    @strawberry.mutation(
        description="Change a clip. Errors: `clipId`, `extractedAssetId` (NOT_FOUND), any other field "
        "(BAD_USER_INPUT); on any, nothing changes."
    )
    async def update_asset_clip(self, info: Info, input: UpdateAssetClipInput) -> AssetClipPayload:
        given = sent_fields(input, exclude=("clip_id",))
        return _clip(await resolvers.update_clip(info.context, input.clip_id, given))

    @strawberry.mutation(description="Remove a clip (an asset extracted from it stays). Errors: `clipId` (NOT_FOUND).")
    async def remove_asset_clip(self, info: Info, input: RemoveAssetClipInput) -> RemovedPayload:
        return removed(NodeType.ASSET_CLIP, await resolvers.remove_clip(info.context, input.clip_id))
