"""provider status: SQL rule functions, generated status columns and their indexes; atomic metadata writers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from assetgraph.persistence import metadata_writes_sql, provider_status_sql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for statement in provider_status_sql.CREATE_FUNCTIONS + metadata_writes_sql.CREATE_FUNCTIONS:
        op.execute(statement)
    op.add_column(
        "assets",
        sa.Column(
            "provider_status",
            sa.Text(),
            sa.Computed(
                "assetgraph_provider_status(media_metadata, provider_uploads, provider_id, provider_asset_id, "
                "storage_key, provider_id)",
                persisted=True,
            ),
            nullable=False,
        ),
    )
    op.add_column(
        "assets",
        sa.Column(
            "has_failed_upload",
            sa.Boolean(),
            sa.Computed("assetgraph_has_failed_upload(media_metadata)", persisted=True),
            nullable=False,
        ),
    )
    op.add_column(
        "assets",
        sa.Column(
            "flagged_anywhere",
            sa.Boolean(),
            sa.Computed("assetgraph_flagged_anywhere(media_metadata)", persisted=True),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_assets_user_status",
        "assets",
        ["user_id", "provider_status", "age_restricted", "searchable", "created_at", "id"],
    )
    op.create_index(
        "ix_assets_user_failed_upload",
        "assets",
        ["user_id", "created_at", "id"],
        postgresql_where=sa.text("has_failed_upload"),
    )
    op.create_index(
        "ix_assets_user_flagged",
        "assets",
        ["user_id", "created_at", "id"],
        postgresql_where=sa.text("flagged_anywhere"),
    )
    op.create_index("ix_assets_user_provider_created", "assets", ["user_id", "provider_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_assets_user_provider_created", table_name="assets")
    op.drop_index("ix_assets_user_flagged", table_name="assets")
    op.drop_index("ix_assets_user_failed_upload", table_name="assets")
    op.drop_index("ix_assets_user_status", table_name="assets")
    op.drop_column("assets", "flagged_anywhere")
    op.drop_column("assets", "has_failed_upload")
    op.drop_column("assets", "provider_status")
    for statement in metadata_writes_sql.DROP_FUNCTIONS + provider_status_sql.DROP_FUNCTIONS:
        op.execute(statement)
