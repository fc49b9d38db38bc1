"""Per-request dataloaders, named XByYLoader; each batch runs in its own short unit of work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from aiodataloader import DataLoader

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.hashes import SimilarAsset
from assetgraph.domain.lineage_graph import LinkedAsset
from assetgraph.resolvers.list_budget import BudgetedListsLoader, ListBudget
from assetgraph.services.assets import assets_by_ids
from assetgraph.services.lineage_graph import children_of, parents_of
from assetgraph.services.near_duplicates import similar_assets_of_many
from assetgraph.services.resources import Resources


class AssetByIdLoader(DataLoader[int, AssetRecord | None]):
    """The viewer's assets by database id; another user's asset loads as None."""

    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__()
        self._resources = resources
        self._user_id = user_id

    async def batch_load_fn(self, keys: Sequence[int]) -> list[AssetRecord | None]:
        found = await assets_by_ids(self._resources.unit_of_work(), self._user_id, list(set(keys)))
        return [found.get(key) for key in keys]


class SimilarAssetsKey(NamedTuple):
    asset_id: int
    max_distance: int
    limit: int


class SimilarAssetsByAssetLoader(DataLoader[SimilarAssetsKey, list[SimilarAsset]]):
    """Near-duplicates of the viewer's assets: one statement per distinct (max_distance, limit) in a batch."""

    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__()
        self._resources = resources
        self._user_id = user_id

    async def batch_load_fn(self, keys: Sequence[SimilarAssetsKey]) -> list[list[SimilarAsset]]:
        groups: dict[tuple[int, int], set[int]] = defaultdict(set)
        for key in keys:
            groups[(key.max_distance, key.limit)].add(key.asset_id)
        found: dict[SimilarAssetsKey, list[SimilarAsset]] = {}
        for (max_distance, limit), asset_ids in groups.items():
            uow = self._resources.unit_of_work()
            by_asset = await similar_assets_of_many(uow, self._user_id, sorted(asset_ids), max_distance, limit)
            found.update({SimilarAssetsKey(a, max_distance, limit): s for a, s in by_asset.items()})
        return [found.get(key, []) for key in keys]


class _EdgesByAssetLoader(BudgetedListsLoader[LinkedAsset]):
    """Edges at each of the viewer's assets (both ends the viewer's), at most `per_asset` each, each with the asset
    at its other end, one statement per batch, within the operation's ListBudget (list_budget.py); the subclass says
    which side of an edge the asset is on."""

    def __init__(self, resources: Resources, user_id: int, per_asset: int, budget: ListBudget) -> None:
        super().__init__(budget)
        self._resources = resources
        self._user_id = user_id
        self._per_asset = per_asset

    async def _links(self, asset_ids: list[int], max_rows: int) -> list[LinkedAsset]:
        raise NotImplementedError

    @staticmethod
    def _asset_of(link: LinkedAsset) -> int:
        raise NotImplementedError

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[LinkedAsset]]:
        links = await self._links(sorted(set(keys)), self._budget.rows_to_read)
        by_asset: dict[int, list[LinkedAsset]] = defaultdict(list)
        asset_of = self._asset_of
        for link in links:
            by_asset[asset_of(link)].append(link)
        return self.within_budget(len(links), keys, [by_asset.get(key, []) for key in keys])


class ParentEdgesByAssetLoader(_EdgesByAssetLoader):
    """Edges into each of the viewer's assets, each with its parent."""

    field = "parents"

    async def _links(self, asset_ids: list[int], max_rows: int) -> list[LinkedAsset]:
        uow = self._resources.unit_of_work()
        return await parents_of(uow, self._user_id, asset_ids, self._per_asset, max_rows=max_rows)

    @staticmethod
    def _asset_of(link: LinkedAsset) -> int:
        return link.edge.child_id


class ChildEdgesByAssetLoader(_EdgesByAssetLoader):
    """Edges out of each of the viewer's assets, each with its child."""

    field = "children"

    async def _links(self, asset_ids: list[int], max_rows: int) -> list[LinkedAsset]:
        uow = self._resources.unit_of_work()
        return await children_of(uow, self._user_id, asset_ids, self._per_asset, max_rows=max_rows)

    @staticmethod
    def _asset_of(link: LinkedAsset) -> int:
        return link.edge.parent_id
