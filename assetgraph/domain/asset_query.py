"""What a gallery can ask of a user's assets: filters, order and a keyset position."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import ContentDomain, ContentRating, MediaType, UploadMethod
from assetgraph.domain.provider_status import ProviderStatus


class AssetOrder(StrEnum):
    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"

    @property
    def descending(self) -> bool:
        return self is AssetOrder.CREATED_AT_DESC


@dataclass(frozen=True)
class AssetFilter:
    """Conjunction of conditions; empty tuples and None mean "any"."""

    media_types: tuple[MediaType, ...] = ()
    provider_id: str | None = None
    tags: tuple[str, ...] = ()
    content_domains: tuple[ContentDomain, ...] = ()
    content_ratings: tuple[ContentRating, ...] = ()
    upload_methods: tuple[UploadMethod, ...] = ()
    include_age_restricted: bool = False
    include_unsearchable: bool = False
    created_after: datetime | None = None
    created_before: datetime | None = None
    provider_statuses: tuple[ProviderStatus, ...] = ()
    """Status at the asset's primary provider is any of these."""
    has_failed_upload: bool | None = None
    """Some provider's newest attempt failed (True) or none did (False)."""
    flagged: bool | None = None
    """Some provider currently flags the asset (True) or none does (False)."""


@dataclass(frozen=True)
class Keyset:
    """A position in the (created_at, id) order: the last row a client saw."""

    created_at: datetime
    id: int


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: Keyset | None = None
    order: AssetOrder = AssetOrder.CREATED_AT_DESC
    filter: AssetFilter = field(default_factory=AssetFilter)


@dataclass(frozen=True, slots=True)
class PageRows:
    """A page as read: its records, whether more follow, and the filtered set's size when it was asked for and the
    page has a row to carry it (None otherwise: the caller counts on its own)."""

    records: list[AssetRecord]
    has_next: bool
    total: int | None = None


@dataclass(frozen=True)
class StatusOverview:
    """How many assets of a filtered set have each primary provider status."""

    ok: int
    local_only: int
    flagged: int
    unknown: int

    @property
    def total(self) -> int:
        return self.ok + self.local_only + self.flagged + self.unknown

    @classmethod
    def from_counts(cls, counts: Mapping[ProviderStatus, int]) -> StatusOverview:
        """Statuses missing from `counts` count zero."""
        return cls(
            ok=counts.get(ProviderStatus.OK, 0),
            local_only=counts.get(ProviderStatus.LOCAL_ONLY, 0),
            flagged=counts.get(ProviderStatus.FLAGGED, 0),
            unknown=counts.get(ProviderStatus.UNKNOWN, 0),
        )
