"""Seeding the bench library fast (COPY in batches) and reusing it across runs.

The bench database is the bench's own, so it keeps a one-row marker table `bench_seed` saying which library it
holds; a run asking for the same size and seed version reuses it instead of reseeding.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import create_user
from bench.database import connect
from bench.library import COLUMNS, asset_batches

# Bump whenever bench/library.py, bench/outcomes.py or bench/history.py change what they generate.
SEED_VERSION = 1
BENCH_EMAIL = "bench@assetgraph.invalid"

MARKER_DDL = """
CREATE TABLE IF NOT EXISTS bench_seed (
    id int PRIMARY KEY CHECK (id = 1),
    seed_version int NOT NULL,
    assets int NOT NULL,
    user_id bigint NOT NULL,
    token text NOT NULL,
    schema_revision text,
    seeded_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class BenchUser:
    user_id: int
    token: str


@dataclass(frozen=True)
class SeedReport:
    user: BenchUser
    assets: int
    reused: bool
    copy_seconds: float = 0.0
    analyze_seconds: float = 0.0

    def describe(self) -> str:
        if self.reused:
            return f"reused the seeded library of {self.assets:,} assets (user {self.user.user_id})"
        return (
            f"seeded {self.assets:,} assets for user {self.user.user_id} in "
            f"{self.copy_seconds + self.analyze_seconds:.1f} s "
            f"(generate + COPY {self.copy_seconds:.1f} s, VACUUM ANALYZE {self.analyze_seconds:.1f} s)"
        )


async def _schema_revision(conn: asyncpg.Connection) -> str | None:
    revision: str | None = await conn.fetchval("SELECT string_agg(version_num, ',') FROM alembic_version")
    return revision


async def _reusable(conn: asyncpg.Connection, assets: int) -> asyncpg.Record | None:
    marker = await conn.fetchrow("SELECT * FROM bench_seed WHERE id = 1")
    if marker is None or marker["seed_version"] != SEED_VERSION or marker["assets"] != assets:
        return None
    # Someone may have touched the database by hand: trust the rows, not only the marker.
    actual = await conn.fetchval("SELECT count(*) FROM assets WHERE user_id = $1", marker["user_id"])
    return marker if actual == assets else None


async def _new_user(url: str) -> BenchUser:
    db = Database.connect(url, pool_size=1)
    try:
        issued = await create_user(UnitOfWork(db), BENCH_EMAIL)
    finally:
        await db.dispose()
    return BenchUser(user_id=issued.user_id, token=issued.token)


def _next_batch(batches: Iterator[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]] | None:
    return next(batches, None)


async def _copy_assets(conn: asyncpg.Connection, user_id: int, assets: int) -> None:
    batches = asset_batches(assets, user_id)
    # Generating the next batch in a thread overlaps Python's work with the server's (parsing JSONB, computing
    # generated columns, maintaining indexes).
    pending = asyncio.ensure_future(asyncio.to_thread(_next_batch, batches))
    async with conn.transaction():
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(_next_batch, batches))
            await conn.copy_records_to_table("assets", records=batch, columns=COLUMNS)


async def _seed(conn: asyncpg.Connection, url: str, assets: int) -> SeedReport:
    # Every bench table hangs off users: this empties the whole library, lineage and accounts included.
    await conn.execute("DELETE FROM bench_seed")
    await conn.execute("TRUNCATE users CASCADE")
    user = await _new_user(url)
    started = time.perf_counter()
    await _copy_assets(conn, user.user_id, assets)
    copied = time.perf_counter()
    await conn.execute("VACUUM ANALYZE assets")
    analyzed = time.perf_counter()
    await conn.execute(
        "INSERT INTO bench_seed (id, seed_version, assets, user_id, token, schema_revision) "
        "VALUES (1, $1, $2, $3, $4, $5)",
        SEED_VERSION,
        assets,
        user.user_id,
        user.token,
        await _schema_revision(conn),
    )
    return SeedReport(user, assets, reused=False, copy_seconds=copied - started, analyze_seconds=analyzed - copied)


async def ensure_library(url: str, assets: int) -> SeedReport:
    """The bench user and a library of `assets` assets: reused when already seeded, else seeded now."""
    conn = await connect(url)
    try:
        await conn.execute(MARKER_DDL)
        marker = await _reusable(conn, assets)
        if marker is None:
            return await _seed(conn, url, assets)
        revision = await _schema_revision(conn)
        if marker["schema_revision"] != revision:
            # A migration since seeding may have rewritten the table (new generated columns): refresh statistics.
            await conn.execute("VACUUM ANALYZE assets")
            await conn.execute("UPDATE bench_seed SET schema_revision = $1 WHERE id = 1", revision)
        return SeedReport(BenchUser(marker["user_id"], marker["token"]), assets, reused=True)
    finally:
        await conn.close()
