"""Per-request loaders of an asset's parts (branches and their variants, clips, typed metadata), named XByYLoader:
each batch is one SQL statement in its own short unit of work, whatever the page size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Generic, TypeVar

from aiodataloader import DataLoader

from assetgraph.domain.branching import BranchRecord, ClipRecord, VariantRecord
from assetgraph.domain.typed_metadata import MetadataKind, MetadataRecord, TemporalSegmentRecord
from assetgraph.services.asset_parts import PartsReader
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


class BranchesByAssetLoader(_PartsLoader[list[BranchRecord]]):
    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__(resources, user_id, branches_of_assets, list)


class VariantsByBranchLoader(_PartsLoader[list[VariantRecord]]):
    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__(resources, user_id, variants_of_branches, list)


class ClipsByAssetLoader(_PartsLoader[list[ClipRecord]]):
    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__(resources, user_id, clips_of_assets, list)


class TemporalSegmentsByAssetLoader(_PartsLoader[list[TemporalSegmentRecord]]):
    def __init__(self, resources: Resources, user_id: int) -> None:
        super().__init__(resources, user_id, segments_of_assets, list)


class MetadataByAssetLoader(_PartsLoader[MetadataRecord | None]):
    """One kind of typed metadata record (audio, 3D, adult) by asset id; None for an asset without one."""

    def __init__(self, resources: Resources, user_id: int, kind: MetadataKind) -> None:
        super().__init__(resources, user_id, partial(metadata_of_assets, kind=kind), lambda: None)
