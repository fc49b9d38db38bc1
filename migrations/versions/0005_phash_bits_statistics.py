"""statistics on the perceptual-hash bit count, so that the planner knows how many hashes are informative

Without them PostgreSQL assumes a fixed 0.5% of rows for `bit_count(phash64::bit(64)) BETWEEN 8 AND 56`, the
predicate of ix_assets_user_phash, and under a generic plan finds similarAssets' source row by scanning that whole
index instead of the primary key (17-25 ms instead of 9 ms on the 100,000-asset bench library).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE STATISTICS IF NOT EXISTS assets_phash_bits ON (bit_count(phash64::bit(64))) FROM assets")
    op.execute("ANALYZE assets")


def downgrade() -> None:
    op.execute("DROP STATISTICS IF EXISTS assets_phash_bits")
