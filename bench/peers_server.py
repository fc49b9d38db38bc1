"""PostGraphile 5 in a process of its own on the bench database, on loopback, for `make bench-peers`.

bench/peers/ holds its package.json and lockfile (PostGraphile with the Amber preset, and Node 22 from npm's `node`
package: the machine's own node may be older than PostGraphile 5 needs), `peer.sql` (the schema it serves),
`graphile.config.mjs` and `serve.mjs`. `make bench-peers` installs them with `npm ci`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import psutil
from sqlalchemy.engine import make_url

from bench.server import free_port, serving

PEERS_DIR = Path(__file__).resolve().parent / "peers"
NODE = PEERS_DIR / "node_modules" / "node" / "bin" / "node"
PEER_SQL = PEERS_DIR / "peer.sql"


async def apply_peer_schema(conn: asyncpg.Connection) -> None:
    """(Re)create the `peer` schema PostGraphile serves, in one transaction (peer.sql drops it first)."""
    async with conn.transaction():
        await conn.execute(PEER_SQL.read_text())


def libpq_environment(url: str) -> dict[str, str]:
    """The PG* variables node-postgres reads, for the database of a SQLAlchemy URL (a Unix socket or TCP)."""
    parsed = make_url(url)
    socket_dir = parsed.query.get("host")
    host = socket_dir if isinstance(socket_dir, str) else parsed.host
    port = parsed.query.get("port") if parsed.port is None else parsed.port
    env = {"PGHOST": host or "localhost", "PGPORT": str(port or 5432), "PGDATABASE": parsed.database or ""}
    env["PGUSER"] = parsed.username or "postgres"
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    env["PGOPTIONS"] = "-c jit=off"  # as assetgraph's engine connects
    return env


@contextmanager
def postgraphile_server(url: str) -> Iterator[tuple[str, psutil.Process]]:
    """PostGraphile's base URL and process once /graphql answers; stopped on exit."""
    if not NODE.exists():
        raise RuntimeError(f"{NODE} is missing: run `make bench-peers` (it runs npm ci in bench/peers)")
    port = free_port()
    env = {**os.environ, **libpq_environment(url), "NODE_ENV": "production"}
    process = subprocess.Popen([str(NODE), "serve.mjs", str(port)], cwd=PEERS_DIR, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        return httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=1).status_code == 200

    with serving(process, ready, "PostGraphile") as served:
        yield base, served
