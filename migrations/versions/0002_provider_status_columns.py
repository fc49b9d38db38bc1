"""provider status: SQL rule functions, generated status columns and their indexes; atomic metadata writers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL this revision applies, frozen as it was written: later rule changes ship as new revisions
# (see migrations/README.md), so editing the live modules in assetgraph/persistence never rewrites history.

_CREATE_PROVIDER_STATUS = """
CREATE OR REPLACE FUNCTION assetgraph_provider_status(
    media_metadata jsonb, provider_uploads jsonb, primary_provider text, provider_asset_id text,
    storage_key text, p text
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT CASE
    -- None, '' and 'local' are not remote providers (is_remote_provider).
    WHEN p IS NULL OR p IN ('', 'local') THEN
        CASE WHEN storage_key <> '' THEN 'LOCAL_ONLY' ELSE 'UNKNOWN' END
    -- 1. A flag outlives a later failed retry.
    WHEN (
    media_metadata -> 'provider_moderation' -> p -> 'flagged' = 'true'::jsonb
    AND NOT (
        jsonb_typeof(media_metadata -> 'provider_moderation' -> p -> 'at') = 'string'
        AND EXISTS (
            SELECT 1
            FROM jsonb_array_elements(
                CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array' THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END
            ) AS attempt(entry)
            WHERE jsonb_typeof(attempt.entry -> 'provider_id') = 'string'
              AND attempt.entry ->> 'provider_id' = p
              AND attempt.entry -> 'status' = '"success"'::jsonb
              AND jsonb_typeof(attempt.entry -> 'at') = 'string'
              AND (attempt.entry ->> 'at') COLLATE "C" > (media_metadata -> 'provider_moderation' -> p ->> 'at') COLLATE "C"
        )
    )
) THEN 'FLAGGED'
    -- 2. An upload failure is never a flag.
    WHEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' -> p = '"error"'::jsonb
        THEN 'LOCAL_ONLY'
    -- 3. Held: primary provider asset id, or provider_uploads[p].id a non-empty string or a number.
    WHEN (p = primary_provider AND provider_asset_id <> '')
        OR jsonb_typeof(provider_uploads -> p -> 'id') = 'number'
        OR (jsonb_typeof(provider_uploads -> p -> 'id') = 'string' AND provider_uploads -> p ->> 'id' <> '')
        THEN 'OK'
    -- 4. A claimed success with no recorded copy.
    WHEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' -> p = '"success"'::jsonb
        THEN 'UNKNOWN'
    -- 5./6.
    WHEN storage_key <> '' THEN 'LOCAL_ONLY'
    ELSE 'UNKNOWN'
END
$body$
"""

_CREATE_HAS_FAILED_UPLOAD = """
CREATE OR REPLACE FUNCTION assetgraph_has_failed_upload(media_metadata jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT EXISTS (
    SELECT 1
    FROM jsonb_each(
        CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'last_upload_status_by_provider') = 'object' THEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' ELSE '{}'::jsonb END
    ) AS last_status(provider_id, status)
    WHERE last_status.status = '"error"'::jsonb
)
$body$
"""

_CREATE_FLAGGED_ANYWHERE = """
CREATE OR REPLACE FUNCTION assetgraph_flagged_anywhere(media_metadata jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT EXISTS (
    SELECT 1
    FROM jsonb_object_keys(
        CASE WHEN jsonb_typeof(media_metadata -> 'provider_moderation') = 'object'
             THEN media_metadata -> 'provider_moderation'
             ELSE '{}'::jsonb END
    ) AS moderated(p)
    WHERE moderated.p NOT IN ('', 'local')
      AND (
    media_metadata -> 'provider_moderation' -> moderated.p -> 'flagged' = 'true'::jsonb
    AND NOT (
        jsonb_typeof(media_metadata -> 'provider_moderation' -> moderated.p -> 'at') = 'string'
        AND EXISTS (
            SELECT 1
            FROM jsonb_array_elements(
                CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array' THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END
            ) AS attempt(entry)
            WHERE jsonb_typeof(attempt.entry -> 'provider_id') = 'string'
              AND attempt.entry ->> 'provider_id' = moderated.p
              AND attempt.entry -> 'status' = '"success"'::jsonb
              AND jsonb_typeof(attempt.entry -> 'at') = 'string'
              AND (attempt.entry ->> 'at') COLLATE "C" > (media_metadata -> 'provider_moderation' -> moderated.p ->> 'at') COLLATE "C"
        )
    )
)
)
$body$
"""

_CREATE_APPEND_UPLOAD_ATTEMPT = """
CREATE OR REPLACE FUNCTION assetgraph_append_upload_attempt(
    media_metadata jsonb, attempt jsonb, provider_id text, status text, keep integer
) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
WITH history AS (
    SELECT CASE WHEN jsonb_typeof(media_metadata -> 'upload_history') = 'object'
                THEN media_metadata -> 'upload_history' ELSE '{}'::jsonb END AS value
), attempts AS (
    SELECT CASE WHEN jsonb_typeof(history.value -> 'upload_attempts') = 'array'
                THEN history.value -> 'upload_attempts' ELSE '[]'::jsonb END || jsonb_build_array(attempt) AS value
    FROM history
), last_status AS (
    SELECT CASE WHEN jsonb_typeof(history.value -> 'last_upload_status_by_provider') = 'object'
                THEN history.value -> 'last_upload_status_by_provider' ELSE '{}'::jsonb END
           || jsonb_build_object(provider_id, status) AS value
    FROM history
)
SELECT CASE
        WHEN jsonb_typeof(media_metadata) = 'object' THEN media_metadata
        WHEN media_metadata IS NULL OR jsonb_typeof(media_metadata) = 'null' THEN '{}'::jsonb
        ELSE jsonb_build_object('original_media_metadata', media_metadata)
    END || jsonb_build_object(
    'upload_history',
    history.value || jsonb_build_object(
        'upload_attempts',
        (SELECT coalesce(jsonb_agg(kept.entry ORDER BY kept.n), '[]'::jsonb)
           FROM jsonb_array_elements(attempts.value) WITH ORDINALITY AS kept(entry, n)
          WHERE kept.n > jsonb_array_length(attempts.value) - keep),
        'last_upload_status_by_provider', last_status.value
    )
)
FROM history, attempts, last_status
$body$
"""

_CREATE_SET_MODERATION = """
CREATE OR REPLACE FUNCTION assetgraph_set_moderation(media_metadata jsonb, provider_id text, moderation jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT CASE
        WHEN jsonb_typeof(media_metadata) = 'object' THEN media_metadata
        WHEN media_metadata IS NULL OR jsonb_typeof(media_metadata) = 'null' THEN '{}'::jsonb
        ELSE jsonb_build_object('original_media_metadata', media_metadata)
    END || jsonb_build_object(
    'provider_moderation',
    CASE WHEN jsonb_typeof(media_metadata -> 'provider_moderation') = 'object'
         THEN media_metadata -> 'provider_moderation' ELSE '{}'::jsonb END
    || jsonb_build_object(provider_id, moderation)
)
$body$
"""

_CREATE_FUNCTIONS = [
    _CREATE_PROVIDER_STATUS,
    _CREATE_HAS_FAILED_UPLOAD,
    _CREATE_FLAGGED_ANYWHERE,
    _CREATE_APPEND_UPLOAD_ATTEMPT,
    _CREATE_SET_MODERATION,
]
_DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS assetgraph_set_moderation(jsonb, text, jsonb)",
    "DROP FUNCTION IF EXISTS assetgraph_append_upload_attempt(jsonb, jsonb, text, text, integer)",
    "DROP FUNCTION IF EXISTS assetgraph_flagged_anywhere(jsonb)",
    "DROP FUNCTION IF EXISTS assetgraph_has_failed_upload(jsonb)",
    "DROP FUNCTION IF EXISTS assetgraph_provider_status(jsonb, jsonb, text, text, text, text)",
]


def upgrade() -> None:
    for statement in _CREATE_FUNCTIONS:
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
    for statement in _DROP_FUNCTIONS:
        op.execute(statement)
