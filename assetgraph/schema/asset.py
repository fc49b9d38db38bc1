"""The Asset type: every stored column of an asset, plus a global id."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from assetgraph.domain import enums
from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.badges import Badges
from assetgraph.domain.enum_members import MembersByValue
from assetgraph.domain.hashes import DEFAULT_SIMILAR_LIMIT, MAX_SIMILARITY_DISTANCE
from assetgraph.domain.hashes import SimilarAsset as DomainSimilarAsset
from assetgraph.domain.lineage_graph import MAX_EDGES_PER_ASSET
from assetgraph.domain.typed_metadata import (
    AdultMetadataRecord,
    AudioMetadataRecord,
    MetadataKind,
    Model3DMetadataRecord,
)
from assetgraph.domain.upload_history import read_upload_history
from assetgraph.resolvers import asset_part_fields as part_fields
from assetgraph.resolvers import hashes as hash_resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.branches import AssetBranch
from assetgraph.schema.clips import AssetClip
from assetgraph.schema.enums import ContentDomain, ContentRating, MediaType, UploadMethod
from assetgraph.schema.lineage_arguments import DEFAULT_LINEAGE_DEPTH, LineageDirection, MaxDepth, RelationTypes
from assetgraph.schema.node import Node
from assetgraph.schema.provider_status import (
    ProviderState,
    ProviderStatus,
    ProviderUploadStatus,
    UploadAttempt,
)
from assetgraph.schema.scalars import JSON, BigInt
from assetgraph.schema.typed_metadata import AdultMetadata, AudioMetadata, Model3DMetadata, TemporalSegment

if TYPE_CHECKING:
    from assetgraph.schema.lineage import LineageEdge, LineageGraph

Info = strawberry.Info[Context, None]
MaxDistance = Annotated[
    int | None,
    strawberry.argument(description=f"Most bits that may differ, 0 to {MAX_SIMILARITY_DISTANCE}; null: the default."),
]
SimilarFirst = Annotated[
    int | None, strawberry.argument(description=f"Most near-duplicates listed; null: {DEFAULT_SIMILAR_LIMIT}.")
]

SIMILAR_ASSETS_DESCRIPTION = (
    "The viewer's other images whose perceptual hash differs from this one's in at most `maxDistance` of 64 bits "
    "(default: the server's configured threshold), nearest first, then by id. Empty for an asset without a "
    "perceptual hash (not an image) or with a degenerate one (a blank or flat picture matches nothing)."
)


@strawberry.type(name="Asset", description="One media file of the viewer's library.")
class Asset(Node):
    """Built from a row; what costs something to derive is derived only when a query asks for it.

    Every field is a plain attribute (plain fields skip the per-field resolver machinery, in the stock and the
    compiled executor alike), and __init__ sets none of them: a page or a lineage walk builds thousands of assets and
    reads a few fields of each. A column read as stored (`_ROW_COLUMNS`) is a class-level property whose getter is an
    `attrgetter` of the row, a read with no Python frame. A field derived from the row (`_DERIVED`: the global ids,
    enum members, lists, the badges from the upload history and moderation, the JSON columns, the embedding) is a
    class-level descriptor (_DerivedOnFirstRead) that derives it on the first read and keeps it in the instance. So
    a page that selects no such field never decodes `media_metadata`, and one that does reads each asset's badges
    once: from what PostgreSQL derived when the gallery page asked it to (AssetRecord.badges_text), else by the rule.
    providerStatus and providerFlagged are read from the row's stored columns, computed by the rule's SQL mirror
    (persistence/provider_status_sql.py, proven to agree with the domain rule), so they decode nothing either.
    """

    database_id: int = strawberry.field(description="The row id; prefer `id` in clients.")
    media_type: MediaType
    provider_id: str = strawberry.field(description="The primary provider; 'local' for library-only files.")
    provider_asset_id: str | None
    provider_account_id: strawberry.ID | None
    remote_url: str | None
    thumbnail_url: str | None
    storage_key: str | None
    sha256: str | None
    phash64: BigInt | None
    size_bytes: BigInt | None
    mime_type: str | None
    width: int | None
    height: int | None
    duration_sec: float | None
    description: str | None
    tags: list[str]
    style_tags: list[str]
    embedding: list[float] | None
    content_domain: ContentDomain
    content_category: str | None
    content_taxonomy: JSON | None
    content_rating: ContentRating
    age_restricted: bool
    searchable: bool
    original_source_url: str | None
    upload_method: UploadMethod
    media_metadata: JSON | None
    provider_uploads: JSON | None
    sync_status: str | None
    created_at: datetime
    updated_at: datetime
    last_accessed_at: datetime | None
    provider_status: ProviderStatus = strawberry.field(description="Status at the primary provider (`providerId`).")
    provider_states: list[ProviderState] = strawberry.field(
        description="One state per provider the asset is known at, the primary provider first."
    )
    provider_flagged: bool = strawberry.field(
        description="Some provider accepted the asset and later flagged it (an upload failure is not a flag)."
    )
    provider_flag_reason: str | None = strawberry.field(
        description="Why it was flagged (the primary provider's reason first), if known."
    )
    last_upload_status_by_provider: list[ProviderUploadStatus] | None = strawberry.field(
        description="Status of the newest attempt per provider; null when unknown or malformed."
    )
    row: strawberry.Private[AssetRecord]

    def __init__(self, row: AssetRecord) -> None:
        self.row = row  # every field reads it (see _ROW_COLUMNS and _DERIVED below)

    @property
    def badges(self) -> Badges:
        """The provider badges of the asset, read once (on the first read of a badge field).

        Kept in the instance by hand: functools.cached_property takes a lock on every first read, and this is read
        for every asset of a gallery page."""
        badges: Badges | None = self.__dict__.get("_badges")
        if badges is None:
            badges = self.__dict__["_badges"] = self.row.badges()
        return badges

    @strawberry.field(description="Recorded upload attempts, newest first; `last` keeps only the newest N.")
    def upload_attempts(self, last: int | None = None) -> list[UploadAttempt]:
        attempts = read_upload_history(self.row.media_metadata).attempts[::-1]
        if last is not None:
            attempts = attempts[:last]
        return [UploadAttempt.from_domain(attempt) for attempt in attempts]

    @strawberry.field(description=SIMILAR_ASSETS_DESCRIPTION)
    async def similar_assets(
        self, info: Info, max_distance: MaxDistance = None, first: SimilarFirst = None
    ) -> list[SimilarAsset]:
        found = await hash_resolvers.similar_assets(info.context, self.database_id, max_distance, first)
        return [SimilarAsset.from_domain(similar) for similar in found]

    @classmethod
    def from_row(cls, row: AssetRecord) -> Asset:
        return cls(row)

    # Branches, clips and typed metadata: each a per-request loader, one statement per page whatever its size.
    @strawberry.field(description="Its branches, oldest first.")
    async def branches(self, info: Info) -> list[AssetBranch]:
        return [AssetBranch.from_record(r) for r in await part_fields.branches(info.context, self.database_id)]

    @strawberry.field(description="Its clips, by start time.")
    async def clips(self, info: Info) -> list[AssetClip]:
        return [AssetClip.from_record(r) for r in await part_fields.clips(info.context, self.database_id)]

    @strawberry.field(description="Its temporal segments, by timestamp.")
    async def temporal_segments(self, info: Info) -> list[TemporalSegment]:
        found = await part_fields.temporal_segments(info.context, self.database_id)
        return [TemporalSegment.from_record(r) for r in found]

    @strawberry.field(description="Its audio metadata, if set.")
    async def audio_metadata(self, info: Info) -> AudioMetadata | None:
        found = await part_fields.metadata(info.context, MetadataKind.AUDIO, self.database_id)
        return AudioMetadata.from_record(found) if isinstance(found, AudioMetadataRecord) else None

    @strawberry.field(description="Its 3D model metadata, if set.")
    async def model3d_metadata(self, info: Info) -> Model3DMetadata | None:
        found = await part_fields.metadata(info.context, MetadataKind.MODEL_3D, self.database_id)
        return Model3DMetadata.from_record(found) if isinstance(found, Model3DMetadataRecord) else None

    @strawberry.field(description="Its adult-content metadata, if set.")
    async def adult_metadata(self, info: Info) -> AdultMetadata | None:
        found = await part_fields.metadata(info.context, MetadataKind.ADULT, self.database_id)
        return AdultMetadata.from_record(found) if isinstance(found, AdultMetadataRecord) else None

    # Lineage (SPEC section 9), batched per request: schema/lineage.py holds the types (they hold Assets, hence
    # the lazy references and the import at call time).
    @strawberry.field(
        description="Edges to the assets this one was made from (the caller's), in sequence order; at most "
        f"{MAX_EDGES_PER_ASSET}."
    )
    async def parents(self, info: Info) -> list[Annotated[LineageEdge, strawberry.lazy(_LINEAGE)]]:
        from assetgraph.schema.lineage import parents_of

        return await parents_of(info, self.database_id)

    @strawberry.field(
        description=f"Edges to the assets made from this one (the caller's), the first {MAX_EDGES_PER_ASSET} in "
        "sequence order."
    )
    async def children(self, info: Info) -> list[Annotated[LineageEdge, strawberry.lazy(_LINEAGE)]]:
        from assetgraph.schema.lineage import children_of

        return await children_of(info, self.database_id)

    @strawberry.field(description="The caller's assets around this one and the edges between them, as Query.lineage.")
    async def lineage(
        self,
        info: Info,
        direction: LineageDirection = LineageDirection.BOTH,
        max_depth: MaxDepth = DEFAULT_LINEAGE_DEPTH,
        relation_types: RelationTypes = None,
    ) -> Annotated[LineageGraph, strawberry.lazy(_LINEAGE)] | None:
        from assetgraph.schema.lineage import lineage_of

        # Null only if the asset was deleted since it was read.
        return await lineage_of(info, self.database_id, direction, max_depth, relation_types)


def _last_upload_statuses(asset: Asset) -> list[ProviderUploadStatus] | None:
    last_statuses = asset.badges.last_status_by_provider
    if last_statuses is None:
        return None
    if len(last_statuses) == 1:  # the common case needs no sort
        return [ProviderUploadStatus.of(p, s) for p, s in last_statuses.items()]
    return [ProviderUploadStatus.of(p, s) for p, s in sorted(last_statuses.items())]


def _embedding(asset: Asset) -> list[float] | None:
    embedding = asset.row.embedding
    return [float(x) for x in embedding] if embedding is not None else None


def _global_id(node_type: NodeType, database_id: int | None) -> strawberry.ID | None:
    return strawberry.ID(to_global_id(node_type, database_id)) if database_id is not None else None


_MEDIA_TYPES = MembersByValue(enums.MediaType)
_CONTENT_DOMAINS = MembersByValue(enums.ContentDomain)
_CONTENT_RATINGS = MembersByValue(enums.ContentRating)
_UPLOAD_METHODS = MembersByValue(enums.UploadMethod)
_PROVIDER_STATUSES = MembersByValue(ProviderStatus)

_ROW_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "database_id": "id",
        "provider_id": "provider_id",
        "provider_asset_id": "provider_asset_id",
        "remote_url": "remote_url",
        "thumbnail_url": "thumbnail_url",
        "storage_key": "storage_key",
        "sha256": "sha256",
        "phash64": "phash64",  # BigInt is a NewType of int: the stored int is its value
        "size_bytes": "size_bytes",
        "mime_type": "mime_type",
        "width": "width",
        "height": "height",
        "duration_sec": "duration_sec",
        "description": "description",
        "content_category": "content_category",
        "age_restricted": "age_restricted",
        "searchable": "searchable",
        "original_source_url": "original_source_url",
        "sync_status": "sync_status",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "last_accessed_at": "last_accessed_at",
        "provider_flagged": "flagged_anywhere",
    }
)
"""The fields that are a column of the row as stored, and that column."""

_DERIVED: Mapping[str, Callable[[Asset], object]] = MappingProxyType(
    {
        "id": lambda asset: _global_id(NodeType.ASSET, asset.row.id),
        "provider_account_id": lambda asset: _global_id(NodeType.PROVIDER_ACCOUNT, asset.row.provider_account_id),
        "media_type": lambda asset: _MEDIA_TYPES[asset.row.media_type],
        "content_domain": lambda asset: _CONTENT_DOMAINS[asset.row.content_domain],
        "content_rating": lambda asset: _CONTENT_RATINGS[asset.row.content_rating],
        "upload_method": lambda asset: _UPLOAD_METHODS[asset.row.upload_method],
        "provider_status": lambda asset: _PROVIDER_STATUSES[asset.row.provider_status],
        "tags": lambda asset: list(asset.row.tags or ()),
        "style_tags": lambda asset: list(asset.row.style_tags or ()),
        "provider_states": lambda asset: [ProviderState.from_domain(state) for state in asset.badges.states],
        "provider_flag_reason": lambda asset: asset.badges.flag_reason if asset.row.flagged_anywhere else None,
        "last_upload_status_by_provider": _last_upload_statuses,
        "media_metadata": lambda asset: asset.row.media_metadata,
        "provider_uploads": lambda asset: asset.row.provider_uploads,
        "content_taxonomy": lambda asset: asset.row.content_taxonomy,
        "embedding": _embedding,
    }
)
"""The fields derived from the row, and how each is derived on its first read."""

READ_FROM_BADGES = ("provider_states", "provider_flag_reason", "last_upload_status_by_provider")
"""The fields of _DERIVED that read `Asset.badges`: a gallery page selecting one of them has PostgreSQL derive the
badges with the page (schema/connections.py), and any other read derives them here."""

# Strawberry's is_type_of reads this attribute (set on an instance by strawberry.cast) with a default of None; as a
# class attribute it is found at once instead of through a failed lookup and its AttributeError, once per asset.
setattr(Asset, TYPE_CAST_ATTRIBUTE, None)


class _DerivedOnFirstRead:
    """A class attribute of Asset that derives its field on the first read and keeps it in the instance, which
    then shadows it (functools.cached_property's behaviour for a function defined outside the class).

    A class-level descriptor rather than `__getattr__`: every executor asks each value whether it is awaitable
    (`hasattr(value, "__await__")`), and with a Python `__getattr__` each such miss ran Python code and raised; a
    lineage walk of 7,800 assets spent 25 ms on it.
    """

    __slots__ = ("derive", "name")

    def __init__(self, name: str, derive: Callable[[Asset], object]) -> None:
        self.name = name
        self.derive = derive

    def __get__(self, instance: Asset | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.derive(instance)
        instance.__dict__[self.name] = value
        return value


for _name, _derive in _DERIVED.items():
    setattr(Asset, _name, _DerivedOnFirstRead(_name, _derive))
for _name, _column in _ROW_COLUMNS.items():
    setattr(Asset, _name, property(attrgetter(f"row.{_column}")))


def _unset_fields() -> list[str]:
    """Fields with no resolver that are neither a column nor derived: each would read as a missing attribute."""
    fields = Asset.__strawberry_definition__.fields  # type: ignore[attr-defined]
    known = {*_ROW_COLUMNS, *_DERIVED, "row"}  # `row`: the private attribute __init__ sets
    return [f.python_name for f in fields if f.base_resolver is None and f.python_name not in known]


if not set(READ_FROM_BADGES) <= set(_DERIVED):
    raise TypeError(
        f"READ_FROM_BADGES names fields Asset does not derive: {sorted(set(READ_FROM_BADGES) - set(_DERIVED))}"
    )
if _unset_fields():  # a field added to Asset must be added to _ROW_COLUMNS or _DERIVED too
    raise TypeError(f"Asset fields read from nowhere: {_unset_fields()}")


_LINEAGE = "assetgraph.schema.lineage"


@strawberry.type(description="A near-duplicate: another asset, and how many perceptual-hash bits differ.")
class SimilarAsset:
    asset: Asset
    distance: int = strawberry.field(description="Hamming distance between the two perceptual hashes (0 to 64).")

    @classmethod
    def from_domain(cls, similar: DomainSimilarAsset) -> SimilarAsset:
        return cls(asset=Asset.from_row(similar.asset), distance=similar.distance)
