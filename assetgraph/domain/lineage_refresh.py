"""Rebuilding lineage from stored payloads: what a refresh reports for each asset, and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
