"""Branches of the caller's assets and their variants: listed, added, changed, removed.

Every problem with an input is reported at once, and when there is one nothing is written. An asset, branch or
variant of another user is reported exactly as a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assetgraph.domain.branching import (
    BRANCH_NOT_NULL,
    BRANCH_RULES,
    MAX_BRANCHES_PER_ASSET,
    MAX_VARIANTS_PER_BRANCH,
    VARIANT_NOT_NULL,
    VARIANT_RULES,
    BranchRecord,
    VariantRecord,
    time_within,
)
from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors, NotFound
from assetgraph.domain.field_rules import clean_fields, raise_if_any
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.asset_parts import cap_error, owned_assets


async def branches_of_assets(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int], *, max_rows: int | None = None
) -> dict[int, list[BranchRecord]]:
    async with uow:
        return await uow.branches.of_assets(user_id, asset_ids, max_rows=max_rows)


async def variants_of_branches(
    uow: UnitOfWork, user_id: int, branch_ids: Sequence[int], *, max_rows: int | None = None
) -> dict[int, list[VariantRecord]]:
    async with uow:
        return await uow.branches.variants_of(user_id, branch_ids, max_rows=max_rows)


async def add_branch(uow: UnitOfWork, user_id: int, asset_id: int, given: Mapping[str, Any]) -> BranchRecord:
    """A new branch of the caller's asset; `given` holds its fields by snake_case name."""
    values, errors = clean_fields(given, BRANCH_RULES, BRANCH_NOT_NULL)
    async with uow:
        source = (await owned_assets(uow, user_id, [("assetId", asset_id)], errors)).get("assetId")
        if source is not None:
            late = [
                time_within(source, values.get("branch_time"), "branchTime"),
                cap_error(
                    await uow.branches.count(source.id), MAX_BRANCHES_PER_ASSET, "An asset", "branches", "assetId"
                ),
            ]
            errors.extend(error for error in late if error is not None)
        raise_if_any(errors)
        added = await uow.branches.add(asset_id, values)
        await uow.commit()
    return added


async def update_branch(uow: UnitOfWork, user_id: int, branch_id: int, given: Mapping[str, Any]) -> BranchRecord:
    """Change the fields in `given` (only those) of the caller's branch."""
    values, errors = clean_fields(given, BRANCH_RULES, BRANCH_NOT_NULL)
    async with uow:
        branch = await uow.branches.lock(user_id, branch_id)
        if branch is None:
            raise ClientErrors([NotFound("branch", field="branchId"), *errors])
        source = (await owned_assets(uow, user_id, [("branchId", branch.source_asset_id)], errors))["branchId"]
        error = time_within(source, values.get("branch_time"), "branchTime")
        raise_if_any([*errors, *([error] if error else [])])
        updated = await uow.branches.update(branch.id, values) if values else branch
        await uow.commit()
    return updated


async def remove_branch(uow: UnitOfWork, user_id: int, branch_id: int) -> int:
    """Delete the caller's branch and its variants (their assets stay); returns its id."""
    async with uow:
        if not await uow.branches.remove(user_id, branch_id):
            raise NotFound("branch", field="branchId")
        await uow.commit()
    return branch_id


def _not_the_source(branch: BranchRecord, variant_asset_id: int | None) -> ClientError | None:
    if variant_asset_id != branch.source_asset_id:
        return None
    return BadUserInput("A branch's variant must be another asset than its source.", field="variantAssetId")


async def add_variant(
    uow: UnitOfWork, user_id: int, branch_id: int, variant_asset_id: int, given: Mapping[str, Any]
) -> VariantRecord:
    """A new variant of the caller's branch, leading to another of the caller's assets."""
    values, errors = clean_fields(given, VARIANT_RULES, VARIANT_NOT_NULL)
    async with uow:
        branch = await uow.branches.lock(user_id, branch_id)
        if branch is None:
            raise ClientErrors([NotFound("branch", field="branchId"), *errors])
        await owned_assets(uow, user_id, [("variantAssetId", variant_asset_id)], errors)
        count = await uow.branches.count_variants(branch.id)
        late = [
            _not_the_source(branch, variant_asset_id),
            cap_error(count, MAX_VARIANTS_PER_BRANCH, "A branch", "variants", "branchId"),
        ]
        raise_if_any([*errors, *(error for error in late if error is not None)])
        added = await uow.branches.add_variant(branch.id, {"variant_asset_id": variant_asset_id, **values})
        await uow.commit()
    return added


async def update_variant(uow: UnitOfWork, user_id: int, variant_id: int, given: Mapping[str, Any]) -> VariantRecord:
    """Change the fields in `given` of the caller's variant; `variant_asset_id`, if given, names another of the
    caller's assets."""
    fields = {name: value for name, value in given.items() if name != "variant_asset_id"}
    values, errors = clean_fields(fields, VARIANT_RULES, VARIANT_NOT_NULL)
    async with uow:
        variant = await uow.branches.lock_variant(user_id, variant_id)
        if variant is None:
            raise ClientErrors([NotFound("branch variant", field="variantId"), *errors])
        if "variant_asset_id" in given and given["variant_asset_id"] is None:
            errors.append(BadUserInput("variantAssetId cannot be null.", field="variantAssetId"))
        elif "variant_asset_id" in given:
            asset_id = int(given["variant_asset_id"])
            # The branch before the asset, as add_variant locks them: no two writers wait on each other.
            branch = await uow.branches.lock(user_id, variant.branch_id)
            await owned_assets(uow, user_id, [("variantAssetId", asset_id)], errors)
            error = _not_the_source(branch, asset_id) if branch is not None else None
            errors.extend([error] if error else [])
            values["variant_asset_id"] = asset_id
        raise_if_any(errors)
        updated = await uow.branches.update_variant(variant.id, values) if values else variant
        await uow.commit()
    return updated


async def remove_variant(uow: UnitOfWork, user_id: int, variant_id: int) -> int:
    async with uow:
        if not await uow.branches.remove_variant(user_id, variant_id):
            raise NotFound("branch variant", field="variantId")
        await uow.commit()
    return variant_id
