-- The `peer` schema PostGraphile 5 serves in `make bench-peers`: the bench user's gallery and the values the gallery
-- derives, written once more in SQL so that PostGraphile answers what assetgraph answers.
--
-- THIS IS A COPY OF THE PROVIDER-STATE RULE, for the bench only. The rule is assetgraph/domain/provider_status.py
-- and assetgraph/domain/upload_history.py; the status at one provider comes from `assetgraph_provider_status`, the
-- rule's SQL mirror that the migrations install (assetgraph/persistence/provider_status_sql.py), and the primary
-- provider's status is the stored `provider_status` column both servers read. What is written again here: which
-- providers an asset is known at and in what order, the held copy id, url, flag reason and last attempt per
-- provider, and the last upload status per provider. bench/peers_run.py compares both servers' answers field by
-- field before it measures anything and stops the run when they differ: a drift shows there, loudly.
--
-- Applied by bench/peers_run.py before PostGraphile starts, in one transaction: the schema is dropped and created
-- again, so the file is the whole truth and re-applying it is harmless. Nothing outside `peer` is touched.

SET LOCAL client_min_messages = warning;
DROP SCHEMA IF EXISTS peer CASCADE;
CREATE SCHEMA peer;

-- assetgraph scopes every read to the token's user and hides age-restricted and unsearchable assets unless asked;
-- the view does both for the one bench user (the seeded library's marker names it). Columns are the ones the
-- workloads read; the derived values below read the rest through the row.
CREATE VIEW peer.assets AS
SELECT a.id, a.media_type, a.provider_id, a.provider_asset_id, a.remote_url, a.thumbnail_url, a.storage_key,
       a.created_at, a.provider_status, a.media_metadata, a.provider_uploads
FROM public.assets AS a
WHERE a.user_id = (SELECT s.user_id FROM public.bench_seed AS s WHERE s.id = 1)
  AND NOT a.age_restricted
  AND a.searchable;

COMMENT ON VIEW peer.assets IS E'@primaryKey id\n@behavior -insert -update -delete';

-- The GraphQL shapes of assetgraph's UploadAttempt (without `context`), ProviderState and ProviderUploadStatus.
-- Statuses are text (assetgraph's enums serialize to the same names).
CREATE TYPE peer.upload_attempt AS (
    provider_id text, status text, error_code text, error_message text, at timestamptz, method text
);
CREATE TYPE peer.provider_state AS (
    provider_id text, status text, provider_asset_id text, url text, flagged boolean, flag_reason text,
    last_attempt peer.upload_attempt
);
CREATE TYPE peer.provider_upload_status AS (provider_id text, status text);
CREATE TYPE peer.status_overview AS (ok integer, local_only integer, flagged integer, unknown integer, total integer);

-- upload_history.upload_attempts as read by read_upload_history: only an array counts, and only entries that are
-- objects with a non-empty string provider_id and a status of exactly "success" or "error"; `ordinal` keeps the
-- stored order (oldest first).
CREATE FUNCTION peer.valid_attempts(media_metadata jsonb)
RETURNS TABLE (ordinal bigint, entry jsonb)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT t.ordinal, t.entry
FROM jsonb_array_elements(
    CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'upload_attempts') = 'array'
         THEN media_metadata -> 'upload_history' -> 'upload_attempts' ELSE '[]'::jsonb END
) WITH ORDINALITY AS t(entry, ordinal)
WHERE jsonb_typeof(t.entry) = 'object'
  AND jsonb_typeof(t.entry -> 'provider_id') = 'string'
  AND t.entry ->> 'provider_id' <> ''
  AND t.entry -> 'status' IN ('"success"'::jsonb, '"error"'::jsonb)
$body$;

-- upload_history.last_upload_status_by_provider as _read_last_status reads it: NULL unless an object; entries whose
-- status is exactly "success" or "error".
CREATE FUNCTION peer.valid_last_statuses(media_metadata jsonb)
RETURNS TABLE (provider_id text, status text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $body$
SELECT l.key, l.value #>> '{}'
FROM jsonb_each(
    CASE WHEN jsonb_typeof(media_metadata -> 'upload_history' -> 'last_upload_status_by_provider') = 'object'
         THEN media_metadata -> 'upload_history' -> 'last_upload_status_by_provider' ELSE '{}'::jsonb END
) AS l
WHERE l.value IN ('"success"'::jsonb, '"error"'::jsonb)
$body$;

-- An attempt's `at` as assetgraph's _parse_at reads it: an ISO-8601 string carrying a zone, else NULL.
CREATE FUNCTION peer.attempt_at(at jsonb)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$
SELECT CASE
    WHEN jsonb_typeof(at) = 'string'
         AND (at #>> '{}') ~ '(Z|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}(\.[0-9]+)?)?)?)$'
         AND pg_input_is_valid(at #>> '{}', 'timestamptz')
    THEN (at #>> '{}')::timestamptz
END
$body$;

-- Asset.providerStates: one state per provider the asset is known at (summarize / _known_providers): the primary
-- provider when it is remote, then every other remote provider named by provider_uploads' keys, moderation entries
-- that are objects, valid attempts and valid last statuses, by code point. A state's last attempt is the newest
-- valid attempt for its provider (last_attempt_for: the last one in the stored array). The primary provider's
-- status is the stored `provider_status` column (`assetgraph_provider_status` for that provider, generated on
-- write); the other providers' statuses are computed by that function here.
CREATE FUNCTION peer.assets_provider_states(a peer.assets)
RETURNS peer.provider_state[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$
WITH last_attempts AS (
    SELECT DISTINCT ON (v.entry ->> 'provider_id') v.entry ->> 'provider_id' AS p, v.entry
    FROM peer.valid_attempts(a.media_metadata) AS v
    ORDER BY v.entry ->> 'provider_id', v.ordinal DESC
),
moderation AS (
    SELECT m.key AS p, m.value AS entry
    FROM jsonb_each(
        CASE WHEN jsonb_typeof(a.media_metadata -> 'provider_moderation') = 'object'
             THEN a.media_metadata -> 'provider_moderation' ELSE '{}'::jsonb END
    ) AS m
    WHERE jsonb_typeof(m.value) = 'object'
),
known AS (
    SELECT a.provider_id AS p
    UNION
    SELECT jsonb_object_keys(
        CASE WHEN jsonb_typeof(a.provider_uploads) = 'object' THEN a.provider_uploads ELSE '{}'::jsonb END
    )
    UNION
    SELECT moderation.p FROM moderation
    UNION
    SELECT last_attempts.p FROM last_attempts
    UNION
    SELECT l.provider_id FROM peer.valid_last_statuses(a.media_metadata) AS l
),
states AS (
    SELECT k.p,
           k.p = a.provider_id AS is_primary,
           CASE WHEN k.p = a.provider_id THEN a.provider_status
                ELSE public.assetgraph_provider_status(
                    a.media_metadata, a.provider_uploads, a.provider_id, a.provider_asset_id, a.storage_key, k.p
                ) END AS status,
           a.provider_uploads -> k.p AS upload,
           m.entry AS moderation,
           la.entry AS attempt
    FROM known AS k
    LEFT JOIN moderation AS m ON m.p = k.p
    LEFT JOIN last_attempts AS la ON la.p = k.p
    WHERE k.p NOT IN ('', 'local')
)
SELECT coalesce(array_agg(ROW(
    s.p,
    s.status,
    CASE WHEN s.is_primary AND a.provider_asset_id <> '' THEN a.provider_asset_id
         WHEN jsonb_typeof(s.upload -> 'id') = 'number' THEN s.upload ->> 'id'
         WHEN jsonb_typeof(s.upload -> 'id') = 'string' AND s.upload ->> 'id' <> '' THEN s.upload ->> 'id' END,
    CASE WHEN jsonb_typeof(s.upload -> 'url') = 'string' THEN s.upload ->> 'url' END,
    s.status = 'FLAGGED',
    CASE WHEN s.status = 'FLAGGED' AND jsonb_typeof(s.moderation -> 'reason') = 'string'
         THEN s.moderation ->> 'reason' END,
    CASE WHEN s.attempt IS NOT NULL THEN ROW(
        s.p,
        upper(s.attempt ->> 'status'),
        CASE WHEN jsonb_typeof(s.attempt -> 'error_code') = 'string' THEN s.attempt ->> 'error_code' END,
        CASE WHEN jsonb_typeof(s.attempt -> 'error_message') = 'string' THEN s.attempt ->> 'error_message' END,
        peer.attempt_at(s.attempt -> 'at'),
        CASE WHEN jsonb_typeof(s.attempt -> 'method') = 'string' THEN s.attempt ->> 'method' END
    )::peer.upload_attempt END
)::peer.provider_state ORDER BY s.is_primary DESC, s.p COLLATE "C"), '{}')
FROM states AS s
$body$;

-- Asset.lastUploadStatusByProvider: NULL when the map is missing or not an object, else its valid entries by
-- provider id (code point order, as Python's sorted()).
CREATE FUNCTION peer.assets_last_upload_status_by_provider(a peer.assets)
RETURNS peer.provider_upload_status[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$
SELECT CASE
    WHEN jsonb_typeof(a.media_metadata -> 'upload_history' -> 'last_upload_status_by_provider') = 'object' THEN (
        SELECT coalesce(
            array_agg(ROW(l.provider_id, upper(l.status))::peer.provider_upload_status
                      ORDER BY l.provider_id COLLATE "C"),
            '{}')
        FROM peer.valid_last_statuses(a.media_metadata) AS l
    )
END
$body$;

-- Query.statusOverview: assetStatusOverview with the default filter, counted over the same view.
CREATE FUNCTION peer.status_overview()
RETURNS peer.status_overview
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$
SELECT count(*) FILTER (WHERE provider_status = 'OK')::integer,
       count(*) FILTER (WHERE provider_status = 'LOCAL_ONLY')::integer,
       count(*) FILTER (WHERE provider_status = 'FLAGGED')::integer,
       count(*) FILTER (WHERE provider_status = 'UNKNOWN')::integer,
       count(*)::integer
FROM peer.assets
$body$;

-- The helpers are building blocks, not API.
COMMENT ON FUNCTION peer.valid_attempts(jsonb) IS '@behavior -*';
COMMENT ON FUNCTION peer.valid_last_statuses(jsonb) IS '@behavior -*';
COMMENT ON FUNCTION peer.attempt_at(jsonb) IS '@behavior -*';
