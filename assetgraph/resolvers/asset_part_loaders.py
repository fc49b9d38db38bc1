"""Per-request loaders of an asset's parts (branches and their variants, clips, typed metadata), named XByYLoader:
each batch is one SQL statement in its own short unit of work, whatever the page size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Generic, TypeVar

from aiodataloader import DataLoader

from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.resolvers.list_budget import ListBudget, over_budget
from assetgraph.services.asset_parts import ListsReader, PartsReader
from assetgraph.services.branches import branches_of_assets, variants_of_branches
from assetgraph.services.clips import clips_of_assets
from assetgraph.services.resources import Resources
from assetgraph.services.typed_metadata import metadata_of_assets, segments_of_assets

V = TypeVar("V")


class _PartsLoader(DataLoader[int, V], Generic[V]):
    """Loads the viewer's parts by owner id with `fetch`; an owner without any gets `empty()`."""

    def __init__(self, resources: Resources, user_id: int, fetch: PartsReader[V], empty: Callable[[], V]) -> None:
        super().__init__()
        self._resources = resources
        self._user_id = user_id
        self._fetch = fetch
        self._empty = empty

    async def batch_load_fn(self, keys: Sequence[int]) -> list[V]:
        found = await self._fetch(self._resources.unit_of_work(), self._user_id, sorted(set(keys)))
        return [found[key] if key in found else self._empty() for key in keys]


class _ListsLoader(DataLoader[int, list[V]], Generic[V]):
    """Loads the viewer's lists of parts by owner id with `fetch`, within the operation's ListBudget: a batch that
    would go over it reads at most one row more than is left, and each of its lists is the budget's error."""

    field: str  # the GraphQL field the lists answer, named by the budget's error

    def __init__(self, resources: Resources, user_id: int, fetch: ListsReader[V], budget: ListBudget) -> None:
        super().__init__()
        self._resources = resources
        self._user_id = user_id
        self._fetch = fetch
        self._budget = budget

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[V]]:
        uow = self._resources.unit_of_work()
        found = await self._fetch(uow, self._user_id, sorted(set(keys)), max_rows=self._budget.rows_to_read)
        error = self._budget.check_read(sum(map(len, found.values())), self.field)
        if error is not None:
            return over_budget(error, keys)
        return [found.get(key, []) for key in keys]


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


class MetadataByAssetLoader(_PartsLoader[MetadataRecord | None]):
    """One kind of typed metadata record (audio, 3D, adult) by asset id; None for an asset without one."""

    def __init__(self, resources: Resources, user_id: int, kind: MetadataKind) -> None:
        super().__init__(resources, user_id, partial(metadata_of_assets, kind=kind), lambda: None)
