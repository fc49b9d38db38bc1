"""library sync jobs: procrastinate's queue, the sync_jobs table, and change notifications for subscriptions

Procrastinate's tables, types and functions come from the schema file of the procrastinate version this project
pins (read from the installed package, never copied here), so the queue is exactly the one its worker expects.
A later procrastinate version ships its own migration files; the revision that moves to it applies them.

Two notification channels carry small payloads for the GraphQL subscriptions, sent by triggers so that every write
path notifies, inside the writing transaction (a NOTIFY is delivered on commit, never for a rolled-back write):
- assetgraph_sync_job: "<job id>" on every insert or update of a sync_jobs row;
- assetgraph_asset_changed: "<user id>:<asset id>:<change>", change = created | upload | flag, when an asset is
  created, or its upload history, provider copies or moderation change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata, resources

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.util import await_only

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROCRASTINATE_SERIES = "3.10."


def _procrastinate_schema() -> str:
    version = metadata.version("procrastinate")
    if not version.startswith(PROCRASTINATE_SERIES):
        raise RuntimeError(
            f"revision 0006 creates procrastinate {PROCRASTINATE_SERIES}x's schema, but {version} is installed; "
            "install the version pyproject.toml pins"
        )
    return resources.files("procrastinate.sql").joinpath("schema.sql").read_text(encoding="utf-8")


def _execute_script(sql: str) -> None:
    """A multi-statement script, sent as one simple query: asyncpg prepares (and so accepts) single statements only,
    and SQLAlchemy's text() would read the script's `:name`s as bind parameters."""
    dbapi_connection = op.get_bind().connection.dbapi_connection
    assert dbapi_connection is not None
    await_only(dbapi_connection.driver_connection.execute(sql))


def _counts(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in names]


_ASSET_CHANGED = """
CREATE FUNCTION assetgraph_notify_asset_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        change := 'created';
    ELSIF NEW.media_metadata -> 'provider_moderation' IS DISTINCT FROM OLD.media_metadata -> 'provider_moderation' THEN
        change := 'flag';
    ELSIF NEW.media_metadata -> 'upload_history' IS DISTINCT FROM OLD.media_metadata -> 'upload_history'
          OR NEW.provider_uploads IS DISTINCT FROM OLD.provider_uploads THEN
        change := 'upload';
    ELSE
        RETURN NULL;
    END IF;
    PERFORM pg_notify('assetgraph_asset_changed', NEW.user_id || ':' || NEW.id || ':' || change);
    RETURN NULL;
END
$$
"""

_SYNC_JOB_CHANGED = """
CREATE FUNCTION assetgraph_notify_sync_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assetgraph_sync_job', NEW.id::text);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    _execute_script(_procrastinate_schema())
    op.create_table(
        "sync_jobs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "provider_account_id",
            sa.BigInteger(),
            sa.ForeignKey("provider_accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("page_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("cursor_kind", sa.Text(), nullable=True),
        *_counts("cursor_offset", "pages_done", "seen", "created", "skipped", "flagged", "processing", "failed"),
        sa.Column("kind_totals", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("queue_job_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name="status_allowed"
        ),
        sa.CheckConstraint("mode IN ('VIDEOS', 'IMAGES', 'BOTH')", name="mode_allowed"),
        sa.CheckConstraint("cursor_kind IN ('video', 'image')", name="cursor_kind_allowed"),
        sa.CheckConstraint("page_size BETWEEN 1 AND 500", name="page_size_allowed"),
        sa.CheckConstraint("cursor_offset >= 0", name="cursor_offset_allowed"),
    )
    op.create_index(
        "uq_sync_jobs_active_account",
        "sync_jobs",
        ["provider_account_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )
    op.create_index("ix_sync_jobs_user_id", "sync_jobs", ["user_id", sa.text("id DESC")])
    op.execute(_SYNC_JOB_CHANGED)
    op.execute(
        "CREATE TRIGGER sync_jobs_notify AFTER INSERT OR UPDATE ON sync_jobs "
        "FOR EACH ROW EXECUTE FUNCTION assetgraph_notify_sync_job()"
    )
    op.execute(_ASSET_CHANGED)
    op.execute(
        "CREATE TRIGGER assets_created_notify AFTER INSERT ON assets "
        "FOR EACH ROW EXECUTE FUNCTION assetgraph_notify_asset_changed()"
    )
    op.execute(
        "CREATE TRIGGER assets_changed_notify AFTER UPDATE OF media_metadata, provider_uploads ON assets "
        "FOR EACH ROW WHEN (OLD.media_metadata IS DISTINCT FROM NEW.media_metadata "
        "OR OLD.provider_uploads IS DISTINCT FROM NEW.provider_uploads) "
        "EXECUTE FUNCTION assetgraph_notify_asset_changed()"
    )


# Every object procrastinate's schema made, found by its name prefix; dropped with whatever depends on it.
_DROP_PROCRASTINATE = """
DO $$
DECLARE
    object record;
BEGIN
    FOR object IN
        SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'procrastinate%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', object.name);
    END LOOP;
    FOR object IN
        SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
    LOOP
        EXECUTE 'DROP ROUTINE IF EXISTS ' || object.name || ' CASCADE';
    END LOOP;
    FOR object IN
        SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%' AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', object.name);
    END LOOP;
END
$$
"""


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS assets_changed_notify ON assets")
    op.execute("DROP TRIGGER IF EXISTS assets_created_notify ON assets")
    op.execute("DROP FUNCTION IF EXISTS assetgraph_notify_asset_changed()")
    op.drop_table("sync_jobs")
    op.execute("DROP FUNCTION IF EXISTS assetgraph_notify_sync_job()")
    _execute_script(_DROP_PROCRASTINATE)
