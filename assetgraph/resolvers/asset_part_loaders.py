"""Per-request loaders of an asset's parts (branches and their variants, clips, typed metadata), named XByYLoader:
each batch is one SQL statement in its own short unit of work, whatever the page size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from aiodataloader import DataLoader

from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.resolvers.list_budget import BudgetedListsLoader, ListBudget
from assetgraph.services.asset_parts import ListsReader
from assetgraph.services.branches import branches_of_assets, variants_of_branches
from assetgraph.services.clips import clips_of_assets
from assetgraph.services.resources import Resources
from assetgraph.services.typed_metadata import metadata_of_assets, segments_of_assets

T = TypeVar("T")


class _ListsLoader(BudgetedListsLoader[T]):
    """The viewer's lists of one kind of part by owner id, read with `fetch` within the operation's ListBudget."""

    def __init__(self, resources: Resources, user_id: int, fetch: ListsReader[T], budget: ListBudget) -> None:
        super().__init__(budget)
        self._resources = resources
        self._user_id = user_id
        self._fetch = fetch

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[T]]:
        uow = self._resources.unit_of_work()
        found = await self._fetch(uow, self._user_id, sorted(set(keys)), max_rows=self._budget.rows_to_read)
        return self.within_budget(sum(map(len, found.values())), keys, [found.get(key, []) for key in keys])


class BranchesByAssetLoader(_ListsLoader[BranchRecord]):
    field = "branches"

    def __init__(self, resources: Resources, user_id: int, budget: ListBudget) -> None:
        super().__init__(resources, user_id, branches_of_assets, budget)


class VariantsByBranchLoader(_ListsLoader[VariantRecord]):
    field = "variants"

    def __init__(self, resources: Resources, user_id: int, budget: ListBudget) -> None:
        super().__init__(resources, user_id, variants_of_branches, budget)


class ClipsByAssetLoader(_ListsLoader[ClipRecord]):
    field = "clips"

    def __init__(self, resources: Resources, user_id: int, budget: ListBudget) -> None:
        super().__init__(resources, user_id, clips_of_assets, budget)


class TemporalSegmentsByAssetLoader(_ListsLoader[TemporalSegmentRecord]):
    field = "temporalSegments"

    def __init__(self, resources: Resources, user_id: int, budget: ListBudget) -> None:
        super().__init__(resources, user_id, segments_of_assets, budget)


class MetadataByAssetLoader(DataLoader[int, MetadataRecord | None]):
    """One kind of typed metadata record (audio, 3D, adult) by asset id; None for an asset without one."""

    def __init__(self, resources: Resources, user_id: int, kind: MetadataKind) -> None:
        super().__init__()
        self._resources = resources
        self._user_id = user_id
        self._kind = kind

    async def batch_load_fn(self, keys: Sequence[int]) -> list[MetadataRecord | None]:
        uow = self._resources.unit_of_work()
        found = await metadata_of_assets(uow, self._user_id, sorted(set(keys)), kind=self._kind)
        return [found.get(key) for key in keys]
