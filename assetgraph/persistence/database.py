"""The engine (a pooled connection to PostgreSQL); built by the app factory or the CLI, never at import time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine

    @classmethod
    def connect(cls, url: str, *, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            # Per-statement prepared-statement cache in asyncpg; keeps hot queries cheap.
            connect_args={"prepared_statement_cache_size": 256, "server_settings": {"jit": "off"}},
        )
        return cls(engine=engine)

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
