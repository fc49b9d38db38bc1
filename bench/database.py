"""The bench database: `assetgraph_bench`, migrated to head, on its own embedded server or an external one."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from assetgraph.persistence import migrate
from assetgraph.persistence.embedded import ensure_database, socket_url, start_embedded_server

BENCH_DATABASE = "assetgraph_bench"
BENCH_DATA_DIR = Path(__file__).resolve().parents[1] / ".assetgraph-bench"
EXTERNAL_URL_VARIABLE = "ASSETGRAPH_BENCH_DATABASE_URL"

# The same server settings as the app's engine (assetgraph.persistence.database), so that baselines run under
# the planner configuration the app gets.
SERVER_SETTINGS = {"jit": "off"}


@dataclass(frozen=True)
class BenchDatabase:
    """Where the bench runs. `server` keeps the embedded server's handle alive until the process exits."""

    url: str
    server: Any | None

    @property
    def asyncpg_dsn(self) -> str:
        return asyncpg_dsn(self.url)


def asyncpg_dsn(url: str) -> str:
    """A plain asyncpg DSN for a SQLAlchemy `postgresql+asyncpg://` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def connect(url: str) -> asyncpg.Connection:
    """A plain asyncpg connection configured like the app's pool connections."""
    return await asyncpg.connect(asyncpg_dsn(url), server_settings=SERVER_SETTINGS)


async def _ensure_external_database(url: str) -> None:
    admin = await asyncpg.connect(
        asyncpg_dsn(make_url(url).set(database="postgres").render_as_string(hide_password=False))
    )
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DATABASE):
            await admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    finally:
        await admin.close()


def open_bench_database() -> BenchDatabase:
    """Create the bench database if needed and migrate it to head (blocking; call before the event loop)."""
    external = os.environ.get(EXTERNAL_URL_VARIABLE)
    server: Any | None = None
    if external:
        url = make_url(external).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
        asyncio.run(_ensure_external_database(url))
    else:
        server = start_embedded_server(BENCH_DATA_DIR)
        asyncio.run(ensure_database(server, BENCH_DATABASE))
        url = socket_url(server, BENCH_DATABASE)
    migrate.upgrade(url)
    return BenchDatabase(url=url, server=server)
