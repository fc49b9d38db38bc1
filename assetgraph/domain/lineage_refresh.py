"""Rebuilding lineage from stored payloads: what a refresh reports for each asset, and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from assetgraph.domain.library_sync import SyncJobStatus

MAX_REFRESH_IDS = 1_000
"""assetIds takes at most this many ids; larger sets are refreshed by providerId or scope."""
REFRESH_BATCH_SIZE = 500
"""Assets read (and their parents found or created) per batch: one statement each, whatever the batch holds."""


class LineageScope(StrEnum):
    CURRENT_USER = "CURRENT_USER"


class LineageRefreshStatus(StrEnum):
    """What a refresh did with one asset.

    REBUILT      the payload was read and the edges written: `removedEdges` old ones deleted (clearExisting),
                 `newEdges` inserted.
    UNCHANGED    the payload was read and nothing changed: no old edge removed, no new one (a text-to-video, or
                 every edge already there with clearExisting false).
    NO_METADATA  nothing to read: not a Pixverse asset, or no payload stored. Its edges are left as they are.
    NOT_FOUND    no such asset among the caller's (another user's reads the same); nothing touched.
    FAILED       the rebuild failed and was rolled back: the asset's edges are exactly as they were.
    """

    REBUILT = "REBUILT"
    UNCHANGED = "UNCHANGED"
    NO_METADATA = "NO_METADATA"
    NOT_FOUND = "NOT_FOUND"
    FAILED = "FAILED"


@dataclass(frozen=True)
class LineageRefreshResult:
    """One asset's outcome. `position` is its place among the ids given (None for a scope); `asset_id` is None for
    an id that could not be read."""

    position: int | None
    asset_id: int | None
    provider_id: str | None
    status: LineageRefreshStatus
    removed_edges: int = 0
    new_edges: int = 0
    error: str | None = None


INLINE_REFRESH_MAX = 1_000
"""A provider or scope refresh of more assets than this runs as a background job; up to it, in the request."""


@dataclass(frozen=True)
class LineageBatchCounts:
    """What one batch of a refresh did, by status, and the edges it removed and added."""

    rebuilt: int = 0
    unchanged: int = 0
    no_metadata: int = 0
    failed: int = 0
    removed_edges: int = 0
    new_edges: int = 0

    @classmethod
    def of(cls, results: list[LineageRefreshResult]) -> LineageBatchCounts:
        by_status = {status: sum(1 for r in results if r.status is status) for status in LineageRefreshStatus}
        return cls(
            rebuilt=by_status[LineageRefreshStatus.REBUILT],
            unchanged=by_status[LineageRefreshStatus.UNCHANGED],
            no_metadata=by_status[LineageRefreshStatus.NO_METADATA],
            failed=by_status[LineageRefreshStatus.FAILED],
            removed_edges=sum(r.removed_edges for r in results),
            new_edges=sum(r.new_edges for r in results),
        )


@dataclass(frozen=True)
class LineageJobRecord:
    """A background lineage refresh as stored: whose, which assets (a provider's, or all), where it is, what it has
    done. Its status uses the sync jobs' vocabulary (queued, running, succeeded, failed, cancelled)."""

    id: int
    user_id: int
    provider_id: str | None
    clear_existing: bool
    status: SyncJobStatus
    up_to_id: int
    after_id: int
    total: int
    done: int
    counts: LineageBatchCounts
    error: str | None
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return not self.status.active
