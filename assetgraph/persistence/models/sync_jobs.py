"""Whole-library sync jobs: one row per job, its cursor and counts committed with each page it imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from assetgraph.domain.enums import MediaType
from assetgraph.domain.library_sync import LIBRARY_SYNC_MAX_PAGE_SIZE, SyncJobStatus
from assetgraph.domain.pixverse_items import SyncMode
from assetgraph.persistence.models.base import Base, created_at_column, id_column, one_of


def _count() -> Mapped[int]:
    return mapped_column(Integer, nullable=False, server_default="0")


class SyncJob(Base):
    __tablename__ = "sync_jobs"
    __table_args__ = (
        one_of("status", SyncJobStatus),
        one_of("mode", SyncMode),
        one_of("cursor_kind", (MediaType.VIDEO, MediaType.IMAGE)),
        CheckConstraint(f"page_size BETWEEN 1 AND {LIBRARY_SYNC_MAX_PAGE_SIZE}", name="page_size_allowed"),
        CheckConstraint("cursor_offset >= 0", name="cursor_offset_allowed"),
        # One active job per account, whoever starts it and however many start at once.
        Index(
            "uq_sync_jobs_active_account",
            "provider_account_id",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index("ix_sync_jobs_user_id", "user_id", text("id DESC")),
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    provider_account_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("provider_accounts.id", ondelete="CASCADE"), nullable=False
    )
    mode: Mapped[str] = mapped_column(Text, nullable=False)
    page_size: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default=SyncJobStatus.QUEUED.value)
    cursor_kind: Mapped[str | None] = mapped_column(Text)
    cursor_offset: Mapped[int] = _count()
    pages_done: Mapped[int] = _count()
    seen: Mapped[int] = _count()
    created: Mapped[int] = _count()
    skipped: Mapped[int] = _count()
    flagged: Mapped[int] = _count()
    processing: Mapped[int] = _count()
    failed: Mapped[int] = _count()
    # The provider's count of items per kind ("video", "image"), as its pages report it.
    kind_totals: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    error: Mapped[str | None] = mapped_column(Text)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    queue_job_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
