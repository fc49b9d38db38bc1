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


def _status_case(p: str) -> str:
    """SQL: the rule's status (text) of provider `p`, a CASE over the arguments of the functions below.

    The rule written once: both ``assetgraph_provider_status`` and ``assetgraph_provider_badges`` embed it. It reads
    ``media_metadata``, ``provider_uploads``, ``primary_provider``, ``provider_asset_id`` and ``storage_key`` by name,
    so no relation in scope where it is embedded may have a column of one of those names.
    """
    return f"""CASE
    -- None, '' and 'local' are not remote providers (is_remote_provider).
    WHEN {p} IS NULL OR {p} IN ('', 'local') THEN
        CASE WHEN storage_key <> '' THEN 'LOCAL_ONLY' ELSE 'UNKNOWN' END
    -- 1. A flag outlives a later failed retry.
    WHEN {_flag_unresolved(p)} THEN 'FLAGGED'
    -- 2. An upload failure is never a flag.
    WHEN {_LAST_STATUS_MAP} -> {p} = '"error"'::jsonb
        THEN 'LOCAL_ONLY'
    -- 3. Held: primary provider asset id, or provider_uploads[p].id a non-empty string or a number.
    WHEN ({p} = primary_provider AND provider_asset_id <> '')
        OR jsonb_typeof(provider_uploads -> {p} -> 'id') = 'number'
        OR (jsonb_typeof(provider_uploads -> {p} -> 'id') = 'string' AND provider_uploads -> {p} ->> 'id' <> '')
        THEN 'OK'
    -- 4. A claimed success with no recorded copy.
    WHEN {_LAST_STATUS_MAP} -> {p} = '"success"'::jsonb
        THEN 'UNKNOWN'
    -- 5./6.
    WHEN storage_key <> '' THEN 'LOCAL_ONLY'
    ELSE 'UNKNOWN'
END"""


CREATE_PROVIDER_STATUS = f"""
CREATE OR REPLACE FUNCTION assetgraph_provider_status(
    media_metadata jsonb, provider_uploads jsonb, primary_provider text, provider_asset_id text,
    storage_key text, p text
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT {_status_case("p")}
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

_MODERATION = "media_metadata -> 'provider_moderation'"
_ATTEMPTS = "media_metadata -> 'upload_history' -> 'upload_attempts'"


def _object_or_empty(value: str) -> str:
    """SQL: `value` when it is a JSON object, else an empty one (jsonb_each and jsonb_object_keys raise on others)."""
    return f"CASE WHEN jsonb_typeof({value}) = 'object' THEN {value} ELSE '{{}}'::jsonb END"


_ATTEMPTS_OR_EMPTY = f"CASE WHEN jsonb_typeof({_ATTEMPTS}) = 'array' THEN {_ATTEMPTS} ELSE '[]'::jsonb END"


def _valid_attempt(entry: str, indent: str) -> str:
    """SQL: `entry` is an attempt the reader keeps (upload_history's read_attempt): an object with a non-empty
    string provider_id and a status exactly "success" or "error". `indent` precedes each AND."""
    conditions = (
        f"jsonb_typeof({entry}) = 'object'",
        f"jsonb_typeof({entry} -> 'provider_id') = 'string'",
        f"{entry} ->> 'provider_id' <> ''",
        f"""{entry} -> 'status' IN ('"success"'::jsonb, '"error"'::jsonb)""",
    )
    return f"\n{indent}AND ".join(conditions)


# The providers an asset is known at (summarize's _known_providers): the primary provider first when it is remote,
# then every other remote provider named by a moderation entry that is an object, a valid attempt, a last status
# that is "success" or "error", or a key of provider_uploads.
_KNOWN_PROVIDERS = f"""(
            SELECT primary_provider AS provider, 0 AS ord
            WHERE primary_provider NOT IN ('', 'local')
            UNION ALL
            SELECT others.provider, 1 AS ord
            FROM (
                SELECT moderated.key
                FROM jsonb_each({_object_or_empty(_MODERATION)}) AS moderated
                WHERE jsonb_typeof(moderated.value) = 'object'
                UNION
                SELECT tried.entry ->> 'provider_id'
                FROM jsonb_array_elements({_ATTEMPTS_OR_EMPTY}) AS tried(entry)
                WHERE {_valid_attempt("tried.entry", " " * 18)}
                UNION
                SELECT last_status.key
                FROM jsonb_each({_object_or_empty(_LAST_STATUS_MAP)}) AS last_status
                WHERE last_status.value IN ('"success"'::jsonb, '"error"'::jsonb)
                UNION
                SELECT jsonb_object_keys({_object_or_empty("provider_uploads")})
            ) AS others(provider)
            WHERE others.provider NOT IN ('', 'local') AND others.provider IS DISTINCT FROM primary_provider
        ) AS known(provider, ord)"""

CREATE_PROVIDER_BADGES = f"""
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
                CASE WHEN rule.status = 'FLAGGED' THEN {_MODERATION} -> known.provider -> 'reason' END,
                (
                    SELECT tried.entry
                    FROM jsonb_array_elements({_ATTEMPTS_OR_EMPTY}) WITH ORDINALITY AS tried(entry, n)
                    WHERE {_valid_attempt("tried.entry", " " * 22)}
                      AND tried.entry ->> 'provider_id' = known.provider
                    ORDER BY tried.n DESC
                    LIMIT 1
                )
            )
            ORDER BY known.ord, known.provider COLLATE "C"
        )
        FROM {_KNOWN_PROVIDERS}
        CROSS JOIN LATERAL (SELECT {_status_case("known.provider")} AS status) AS rule
    ), '[]'::jsonb),
    {_LAST_STATUS_MAP}
)
$body$
"""

CREATE_FUNCTIONS: list[str] = [
    CREATE_PROVIDER_STATUS,
    CREATE_HAS_FAILED_UPLOAD,
    CREATE_FLAGGED_ANYWHERE,
    CREATE_PROVIDER_BADGES,
]
