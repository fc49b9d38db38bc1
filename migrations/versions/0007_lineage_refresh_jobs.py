"""lineage refresh jobs: a refresh of more assets than one request rebuilds runs as a background job

The lineage_jobs table holds each job's cursor and counts, committed with every batch it rebuilds; a trigger
notifies channel assetgraph_lineage_job with the job's id on every insert or update, for the
lineageRefreshProgress subscription (the same path as sync jobs').

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LINEAGE_JOB_CHANGED = """
CREATE FUNCTION assetgraph_notify_lineage_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assetgraph_lineage_job', NEW.id::text);
    RETURN NULL;
END
$$
"""


def _counts(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "lineage_jobs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("provider_id", sa.Text(), nullable=True),
        sa.Column("clear_existing", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("up_to_id", sa.BigInteger(), nullable=False),
        sa.Column("after_id", sa.BigInteger(), server_default="0", nullable=False),
        *_counts("total", "done", "rebuilt", "unchanged", "no_metadata", "failed", "removed_edges", "new_edges"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("queue_job_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name="status_allowed"
        ),
        sa.CheckConstraint("after_id >= 0 AND total >= 0", name="cursor_allowed"),
    )
    op.create_index(
        "uq_lineage_jobs_active_user",
        "lineage_jobs",
        ["user_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )
    op.create_index("ix_lineage_jobs_user_id", "lineage_jobs", ["user_id", sa.text("id DESC")])
    op.execute(_LINEAGE_JOB_CHANGED)
    op.execute(
        "CREATE TRIGGER lineage_jobs_notify AFTER INSERT OR UPDATE ON lineage_jobs "
        "FOR EACH ROW EXECUTE FUNCTION assetgraph_notify_lineage_job()"
    )


def downgrade() -> None:
    op.drop_table("lineage_jobs")
    op.execute("DROP FUNCTION IF EXISTS assetgraph_notify_lineage_job()")
