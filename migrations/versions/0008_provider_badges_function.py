"""provider badges: assetgraph_provider_badges, the rule's states and last upload statuses of an asset in SQL

A gallery page can read each asset's badges as one compact JSON value computed by PostgreSQL instead of decoding
media_metadata and applying the rule in Python (issue 11). The function feeds no stored column, so nothing is
recomputed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL this revision applies, frozen as it was written (see migrations/README.md).

_CREATE_PROVIDER_BADGES = """
CREATE OR REPLACE FUNCTION assetgraph_provider_badges(
    media_metadata jsonb, provider_uploads jsonb, primary_provider text, provider_asset_id text,
    storage_key text
) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
-- [states, last_map]: one [provider_id, status, held, url, reason, attempt] per known provider, raw JSON values
-- that badges_from_sql (assetgraph/domain/provider_status.py) reads as summarize would.
SELECT jsonb_build_array(
    COALESCE((
        SELECT jsonb_agg(
            jsonb_build_array(
                known.provider,
                rule.status,
                CASE WHEN known.provider = primary_provider AND provider_asset_id <> ''
                    THEN to_jsonb(provider_asset_id)
                    ELSE provider_uploads -> known.provider -> 'id' END,
                provider_uploads -> known.provider -> 'url',
                CASE WHEN rule.status = 'FLAGGED' THEN media_metadata -> 'provider_moderation' -> known.provider -> 'reason' END,
                (
                    SELECT tried.entry
                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array' THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END) WITH ORDINALITY AS tried(entry, n)
                    WHERE jsonb_typeof(tried.entry) = 'object'
                      AND jsonb_typeof(tried.entry -> 'provider_id') = 'string'
                      AND tried.entry ->> 'provider_id' <> ''
                      AND tried.entry -> 'status' IN ('"success"'::jsonb, '"error"'::jsonb)
                      AND tried.entry ->> 'provider_id' = known.provider
                    ORDER BY tried.n DESC
                    LIMIT 1
                )
            )
            ORDER BY known.ord, known.provider COLLATE "C"
        )
        FROM (
            SELECT primary_provider AS provider, 0 AS ord
            WHERE primary_provider NOT IN ('', 'local')
            UNION ALL
            SELECT others.provider, 1 AS ord
            FROM (
                SELECT moderated.key
                FROM jsonb_each(CASE WHEN jsonb_typeof(media_metadata -> 'provider_moderation') = 'object' THEN media_metadata -> 'provider_moderation' ELSE '{}'::jsonb END) AS moderated
                WHERE jsonb_typeof(moderated.value) = 'object'
                UNION
                SELECT tried.entry ->> 'provider_id'
                FROM jsonb_array_elements(CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array' THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END) AS tried(entry)
                WHERE jsonb_typeof(tried.entry) = 'object'
                  AND jsonb_typeof(tried.entry -> 'provider_id') = 'string'
                  AND tried.entry ->> 'provider_id' <> ''
                  AND tried.entry -> 'status' IN ('"success"'::jsonb, '"error"'::jsonb)
                UNION
                SELECT last_status.key
                FROM jsonb_each(CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'last_upload_status_by_provider') = 'object' THEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' ELSE '{}'::jsonb END) AS last_status
                WHERE last_status.value IN ('"success"'::jsonb, '"error"'::jsonb)
                UNION
                SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(provider_uploads) = 'object' THEN provider_uploads ELSE '{}'::jsonb END)
            ) AS others(provider)
            WHERE others.provider NOT IN ('', 'local') AND others.provider IS DISTINCT FROM primary_provider
        ) AS known(provider, ord)
        CROSS JOIN LATERAL (SELECT CASE
    -- None, '' and 'local' are not remote providers (is_remote_provider).
    WHEN known.provider IS NULL OR known.provider IN ('', 'local') THEN
        CASE WHEN storage_key <> '' THEN 'LOCAL_ONLY' ELSE 'UNKNOWN' END
    -- 1. A flag outlives a later failed retry.
    WHEN (
    media_metadata -> 'provider_moderation' -> known.provider -> 'flagged' = 'true'::jsonb
    AND NOT (
        jsonb_typeof(media_metadata -> 'provider_moderation' -> known.provider -> 'at') = 'string'
        AND EXISTS (
            SELECT 1
            FROM jsonb_array_elements(
                CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array' THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END
            ) AS attempt(entry)
            WHERE jsonb_typeof(attempt.entry -> 'provider_id') = 'string'
              AND attempt.entry ->> 'provider_id' = known.provider
              AND attempt.entry -> 'status' = '"success"'::jsonb
              AND jsonb_typeof(attempt.entry -> 'at') = 'string'
              AND (attempt.entry ->> 'at') COLLATE "C" > (media_metadata -> 'provider_moderation' -> known.provider ->> 'at') COLLATE "C"
        )
    )
) THEN 'FLAGGED'
    -- 2. An upload failure is never a flag.
    WHEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' -> known.provider = '"error"'::jsonb
        THEN 'LOCAL_ONLY'
    -- 3. Held: primary provider asset id, or provider_uploads[p].id a non-empty string or a number.
    WHEN (known.provider = primary_provider AND provider_asset_id <> '')
        OR jsonb_typeof(provider_uploads -> known.provider -> 'id') = 'number'
        OR (jsonb_typeof(provider_uploads -> known.provider -> 'id') = 'string' AND provider_uploads -> known.provider ->> 'id' <> '')
        THEN 'OK'
    -- 4. A claimed success with no recorded copy.
    WHEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' -> known.provider = '"success"'::jsonb
        THEN 'UNKNOWN'
    -- 5./6.
    WHEN storage_key <> '' THEN 'LOCAL_ONLY'
    ELSE 'UNKNOWN'
END AS status) AS rule
    ), '[]'::jsonb),
    media_metadata -> 'upload_history' -> 'last_upload_status_by_provider'
)
$body$
"""


def upgrade() -> None:
    op.execute(_CREATE_PROVIDER_BADGES)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS assetgraph_provider_badges(jsonb, jsonb, text, text, text)")
