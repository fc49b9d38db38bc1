"""near-duplicate index: each user's informative perceptual hashes, for index-only Hamming-distance scans

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Degenerate hashes (fewer than 8 or more than 56 bits set) are never compared, so they are left out of the index.
_INFORMATIVE = "phash64 IS NOT NULL AND bit_count(phash64::bit(64)) BETWEEN 8 AND 56"


def upgrade() -> None:
    op.create_index(
        "ix_assets_user_phash",
        "assets",
        ["user_id"],
        postgresql_include=["id", "phash64"],
        postgresql_where=sa.text(_INFORMATIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_assets_user_phash", table_name="assets")
