"""provider and media-type indexes cover the status columns, so tab-filtered overviews are index-only

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COVERED = ["provider_status", "age_restricted", "searchable"]


def upgrade() -> None:
    op.drop_index("ix_assets_user_provider_created", table_name="assets")
    op.create_index(
        "ix_assets_user_provider_created",
        "assets",
        ["user_id", "provider_id", "created_at", "id"],
        postgresql_include=_COVERED,
    )
    op.create_index(
        "ix_assets_user_media_type_created",
        "assets",
        ["user_id", "media_type", "created_at", "id"],
        postgresql_include=_COVERED,
    )


def downgrade() -> None:
    op.drop_index("ix_assets_user_media_type_created", table_name="assets")
    op.drop_index("ix_assets_user_provider_created", table_name="assets")
    op.create_index("ix_assets_user_provider_created", "assets", ["user_id", "provider_id", "created_at", "id"])
