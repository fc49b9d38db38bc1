"""`assetgraph serve --workers N`: N processes on one port over one embedded PostgreSQL, stopped together."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import psutil
import pytest

from tests.graphql_socket_client import GraphQLSocket, graphql_socket
from tests.support import (
    REPO_ROOT,
    ServeProcess,
    embedded_env,
    png_bytes,
    postmaster_pid,
    upload_file,
    wait_for,
    wait_until_ready,
)

CHANGES = "subscription { assetChanged { change asset { databaseId sha256 } } }"


def serve(data_dir: Path, log: Path, *args: str) -> ServeProcess:
    env = embedded_env(data_dir)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli", "serve", *args], cwd=REPO_ROOT, env=env, stdout=out, stderr=out
        )
    server = ServeProcess(process, f"http://127.0.0.1:{env['ASSETGRAPH_PORT']}", env, log)
    wait_until_ready(process, server.base_url, log)
    return server


@pytest.fixture
def two_workers(embedded_data_dir: Path, tmp_path: Path) -> Iterator[ServeProcess]:
    server = serve(embedded_data_dir, tmp_path / "serve.log", "--workers", "2")
    try:
        yield server
    finally:
        server.terminate()


def workers_of(server: ServeProcess) -> list[psutil.Process]:
    """The parent's worker processes (uvicorn's multiprocessing children, less its resource tracker)."""
    workers = []
    for child in psutil.Process(server.process.pid).children():
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                workers.append(child)
        except psutil.Error:  # a worker that died and is not reaped yet (a zombie) is not serving
            pass
    return workers


def pid_holding(server: ServeProcess, client_port: int) -> int:
    """The worker holding the other end of the TCP connection the client opened from `client_port`."""
    for worker in workers_of(server):
        if any(c.raddr and c.raddr.port == client_port for c in worker.net_connections(kind="tcp")):
            return worker.pid
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def answering_pid(server: ServeProcess, http: httpx.Client | httpx.AsyncClient, response: httpx.Response) -> int:
    """The worker that answered `response` (its connection is still open in `http`'s keep-alive pool)."""
    _, client_port = response.extensions["network_stream"].get_extra_info("client_addr")
    return pid_holding(server, client_port)


@asynccontextmanager
async def watching_changes(server: ServeProcess) -> AsyncIterator[tuple[GraphQLSocket, int]]:
    """A subscription to assetChanged on a WebSocket to the server; yields the socket and the pid of its worker."""
    async with graphql_socket(server.base_url, server.token) as socket:
        _, client_port = socket.ws.local_address[:2]
        await socket.subscribe("changes", CHANGES)
        await asyncio.sleep(0.3)  # the subscription is registered with the worker's listener
        yield socket, pid_holding(server, client_port)


def test_two_workers_answer_on_one_port_and_sigterm_stops_them_and_the_database(
    two_workers: ServeProcess, embedded_data_dir: Path
) -> None:
    # given `serve --workers 2` on its own embedded PostgreSQL
    workers = workers_of(two_workers)
    assert len(workers) == 2
    postmaster = postmaster_pid(embedded_data_dir)
    assert postmaster is not None

    # when clients keep connecting, then both worker processes answer queries with the printed token
    answered: set[int] = set()
    deadline = time.monotonic() + 30
    while len(answered) < 2 and time.monotonic() < deadline:
        with httpx.Client(base_url=two_workers.base_url) as http:
            response = http.post(
                "/graphql",
                json={"query": "{ viewer { email } }"},
                headers={"Authorization": f"Bearer {two_workers.token}"},
            )
            assert response.json() == {"data": {"viewer": {"email": "local@assetgraph.localhost"}}}
            answered.add(answering_pid(two_workers, http, response))
    assert answered == {worker.pid for worker in workers}

    # and they share the one embedded server the parent started
    assert postmaster_pid(embedded_data_dir) == postmaster

    # when the parent gets SIGTERM, as from a process manager
    two_workers.terminate()

    # then it exits cleanly, no worker is left, and the embedded PostgreSQL stopped with it
    assert two_workers.process.returncode == 0, two_workers.log.read_text()[-3000:]
    assert wait_for(lambda: not any(worker.is_running() for worker in workers), within=10)
    assert wait_for(lambda: postmaster_pid(embedded_data_dir) is None, within=15), "PostgreSQL outlived serve"


async def test_a_subscriber_on_one_worker_sees_a_mutation_served_by_the_other(two_workers: ServeProcess) -> None:
    # given a subscriber of assetChanged whose WebSocket landed on one worker
    async with watching_changes(two_workers) as (socket, subscriber_pid):
        # when an upload is served by the other worker
        async with httpx.AsyncClient(base_url=two_workers.base_url, timeout=30) as http:
            uploader_pid = subscriber_pid
            deadline = time.monotonic() + 30
            while uploader_pid == subscriber_pid:
                assert time.monotonic() < deadline, "every HTTP connection landed on the subscriber's worker"
                await http.aclose()
                http = httpx.AsyncClient(base_url=two_workers.base_url, timeout=30)
                uploader_pid = answering_pid(two_workers, http, await http.get("/healthz"))
            response = await upload_file(http, two_workers.token, png_bytes(seed=7), {"providerId": "local"})
            assert answering_pid(two_workers, http, response) == uploader_pid != subscriber_pid
            created = response.json()["data"]["uploadAsset"]["asset"]
            await http.aclose()

        # then the subscriber, on the other process, is told of the new asset
        message = await socket.receive("changes", within=15)
    assert message["type"] == "next", message
    assert message["payload"]["data"]["assetChanged"] == {
        "change": "CREATED",
        "asset": {"databaseId": created["databaseId"], "sha256": created["sha256"]},
    }


def test_workers_stop_when_the_parent_is_killed(two_workers: ServeProcess) -> None:
    # given `serve --workers 2`
    workers = workers_of(two_workers)
    assert len(workers) == 2

    # when the parent is killed outright, with no chance to stop its workers
    two_workers.process.send_signal(signal.SIGKILL)
    two_workers.process.wait(timeout=10)

    # then the workers do not outlive it
    assert wait_for(lambda: not any(worker.is_running() and worker.status() != "zombie" for worker in workers), 15)


def test_a_worker_that_dies_is_replaced_and_the_new_one_answers(two_workers: ServeProcess) -> None:
    # given `serve --workers 2`
    first = {worker.pid for worker in workers_of(two_workers)}

    # when one worker is killed outright
    killed = sorted(first)[0]
    psutil.Process(killed).kill()

    # then the parent starts another in its place, and it answers on the same port
    def replaced() -> bool:
        pids = {worker.pid for worker in workers_of(two_workers)}
        return len(pids) == 2 and killed not in pids

    assert wait_for(replaced, within=30), two_workers.log.read_text()[-3000:]
    [newcomer] = {worker.pid for worker in workers_of(two_workers)} - first
    deadline = time.monotonic() + 30
    while True:
        with httpx.Client(base_url=two_workers.base_url) as http:
            response = http.post(
                "/graphql",
                json={"query": "{ viewer { email } }"},
                headers={"Authorization": f"Bearer {two_workers.token}"},
            )
            if response.status_code == 200 and answering_pid(two_workers, http, response) == newcomer:
                break
        assert time.monotonic() < deadline, "the new worker never answered"


def test_one_worker_serves_from_the_parent_process(embedded_data_dir: Path, tmp_path: Path) -> None:
    # given `serve --workers 1`
    server = serve(embedded_data_dir, tmp_path / "serve.log", "--workers", "1")
    try:
        # then the parent process itself answers, with no worker processes
        assert workers_of(server) == []
        with httpx.Client(base_url=server.base_url) as http:
            response = http.get("/healthz")
            _, client_port = response.extensions["network_stream"].get_extra_info("client_addr")
            serving = psutil.Process(server.process.pid).net_connections(kind="tcp")
            assert any(c.raddr and c.raddr.port == client_port for c in serving)
    finally:
        server.terminate()
    assert wait_for(lambda: postmaster_pid(embedded_data_dir) is None, within=15)


def test_workers_that_cannot_start_stop_serve_with_an_error(embedded_data_dir: Path, tmp_path: Path) -> None:
    # given a setting only a serving process reads, and cannot use (an allow-list entry that is no address)
    env = embedded_env(embedded_data_dir) | {"ASSETGRAPH_FETCH_ALLOW_LIST": '["not an address"]'}

    # when `serve --workers 2` starts with it
    with (tmp_path / "serve.log").open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli", "serve", "--workers", "2"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        returncode = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    log = (tmp_path / "serve.log").read_text()

    # then it exits with an error saying so, rather than running with no worker, and leaves nothing running
    assert returncode == 1, log[-3000:]
    assert "a worker process could not start" in log
    assert wait_for(lambda: postmaster_pid(embedded_data_dir) is None, within=15), "PostgreSQL outlived serve"
