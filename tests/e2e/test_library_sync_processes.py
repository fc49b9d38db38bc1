"""A library sync outlives the worker process running it: real `serve`, `worker` and sandbox processes, a SIGKILL.

The API server runs no worker of its own; worker A takes the job and is killed mid-library; worker B, started
after, finds A's job stalled (no heartbeat), queues it again and finishes it from the last committed page.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from assetgraph.persistence.database import Database
from tests.graphql_socket_client import graphql_socket
from tests.pixverse_support import JOB_FIELDS, add_account, importable, job_of, library_token, start
from tests.support import REPO_ROOT, TOKEN_LINE, GraphQLClient, free_port, fresh_database_url, wait_until_ready

LIBRARY_SIZE = 3000
PAGE_SIZE = 20
ACTIVE = ("QUEUED", "RUNNING")
PROGRESS = f"subscription($id: ID!) {{ syncProgress(jobId: $id) {{ {JOB_FIELDS} }} }}"

QUICK_WORKERS = {
    "ASSETGRAPH_WORKER_HEARTBEAT_SECONDS": "0.5",
    "ASSETGRAPH_WORKER_STALLED_AFTER_SECONDS": "3",
    "ASSETGRAPH_WORKER_MAINTENANCE_SECONDS": "0.5",
    "ASSETGRAPH_SYNC_RETRY_BACKOFF_SECONDS": "0.05",
    "ASSETGRAPH_PROVIDER_BACKOFF_BASE": "0.01",
    "ASSETGRAPH_PROVIDER_BACKOFF_MAX": "0.05",
}


@dataclass
class Process:
    """A child process whose output goes to a log file (read into assertion messages)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return f"--- {self.name} ({self.log}) ---\n{self.log.read_text(errors='replace')}"

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within a few seconds."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


@dataclass
class Cluster:
    """The processes of one test: sandbox, API server and workers, stopped together whatever happens."""

    logs: Path
    env: dict[str, str]
    processes: list[Process]
    base_url: str = ""
    token: str = ""

    @property
    def database_url(self) -> str:
        return self.env["ASSETGRAPH_DATABASE_URL"]

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> Process:
        log = self.logs / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, *args], cwd=REPO_ROOT, env=self.env | (env or {}), stdout=out, stderr=subprocess.STDOUT
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def worker(self, name: str) -> Process:
        return self.spawn(name, "-m", "assetgraph.cli", "worker")

    def another_server(self, name: str) -> str:
        """One more API server (no jobs) on the same database; its base URL, once it is ready."""
        port = free_port()
        server = self.spawn(name, "-m", "assetgraph.cli", "serve", env={"ASSETGRAPH_PORT": str(port)})
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(server.popen, base_url, server.log)
        return base_url

    def logs_text(self) -> str:
        return "\n".join(process.text() for process in self.processes)


@pytest.fixture
def cluster(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """The sandbox provider, and an API server that runs no jobs itself, on a fresh database, pointed at it.
    Parametrised indirectly, the parameter is how long each Pixverse list page takes (seconds; 0 by default)."""
    cluster = Cluster(tmp_path, dict(os.environ), [])
    list_delay = str(getattr(request, "param", 0.0))
    try:
        sandbox = cluster.spawn(
            "sandbox", "-m", "assetgraph.providers.sandbox", "--port", "0", "--list-delay", list_delay
        )
        urls = sandbox_urls(sandbox)
        port = free_port()
        cluster.env |= {
            "ASSETGRAPH_DATABASE_URL": fresh_database_url("e2e_sync"),
            "ASSETGRAPH_DATA_DIR": str(tmp_path / "data"),  # serve writes the credentials key the workers read
            "ASSETGRAPH_PORT": str(port),
            "ASSETGRAPH_SERVE_WORKER": "false",
            **{f"ASSETGRAPH_{key.upper()}": url for key, url in urls.items() if key.endswith("_base_url")},
            **QUICK_WORKERS,
        }
        server = cluster.spawn("serve", "-m", "assetgraph.cli", "serve")
        cluster.base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(server.popen, cluster.base_url, server.log)
        [cluster.token] = TOKEN_LINE.findall(server.log.read_text())
        yield cluster
    finally:
        for process in reversed(cluster.processes):
            process.stop()


def sandbox_urls(sandbox: Process) -> dict[str, str]:
    """The base URLs the sandbox prints on its first line, once it is listening."""
    deadline = time.monotonic() + 30
    while True:
        first, newline, _ = sandbox.log.read_text().partition("\n")
        if newline and first.startswith("{"):  # a whole line: written at once, but maybe read half-way
            urls: dict[str, str] = json.loads(first)
            return urls
        assert sandbox.popen.poll() is None and time.monotonic() < deadline, sandbox.text()
        time.sleep(0.05)


async def local_user_id(database_url: str) -> int:
    db = Database.connect(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            return int((await conn.execute(text("SELECT id FROM users ORDER BY id LIMIT 1"))).scalar_one())
    finally:
        await db.dispose()


async def synced_counts(database_url: str, user_id: int) -> tuple[int, int]:
    """(rows, distinct provider asset ids) among the user's synced assets."""
    db = Database.connect(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT count(*), count(DISTINCT provider_asset_id) FROM assets"
                        " WHERE user_id = :u AND upload_method = 'sync'"
                    ),
                    {"u": user_id},
                )
            ).one()
            return int(row[0]), int(row[1])
    finally:
        await db.dispose()


async def poll_job(client: GraphQLClient, job_id: str, until: str, within: float, logs: Cluster) -> dict[str, Any]:
    """The job as soon as it is finished ('finished') or has done two pages while still active ('mid-job')."""
    deadline = time.monotonic() + within
    while True:
        job = await job_of(client, job_id)
        assert job is not None
        if job["status"] not in ACTIVE or (until == "mid-job" and job["pagesDone"] >= 2):
            return job
        assert time.monotonic() < deadline, f"job not {until} within {within} s: {job}\n{logs.logs_text()}"
        await asyncio.sleep(0.02)


async def test_a_sync_whose_worker_is_killed_is_finished_by_another_worker_exactly_once(cluster: Cluster) -> None:
    # given the sandbox, an API server that runs no jobs, and worker A
    database_url = cluster.database_url
    worker_a = cluster.worker("worker-a")
    expected, flagged, left_out = importable(LIBRARY_SIZE)

    async with httpx.AsyncClient(base_url=cluster.base_url, timeout=10) as http:
        client = GraphQLClient(http, cluster.token)
        account = (await add_account(client, library_token(LIBRARY_SIZE)))[0]

        # when a whole-library sync is started and worker A has committed a couple of pages
        started = await start(client, account, pageSize=PAGE_SIZE)
        assert started["errors"] == [], started
        job_id = started["job"]["id"]
        midway = await poll_job(client, job_id, "mid-job", 30, cluster)
        assert midway["status"] == "RUNNING", f"{midway}\n{cluster.logs_text()}"

        # and worker A is killed outright, mid-page most likely
        os.kill(worker_a.popen.pid, signal.SIGKILL)
        worker_a.popen.wait(timeout=10)

        # then the job is left unfinished: nobody runs it, and nothing claims it has ended
        orphaned = await job_of(client, job_id)
        assert orphaned is not None and orphaned["status"] in ACTIVE, f"{orphaned}\n{cluster.logs_text()}"
        assert orphaned["finishedAt"] is None and orphaned["seen"] < LIBRARY_SIZE, orphaned

        # when worker B starts
        worker_b = cluster.worker("worker-b")
        done = await poll_job(client, job_id, "finished", 40, cluster)

    # then it took the job over once A's heartbeat went stale and finished it, with exact counts: each page is
    # committed together with its counts, so a page A was in the middle of is either counted once or redone whole
    assert done["status"] == "SUCCEEDED", f"{done}\n{cluster.logs_text()}"
    assert done["error"] is None and done["currentKind"] is None and done["finishedAt"] is not None
    assert done["pagesDone"] > midway["pagesDone"]
    assert '"event": "stalled_jobs_requeued"' in worker_b.log.read_text(), cluster.logs_text()
    assert done["seen"] == done["total"] == LIBRARY_SIZE, done
    assert done["created"] + done["skipped"] == expected, done
    assert done["skipped"] == 0, done  # nothing was created by an uncommitted page, so nothing reads as existing
    assert done["flagged"] == flagged, done
    assert done["processing"] + done["failed"] == left_out, done
    # and the database holds each synced item exactly once
    rows, distinct = await synced_counts(database_url, await local_user_id(database_url))
    assert rows == distinct == expected, f"{rows} rows, {distinct} distinct, {expected} expected"


@pytest.mark.parametrize("cluster", [0.1], indirect=True)  # each Pixverse page takes a tenth of a second
async def test_a_subscriber_on_one_server_sees_every_page_of_a_job_started_on_another_and_run_by_a_worker(
    cluster: Cluster,
) -> None:
    # given two API servers on one database, neither running jobs, and no worker yet
    other_url = cluster.another_server("serve-2")
    size, page_size = 200, 20
    async with httpx.AsyncClient(base_url=other_url, timeout=10) as http:
        client = GraphQLClient(http, cluster.token)
        # when a sync is started on the second server
        account = (await add_account(client, library_token(size)))[0]
        job_id = (await start(client, account, pageSize=page_size))["job"]["id"]

        # and followed on the first, then run by a separate worker process
        async with graphql_socket(cluster.base_url, cluster.token) as socket:
            await socket.subscribe("p", PROGRESS, {"id": job_id})
            first = await socket.receive("p")
            cluster.worker("worker")
            rest = await socket.until_complete("p", within=60)
        final = await job_of(client, job_id)

    # then the subscriber saw the job queued, then every page, then the end, exactly as the job ended
    events = [message["data"]["syncProgress"] for message in [first["payload"], *rest]]
    assert events[0]["status"] == "QUEUED" and events[0]["pagesDone"] == 0, events[0]
    pages = [event["pagesDone"] for event in events]
    assert set(range(final["pagesDone"] + 1)) <= set(pages), f"pages relayed: {pages}\n{cluster.logs_text()}"
    assert pages == sorted(pages)
    assert events[-1] == final and final["status"] == "SUCCEEDED" and final["seen"] == size
