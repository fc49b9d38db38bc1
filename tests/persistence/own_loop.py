"""One asyncpg connection on a private event loop, for synchronous tests (hypothesis) that query the database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from assetgraph.persistence.database import asyncpg_dsn


@contextmanager
def connection_on_own_loop(database_url: str) -> Iterator[tuple[asyncio.Runner, asyncpg.Connection]]:
    """The loop's runner and a connection open on it, closed (then the loop) when the block ends."""
    with asyncio.Runner() as runner:
        conn = runner.run(asyncpg.connect(asyncpg_dsn(database_url)))
        try:
            yield runner, conn
        finally:
            runner.run(conn.close())
