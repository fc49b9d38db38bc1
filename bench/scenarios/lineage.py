"""Lineage reads: a depth-10 walk on a 1,000,000-edge graph, and the gallery page with parents and children.

The graph is the bench user's own, seeded with COPY when missing (or of another size): the assets in id order,
each the child of 10 distinct assets among the 20 before it (wrapping round at the start, so the graph has cycles),
relation types drawn at random. A depth-10 walk from the middle of the library then meets about 200 assets each
way. The walk's baseline is the app's own recursive statement (WALK_SQL) run raw through asyncpg, then the node rows
read by id as the app reads them; as it decodes no JSON, the walk's timed GraphQL runs end at the response body (not
decoded by the client). The gallery's baseline is one asyncpg query building the same page as JSON, decoded as the
GraphQL response is.
"""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any

import asyncpg

from assetgraph.domain.lineage_graph import LineageDirection, LineageQuery
from assetgraph.persistence.repositories.assets import RECORD_COLUMNS
from assetgraph.persistence.repositories.lineage_graph import WALK_SQL, walk_parameters
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from bench.harness import Case, Explain, Scenario

EDGES = 1_000_000
PARENTS = 10
WINDOW = 20
DEPTH = 10
RANDOM_SEED = 10
RELATIONS = ("SOURCE_IMAGE", "SOURCE_VIDEO", "KEYFRAME", "REFERENCE_IMAGE", "DERIVATION")

WALK_QUERY = """
query Lineage($id: ID!, $depth: Int!) {
  lineage(assetId: $id, direction: BOTH, maxDepth: $depth) {
    nodes { databaseId }
    edges { parent { databaseId } child { databaseId } relationType operationType sequenceOrder depth }
    truncated
  }
}
"""
GALLERY_QUERY = """
query GalleryLineage {
  assets(first: 100) {
    nodes { databaseId
      parents { relationType sequenceOrder asset { databaseId } }
      children { relationType sequenceOrder asset { databaseId } } }
  }
}
"""
# The same page as one JSON value, edges ordered as the app orders them (sequence order, then edge id).
GALLERY_SQL = """
WITH page AS (
    SELECT id, created_at FROM assets
    WHERE user_id = $1 AND NOT age_restricted AND searchable
    ORDER BY created_at DESC, id DESC LIMIT 100
)
SELECT coalesce(json_agg(json_build_object(
    'databaseId', p.id,
    'parents', (SELECT coalesce(json_agg(json_build_object('relationType', e.relation_type,
                    'sequenceOrder', e.sequence_order, 'asset', json_build_object('databaseId', e.parent_asset_id))
                    ORDER BY e.sequence_order, e.id), '[]')
                FROM asset_lineage e JOIN assets o ON o.id = e.parent_asset_id AND o.user_id = $1
                WHERE e.child_asset_id = p.id),
    'children', (SELECT coalesce(json_agg(json_build_object('relationType', e.relation_type,
                    'sequenceOrder', e.sequence_order, 'asset', json_build_object('databaseId', e.child_asset_id))
                    ORDER BY e.sequence_order, e.id), '[]')
                 FROM asset_lineage e JOIN assets o ON o.id = e.child_asset_id AND o.user_id = $1
                 WHERE e.parent_asset_id = p.id)
) ORDER BY p.created_at DESC, p.id DESC), '[]')
FROM page p
"""
COUNT_SQL = "SELECT count(*) FROM asset_lineage e JOIN assets a ON a.id = e.child_asset_id WHERE a.user_id = $1"
NODE_ROWS_SQL = (
    f"SELECT {', '.join(column.name for column in RECORD_COLUMNS)} FROM assets "
    "WHERE user_id = $1 AND id = ANY($2::bigint[])"
)


def _positional(sql: str, names: list[str]) -> str:
    """`sql` with each `:name` bind parameter as asyncpg's `$n`, n its place in `names`."""
    return re.sub(r"(?<!:):([a-z_]+)\b", lambda found: f"${names.index(found.group(1)) + 1}", sql)


async def _seed_graph(conn: asyncpg.Connection, user_id: int) -> str:
    if await conn.fetchval(COUNT_SQL, user_id) == EDGES:
        return f"reused the lineage graph of {EDGES:,} edges"
    started = time.perf_counter()
    ids = [row[0] for row in await conn.fetch("SELECT id FROM assets WHERE user_id = $1 ORDER BY id", user_id)]
    rng = random.Random(RANDOM_SEED)
    records = [
        (ids[position], ids[(position - offset) % len(ids)], rng.choice(RELATIONS), None, order)
        for position in range(len(ids))
        for order, offset in enumerate(rng.sample(range(1, WINDOW + 1), PARENTS))
    ][:EDGES]
    async with conn.transaction():
        await conn.execute(
            "DELETE FROM asset_lineage e USING assets a WHERE a.id = e.child_asset_id AND a.user_id = $1", user_id
        )
        columns = ["child_asset_id", "parent_asset_id", "relation_type", "operation_type", "sequence_order"]
        await conn.copy_records_to_table("asset_lineage", records=records, columns=columns)
    await conn.execute("VACUUM ANALYZE asset_lineage")
    return f"seeded {len(records):,} lineage edges in {time.perf_counter() - started:.1f} s"


def _graph_of_data(data: dict[str, Any]) -> tuple[list[int], set[tuple[int, int, str, int, int]], bool]:
    graph = data["lineage"]
    edges = {(e["parent"]["databaseId"], e["child"]["databaseId"], e["relationType"], e["sequenceOrder"], e["depth"])
             for e in graph["edges"]}  # fmt: skip
    return [node["databaseId"] for node in graph["nodes"]], edges, graph["truncated"]


def _compare_walk(data: dict[str, Any], expected: Any) -> list[str]:
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


def _walk_case(start_id: int) -> tuple[Case, Explain]:
    parameters = walk_parameters(0, LineageQuery(start_id, LineageDirection.BOTH, DEPTH))
    names = list(parameters)
    sql = _positional(WALK_SQL, names)

    def arguments(user_id: int) -> tuple[Any, ...]:
        return tuple({**parameters, "user_id": user_id}.values())

    async def baseline(conn: asyncpg.Connection, user_id: int) -> Any:
        rows = await conn.fetch(sql, *arguments(user_id))
        node_ids = sorted((row[6], row[1]) for row in rows if row[0] == 0)
        await conn.fetch(NODE_ROWS_SQL, user_id, [node for _, node in node_ids])  # the nodes' rows, as the app
        edges = {(row[1], row[2], row[3], row[5], row[6]) for row in rows if row[0] == 1}
        return [node for _, node in node_ids], edges, any(row[0] == 2 for row in rows)

    variables = {"id": to_global_id(NodeType.ASSET, start_id), "depth": DEPTH}
    label = f"lineage BOTH maxDepth {DEPTH} from asset {start_id} ({EDGES:,}-edge graph)"
    # The baseline's rows are decoded by asyncpg, never as JSON: the timed GraphQL runs stop at the response body too.
    case = Case(label, WALK_QUERY, variables, baseline, _compare_walk, decode_timed=False)
    return case, Explain(f"baseline SQL (walk, depth {DEPTH})", sql, arguments)


async def _gallery_baseline(conn: asyncpg.Connection, user_id: int) -> Any:
    return json.loads(await conn.fetchval(GALLERY_SQL, user_id))


def _compare_gallery(data: dict[str, Any], expected: Any) -> list[str]:
    nodes = data["assets"]["nodes"]
    if nodes == expected:
        return []
    edges = sum(len(n["parents"]) + len(n["children"]) for n in nodes)
    return [f"pages differ: GraphQL {len(nodes)} assets / {edges} edges, baseline {len(expected)} assets"]


async def _prepare(conn: asyncpg.Connection, user_id: int) -> tuple[tuple[Case, ...], tuple[Explain, ...]]:
    print(f"  {await _seed_graph(conn, user_id)}", flush=True)
    count = await conn.fetchval("SELECT count(*) FROM assets WHERE user_id = $1", user_id)
    start_id = await conn.fetchval("SELECT id FROM assets WHERE user_id = $1 ORDER BY id OFFSET $2 LIMIT 1",
                                   user_id, count // 2)  # fmt: skip
    walk, walk_plan = _walk_case(start_id)
    gallery = Case("gallery page of 100 with parents and children", GALLERY_QUERY, {}, _gallery_baseline,
                   _compare_gallery)  # fmt: skip
    return (walk, gallery), (walk_plan, Explain("baseline SQL (gallery with parents and children)", GALLERY_SQL))


SCENARIO = Scenario(
    name="lineage",
    description=f"lineage walk of depth {DEPTH} on a {EDGES:,}-edge graph, and a gallery page with parents and "
    "children, vs the same SQL raw through asyncpg",
    prepare=_prepare,
)
