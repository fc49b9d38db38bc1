"""provider badges: the rule's states and last upload statuses of an asset as one jsonb, computed in SQL

assetgraph_provider_badges, a one-row table function that PostgreSQL inlines when it is called in FROM, lets a gallery
page read each asset's badges as one compact JSON value instead of decoding media_metadata and applying the rule in
Python (issue 11). It feeds no stored column, so nothing is recomputed.

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
) RETURNS TABLE (badges jsonb)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT jsonb_build_array(
    COALESCE((
        SELECT jsonb_agg(
            jsonb_build_array(
                rule.provider,
                rule.status,
                CASE WHEN rule.provider = primary_provider AND provider_asset_id <> ''
                    THEN to_jsonb(provider_asset_id)
                    ELSE provider_uploads -> rule.provider -> 'id' END,
                provider_uploads -> rule.provider -> 'url',
                CASE WHEN rule.status = 'FLAGGED'
                    THEN media_metadata -> 'provider_moderation' -> rule.provider -> 'reason' END,
                COALESCE(jsonb_path_query_array(media_metadata, 'strict $.upload_history.upload_attempts[*] ? (@.type() == "object" && @.provider_id.type() == "string" && @.provider_id != "" && (@.status == "success" || @.status == "error") && @.provider_id == $p)', jsonb_build_object('p', rule.provider), true), '[]'::jsonb) -> -1
            )
            ORDER BY rule.provider IS DISTINCT FROM primary_provider, rule.provider COLLATE "C"
        )
        FROM (
            SELECT known.provider, CASE
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
END AS status
            FROM (
                SELECT DISTINCT candidate.provider
                FROM jsonb_array_elements_text(
                    CASE WHEN primary_provider NOT IN ('', 'local') THEN jsonb_build_array(primary_provider) ELSE '[]'::jsonb END
                    || COALESCE(jsonb_path_query_array(media_metadata, 'strict $.provider_moderation.keyvalue() ? (@.value.type() == "object").key', '{}'::jsonb, true), '[]'::jsonb)
                    || COALESCE(jsonb_path_query_array(media_metadata, 'strict $.upload_history.upload_attempts[*] ? (@.type() == "object" && @.provider_id.type() == "string" && @.provider_id != "" && (@.status == "success" || @.status == "error")).provider_id', '{}'::jsonb, true), '[]'::jsonb)
                    || COALESCE(jsonb_path_query_array(media_metadata, 'strict $.upload_history.last_upload_status_by_provider.keyvalue() ? (@.value == "success" || @.value == "error").key', '{}'::jsonb, true), '[]'::jsonb)
                    || COALESCE(jsonb_path_query_array(provider_uploads, 'strict $.keyvalue().key', '{}'::jsonb, true), '[]'::jsonb)
                ) AS candidate(provider)
                WHERE candidate.provider NOT IN ('', 'local')
            ) AS known
            OFFSET 0
        ) AS rule
    ), '[]'::jsonb),
    media_metadata -> 'upload_history' -> 'last_upload_status_by_provider'
)
$body$
"""


def upgrade() -> None:
    op.execute(_CREATE_PROVIDER_BADGES)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS assetgraph_provider_badges(jsonb, jsonb, text, text, text)")
