"""PostgreSQL functions mirroring the provider status rule.

This is the SQL mirror of ``assetgraph/domain/provider_status.py`` (and of ``has_failed_upload`` in
``assetgraph/domain/upload_history.py``); ``tests/persistence/test_provider_status_agreement.py`` proves they
agree. Change both sides together.

The functions feed STORED generated columns, so they are IMMUTABLE and must never raise on any jsonb input:
every container is checked with ``jsonb_typeof`` before it is iterated (``->`` on a non-object already yields
NULL, but ``jsonb_array_elements``/``jsonb_each`` raise on the wrong type). Bodies reference only pg_catalog
objects and never each other, so they keep working under the empty search_path of pg_dump/restore.

These are the definitions the code expects. Migrations carry frozen copies of what they install, and
``tests/persistence/test_installed_functions.py`` fails while the two differ: a change here ships as a new revision
that replaces the functions and recomputes the stored columns built on them (``migrations/README.md``).
"""

from __future__ import annotations


def _flag_unresolved(p: str) -> str:
    """SQL: moderation flagged provider `p` and no successful upload to `p` is recorded after the flag.

    Timestamps compare as plain strings with COLLATE "C" (UTF-8 byte order is code point order, as in Python).
    Inlined in two functions rather than made a function of its own, so that no body depends on search_path.
    """
    moderation = f"media_metadata -> 'provider_moderation' -> {p}"
    attempts = "media_metadata -> 'upload_history' -> 'upload_attempts'"
    return f"""(
    {moderation} -> 'flagged' = 'true'::jsonb
    AND NOT (
        jsonb_typeof({moderation} -> 'at') = 'string'
        AND EXISTS (
            SELECT 1
            FROM jsonb_array_elements(
                CASE WHEN jsonb_typeof({attempts}) = 'array' THEN {attempts} ELSE '[]'::jsonb END
            ) AS attempt(entry)
            WHERE jsonb_typeof(attempt.entry -> 'provider_id') = 'string'
              AND attempt.entry ->> 'provider_id' = {p}
              AND attempt.entry -> 'status' = '"success"'::jsonb
              AND jsonb_typeof(attempt.entry -> 'at') = 'string'
              AND (attempt.entry ->> 'at') COLLATE "C" > ({moderation} ->> 'at') COLLATE "C"
        )
    )
)"""


_LAST_STATUS_MAP = "media_metadata -> 'upload_history' -> 'last_upload_status_by_provider'"

CREATE_PROVIDER_STATUS = f"""
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
    WHEN {_flag_unresolved("p")} THEN 'FLAGGED'
    -- 2. An upload failure is never a flag.
    WHEN {_LAST_STATUS_MAP} -> p = '"error"'::jsonb
        THEN 'LOCAL_ONLY'
    -- 3. Held: primary provider asset id, or provider_uploads[p].id a non-empty string or a number.
    WHEN (p = primary_provider AND provider_asset_id <> '')
        OR jsonb_typeof(provider_uploads -> p -> 'id') = 'number'
        OR (jsonb_typeof(provider_uploads -> p -> 'id') = 'string' AND provider_uploads -> p ->> 'id' <> '')
        THEN 'OK'
    -- 4. A claimed success with no recorded copy.
    WHEN {_LAST_STATUS_MAP} -> p = '"success"'::jsonb
        THEN 'UNKNOWN'
    -- 5./6.
    WHEN storage_key <> '' THEN 'LOCAL_ONLY'
    ELSE 'UNKNOWN'
END
$body$
"""

CREATE_HAS_FAILED_UPLOAD = f"""
CREATE OR REPLACE FUNCTION assetgraph_has_failed_upload(media_metadata jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT EXISTS (
    SELECT 1
    FROM jsonb_each(
        CASE WHEN jsonb_typeof({_LAST_STATUS_MAP}) = 'object' THEN {_LAST_STATUS_MAP} ELSE '{{}}'::jsonb END
    ) AS last_status(provider_id, status)
    WHERE last_status.status = '"error"'::jsonb
)
$body$
"""

# FLAGGED is decided by step 1 of the rule alone, which reads only media_metadata (moderation and attempts),
# so that is the only argument; only providers with a moderation entry can be FLAGGED.
CREATE_FLAGGED_ANYWHERE = f"""
CREATE OR REPLACE FUNCTION assetgraph_flagged_anywhere(media_metadata jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT EXISTS (
    SELECT 1
    FROM jsonb_object_keys(
        CASE WHEN jsonb_typeof(media_metadata -> 'provider_moderation') = 'object'
             THEN media_metadata -> 'provider_moderation'
             ELSE '{{}}'::jsonb END
    ) AS moderated(p)
    WHERE moderated.p NOT IN ('', 'local')
      AND {_flag_unresolved("moderated.p")}
)
$body$
"""

CREATE_FUNCTIONS: list[str] = [CREATE_PROVIDER_STATUS, CREATE_HAS_FAILED_UPLOAD, CREATE_FLAGGED_ANYWHERE]
