"""`assetgraph serve --workers N`: one parent process owns the database, N uvicorn worker processes answer on one port.

One Python process saturates one core, so `serve` runs a process per core by default. The parent starts the
embedded PostgreSQL once (when no ASSETGRAPH_DATABASE_URL is configured), migrates, keeps that server up (the
supervisor runs in a thread of the parent), and leaves the main thread to uvicorn's process manager, which binds the
port, spawns the workers, replaces a worker that dies, and on SIGTERM or SIGINT stops them all before the parent
stops the embedded server, once, at exit.

uvicorn spawns each worker as a fresh interpreter and passes it no objects: everything a worker needs reaches it
through the environment (`worker_environment`), and the worker builds its app with `worker_app`, the factory named
by import string. The database URL given to workers is the one the parent resolved, so a worker never starts, joins
or supervises the embedded server itself.

Per-process parts stay correct with N > 1: every worker has its own pool, its own LISTEN connection (a commit made
through any worker notifies every worker's subscribers) and dataloaders per request. Each worker also runs an
in-serve job worker (unless ASSETGRAPH_SERVE_WORKER=false), with the configured concurrency shared out among them
(`WorkerPlan.job_concurrency`): jobs keep being run while any worker lives, and the serve as a whole runs about as
many jobs at once as with one process. Each job is claimed by exactly one worker (procrastinate's locks), as with
separate `assetgraph worker` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import math
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from starlette.applications import Starlette

from assetgraph.config import Settings
from assetgraph.logging_setup import configure_logging
from assetgraph.persistence.database import asyncpg_dsn
from assetgraph.persistence.embedded import start_embedded_server
from assetgraph.persistence.embedded_supervisor import supervising_in_a_thread

logger = logging.getLogger(__name__)

JOB_QUEUE_CONNECTIONS = 4
"""At most this many connections in each process's job queue pool (jobs/queue.py)."""
LISTENER_CONNECTIONS = 1
"""The change listener's one LISTEN connection per process."""
KEPT_FOR_OTHER_CLIENTS = 20
"""Connections left free for everything but the serving processes: CLI commands, `assetgraph worker`, psql."""
PARENT_PID_VARIABLE = "ASSETGRAPH_SERVE_PARENT_PID"
"""Not a setting: the parent's pid, for a worker to stop with it (`_stop_with_parent`)."""
PR_SET_PDEATHSIG = 1


def worker_count(settings: Settings, requested: int | None) -> int:
    """`--workers`, else ASSETGRAPH_WORKERS, else the number of cores."""
    return requested or settings.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class WorkerPlan:
    """How many workers, and what each may take so that all of them fit the database and the job settings."""

    workers: int
    pool_size: int
    """Each worker's pool (and as many again of overflow, database.py)."""
    job_concurrency: int

    @classmethod
    def for_database(cls, settings: Settings, workers: int, connection_limit: int) -> WorkerPlan:
        """Scale each worker's pool down so that N workers' connections (pool and overflow, job queue, listener) stay
        under `connection_limit` (the server's max_connections less its superuser-reserved ones), leaving
        KEPT_FOR_OTHER_CLIENTS free. Never below 1: too many workers for the server is warned about, not refused."""
        per_worker = (connection_limit - KEPT_FOR_OTHER_CLIENTS) // workers
        fitting = (per_worker - JOB_QUEUE_CONNECTIONS - LISTENER_CONNECTIONS) // 2
        pool_size = max(1, min(settings.database_pool_size, fitting))
        if fitting < 1:
            logger.warning(
                "serve_workers_exceed_max_connections",
                extra={"workers": workers, "connection_limit": connection_limit},
            )
        return cls(workers, pool_size, math.ceil(settings.worker_concurrency / workers))

    @property
    def connections(self) -> int:
        """The most connections all the workers may hold at once."""
        return self.workers * (2 * self.pool_size + JOB_QUEUE_CONNECTIONS + LISTENER_CONNECTIONS)


async def _connection_limit(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        limit = await conn.fetchval(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
        )
    finally:
        await conn.close()
    return int(limit)


def connection_limit(url: str) -> int:
    """The connections the database at `url` accepts from ordinary sessions."""
    return asyncio.run(_connection_limit(url))


def worker_environment(plan: WorkerPlan, url: str) -> dict[str, str]:
    """What the workers read (as settings) beside the parent's own environment."""
    return {
        "ASSETGRAPH_DATABASE_URL": url,
        "ASSETGRAPH_DATABASE_POOL_SIZE": str(plan.pool_size),
        "ASSETGRAPH_WORKER_CONCURRENCY": str(plan.job_concurrency),
        PARENT_PID_VARIABLE: str(os.getpid()),
    }


def run_workers(settings: Settings, url: str, plan: WorkerPlan, uvicorn_options: Mapping[str, Any]) -> bool:
    """Serve with `plan.workers` processes until SIGTERM or SIGINT; returns once every worker has exited, False when
    a worker could not start (uvicorn's manager then stops them all: every restart would fail the same way)."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    os.environ.update(worker_environment(plan, url))  # the spawned workers inherit it
    logger.info(
        "serve_workers",
        extra={"workers": plan.workers, "pool_size": plan.pool_size, "job_concurrency": plan.job_concurrency},
    )
    config = uvicorn.Config(
        f"{__name__}:worker_app", factory=True, workers=plan.workers, lifespan="on", **uvicorn_options
    )
    with _supervising_the_embedded_server(settings):
        manager = Multiprocess(config, sockets=[config.bind_socket()])
        manager.run()
    return not any(process.exitcode == STARTUP_FAILURE for process in manager.processes)


@contextlib.contextmanager
def _supervising_the_embedded_server(settings: Settings) -> Iterator[None]:
    if settings.database_url:  # an external database is never started or stopped by us
        yield
        return
    # Joins the handle this process already holds (the URL was resolved through it).
    with supervising_in_a_thread(start_embedded_server(settings.resolved_data_dir)):
        yield


def worker_app() -> Starlette:
    """The app of one worker process (uvicorn's factory): settings from the environment the parent prepared."""
    from assetgraph.app import create_app, tune_garbage_collector

    settings = Settings()
    configure_logging(settings.log_level)
    _stop_with_parent()
    app = create_app(settings, database_url=settings.database_url)
    tune_garbage_collector()
    return app


def _stop_with_parent() -> None:
    """Ask Linux for SIGTERM when the parent dies, even by SIGKILL, so that no worker outlives it; and stop now if
    it died before we asked."""
    parent = int(os.environ.get(PARENT_PID_VARIABLE, "0"))
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if parent and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)
