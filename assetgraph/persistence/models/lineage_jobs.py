"""Lineage refresh jobs: a refresh too large for one request, run by a worker; its cursor and counts are committed
with each batch it rebuilds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from assetgraph.domain.library_sync import SyncJobStatus
from assetgraph.persistence.models.base import Base, created_at_column, id_column, one_of


def _count() -> Mapped[int]:
    return mapped_column(Integer, nullable=False, server_default="0")


class LineageJob(Base):
    __tablename__ = "lineage_jobs"
    __table_args__ = (
        one_of("status", SyncJobStatus),
        CheckConstraint("after_id >= 0 AND total >= 0", name="cursor_allowed"),
        # One active refresh per user: two would race to create the same URL-only parents.
        Index(
            "uq_lineage_jobs_active_user",
            "user_id",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index("ix_lineage_jobs_user_id", "user_id", text("id DESC")),
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    provider_id: Mapped[str | None] = mapped_column(Text)
    """The provider whose assets are rebuilt; null: every asset of the user."""
    clear_existing: Mapped[bool] = mapped_column(Boolean, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default=SyncJobStatus.QUEUED.value)
    up_to_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    """The newest asset id when the job was started: parents it creates are not rebuilt by it."""
    after_id: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    total: Mapped[int] = _count()
    done: Mapped[int] = _count()
    rebuilt: Mapped[int] = _count()
    unchanged: Mapped[int] = _count()
    no_metadata: Mapped[int] = _count()
    failed: Mapped[int] = _count()
    removed_edges: Mapped[int] = _count()
    new_edges: Mapped[int] = _count()
    error: Mapped[str | None] = mapped_column(Text)
    queue_job_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
