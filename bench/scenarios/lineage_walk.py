"""The lineage walk as the bench reads it: the GraphQL request, the app's walk statement run raw, and the check
that both answers agree (scenarios/lineage.py races them, scenarios/lineage_floor.py measures what lies under)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import asyncpg

from assetgraph.domain.lineage_graph import LineageQuery
from assetgraph.persistence.repositories.assets import RECORD_COLUMNS
from assetgraph.persistence.repositories.lineage_graph import WALK_SQL, walk_parameters

DEPTH = 10
WALK_QUERY = """
query Lineage($id: ID!, $depth: Int!) {
  lineage(assetId: $id, direction: BOTH, maxDepth: $depth) {
    nodes { databaseId }
    edges { parent { databaseId } child { databaseId } relationType operationType sequenceOrder depth }
    truncated
  }
}
"""
NODE_ROWS_SQL = (
    f"SELECT {', '.join(column.name for column in RECORD_COLUMNS)} FROM assets "
    "WHERE user_id = $1 AND id = ANY($2::bigint[])"
)


def positional(sql: str, names: list[str]) -> str:
    """`sql` with each `:name` bind parameter as asyncpg's `$n`, n its place in `names`."""
    return re.sub(r"(?<!:):([a-z_]+)\b", lambda found: f"${names.index(found.group(1)) + 1}", sql)


def _graph_of_data(data: dict[str, Any]) -> tuple[list[int], set[tuple[int, int, str, int, int]], bool]:
    graph = data["lineage"]
    edges = {(e["parent"]["databaseId"], e["child"]["databaseId"], e["relationType"], e["sequenceOrder"], e["depth"])
             for e in graph["edges"]}  # fmt: skip
    return [node["databaseId"] for node in graph["nodes"]], edges, graph["truncated"]


def compare_walk(data: dict[str, Any], expected: Any) -> list[str]:
    nodes, edges, truncated = _graph_of_data(data)
    want_nodes, want_edges, want_truncated = expected
    differences = []
    if nodes != want_nodes:
        differences.append(f"nodes: GraphQL {len(nodes)} starting {nodes[:3]}, baseline {len(want_nodes)}")
    if edges != want_edges:
        differences.append(f"edges: GraphQL {len(edges)}, baseline {len(want_edges)}")
    if truncated != want_truncated:
        differences.append(f"truncated: GraphQL {truncated}, baseline {want_truncated}")
    return differences


@dataclass(frozen=True)
class WalkStatement:
    """The app's walk statement (WALK_SQL) as asyncpg runs it, for one query: `sql` with `$n` parameters, and the
    arguments for a user."""

    sql: str
    parameters: dict[str, Any]

    @classmethod
    def of(cls, query: LineageQuery) -> WalkStatement:
        parameters = walk_parameters(0, query)
        return cls(positional(WALK_SQL, list(parameters)), parameters)

    def arguments(self, user_id: int) -> tuple[Any, ...]:
        return tuple({**self.parameters, "user_id": user_id}.values())

    async def run_raw(self, conn: asyncpg.Connection, user_id: int, sql: str | None = None) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await conn.fetch(sql or self.sql, *self.arguments(user_id))
        return rows


async def raw_walk(conn: asyncpg.Connection, user_id: int, walk: WalkStatement) -> Any:
    """The walk's answer by the shortest path: its statement, then the nodes' rows read by id as the app reads them
    (node ids, edges, truncated), as `_graph_of_data` reads a GraphQL answer."""
    rows = await walk.run_raw(conn, user_id)
    node_ids = sorted((row[6], row[1]) for row in rows if row[0] == 0)
    await conn.fetch(NODE_ROWS_SQL, user_id, [node for _, node in node_ids])
    edges = {(row[1], row[2], row[3], row[5], row[6]) for row in rows if row[0] == 1}
    return [node for _, node in node_ids], edges, any(row[0] == 2 for row in rows)


async def start_asset(conn: asyncpg.Connection, user_id: int) -> int:
    """The walk's start: the asset in the middle of the library (in id order)."""
    count = await conn.fetchval("SELECT count(*) FROM assets WHERE user_id = $1", user_id)
    start_id: int = await conn.fetchval(
        "SELECT id FROM assets WHERE user_id = $1 ORDER BY id OFFSET $2 LIMIT 1", user_id, count // 2
    )
    return start_id
