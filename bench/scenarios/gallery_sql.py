"""The gallery page baseline in one statement: 100 assets with their provider states, built as JSON in SQL.

THIS IS THE SECOND COPY OF THE PROVIDER-STATE RULE. The first is assetgraph/domain/provider_status.py, whose SQL
mirror for stored columns is assetgraph/persistence/provider_status_sql.py. Which providers an asset is known at,
their held ids, urls, flag reasons, last attempts and order are written again here, by hand, as the fastest
baseline SQL can be: change this together with them. A drift shows in every gallery_page case as
"WARNING: GraphQL and baseline answers differ" instead of "check: GraphQL and baseline agree".

Statuses come from `assetgraph_provider_status` (installed by migration 0002), called once per provider an asset
is known at: its primary provider, provider_uploads keys, last_upload_status_by_provider keys, moderated
providers and providers of valid attempts. Containers of the wrong JSON type read as empty, as in the domain.
"""

from __future__ import annotations

_ATTEMPTS = "a.media_metadata -> 'upload_history' -> 'upload_attempts'"
_LAST_STATUS = "a.media_metadata -> 'upload_history' -> 'last_upload_status_by_provider'"
_MODERATION = "a.media_metadata -> 'provider_moderation'"

_PAGE = f"""
page AS (
    SELECT a.id, a.provider_id, a.provider_asset_id, a.storage_key, a.media_metadata, a.provider_uploads,
           a.provider_status, a.flagged_anywhere,
           CASE WHEN jsonb_typeof({_ATTEMPTS}) = 'array' THEN {_ATTEMPTS} ELSE '[]'::jsonb END AS attempts,
           CASE WHEN jsonb_typeof({_LAST_STATUS}) = 'object' THEN {_LAST_STATUS} END AS last_status,
           CASE WHEN jsonb_typeof({_MODERATION}) = 'object' THEN {_MODERATION} ELSE '{{}}'::jsonb END AS moderation,
           CASE WHEN jsonb_typeof(a.provider_uploads) = 'object' THEN a.provider_uploads ELSE '{{}}'::jsonb END
               AS uploads,
           row_number() OVER (ORDER BY a.created_at DESC, a.id DESC) AS n
    FROM assets AS a
    WHERE a.user_id = $1 AND {{status_condition}} AND NOT a.age_restricted AND a.searchable
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT 101
)"""

_KNOWN_PROVIDERS = """
SELECT p.provider_id AS key
UNION SELECT jsonb_object_keys(p.uploads)
UNION SELECT jsonb_object_keys(coalesce(p.last_status, '{}'::jsonb))
UNION SELECT m.key FROM jsonb_each(p.moderation) AS m WHERE jsonb_typeof(m.value) = 'object'
UNION SELECT e ->> 'provider_id' FROM jsonb_array_elements(p.attempts) AS e
      WHERE jsonb_typeof(e -> 'provider_id') = 'string' AND e ->> 'status' IN ('success', 'error')
"""

_LAST_ATTEMPT = """
SELECT json_build_object(
    'providerId', k.key, 'status', upper(e ->> 'status'), 'errorCode', e ->> 'error_code',
    'errorMessage', e ->> 'error_message', 'at', e ->> 'at', 'method', e ->> 'method')
FROM jsonb_array_elements(p.attempts) WITH ORDINALITY AS t(e, i)
WHERE e ->> 'provider_id' = k.key AND e ->> 'status' IN ('success', 'error')
ORDER BY t.i DESC
LIMIT 1
"""

_STATES = f"""
SELECT k.key AS provider_id,
       k.key = p.provider_id AS is_primary,
       assetgraph_provider_status(
           p.media_metadata, p.provider_uploads, p.provider_id, p.provider_asset_id, p.storage_key, k.key
       ) AS status,
       CASE WHEN k.key = p.provider_id AND p.provider_asset_id <> '' THEN p.provider_asset_id
            WHEN jsonb_typeof(p.uploads -> k.key -> 'id') IN ('string', 'number')
                 AND p.uploads -> k.key ->> 'id' <> '' THEN p.uploads -> k.key ->> 'id' END AS held_id,
       CASE WHEN jsonb_typeof(p.uploads -> k.key -> 'url') = 'string' THEN p.uploads -> k.key ->> 'url' END AS url,
       CASE WHEN jsonb_typeof(p.moderation -> k.key -> 'reason') = 'string'
            THEN p.moderation -> k.key ->> 'reason' END AS reason,
       ({_LAST_ATTEMPT}) AS last_attempt
FROM ({_KNOWN_PROVIDERS}) AS k
WHERE k.key NOT IN ('', 'local')
"""

_STATE_ORDER = 's.is_primary DESC, s.provider_id COLLATE "C"'

_PROVIDER_STATES = f"""
SELECT coalesce(json_agg(json_build_object(
           'providerId', s.provider_id, 'status', s.status, 'providerAssetId', s.held_id, 'url', s.url,
           'flagged', s.status = 'FLAGGED', 'flagReason', CASE WHEN s.status = 'FLAGGED' THEN s.reason END,
           'lastAttempt', s.last_attempt
       ) ORDER BY {_STATE_ORDER}), '[]'::json) AS states,
       (array_agg(s.reason ORDER BY {_STATE_ORDER}) FILTER (WHERE s.status = 'FLAGGED'))[1] AS flag_reason
FROM ({_STATES}) AS s
"""

_LAST_STATUS_LIST = """
CASE WHEN p.last_status IS NOT NULL THEN (
    SELECT coalesce(json_agg(json_build_object('providerId', l.key, 'status', upper(l.value #>> '{}'))
                             ORDER BY l.key COLLATE "C"), '[]'::json)
    FROM jsonb_each(p.last_status) AS l
    WHERE l.value IN ('"success"'::jsonb, '"error"'::jsonb)
) END
"""

_GALLERY_PAGE_SQL = f"""
WITH {_PAGE},
nodes AS (
    SELECT p.n, json_build_object(
        'databaseId', p.id,
        'providerId', p.provider_id,
        'providerStatus', p.provider_status,
        'providerFlagged', p.flagged_anywhere,
        'providerFlagReason', st.flag_reason,
        'lastUploadStatusByProvider', {_LAST_STATUS_LIST},
        'providerStates', st.states
    ) AS node
    FROM page AS p
    CROSS JOIN LATERAL ({_PROVIDER_STATES}) AS st
)
SELECT json_build_object(
    'hasNextPage', count(*) > 100,
    'nodes', coalesce(json_agg(node ORDER BY n) FILTER (WHERE n <= 100), '[]'::json)
)
FROM nodes
"""


def gallery_page_sql(single_status: bool) -> str:
    """The statement for one status (`$2` a text) or several (`$2` a text[]).

    Written by hand, one status is an equality: the planner then walks the (user, status, ..., created_at)
    index in order, where `= ANY(array)` would make it filter the whole created_at index instead.
    """
    condition = "a.provider_status = $2::text" if single_status else "a.provider_status = ANY($2::text[])"
    return _GALLERY_PAGE_SQL.replace("{status_condition}", condition)
