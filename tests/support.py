"""Helpers shared by the test suite: the test database, users, assets and GraphQL calls."""

from __future__ import annotations

import asyncio
import contextvars
import io
import json
import logging
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
import zlib
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
from sqlalchemy import event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from assetgraph.config import Settings
from assetgraph.persistence.database import Database, asyncpg_dsn
from assetgraph.persistence.embedded import socket_url, start_embedded_server
from assetgraph.persistence.models import Asset, ProviderAccount
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.base import UploadSource
from assetgraph.providers.http import build_client
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox
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


async def provider_account_rows(db: Database, user_id: int) -> list[dict[str, Any]]:
    """The user's provider_accounts rows exactly as stored (ciphertext included), oldest first."""
    query = select(ProviderAccount.__table__).where(ProviderAccount.user_id == user_id).order_by(ProviderAccount.id)
    async with db.engine.connect() as conn:
        return [dict(row._mapping) for row in await conn.execute(query)]


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


_COUNTING: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("counting_statements", default=None)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Record every SQL statement the engine sends for the code run in the block (and the tasks it starts); not
    the statements of tasks running beside it, such as the app's job worker."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if _COUNTING.get() is statements:
            statements.append(statement)

    token = _COUNTING.set(statements)
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        _COUNTING.reset(token)


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


def png_bytes(width: int = 16, height: int = 16, seed: int = 0) -> bytes:
    """A real PNG whose pixels depend on `seed` (distinct seeds, distinct files), built without an imaging library."""
    raw = b"".join(
        b"\x00" + bytes((x * 7 + y * 13 + seed * 31 + channel * 5) % 256 for x in range(width) for channel in range(3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


UPLOAD_MUTATION = """
mutation Upload($input: UploadAssetInput!) {
  uploadAsset(input: $input) {
    asset { id databaseId sha256 sizeBytes mimeType mediaType providerId providerStatus storageKey uploadMethod }
    providerSucceeded deduplicated note
    similarAssets { distance asset { id } }
    errors { code message field }
  }
}
"""


async def upload_file(
    http: httpx.AsyncClient,
    token: str | None,
    content: bytes,
    variables: dict[str, Any],
    *,
    filename: str = "file.png",
    content_type: str = "image/png",
    preflight: bool = True,
) -> httpx.Response:
    """POST a GraphQL multipart request (the spec's operations, map and one file part) for UPLOAD_MUTATION."""
    operations = {"query": UPLOAD_MUTATION, "variables": {"input": {**variables, "file": None}}}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if preflight:
        headers["Apollo-Require-Preflight"] = "true"
    return await http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": (filename, content, content_type)},
        headers=headers,
    )


# Providers: files made on the fly, accounts that ask the sandbox for a fault, settings that keep retries quick.

FAST_PROVIDER_SETTINGS: dict[str, Any] = {
    "provider_backoff_base": 0.01,
    "provider_backoff_max": 0.05,
    "provider_retry_after_max": 3.0,
    "provider_connect_timeout": 2.0,
    "provider_read_timeout": 5.0,
    "sync_retry_backoff_seconds": 0.05,
    "worker_heartbeat_seconds": 0.5,
    "worker_stalled_after_seconds": 3.0,
    "worker_maintenance_seconds": 0.5,
}
"""Tiny backoffs for the test suite; a Retry-After over 3 s ends the retries at once; workers that notice a dead
worker's jobs within seconds."""


@dataclass
class GeneratedFile:
    """An upload whose bytes are made as they are sent, never held whole; counts how often it was opened and
    closed (a retry opens it again)."""

    size_bytes: int
    filename: str = "upload.png"
    mime_type: str = "image/png"
    chunk_bytes: int = 1024 * 1024
    opened: int = 0
    closed: int = 0

    async def _chunks(self) -> AsyncIterator[bytes]:
        self.opened += 1
        try:
            left = self.size_bytes
            while left:
                size = min(left, self.chunk_bytes)
                left -= size
                yield bytes([left % 251]) * size
        finally:
            self.closed += 1

    @property
    def source(self) -> UploadSource:
        return UploadSource(self.filename, self.mime_type, self.size_bytes, self._chunks)


def fault_account(spec: str) -> str:
    """A credential asking the sandbox for fault `spec`, with a random part: an account no other test shares, and a
    secret no message may show."""
    return f"fault:{spec}#{uuid.uuid4().hex}"


def credentials_for(provider_id: str, secret: str) -> dict[str, str]:
    """An account's credentials as its adapter reads them: a Pixverse session JWT, or an API key."""
    return {"jwt": secret} if provider_id == "pixverse" else {"api_key": secret}


@asynccontextmanager
async def sandbox_registry(running: RunningSandbox, **settings: Any) -> AsyncIterator[ProviderRegistry]:
    """The providers, over a client of their own, pointed at `running` with quick retries (and `settings`)."""
    config = Settings(**running.settings_overrides(), **(FAST_PROVIDER_SETTINGS | settings))
    async with build_client(config) as client:
        yield ProviderRegistry.from_settings(config, client)


def upload_payload(response: httpx.Response) -> dict[str, Any]:
    """The uploadAsset payload of a response that carries no top-level error."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["uploadAsset"]
    return payload
