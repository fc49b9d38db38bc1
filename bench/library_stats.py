"""A one-line picture of the bench library, so that every run shows the data its figures come from."""

from __future__ import annotations

import asyncpg

from bench.seed import BenchUser

_MIX_SQL = "SELECT provider_status, count(*) AS n FROM assets WHERE user_id = $1 GROUP BY 1 ORDER BY 2 DESC"
_SIZE_SQL = "SELECT pg_size_pretty(pg_total_relation_size('assets')), pg_size_pretty(pg_relation_size('assets'))"


async def describe_library(conn: asyncpg.Connection, user: BenchUser) -> str:
    total_size, heap_size = await conn.fetchrow(_SIZE_SQL)
    sizes = f"assets table {heap_size} ({total_size} with indexes and TOAST)"
    try:
        rows = await conn.fetch(_MIX_SQL, user.user_id)
    except asyncpg.UndefinedColumnError:  # a schema without the generated status column
        return f"library: {sizes}"
    total = sum(row["n"] for row in rows) or 1
    mix = ", ".join(f"{row['provider_status']} {row['n']:,} ({row['n'] / total:.1%})" for row in rows)
    return f"library: {mix}; {sizes}"
