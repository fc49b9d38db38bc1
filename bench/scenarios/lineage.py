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
import time
from typing import Any

import asyncpg

from assetgraph.domain.lineage_graph import LineageDirection, LineageQuery
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from bench.harness import Case, Explain, Scenario
from bench.scenarios.lineage_floor import walk_floor
from bench.scenarios.lineage_walk import DEPTH, WALK_QUERY, WalkStatement, compare_walk, raw_walk, start_asset

EDGES = 1_000_000
PARENTS = 10
WINDOW = 20
RANDOM_SEED = 10
RELATIONS = ("SOURCE_IMAGE", "SOURCE_VIDEO", "KEYFRAME", "REFERENCE_IMAGE", "DERIVATION")

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


def _walk_case(start_id: int) -> tuple[Case, Explain]:
    walk = WalkStatement.of(LineageQuery(start_id, LineageDirection.BOTH, DEPTH))

    async def baseline(conn: asyncpg.Connection, user_id: int) -> Any:
        return await raw_walk(conn, user_id, walk)

    variables = {"id": to_global_id(NodeType.ASSET, start_id), "depth": DEPTH}
    label = f"lineage BOTH maxDepth {DEPTH} from asset {start_id} ({EDGES:,}-edge graph)"
    # The baseline's rows are decoded by asyncpg, never as JSON: the timed GraphQL runs stop at the response body too.
    case = Case(label, WALK_QUERY, variables, baseline, compare_walk, decode_timed=False)
    return case, Explain(f"baseline SQL (walk, depth {DEPTH})", walk.sql, walk.arguments)


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
    walk, walk_plan = _walk_case(await start_asset(conn, user_id))
    gallery = Case("gallery page of 100 with parents and children", GALLERY_QUERY, {}, _gallery_baseline,
                   _compare_gallery)  # fmt: skip
    return (walk, gallery), (walk_plan, Explain("baseline SQL (gallery with parents and children)", GALLERY_SQL))


SCENARIO = Scenario(
    name="lineage",
    description=f"lineage walk of depth {DEPTH} on a {EDGES:,}-edge graph, and a gallery page with parents and "
    "children, vs the same SQL raw through asyncpg",
    prepare=_prepare,
    extra=walk_floor,
)
