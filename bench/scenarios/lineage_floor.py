"""The floor under the lineage walk's ratio: the least any server answering the walk over GraphQL could pay over
the walk's raw rows, even one that did no work per edge outside PostgreSQL.

Two races, each against its own raw counterpart in the same run:

- **edges' JSON built in SQL**: the app's walk statement with its last SELECT replaced by one that returns the
  edges as the response's JSON text, in the app's order (the cheapest form measured: string concatenation, about
  a third cheaper than json_build_object / json_agg), and the node ids; then the nodes' rows read by id, as the
  baseline reads them. Against the walk's baseline (its rows, decoded by asyncpg). A server could splice that text
  into its response; building it is PostgreSQL's work that the baseline does not do.
- **a request's fixed cost**: the same lineage request through the app, following no edge (`relationTypes: []`:
  the start asset alone, the same three statements), against those statements run raw. What HTTP in process, the
  token check, the executor and the encoding cost around any walk.

floor = JSON-in-SQL + (fixed request - its raw statements); its ratio is to the walk's baseline. Both sides of each
race are checked to agree before they are timed.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from assetgraph.domain.lineage_graph import LineageDirection, LineageQuery
from assetgraph.persistence.repositories.lineage_graph import WALK_SQL
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from bench.harness import Bench, SummaryRow, race
from bench.scenarios.lineage_walk import (
    DEPTH,
    NODE_ROWS_SQL,
    WALK_QUERY,
    WalkStatement,
    compare_walk,
    positional,
    raw_walk,
    start_asset,
)

_FINAL_SELECT = "SELECT 0 AS kind"
# Each edge as WALK_QUERY selects it, keys in its order. Enum names: a relation type's value is its name, an
# operation type's name is its value in capitals (domain/relation_types.py).
_EDGE_JSON = """'{"parent":{"databaseId":' || e.parent_asset_id || '},"child":{"databaseId":' || e.child_asset_id
    || '},"relationType":' || to_json(e.relation_type)::text
    || ',"operationType":' || coalesce(to_json(upper(e.operation_type))::text, 'null')
    || ',"sequenceOrder":' || e.sequence_order || ',"depth":' || greatest(p.depth, c.depth) || '}'"""
_JSON_SELECT = f"""SELECT
    (SELECT coalesce(array_agg(k.id ORDER BY k.depth, k.id), '{{}}') FROM kept AS k) AS nodes,
    (SELECT '[' || coalesce(string_agg({_EDGE_JSON}, ','
                ORDER BY greatest(p.depth, c.depth), e.child_asset_id, e.sequence_order, e.parent_asset_id,
                         e.relation_type), '') || ']'
     FROM kept AS c
     JOIN asset_lineage AS e ON e.child_asset_id = c.id
     JOIN kept AS p ON p.id = e.parent_asset_id
     WHERE e.relation_type = ANY (CAST(:relation_types AS text[]))) AS edges,
    (SELECT count(*) FROM reached) > :max_nodes
    OR EXISTS (
        SELECT FROM levels AS l
        WHERE l.depth > :max_depth AND NOT EXISTS (SELECT FROM reached AS r WHERE r.id = l.id)
    ) AS truncated
"""


def _json_walk_sql(walk: WalkStatement) -> str:
    """`walk`'s statement with its final SELECT (the rows of nodes, edges and "truncated") replaced by the JSON one."""
    if WALK_SQL.count(_FINAL_SELECT) != 1:
        raise RuntimeError(f"WALK_SQL changed: its final SELECT no longer starts {_FINAL_SELECT!r}")
    return positional(WALK_SQL[: WALK_SQL.index(_FINAL_SELECT)] + _JSON_SELECT, list(walk.parameters))


async def _json_walk(conn: asyncpg.Connection, user_id: int, walk: WalkStatement, sql: str) -> asyncpg.Record:
    row = (await walk.run_raw(conn, user_id, sql))[0]
    await conn.fetch(NODE_ROWS_SQL, user_id, row["nodes"])  # the nodes' rows, as the baseline and the app read them
    return row


def _as_data(row: asyncpg.Record) -> dict[str, Any]:
    """The JSON walk's answer in the shape of the GraphQL response's data (decoded only to be checked)."""
    nodes = [{"databaseId": node} for node in row["nodes"]]
    return {"lineage": {"nodes": nodes, "edges": json.loads(row["edges"]), "truncated": row["truncated"]}}


def _checked(label: str, differences: list[str]) -> list[str]:
    if not differences:
        return [f"check: {label} agree"]
    return [f"WARNING: {label} differ:", *(f"    {difference}" for difference in differences)]


async def walk_floor(bench: Bench) -> list[SummaryRow]:
    start_id = await start_asset(bench.conn, bench.user_id)
    conn, user_id = bench.conn, bench.user_id
    walk = WalkStatement.of(LineageQuery(start_id, LineageDirection.BOTH, DEPTH))
    json_sql = _json_walk_sql(walk)
    no_edge = WalkStatement.of(LineageQuery(start_id, LineageDirection.BOTH, DEPTH, relation_types=()))
    variables = {"id": to_global_id(NodeType.ASSET, start_id), "depth": DEPTH}
    no_edge_query = WALK_QUERY.replace("maxDepth: $depth)", "maxDepth: $depth, relationTypes: [])")

    in_sql_data = _as_data(await _json_walk(conn, user_id, walk, json_sql))
    checks = _checked("edges' JSON from SQL and the walk's rows",
                      compare_walk(in_sql_data, await raw_walk(conn, user_id, walk)))  # fmt: skip
    app_data = await bench.session.execute(WALK_QUERY, variables)
    same_edges = in_sql_data["lineage"]["edges"] == app_data["lineage"]["edges"]
    checks += _checked("edges' JSON from SQL and the app's (in order)", [] if same_edges else ["edge lists"])
    no_edge_data = await bench.session.execute(no_edge_query, variables)
    checks += _checked("GraphQL and raw, following no edge",
                       compare_walk(no_edge_data, await raw_walk(conn, user_id, no_edge)))  # fmt: skip

    async def in_sql() -> Any:
        return await _json_walk(conn, user_id, walk, json_sql)

    async def rows() -> Any:
        return await raw_walk(conn, user_id, walk)

    async def request() -> Any:
        return await bench.session.execute_undecoded(no_edge_query, variables)

    async def request_raw() -> Any:
        return await raw_walk(conn, user_id, no_edge)

    json_median, _, rows_median, _ = await race(in_sql, rows, warmup=bench.warmup, runs=bench.runs)
    fixed_median, _, fixed_raw_median, _ = await race(request, request_raw, warmup=bench.warmup, runs=bench.runs)
    fixed = fixed_median - fixed_raw_median
    floor = json_median + fixed
    title = f"lineage: floor of the depth-{DEPTH} walk (edges' JSON in SQL + a request's fixed cost)"
    print(f"\n-- {title}", flush=True)
    lines = [
        f"edges' JSON built in SQL   median {json_median:8.2f} ms   vs the walk's rows {rows_median:8.2f} ms "
        f"({json_median / rows_median:.2f}x)",
        f"request following no edge  median {fixed_median:8.2f} ms   vs its statements raw {fixed_raw_median:8.2f} ms "
        f"(fixed cost {fixed:.2f} ms)",
        f"floor     {floor:8.2f} ms = {floor / rows_median:.2f}x the walk's rows: the least ratio with no per-edge "
        "work outside PostgreSQL",
        *checks,
    ]
    for line in lines:
        print(f"  {line}")
    cells = f"{floor:>11.2f} {'-':>8}  {rows_median:>12.2f} {'-':>8}  {floor / rows_median:>6.2f}  {'-':>3}"
    return [(title, cells)]
