"""The engine (a pooled connection to PostgreSQL); built by the app factory or the CLI, never at import time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, CursorResult, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from assetgraph.domain import json_text

APPLICATION_NAME = "assetgraph"
"""The engine's connections' application_name in pg_stat_activity."""


class ReconnectingConnection(AsyncConnection):
    """A connection that survives its pooled database session having died, instead of pinging it on every checkout.

    A pre-ping costs a round trip per checkout (three per gallery request). Without it, a pooled connection the
    server closed (a restart, an idle timeout, pg_terminate_backend) fails on its first statement; SQLAlchemy then
    invalidates it and every connection pooled before it. A statement is sent again, on a fresh connection, only
    when it cannot have taken effect:

    - it opens a transaction: whatever it did died uncommitted with the session, so it is retried once;
    - in autocommit, where a statement that failed may have committed, it is sent twice only on a connection whose
      execution options mark its statements `RESENDABLE` (reads, and the token lookup whose only write is a use
      stamp); a session the driver already knows to be closed is replaced before the statement is sent at all.

    A failure later in a transaction is raised as before: its earlier statements are lost with the session, and only
    the caller can redo them.
    """

    async def execute(self, statement: Any, parameters: Any = None, **kwargs: Any) -> CursorResult[Any]:
        sync = self.sync_connection
        if sync is None or sync.in_transaction():
            return await self._send(statement, parameters, kwargs)
        options = sync.get_execution_options()
        autocommit = options.get("isolation_level") == _AUTOCOMMIT
        if autocommit:
            if _driver_closed(sync):
                await self.invalidate()
                await self.execution_options(isolation_level=_AUTOCOMMIT)  # on the fresh connection it checks out
            if not options.get(RESENDABLE):
                return await self._send(statement, parameters, kwargs)
        try:
            return await self._send(statement, parameters, kwargs)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        await self.rollback()  # ends the dead transaction; the next statement checks out a fresh connection
        if autocommit:
            await self.execution_options(isolation_level=_AUTOCOMMIT)  # on that fresh connection
        return await self._send(statement, parameters, kwargs)

    async def _send(self, statement: Any, parameters: Any, kwargs: dict[str, Any]) -> CursorResult[Any]:
        result: CursorResult[Any] = await super().execute(statement, parameters, **kwargs)
        return result


_AUTOCOMMIT = "AUTOCOMMIT"

RESENDABLE = "assetgraph_resendable"
"""Execution option: this autocommit connection's statements may be sent again when their session died under them
(a second run does no harm), so a dead pooled session costs a retry rather than a failed request."""


def _driver_closed(connection: Connection) -> bool:
    """Whether the driver already knows the session is gone (asyncpg's is_closed; no round trip)."""
    if connection.invalidated:
        return False  # the next statement checks out a fresh connection anyway
    driver: Any = connection.connection.driver_connection
    return driver is not None and bool(driver.is_closed())


class _ReconnectingEngine(AsyncEngine):
    _connection_cls = ReconnectingConnection  # what engine.connect() builds


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine

    @classmethod
    def connect(cls, url: str, *, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            # JSONB in and out through orjson, with the standard library's results (json_text.py).
            json_serializer=json_text.dumps,
            json_deserializer=json_text.loads,
            # Per-statement prepared-statement cache in asyncpg; keeps hot queries cheap.
            connect_args={
                "prepared_statement_cache_size": 256,
                "server_settings": {"jit": "off", "application_name": APPLICATION_NAME},
            },
        )
        return cls(engine=_ReconnectingEngine(engine.sync_engine))

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def asyncpg_dsn(url: str, database: str | None = None) -> str:
    """A plain asyncpg DSN for a SQLAlchemy `postgresql+asyncpg://` URL, optionally naming another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)
