"""The change notifications the GraphQL subscriptions listen for, as the database sends them.

Triggers (installed by migrations 0006 and 0007, which carry their own frozen copies of these functions) notify
inside the writing transaction, so every write path notifies and a rolled-back write never does. Payloads stay
small: the subscriber re-reads what changed.
"""

from __future__ import annotations

SYNC_JOB_CHANNEL = "assetgraph_sync_job"
"""Payload: the job's id."""
LINEAGE_JOB_CHANNEL = "assetgraph_lineage_job"
"""Payload: the lineage refresh job's id."""
ASSET_CHANGED_CHANNEL = "assetgraph_asset_changed"
"""Payload: "<user id>:<asset id>:<change>", change one of ASSET_CHANGES."""
ASSET_CHANGES = ("created", "upload", "flag")
CHANNELS = (SYNC_JOB_CHANNEL, LINEAGE_JOB_CHANNEL, ASSET_CHANGED_CHANNEL)


def notification_key(payload: str) -> str:
    """Whom a notification concerns: its payload up to the first colon (a job's id; an asset change's user id)."""
    return payload.partition(":")[0]


SYNC_JOB_CHANGED = """
CREATE FUNCTION assetgraph_notify_sync_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assetgraph_sync_job', NEW.id::text);
    RETURN NULL;
END
$$
"""

ASSET_CHANGED = """
CREATE FUNCTION assetgraph_notify_asset_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        change := 'created';
    ELSIF NEW.media_metadata -> 'provider_moderation' IS DISTINCT FROM OLD.media_metadata -> 'provider_moderation' THEN
        change := 'flag';
    ELSIF NEW.media_metadata -> 'upload_history' IS DISTINCT FROM OLD.media_metadata -> 'upload_history'
          OR NEW.provider_uploads IS DISTINCT FROM OLD.provider_uploads THEN
        change := 'upload';
    ELSE
        RETURN NULL;
    END IF;
    PERFORM pg_notify('assetgraph_asset_changed', NEW.user_id || ':' || NEW.id || ':' || change);
    RETURN NULL;
END
$$
"""

LINEAGE_JOB_CHANGED = """
CREATE FUNCTION assetgraph_notify_lineage_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('assetgraph_lineage_job', NEW.id::text);
    RETURN NULL;
END
$$
"""

CREATE_FUNCTIONS = (SYNC_JOB_CHANGED, LINEAGE_JOB_CHANGED, ASSET_CHANGED)
