"""The job worker, assembled: the queue's worker running this package's tasks over the app's resources."""

from __future__ import annotations

import os
import socket
from functools import partial

from assetgraph.config import Settings
from assetgraph.jobs.queue import JobRunners
from assetgraph.jobs.worker import WorkerOptions, run_worker
from assetgraph.services.library_sync_run import SyncRunPolicy, run_library_sync
from assetgraph.services.lineage_jobs import run_lineage_job
from assetgraph.services.resources import Resources


def worker_options(settings: Settings, role: str) -> WorkerOptions:
    return WorkerOptions(
        name=f"{role}@{socket.gethostname()}:{os.getpid()}",
        concurrency=settings.worker_concurrency,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
        stalled_after_seconds=settings.worker_stalled_after_seconds,
        maintenance_seconds=settings.worker_maintenance_seconds,
        poll_seconds=settings.worker_poll_seconds,
    )


async def run_job_worker(resources: Resources, settings: Settings, role: str) -> None:
    """Run jobs until cancelled (`role` names the process kind in the worker's name: serve or worker)."""
    if resources.jobs is None:
        raise RuntimeError("these resources have no job queue")
    runners = JobRunners(
        library_sync=partial(run_library_sync, resources, policy=SyncRunPolicy.from_settings(settings)),
        lineage_refresh=partial(run_lineage_job, resources),
    )
    await run_worker(resources.jobs, resources.database, runners, worker_options(settings, role))
