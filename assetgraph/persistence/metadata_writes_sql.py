"""PostgreSQL functions that write into media_metadata atomically, in one UPDATE, without reading it in Python.

Used by repositories/upload_history.py. Each takes the current media_metadata and returns the new one, so that an
`UPDATE assets SET media_metadata = f(media_metadata, ...)` is atomic: concurrent writers queue on the row lock and
each one applies its change to the version the previous one committed (no lost attempts).

Malformed input is tolerated, never raised on: a media_metadata that is not an object is kept under
`original_media_metadata` inside a new object, and a malformed `upload_history` or `provider_moderation` is
replaced by a well-formed one.

As with provider_status_sql.py, migrations install frozen copies; a change here ships as a new revision.
"""

from __future__ import annotations

NOW_UTC = """to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
"""The database's clock as the text stamp an entry's `at` holds (what domain/upload_history.format_utc writes)."""

_AS_OBJECT = """CASE
        WHEN jsonb_typeof(media_metadata) = 'object' THEN media_metadata
        WHEN media_metadata IS NULL OR jsonb_typeof(media_metadata) = 'null' THEN '{}'::jsonb
        ELSE jsonb_build_object('original_media_metadata', media_metadata)
    END"""

CREATE_APPEND_UPLOAD_ATTEMPT = f"""
CREATE OR REPLACE FUNCTION assetgraph_append_upload_attempt(
    media_metadata jsonb, attempt jsonb, provider_id text, status text, keep integer
) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
WITH history AS (
    SELECT CASE WHEN jsonb_typeof(media_metadata -> 'upload_history') = 'object'
                THEN media_metadata -> 'upload_history' ELSE '{{}}'::jsonb END AS value
), attempts AS (
    SELECT CASE WHEN jsonb_typeof(history.value -> 'upload_attempts') = 'array'
                THEN history.value -> 'upload_attempts' ELSE '[]'::jsonb END || jsonb_build_array(attempt) AS value
    FROM history
), last_status AS (
    SELECT CASE WHEN jsonb_typeof(history.value -> 'last_upload_status_by_provider') = 'object'
                THEN history.value -> 'last_upload_status_by_provider' ELSE '{{}}'::jsonb END
           || jsonb_build_object(provider_id, status) AS value
    FROM history
)
SELECT {_AS_OBJECT} || jsonb_build_object(
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

CREATE_SET_MODERATION = f"""
CREATE OR REPLACE FUNCTION assetgraph_set_moderation(media_metadata jsonb, provider_id text, moderation jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT {_AS_OBJECT} || jsonb_build_object(
    'provider_moderation',
    CASE WHEN jsonb_typeof(media_metadata -> 'provider_moderation') = 'object'
         THEN media_metadata -> 'provider_moderation' ELSE '{{}}'::jsonb END
    || jsonb_build_object(provider_id, moderation)
)
$body$
"""

CREATE_FUNCTIONS: list[str] = [CREATE_APPEND_UPLOAD_ATTEMPT, CREATE_SET_MODERATION]
