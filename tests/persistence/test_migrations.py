"""Migrations create exactly the models, and run down and up again."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from assetgraph.persistence import migrate
from assetgraph.persistence.models import Base
from tests.support import fresh_database_url


def _inspect(url: str) -> tuple[list[Any], set[str]]:
    """Autogenerate's differences between the database and the models, and the tables present."""
    migrate.register_vector_reflection()

    def compare(connection: Any) -> tuple[list[Any], set[str]]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": migrate.owned_by_migrations}
        )
        return compare_metadata(context, Base.metadata), set(inspect(connection).get_table_names())

    async def run() -> tuple[list[Any], set[str]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(compare)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _procrastinate_leftovers(url: str) -> list[str]:
    """Functions and types of procrastinate's schema still in the database."""

    async def run() -> list[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text(
                        "SELECT proname FROM pg_proc WHERE proname LIKE 'procrastinate%' "
                        "UNION ALL SELECT typname FROM pg_type WHERE typname LIKE 'procrastinate%'"
                    )
                )
                return [name for (name,) in rows]
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_upgrade_head_matches_models_and_survives_down_and_up() -> None:
    # given an empty database
    url = fresh_database_url("migrations")

    # when it is upgraded to head, then autogenerate finds nothing to change
    migrate.upgrade(url)
    differences, tables = _inspect(url)
    assert differences == []
    assert set(Base.metadata.tables) <= tables

    # when downgraded to base, then only Alembic's bookkeeping is left
    migrate.downgrade(url, "base")
    _, tables = _inspect(url)
    assert tables == {"alembic_version"}
    assert _procrastinate_leftovers(url) == []

    # and upgrading again gives the same schema
    migrate.upgrade(url)
    differences, _ = _inspect(url)
    assert differences == []
