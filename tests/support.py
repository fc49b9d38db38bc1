"""Helpers shared by the test suite: the test database, users, assets and GraphQL calls."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from PIL import Image, ImageDraw
from sqlalchemy import event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from assetgraph.persistence.database import Database, asyncpg_dsn
from assetgraph.persistence.embedded import socket_url, start_embedded_server
from assetgraph.persistence.models import Asset
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import IssuedToken, create_user

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA_DIR = REPO_ROOT / ".assetgraph-test"


def server_url(database: str) -> str:
    """A URL for `database` on the test server: ASSETGRAPH_TEST_DATABASE_URL's server, else the embedded one."""
    external = os.environ.get("ASSETGRAPH_TEST_DATABASE_URL")
    if external:
        return make_url(external).set(database=database).render_as_string(hide_password=False)
    return socket_url(start_embedded_server(TEST_DATA_DIR), database)


async def recreate_database(url: str) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await conn.close()


def fresh_database_url(prefix: str) -> str:
    """A new, empty database on the test server."""
    url = server_url(f"{prefix}_{uuid.uuid4().hex[:8]}")
    asyncio.run(recreate_database(url))
    return url


def random_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.test"


async def new_user(db: Database) -> IssuedToken:
    return await create_user(UnitOfWork(db), random_email())


async def insert_assets(db: Database, user_id: int, rows: list[dict[str, Any]]) -> list[int]:
    """Insert assets (defaults filled in) in one statement; returns their ids in order."""
    values = [{"media_type": "image", "provider_id": "local", **row, "user_id": user_id} for row in rows]
    statement = insert(Asset).returning(Asset.id, sort_by_parameter_order=True)
    async with db.engine.begin() as conn:
        if len({frozenset(v) for v in values}) <= 1:  # one multi-row statement when the rows share columns
            return [r[0] for r in await conn.execute(statement, values)]
        return [(await conn.execute(statement, [v])).scalar_one() for v in values]


# Pictures made here with Pillow, for perceptual hashes and uploads.


def photo_like(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with a photo's kind of content: a tilted gradient, overlapping shapes in colour, and grain."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize(size).rotate(rng.randrange(360)).convert("RGB")
    picture = Image.blend(base, Image.new("RGB", size, _colour(rng)), 0.5)
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(20, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(rng))
    return Image.blend(picture, Image.effect_noise(size, 40).convert("RGB"), 0.25)


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def encoded(picture: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format, **options)
    return buffer.getvalue()


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> httpx.Response:
        """POST a request as sent, whatever comes back. Encoded with json.dumps, so that a test can send what
        httpx refuses to (a lone surrogate travels as its JSON escape, as a hostile client would send it)."""
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name is not None:
            body["operationName"] = operation_name
        return await self.http.post("/graphql", content=json.dumps(body), headers=headers)

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self.query(query, variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data


async def refused(
    engine: AsyncEngine, client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
) -> Any:
    """Send `query`; assert it was answered with HTTP 200, no data and errors, and that no SQL beyond authentication
    ran; return the errors."""
    with count_statements(engine) as statements:
        response = await client.post(query, variables)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None and body["errors"], body
    assert not [s for s in statements if "api_tokens" not in s], statements
    return body["errors"]


def assert_logged_as_client_errors(caplog: pytest.LogCaptureFixture, count: int) -> None:
    """Nothing was logged at warning or above, and `count` client errors at info, without traceback."""
    assert [r.levelno for r in caplog.records if r.levelno >= logging.WARNING] == []
    logged = [r for r in caplog.records if r.name == "assetgraph.graphql"]
    assert [(r.levelno, r.getMessage(), r.exc_info) for r in logged] == [
        (logging.INFO, "graphql_client_error", None)
    ] * count
    assert not any(hasattr(r, "exc") for r in logged)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Record every SQL statement the engine sends while the block runs."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


# The real server as a subprocess (tests/e2e): the token line `serve` prints once, a free port, readiness.

TOKEN_LINE = re.compile(r"^\s+(agt_[A-Za-z0-9_-]+)\s*$", re.M)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


@asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """`app` (its lifespan already entered) served by uvicorn on a free loopback port in this event loop."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_config=None, ws="websockets-sansio", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


# `assetgraph` processes on an embedded PostgreSQL of their own (tests/e2e).


def embedded_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `assetgraph` process using the embedded PostgreSQL under `data_dir`, on a free port."""
    env = {k: v for k, v in os.environ.items() if k != "ASSETGRAPH_DATABASE_URL"}
    return env | {"ASSETGRAPH_DATA_DIR": str(data_dir), "ASSETGRAPH_PORT": str(free_port())}


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid in the embedded server's `postmaster.pid` (which a killed server leaves behind), if any."""
    pid_file = data_dir / "pg" / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def assetgraph_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assetgraph.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def wait_for(condition: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def readyz_status(base_url: str) -> int:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=2).status_code
    except httpx.TransportError:
        return 0


@dataclass
class ServeProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    env: dict[str, str]
    log: Path

    @property
    def token(self) -> str:
        token: str = TOKEN_LINE.findall(self.log.read_text())[0]
        return token

    def events(self, name: str) -> list[dict[str, Any]]:
        """The structured log lines with this event name."""
        lines = (json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{"))
        return [line for line in lines if line.get("event") == name]

    def terminate(self) -> None:
        """SIGTERM, as from a process manager (resumed first, should it be stopped), and wait for the exit."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@contextmanager
def serving_embedded(data_dir: Path, log: Path) -> Iterator[ServeProcess]:
    """`assetgraph serve` on its own embedded PostgreSQL under `data_dir`, ready; terminated on leaving."""
    env = embedded_env(data_dir)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli", "serve"], cwd=REPO_ROOT, env=env, stdout=out, stderr=out
        )
    server = ServeProcess(process, f"http://127.0.0.1:{env['ASSETGRAPH_PORT']}", env, log)
    try:
        wait_until_ready(process, server.base_url, log)
        yield server
    finally:
        server.terminate()
