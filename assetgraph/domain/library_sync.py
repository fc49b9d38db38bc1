"""A whole-library sync job: its states, its progress, and where it goes next (SPEC section 7).

A job walks each media kind of its mode in order, page by page; its cursor (the kind and offset of the next page) is
committed with each page's batch, so a job started again after a crash goes on from the last committed page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from assetgraph.domain.enums import MediaType
from assetgraph.domain.pixverse_items import SyncMode

LIBRARY_SYNC_DEFAULT_PAGE_SIZE = 100
LIBRARY_SYNC_MAX_PAGE_SIZE = 500
MAX_JOBS_PAGE = 100
"""Most sync jobs one `syncJobs` page lists."""


class SyncJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (SyncJobStatus.QUEUED, SyncJobStatus.RUNNING)


ACTIVE_STATUSES = (SyncJobStatus.QUEUED, SyncJobStatus.RUNNING)


@dataclass(frozen=True)
class SyncCursor:
    """The next page to read: `kind` None once every kind of the mode has been read."""

    kind: MediaType | None
    offset: int

    @classmethod
    def start(cls, mode: SyncMode) -> SyncCursor:
        return cls(mode.kinds[0], 0)


def cursor_after_page(
    mode: SyncMode, cursor: SyncCursor, listed: int, page_size: int, kind_total: int | None
) -> SyncCursor:
    """Where a job goes after reading `listed` items at `cursor`: the same kind's next page while the provider
    may have more (a full page, and the offset below the total it reports), else the first page of the mode's next
    kind, else done."""
    assert cursor.kind is not None
    offset = cursor.offset + listed
    more = listed >= page_size and (kind_total is None or offset < kind_total)
    if more:
        return SyncCursor(cursor.kind, offset)
    kinds = mode.kinds
    following = kinds.index(cursor.kind) + 1
    return SyncCursor(kinds[following], 0) if following < len(kinds) else SyncCursor(None, 0)


@dataclass(frozen=True)
class PageProgress:
    """What one page added to a job's counts."""

    seen: int = 0
    created: int = 0
    skipped: int = 0
    flagged: int = 0
    processing: int = 0
    failed: int = 0


@dataclass(frozen=True)
class SyncJobRecord:
    """A sync job as stored: its owner, what it syncs, where it is, and what it has done so far."""

    id: int
    user_id: int
    provider_account_id: int
    mode: SyncMode
    page_size: int
    status: SyncJobStatus
    cursor: SyncCursor
    pages_done: int
    seen: int
    created: int
    skipped: int
    flagged: int
    processing: int
    failed: int
    total: int | None
    """The provider's count of items over every kind of the mode; None until each kind has reported one."""
    kind_totals: dict[str, int]
    error: str | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return not self.status.active
