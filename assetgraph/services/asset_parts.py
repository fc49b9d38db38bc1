"""What the services of an asset's parts share: finding (and locking) the caller's assets an input names, with
another user's asset reported exactly as a missing one, and the per-asset caps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from assetgraph.domain.branching import SourceAsset, TooManyParts
from assetgraph.domain.errors import ClientError, NotFound
from assetgraph.persistence.unit_of_work import UnitOfWork

V = TypeVar("V")
T = TypeVar("T")


class ListsReader(Protocol[V]):
    """How the services read the caller's lists of parts of many owners at once, at most `max_rows` rows in all."""

    def __call__(
        self, uow: UnitOfWork, user_id: int, owner_ids: Sequence[int], /, *, max_rows: int | None = None
    ) -> Awaitable[Mapping[int, list[V]]]: ...


CallerUseCase = Callable[[UnitOfWork, int], Awaitable[T]]
"""A use case run for the caller: (unit of work, user id)."""


async def owned_assets(
    uow: UnitOfWork, user_id: int, named: Sequence[tuple[str, int]], errors: list[ClientError]
) -> dict[str, SourceAsset]:
    """The caller's assets named by input fields, as (field, database id) pairs, locked for this transaction; a
    NOT_FOUND naming the field is put first in `errors` for each that is missing or another user's."""
    found = await uow.owned_assets.lock_sources(user_id, [asset_id for _, asset_id in named])
    sources: dict[str, SourceAsset] = {}
    missing: list[ClientError] = []
    for field, asset_id in named:
        if asset_id in found:
            sources[field] = found[asset_id]
        else:
            missing.append(NotFound("asset", field=field))
    errors[:0] = missing
    return sources


def cap_error(count: int, cap: int, owner: str, parts: str, field: str) -> ClientError | None:
    return TooManyParts(owner, parts, cap, field=field) if count >= cap else None


PartRead = Callable[[UnitOfWork, int, int], Awaitable[T | None]]
"""How one of the caller's parts is read by id: (unit of work, user id, part id)."""


async def part_by_id(uow: UnitOfWork, user_id: int, read: PartRead[T], part_id: int) -> T | None:
    """One of the caller's parts by its id (for `node(id)`); None when missing or another user's."""
    async with uow:
        return await read(uow, user_id, part_id)
