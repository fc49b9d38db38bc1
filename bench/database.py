"""The bench database (`assetgraph_bench`, migrated to head) and the bench library seeded into it with COPY.

The database is the bench's own, so it keeps a one-row marker table `bench_seed` saying which library it holds; a run
asking for the same size and SEED_VERSION reuses it instead of reseeding.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from assetgraph.persistence import migrate
from assetgraph.persistence.database import Database, asyncpg_dsn
from assetgraph.persistence.embedded import ensure_database, socket_url, start_embedded_server
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import create_user
from bench.library import asset_batches

SEED_VERSION = 2  # bump whenever bench/library.py changes what it generates
BENCH_DATABASE = "assetgraph_bench"
BENCH_DATA_DIR = Path(__file__).resolve().parents[1] / ".assetgraph-bench"
BENCH_EMAIL = "bench@assetgraph.invalid"
EXTERNAL_URL_VARIABLE = "ASSETGRAPH_BENCH_DATABASE_URL"

MARKER_DDL = """
CREATE TABLE IF NOT EXISTS bench_seed (
    id int PRIMARY KEY CHECK (id = 1), seed_version int NOT NULL, assets int NOT NULL, user_id bigint NOT NULL,
    token text NOT NULL, schema_revision text, seeded_at timestamptz NOT NULL DEFAULT now()
)
"""
MARKER_INSERT = (
    "INSERT INTO bench_seed (id, seed_version, assets, user_id, token, schema_revision) VALUES (1, $1, $2, $3, $4, $5)"
)


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    server: Any | None  # the embedded server's handle, held so that the server lives until the process exits

    def describe(self) -> str:
        where = "embedded server" if self.server is not None else EXTERNAL_URL_VARIABLE
        return f"bench database: {make_url(self.url).render_as_string(hide_password=True)} ({where})"


@dataclass(frozen=True)
class BenchUser:
    user_id: int
    token: str


async def _ensure_external_database(url: str) -> None:
    admin = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
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


async def connect(url: str) -> asyncpg.Connection:
    """A plain asyncpg connection with the server settings of the app's engine, so baselines are planned alike."""
    return await asyncpg.connect(asyncpg_dsn(url), server_settings={"jit": "off"})


async def _new_user(url: str) -> BenchUser:
    db = Database.connect(url, pool_size=1)
    try:
        issued = await create_user(UnitOfWork(db), BENCH_EMAIL)
    finally:
        await db.dispose()
    return BenchUser(user_id=issued.user_id, token=issued.token)


async def _copy_assets(conn: asyncpg.Connection, user_id: int, assets: int) -> None:
    batches = asset_batches(assets, user_id)
    # Generating the next batch in a thread overlaps Python's work with the server's (parsing JSONB, computing
    # generated columns, maintaining indexes).
    pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
    async with conn.transaction():
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
            records = [tuple(row.values()) for row in batch]
            await conn.copy_records_to_table("assets", records=records, columns=list(batch[0]))


async def _seed(conn: asyncpg.Connection, url: str, assets: int, revision: str | None) -> tuple[BenchUser, str]:
    # Every bench table hangs off users: this empties the whole library, lineage and accounts included.
    await conn.execute("DELETE FROM bench_seed")
    await conn.execute("TRUNCATE users CASCADE")
    user = await _new_user(url)
    started = time.perf_counter()
    await _copy_assets(conn, user.user_id, assets)
    copied = time.perf_counter()
    await conn.execute("VACUUM ANALYZE assets")
    analyzed = time.perf_counter()
    await conn.execute(MARKER_INSERT, SEED_VERSION, assets, user.user_id, user.token, revision)
    return user, (
        f"seeded {assets:,} assets for user {user.user_id} in {analyzed - started:.1f} s "
        f"(generate + COPY {copied - started:.1f} s, VACUUM ANALYZE {analyzed - copied:.1f} s)"
    )


async def ensure_library(conn: asyncpg.Connection, url: str, assets: int) -> tuple[BenchUser, str]:
    """The bench user with a library of `assets` assets (reused if seeded already, else seeded now), and a report."""
    await conn.execute(MARKER_DDL)
    revision: str | None = await conn.fetchval("SELECT string_agg(version_num, ',') FROM alembic_version")
    marker = await conn.fetchrow("SELECT * FROM bench_seed WHERE id = 1")
    if marker is None or (marker["seed_version"], marker["assets"]) != (SEED_VERSION, assets):
        return await _seed(conn, url, assets, revision)
    # Someone may have touched the database by hand: trust the rows, not only the marker.
    if await conn.fetchval("SELECT count(*) FROM assets WHERE user_id = $1", marker["user_id"]) != assets:
        return await _seed(conn, url, assets, revision)
    if marker["schema_revision"] != revision:
        # A migration since seeding may have rewritten the table (new generated columns): refresh statistics.
        await conn.execute("VACUUM ANALYZE assets")
        await conn.execute("UPDATE bench_seed SET schema_revision = $1 WHERE id = 1", revision)
    await _vacuum_what_earlier_runs_left(conn)
    user = BenchUser(marker["user_id"], marker["token"])
    return user, f"reused the seeded library of {assets:,} assets (user {user.user_id})"


async def _vacuum_what_earlier_runs_left(conn: asyncpg.Connection) -> None:
    """VACUUM the tables earlier runs wrote to and deleted from. The sync and lineage-refresh scenarios add assets of
    their own and delete them: 12,000 dead rows (under autovacuum's 20% threshold, so they stay) clear the visibility
    map of the pages they were on, and every later count reads the heap there instead of the index alone (seen: the
    status overview of both servers in `make bench-peers` took 23 ms instead of 10). A table with no dead rows costs
    nothing here, so every run measures the same library."""
    dirty = await conn.fetch(
        "SELECT relname FROM pg_stat_user_tables WHERE relname IN ('assets', 'asset_lineage') AND n_dead_tup > 0"
    )
    for row in dirty:
        await conn.execute(f'VACUUM (ANALYZE) "{row["relname"]}"')


async def describe_library(conn: asyncpg.Connection, user_id: int) -> str:
    """One line picturing the library, so that every run shows the data its figures come from."""
    mix_sql = "SELECT provider_status, count(*) AS n FROM assets WHERE user_id = $1 GROUP BY 1 ORDER BY 2 DESC"
    rows = await conn.fetch(mix_sql, user_id)
    total = sum(row["n"] for row in rows) or 1
    mix = ", ".join(f"{row['provider_status']} {row['n']:,} ({row['n'] / total:.1%})" for row in rows)
    size_sql = "SELECT pg_size_pretty(pg_total_relation_size('assets')), pg_size_pretty(pg_relation_size('assets'))"
    total_size, heap_size = await conn.fetchrow(size_sql)
    return f"library: {mix}; assets table {heap_size} ({total_size} with indexes and TOAST)"
