"""Reading lineage: a batch of assets' edges, and the walk up or down the graph from one asset.

Only the caller's assets take part: an edge counts when both of its ends are the caller's, so a walk never steps
onto (or past) another user's asset.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enum_members import MembersByValue
from assetgraph.domain.lineage_graph import (
    MAX_LINEAGE_NODES,
    GraphEdge,
    GraphNode,
    LineageDirection,
    LineageEdgeRecord,
    LineageGraph,
    LineageQuery,
    LinkedAsset,
)
from assetgraph.domain.relation_types import OperationType, RelationType
from assetgraph.persistence.models import Asset, AssetLineage
from assetgraph.persistence.repositories.assets import RECORD_COLUMNS

_LINEAGE = AssetLineage.__table__
_ASSETS = Asset.__table__
_PARENT = Asset.__table__.alias("parent_asset")
_CHILD = Asset.__table__.alias("child_asset")
_EDGE_COLUMNS = (
    _LINEAGE.c.child_asset_id,
    _LINEAGE.c.parent_asset_id,
    _LINEAGE.c.relation_type,
    _LINEAGE.c.operation_type,
    _LINEAGE.c.parent_role,
    _LINEAGE.c.sequence_order,
    _LINEAGE.c.parent_start_time,
    _LINEAGE.c.parent_end_time,
    _LINEAGE.c.parent_frame,
    _LINEAGE.c.transformation,
)
_EDGE_WIDTH = len(_EDGE_COLUMNS)
_RECORD_END = _EDGE_WIDTH + len(RECORD_COLUMNS)
_RANK = itemgetter(_RECORD_END)
"""A linked edge's row: the edge's columns, the other end's record columns, the edge's rank within its asset."""

_STEPS = {
    LineageDirection.UP: ["up"],
    LineageDirection.DOWN: ["down"],
    LineageDirection.BOTH: ["up", "down"],
}

# One row per (direction, level) of a breadth-first walk: `frontier` holds the assets first reached at that level,
# `seen` every asset reached so far in that direction, so no asset is expanded twice (cycle-safe, and a diamond
# costs no more than a chain). The walk goes one level past maxDepth only to learn whether more lies beyond, and
# stops expanding once a direction has seen more than the node cap. The other end of every edge followed must be
# the caller's asset. Rows out: kind 0 a node (a = id), kind 1 an edge (a = parent, b = child) between two kept
# nodes, kind 2 "truncated". They come unordered: graph_of sorts them (an ORDER BY here cost the server more than
# the sort costs in Python, measured).
WALK_SQL = """
WITH RECURSIVE walk (direction, depth, frontier, seen) AS (
    SELECT d.direction, 0, ARRAY[a.id], ARRAY[a.id]
    FROM assets AS a CROSS JOIN unnest(CAST(:directions AS text[])) AS d (direction)
    WHERE a.id = :start_id AND a.user_id = :user_id
  UNION ALL
    SELECT w.direction, w.depth + 1, step.found, w.seen || step.found
    FROM walk AS w
    CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT next.id) AS found
        FROM (
            SELECT e.parent_asset_id AS id
            FROM asset_lineage AS e
            WHERE w.direction = 'up' AND e.child_asset_id = ANY (w.frontier)
              AND e.relation_type = ANY (CAST(:relation_types AS text[]))
            UNION ALL
            SELECT e.child_asset_id
            FROM asset_lineage AS e
            WHERE w.direction = 'down' AND e.parent_asset_id = ANY (w.frontier)
              AND e.relation_type = ANY (CAST(:relation_types AS text[]))
        ) AS next
        JOIN assets AS a ON a.id = next.id AND a.user_id = :user_id
        WHERE NOT EXISTS (SELECT FROM unnest(w.seen) AS s (id) WHERE s.id = next.id)
    ) AS step
    WHERE w.depth <= :max_depth AND cardinality(w.seen) <= :max_nodes AND step.found IS NOT NULL
),
levels AS (
    SELECT w.depth, f.id FROM walk AS w CROSS JOIN unnest(w.frontier) AS f (id)
),
reached AS (
    SELECT id, min(depth) AS depth FROM levels WHERE depth <= :max_depth GROUP BY id
),
kept AS (
    SELECT id, depth FROM reached ORDER BY depth, id LIMIT :max_nodes
)
SELECT 0 AS kind, k.id AS a, NULL::bigint AS b, NULL::text AS relation_type, NULL::text AS operation_type,
       NULL::int AS sequence_order, k.depth
FROM kept AS k
UNION ALL
SELECT 1, e.parent_asset_id, e.child_asset_id, e.relation_type, e.operation_type, e.sequence_order,
       greatest(p.depth, c.depth)
FROM kept AS c
JOIN asset_lineage AS e ON e.child_asset_id = c.id
JOIN kept AS p ON p.id = e.parent_asset_id
WHERE e.relation_type = ANY (CAST(:relation_types AS text[]))
UNION ALL
SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL
WHERE (SELECT count(*) FROM reached) > :max_nodes
   OR EXISTS (
        SELECT FROM levels AS l
        WHERE l.depth > :max_depth AND NOT EXISTS (SELECT FROM reached AS r WHERE r.id = l.id)
   )
"""
_WALK = text(WALK_SQL)


def walk_parameters(user_id: int, query: LineageQuery, max_nodes: int = MAX_LINEAGE_NODES) -> dict[str, Any]:
    """The walk statement's parameters (the bench runs the same statement raw with them)."""
    relations = query.relation_types if query.relation_types is not None else tuple(RelationType)
    return {
        "user_id": user_id,
        "start_id": query.start_id,
        "directions": _STEPS[query.direction],
        "relation_types": [relation.value for relation in relations],
        "max_depth": query.max_depth,
        "max_nodes": max_nodes,
    }


_RELATIONS = MembersByValue(RelationType)
_OPERATIONS = MembersByValue(OperationType)
# Named tuples built straight from a tuple of their fields (the class's own __new__ is a Python frame per row), and
# sorted by keys taken in C (a lambda is a Python frame per item).
_new_tuple = tuple.__new__
_NODE_ORDER = itemgetter(GraphNode._fields.index("depth"), GraphNode._fields.index("asset_id"))
_EDGE_ORDER = itemgetter(
    *map(GraphEdge._fields.index, ("depth", "child_id", "sequence_order", "parent_id", "relation_type"))
)


def _linked(row: Sequence[Any]) -> LinkedAsset:
    """An edge row (the edge's columns, then the other end's AssetRecord columns) as the edge and that asset."""
    operation = _OPERATIONS[row[3]] if row[3] is not None else None
    edge = _new_tuple(LineageEdgeRecord, (row[0], row[1], _RELATIONS[row[2]], operation, *row[4:_EDGE_WIDTH]))
    return _new_tuple(LinkedAsset, (edge, AssetRecord(*row[_EDGE_WIDTH:_RECORD_END])))


class LineageGraphRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def parents(
        self, user_id: int, child_ids: Sequence[int], per_asset: int, max_rows: int | None = None
    ) -> list[LinkedAsset]:
        """Edges into any of `child_ids`, the first `per_asset` of each child, each with its parent's record, in one
        statement (at most `max_rows` edges); both ends are the caller's. Each child's edges come in sequence order
        (the children's edges are interleaved)."""
        child, parent = _LINEAGE.c.child_asset_id, _LINEAGE.c.parent_asset_id
        return await self._linked(user_id, child, parent, child_ids, per_asset, max_rows)

    async def children(
        self, user_id: int, parent_ids: Sequence[int], per_asset: int, max_rows: int | None = None
    ) -> list[LinkedAsset]:
        """Edges out of any of `parent_ids`, the first `per_asset` of each parent, each with its child's record, in
        one statement (at most `max_rows` edges); both ends are the caller's. Each parent's edges come in sequence
        order (the parents' edges are interleaved)."""
        parent, child = _LINEAGE.c.parent_asset_id, _LINEAGE.c.child_asset_id
        return await self._linked(user_id, parent, child, parent_ids, per_asset, max_rows)

    async def _linked(
        self,
        user_id: int,
        column: ColumnElement[int],
        other_end: ColumnElement[int],
        ids: Sequence[int],
        per_asset: int,
        max_rows: int | None,
    ) -> list[LinkedAsset]:
        if not ids:
            return []
        # Ranked within each asset, so that an image a thousand videos were made from costs `per_asset` rows.
        rank = func.row_number().over(partition_by=column, order_by=(_LINEAGE.c.sequence_order, _LINEAGE.c.id))
        ranked = (
            select(*_EDGE_COLUMNS, _LINEAGE.c.id.label("edge_id"), rank.label("rank"))
            .join_from(_LINEAGE, _PARENT, _PARENT.c.id == _LINEAGE.c.parent_asset_id)
            .join(_CHILD, _CHILD.c.id == _LINEAGE.c.child_asset_id)
            .where(
                column == any_(bindparam("ids", list(ids), type_=ARRAY(BigInteger))),
                _PARENT.c.user_id == user_id,
                _CHILD.c.user_id == user_id,
            )
            .subquery()
        )
        # The other end's record joins the kept edges (by primary key): no second statement, and no loader round. The
        # rows are put in order here, by their rank: an ORDER BY would have the server sort the wide joined rows.
        query = (
            select(*(ranked.c[c.name] for c in _EDGE_COLUMNS), *RECORD_COLUMNS, ranked.c.rank)
            .join_from(ranked, _ASSETS, _ASSETS.c.id == ranked.c[other_end.name])
            .where(ranked.c.rank <= bindparam("per_asset", per_asset))
            .limit(max_rows)
        )
        rows = (await self._connection.execute(query)).all()
        return [_linked(row) for row in sorted(rows, key=_RANK)]

    async def walk(self, user_id: int, query: LineageQuery, max_nodes: int = MAX_LINEAGE_NODES) -> LineageGraph | None:
        """The graph around the caller's asset `query.start_id`, in one recursive statement; None when the caller
        has no such asset."""
        rows = (await self._connection.execute(_WALK, walk_parameters(user_id, query, max_nodes))).all()
        if not rows:
            return None
        return graph_of(rows)


def graph_of(rows: Sequence[Sequence[Any]]) -> LineageGraph:
    """The graph from the walk statement's rows (kind, a, b, relation_type, operation_type, sequence_order, depth):
    nodes by (depth, id), edges by (depth, child, sequence order, parent, relation type)."""
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    truncated = False
    relations, operations, new, add_node, add_edge = _RELATIONS, _OPERATIONS, _new_tuple, nodes.append, edges.append
    for kind, a, b, relation, operation, sequence_order, depth in rows:
        if kind == 1:
            operation_type = operations[operation] if operation is not None else None
            add_edge(new(GraphEdge, (a, b, relations[relation], operation_type, sequence_order, depth)))
        elif kind == 0:
            add_node(new(GraphNode, (a, depth)))
        else:
            truncated = True
    nodes.sort(key=_NODE_ORDER)
    edges.sort(key=_EDGE_ORDER)
    return LineageGraph(nodes, edges, truncated)
