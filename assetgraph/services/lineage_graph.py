"""Reading the caller's lineage graph: the edges of a batch of assets, and walks from one asset. Each read is one
statement, so it runs autocommitted (no BEGIN/ROLLBACK round trips; UnitOfWork.autocommitted)."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.lineage_graph import LineageGraph, LineageQuery, LinkedAsset
from assetgraph.persistence.unit_of_work import UnitOfWork


async def parents_of(
    uow: UnitOfWork, user_id: int, child_ids: Sequence[int], per_asset: int, *, max_rows: int | None = None
) -> list[LinkedAsset]:
    """Edges into the caller's assets `child_ids` (at most `max_rows`), each with its parent, which is the
    caller's too."""
    async with uow.autocommitted() as reads:
        return await reads.lineage_graph.parents(user_id, child_ids, per_asset, max_rows)


async def children_of(
    uow: UnitOfWork, user_id: int, parent_ids: Sequence[int], per_asset: int, *, max_rows: int | None = None
) -> list[LinkedAsset]:
    """Edges out of the caller's assets `parent_ids` (at most `max_rows`), each with its child, which is the
    caller's too."""
    async with uow.autocommitted() as reads:
        return await reads.lineage_graph.children(user_id, parent_ids, per_asset, max_rows)


async def lineage_graph(uow: UnitOfWork, user_id: int, query: LineageQuery) -> LineageGraph | None:
    """The caller's assets around `query.start_id` and the edges between them; None when the start asset is not
    the caller's (or does not exist)."""
    async with uow.autocommitted() as reads:
        return await reads.lineage_graph.walk(user_id, query)
