"""One runner per background job at a time, whichever process runs it: a session-level advisory lock.

Two workers can be handed the same sync job: a worker whose heartbeat went stale while it still runs (a blocked
event loop), two workers' maintenance queueing one stalled job again at the same moment. Page commits are already
safe (each checks the job's cursor under the row lock), but two runners would fetch every page twice and race each
other's progress. The lock lives as long as the runner's connection: a killed worker's connection closes, and the
lock with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy import text

from assetgraph.persistence.database import Database

# hashtextextended gives a bigint key per job, in a namespace (the prefix) no other advisory lock here uses.
_TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtextextended('assetgraph.' || CAST(:job AS text), 0))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtextextended('assetgraph.' || CAST(:job AS text), 0))")


@asynccontextmanager
async def _run_lock(database: Database, job: str) -> AsyncIterator[bool]:
    async with database.engine.connect() as connection:
        # Autocommit: the lock belongs to the session, and no transaction stays open for the job's whole run.
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        held = bool(await connection.scalar(_TRY_LOCK, {"job": job}))
        try:
            yield held
        finally:
            if held and not connection.closed:
                await connection.scalar(_UNLOCK, {"job": job})


def sync_job_run_lock(database: Database, job_id: int) -> AbstractAsyncContextManager[bool]:
    """Hold the sync job's run lock for the block if no other session holds it; yields whether it is held."""
    return _run_lock(database, f"sync_job:{job_id}")


def lineage_job_run_lock(database: Database, job_id: int) -> AbstractAsyncContextManager[bool]:
    """Hold the lineage job's run lock for the block if no other session holds it; yields whether it is held."""
    return _run_lock(database, f"lineage_job:{job_id}")
