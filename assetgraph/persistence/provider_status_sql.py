"""PostgreSQL functions mirroring the provider status rule.

This is the SQL mirror of ``assetgraph/domain/provider_status.py`` (and of ``has_failed_upload`` in
``assetgraph/domain/upload_history.py``); ``tests/persistence/test_provider_status_agreement.py`` and
``test_provider_badges_agreement.py`` prove they agree. Change both sides together.

The status functions feed STORED generated columns, and the badges functions every asset of a gallery page, so
they are IMMUTABLE and must never raise on any jsonb input: every container is checked with ``jsonb_typeof`` before
it is iterated (``->`` on a non-object already yields NULL, but ``jsonb_array_elements``/``jsonb_each`` raise on the
wrong type), and jsonpath runs with its errors silenced. Bodies reference only pg_catalog objects and never each
other, so they keep working under the empty search_path of pg_dump/restore.

These are the definitions the code expects. Migrations carry frozen copies of what they install, and
``tests/persistence/test_installed_functions.py`` fails while the two differ: a change here ships as a new revision
that replaces the functions and recomputes the stored columns built on them (``migrations/README.md``).
"""

from __future__ import annotations


def _flag_unresolved(p: str) -> str:
    """SQL: moderation flagged provider `p` and no successful upload to `p` is recorded after the flag.

    Timestamps compare as plain strings with COLLATE "C" (UTF-8 byte order is code point order, as in Python).
    Inlined in each function rather than made a function of its own, so that no body depends on search_path.
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

# The badges of an asset (``assetgraph_provider_badges``): what ``summarize`` derives, for a gallery page to read as
# one compact JSON value per asset. Lists of providers and attempts are filtered by jsonpath (strict mode, errors
# silenced): a jsonpath call is a plain expression, where a subquery over jsonb_each/jsonb_array_elements is one more
# plan node for PostgreSQL to set up on every call. Strict mode matters: lax mode would unwrap a status of
# ["success"] into a success and iterate an object as a one-element array.

_VALID_ATTEMPT = (
    '@.type() == "object" && @.provider_id.type() == "string" && @.provider_id != ""'
    ' && (@.status == "success" || @.status == "error")'
)
"""jsonpath filter: an attempt the reader keeps (upload_history.read_attempt): an object, a non-empty string
provider_id, a status exactly "success" or "error" (a missing key makes the filter unknown, so the entry is skipped)."""


def _path_array(target: str, path: str, variables: str = "'{}'::jsonb") -> str:
    """SQL: the JSON array of what the strict jsonpath `path` finds in `target`; [] where the path does not apply."""
    return f"COALESCE(jsonb_path_query_array({target}, 'strict {path}', {variables}, true), '[]'::jsonb)"


# Every provider id the asset names (summarize's _known_providers, before dropping '' and 'local'): the primary
# provider when remote, moderation entries that are objects, valid attempts, last statuses that are "success" or
# "error", and the keys of provider_uploads.
_CANDIDATE_PROVIDERS = "\n                    || ".join(
    (
        "CASE WHEN primary_provider NOT IN ('', 'local') THEN jsonb_build_array(primary_provider) ELSE '[]'::jsonb END",
        _path_array("media_metadata", '$.provider_moderation.keyvalue() ? (@.value.type() == "object").key'),
        _path_array("media_metadata", f"$.upload_history.upload_attempts[*] ? ({_VALID_ATTEMPT}).provider_id"),
        _path_array(
            "media_metadata",
            "$.upload_history.last_upload_status_by_provider.keyvalue()"
            ' ? (@.value == "success" || @.value == "error").key',
        ),
        _path_array("provider_uploads", "$.keyvalue().key"),
    )
)

_LAST_ATTEMPT = _path_array(
    "media_metadata",
    f"$.upload_history.upload_attempts[*] ? ({_VALID_ATTEMPT} && @.provider_id == $p)",
    "jsonb_build_object('p', rule.provider)",
)

# [states, last_map]: one [provider_id, status, held, url, reason, attempt] per known provider, the primary provider
# first, then the others by code point; raw JSON values, which badges_from_sql (domain/provider_status.py) reads as
# summarize would. `OFFSET 0` keeps `rule` a subquery, so that its status (and the rule's EXISTS) is computed once,
# not copied into each use of it.
_BADGES_SELECT = f"""SELECT jsonb_build_array(
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
                {_LAST_ATTEMPT} -> -1
            )
            ORDER BY rule.provider IS DISTINCT FROM primary_provider, rule.provider COLLATE "C"
        )
        FROM (
            SELECT known.provider, {_status_case("known.provider")} AS status
            FROM (
                SELECT DISTINCT candidate.provider
                FROM jsonb_array_elements_text(
                    {_CANDIDATE_PROVIDERS}
                ) AS candidate(provider)
                WHERE candidate.provider NOT IN ('', 'local')
            ) AS known
            OFFSET 0
        ) AS rule
    ), '[]'::jsonb),
    {_LAST_STATUS_MAP}
)"""

_BADGES_ARGUMENTS = """
    media_metadata jsonb, provider_uploads jsonb, primary_provider text, provider_asset_id text,
    storage_key text
"""

# A one-row table function, to be called in FROM (`CROSS JOIN LATERAL assetgraph_provider_badges(...) AS badges`):
# PostgreSQL then inlines the body into the calling statement and plans it once with it (1.8 ms for a 100-asset
# page). Called per row in a select list instead, the body would be set up as a statement of its own for every row
# (4 ms, and 36 ms when re-planned for each call's values). It must take no SET clause and not be STRICT: PostgreSQL
# never inlines such a function (test_provider_badges_agreement.py checks the plan).
CREATE_PROVIDER_BADGES = f"""
CREATE OR REPLACE FUNCTION assetgraph_provider_badges({_BADGES_ARGUMENTS}) RETURNS TABLE (badges jsonb)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
{_BADGES_SELECT}
$body$
"""

CREATE_FUNCTIONS: list[str] = [
    CREATE_PROVIDER_STATUS,
    CREATE_HAS_FAILED_UPLOAD,
    CREATE_FLAGGED_ANYWHERE,
    CREATE_PROVIDER_BADGES,
]
