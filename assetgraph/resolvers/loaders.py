"""Per-request dataloaders, named XByYLoader; each batch runs in its own short unit of work."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.services.assets import assets_by_ids
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
