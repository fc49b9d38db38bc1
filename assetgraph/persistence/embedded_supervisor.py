"""Keeps the embedded PostgreSQL up while the app serves: watches it, and starts it again when it dies.

Only the embedded server is supervised: an external one (ASSETGRAPH_DATABASE_URL) is never started or stopped by
us. The database files outlive the server process, so a restarted server needs no migration; the engine replaces
its dead pooled connections by itself (database.ReconnectingConnection).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from assetgraph.persistence.embedded import OldServerExitingError, read_postmaster, restart_embedded_server

logger = logging.getLogger(__name__)

EXITING_POLL_S = 0.2
EXITING_GRACE_S = 10.0


@dataclass(frozen=True)
class Backoff:
    """Exponential delays before each restart attempt: `first`, doubling, never above `cap` (seconds)."""

    first: float = 0.5
    cap: float = 10.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.first * 2.0 ** max(0, attempt - 1))


class EmbeddedSupervisor:
    """Watches the embedded server this process uses and brings it back when it stops.

    Every `interval` seconds (sooner when a query fails to connect) it reads the server's pid file. When the server
    is gone it starts it again with backoff, unless another process got there first, in which case it only rejoins.
    Once `stop` has been called it never starts the server again.
    """

    def __init__(self, server: Any, *, interval: float = 1.0, backoff: Backoff | None = None) -> None:
        self._server = server
        self._interval = interval
        self._backoff = backoff or Backoff()
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._restart: asyncio.Future[bool] | None = None

    def start(self) -> None:
        """Begin watching, on the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._watch(), name="embedded-database-supervisor")

    def watch_engine(self, engine: AsyncEngine) -> None:
        """Check at once, not at the next tick, when the engine fails to reach the database."""

        def on_error(context: ExceptionContext) -> None:
            if context.is_disconnect or isinstance(context.original_exception, OSError):
                self.wake()

        event.listen(engine.sync_engine, "handle_error", on_error)

    def wake(self) -> None:
        """Ask for a check now; safe from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def stop(self) -> None:
        """Stop watching; waits for a restart already under way, which cannot be interrupted halfway."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._restart is not None:
            with contextlib.suppress(Exception):
                await self._restart

    async def _watch(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            try:
                if read_postmaster(self._server.pgdata) is None:
                    await self._bring_back()
            except Exception:  # the watch must outlive any one failure, or the next outage goes unnoticed
                logger.exception("embedded_database_supervisor_error")

    async def _bring_back(self) -> None:
        """Start the server again, waiting longer after each failed attempt, until it runs."""
        down_since = time.monotonic()
        logger.warning("embedded_database_down", extra={"pgdata": str(self._server.pgdata)})
        failures = 0
        # Waiting first lets a killed server's children exit, and lets another process that noticed too win the
        # race: then we only rejoin.
        delay = self._backoff.delay(1)
        while not self._stopping:
            await asyncio.sleep(delay)
            if self._stopping:
                return
            self._restart = asyncio.ensure_future(asyncio.to_thread(restart_embedded_server, self._server))
            try:
                started = await asyncio.shield(self._restart)
            except Exception as exc:  # EmbeddedPostgresError, or the lock or a pg_ctl that could not run
                if isinstance(exc, OldServerExitingError) and time.monotonic() - down_since < EXITING_GRACE_S:
                    # Not a failed start: the dead server's pid is on its way out (init reaps it within a second or
                    # so), and watching it costs one process lookup. Past the grace, it counts, and is logged.
                    delay = EXITING_POLL_S
                    continue
                failures += 1
                delay = self._backoff.delay(failures + 1)
                logger.warning(
                    "embedded_database_restart_failed",
                    extra={"attempt": failures, "error": str(exc), "retry_in_s": delay},
                )
                continue
            logger.info(
                "embedded_database_restarted" if started else "embedded_database_rejoined",
                extra={
                    "attempt": failures + 1,
                    "by": "this process" if started else "another process",
                    "pid": self._server.get_pid(),
                    "down_s": round(time.monotonic() - down_since, 2),
                },
            )
            return


@contextlib.contextmanager
def supervising_in_a_thread(server: Any, *, interval: float = 1.0) -> Iterator[None]:
    """Supervise `server` from a thread of its own while the block runs; for a process whose main thread is busy
    elsewhere (`serve --workers N`'s parent, which owns the embedded server while uvicorn's process manager holds
    the main thread). The supervisor has stopped when the block ends, so that it cannot start the server again after
    the process has begun to stop it."""
    loop = asyncio.new_event_loop()
    supervisor = EmbeddedSupervisor(server, interval=interval)
    stop = asyncio.Event()

    async def supervise() -> None:
        supervisor.start()
        await stop.wait()
        await supervisor.stop()

    thread = threading.Thread(
        target=loop.run_until_complete, args=(supervise(),), name="embedded-database-supervisor", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=60)
        if not thread.is_alive():
            loop.close()
