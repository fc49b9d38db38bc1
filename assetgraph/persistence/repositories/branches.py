"""Branches of assets and their variants. A branch is the user's when its source asset is; reads and writes by a
user go through that join, so another user's branch is simply absent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.branching import BranchRecord, VariantRecord
from assetgraph.persistence.models import Asset, AssetBranch, AssetBranchVariant
from assetgraph.persistence.repositories.asset_parts import record_of

_BRANCH = AssetBranch.__table__
_VARIANT = AssetBranchVariant.__table__


def _owned_branch(user_id: int) -> Any:
    return select(AssetBranch.id).join(Asset, Asset.id == AssetBranch.source_asset_id).where(Asset.user_id == user_id)


class BranchRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def of_assets(
        self, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
    ) -> dict[int, list[BranchRecord]]:
        """The branches of the user's assets among `asset_ids`, oldest first, in one statement (at most `max_rows`
        of them)."""
        statement = (
            select(_BRANCH)
            .join(Asset, Asset.id == AssetBranch.source_asset_id)
            .where(Asset.user_id == user_id, AssetBranch.source_asset_id.in_(asset_ids))
            .order_by(AssetBranch.source_asset_id, AssetBranch.id)
            .limit(max_rows)
        )
        found: dict[int, list[BranchRecord]] = defaultdict(list)
        for row in await self._connection.execute(statement):
            found[row.source_asset_id].append(record_of(BranchRecord, row))
        return found

    async def variants_of(
        self, user_id: int, branch_ids: Sequence[int], *, max_rows: int | None = None
    ) -> dict[int, list[VariantRecord]]:
        """The variants of the user's branches among `branch_ids`, oldest first, in one statement (at most
        `max_rows` of them)."""
        statement = (
            select(_VARIANT)
            .where(AssetBranchVariant.branch_id.in_(_owned_branch(user_id).where(AssetBranch.id.in_(branch_ids))))
            .order_by(AssetBranchVariant.branch_id, AssetBranchVariant.id)
            .limit(max_rows)
        )
        found: dict[int, list[VariantRecord]] = defaultdict(list)
        for row in await self._connection.execute(statement):
            found[row.branch_id].append(record_of(VariantRecord, row))
        return found

    async def count(self, asset_id: int) -> int:
        return int(
            await self._connection.scalar(select(func.count()).where(AssetBranch.source_asset_id == asset_id)) or 0
        )

    async def count_variants(self, branch_id: int) -> int:
        statement = select(func.count()).where(AssetBranchVariant.branch_id == branch_id)
        return int(await self._connection.scalar(statement) or 0)

    async def add(self, source_asset_id: int, values: Mapping[str, Any]) -> BranchRecord:
        statement = insert(AssetBranch).values(source_asset_id=source_asset_id, **values).returning(*_BRANCH.c)
        return record_of(BranchRecord, (await self._connection.execute(statement)).one())

    async def lock(self, user_id: int, branch_id: int) -> BranchRecord | None:
        """The user's branch, locked until the transaction ends."""
        return await self.get(user_id, branch_id, lock=True)

    async def get(self, user_id: int, branch_id: int, *, lock: bool = False) -> BranchRecord | None:
        """The user's branch; None when missing or another user's."""
        statement = (
            select(_BRANCH)
            .join(Asset, Asset.id == AssetBranch.source_asset_id)
            .where(Asset.user_id == user_id, AssetBranch.id == branch_id)
        )
        row = (await self._connection.execute(statement.with_for_update(of=AssetBranch) if lock else statement)).first()
        return record_of(BranchRecord, row) if row is not None else None

    async def update(self, branch_id: int, values: Mapping[str, Any]) -> BranchRecord:
        statement = update(AssetBranch).where(AssetBranch.id == branch_id).values(**values).returning(*_BRANCH.c)
        return record_of(BranchRecord, (await self._connection.execute(statement)).one())

    async def remove(self, user_id: int, branch_id: int) -> bool:
        """True when the user had this branch (its variants go with it; their assets stay)."""
        statement = (
            delete(AssetBranch)
            .where(AssetBranch.id.in_(_owned_branch(user_id).where(AssetBranch.id == branch_id)))
            .returning(AssetBranch.id)
        )
        return (await self._connection.execute(statement)).first() is not None

    async def add_variant(self, branch_id: int, values: Mapping[str, Any]) -> VariantRecord:
        statement = insert(AssetBranchVariant).values(branch_id=branch_id, **values).returning(*_VARIANT.c)
        return record_of(VariantRecord, (await self._connection.execute(statement)).one())

    async def lock_variant(self, user_id: int, variant_id: int) -> VariantRecord | None:
        """The user's variant, locked until the transaction ends."""
        return await self.get_variant(user_id, variant_id, lock=True)

    async def get_variant(self, user_id: int, variant_id: int, *, lock: bool = False) -> VariantRecord | None:
        """The user's variant; None when missing or another user's."""
        statement = select(_VARIANT).where(
            AssetBranchVariant.id == variant_id, AssetBranchVariant.branch_id.in_(_owned_branch(user_id))
        )
        row = (await self._connection.execute(statement.with_for_update() if lock else statement)).first()
        return record_of(VariantRecord, row) if row is not None else None

    async def update_variant(self, variant_id: int, values: Mapping[str, Any]) -> VariantRecord:
        statement = (
            update(AssetBranchVariant)
            .where(AssetBranchVariant.id == variant_id)
            .values(**values)
            .returning(*_VARIANT.c)
        )
        return record_of(VariantRecord, (await self._connection.execute(statement)).one())

    async def remove_variant(self, user_id: int, variant_id: int) -> bool:
        statement = (
            delete(AssetBranchVariant)
            .where(AssetBranchVariant.id == variant_id, AssetBranchVariant.branch_id.in_(_owned_branch(user_id)))
            .returning(AssetBranchVariant.id)
        )
        return (await self._connection.execute(statement)).first() is not None
