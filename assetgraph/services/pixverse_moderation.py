"""refreshModeration: re-read the caller's Pixverse assets from Pixverse and set or clear their moderation flag.

Each asset is read through the account that imported it (its provider_account_id), and its verdict recorded on its
own (services/upload_history.set_moderation): one asset's failure never undoes another's result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import MediaType
from assetgraph.domain.errors import ClientError, ClientErrors, ErrorCode, NotFound
from assetgraph.domain.pixverse_items import MAX_REFRESH_ASSETS, PIXVERSE_PROVIDER_ID, PixverseItemStatus, item_state
from assetgraph.providers.base import MediaKind, ProviderError
from assetgraph.services.pixverse_sync import PixverseAccount, pixverse_account, provider_trouble
from assetgraph.services.resources import Resources
from assetgraph.services.upload_history import set_moderation

CONCURRENT_FETCHES = 8


class TooManyAssets(ClientError):
    code = ErrorCode.TOO_MANY_ITEMS


@dataclass(frozen=True)
class ModerationResult:
    asset_id: int
    flagged: bool | None
    """The flag as now recorded; None when the asset could not be checked (see `error`)."""
    reason: str | None
    status: PixverseItemStatus | None
    error: str | None = None


def _failure(asset_id: int, message: str) -> ModerationResult:
    return ModerationResult(asset_id, None, None, None, message)


def _checkable(asset: AssetRecord) -> str | None:
    """Why the asset cannot be checked at Pixverse, None when it can."""
    if asset.provider_id != PIXVERSE_PROVIDER_ID or not asset.provider_asset_id:
        return "Not a Pixverse asset: only assets imported from Pixverse can be checked."
    if asset.media_type not in (MediaType.VIDEO, MediaType.IMAGE):
        return "Only Pixverse videos and images can be checked."
    if asset.provider_account_id is None:
        return "The Pixverse account this asset came from was removed: sync it again through an account."
    return None


async def _account(
    resources: Resources, user_id: int, account_id: int, accounts: dict[int, PixverseAccount | str]
) -> PixverseAccount | str:
    """The account (or why it cannot be used), read once per refresh."""
    if account_id not in accounts:
        try:
            accounts[account_id] = await pixverse_account(resources, user_id, account_id)
        except ClientError as error:
            accounts[account_id] = error.message
    return accounts[account_id]


async def _refresh_one(
    resources: Resources, user_id: int, asset: AssetRecord, accounts: dict[int, PixverseAccount | str]
) -> ModerationResult:
    if (why := _checkable(asset)) is not None:
        return _failure(asset.id, why)
    assert asset.provider_account_id is not None and asset.provider_asset_id is not None
    account = await _account(resources, user_id, asset.provider_account_id, accounts)
    if isinstance(account, str):
        return _failure(asset.id, account)
    kind = MediaType(asset.media_type)
    adapter = resources.providers.require(PIXVERSE_PROVIDER_ID)
    try:
        item = await adapter.fetch_item(account.credentials, MediaKind(kind.value), asset.provider_asset_id)
    except ProviderError as error:
        trouble = await provider_trouble(resources, account, error)
        if trouble.code is ErrorCode.ACCOUNT_UNUSABLE:
            accounts[account.record.id] = trouble.message  # no more calls with an expired session
        return _failure(asset.id, trouble.message)
    if item is None:
        return _failure(asset.id, "Pixverse no longer has this item; its flag is left as it was.")
    state = item_state(kind, item)
    flagged = state.status is PixverseItemStatus.FILTERED
    reason = state.reason if flagged else None
    if not await set_moderation(resources.unit_of_work(), asset.id, PIXVERSE_PROVIDER_ID, flagged, reason):
        return _failure(asset.id, "The verdict could not be recorded; try again.")
    return ModerationResult(asset.id, flagged, reason, state.status)


async def refresh_moderation(
    resources: Resources, user_id: int, asset_ids: Sequence[int | None]
) -> list[ModerationResult]:
    """A result per asset of the caller's among `asset_ids` (None stands for a malformed id), in the order given,
    duplicates once. Ids that are missing or another user's are NOT_FOUND errors naming `assetIds[i]`, and then
    nothing is checked."""
    if len(asset_ids) > MAX_REFRESH_ASSETS:
        raise TooManyAssets(
            f"'assetIds' takes at most {MAX_REFRESH_ASSETS} ids (got {len(asset_ids)})", field="assetIds"
        )
    uow = resources.unit_of_work()
    async with uow:
        found = await uow.assets.by_ids(user_id, [i for i in asset_ids if i is not None])
    missing = [
        NotFound("asset", field=f"assetIds[{n}]") for n, asset_id in enumerate(asset_ids) if asset_id not in found
    ]
    if missing:
        raise ClientErrors(missing)
    accounts: dict[int, PixverseAccount | str] = {}
    limiter = asyncio.Semaphore(CONCURRENT_FETCHES)

    async def bounded(asset: AssetRecord) -> ModerationResult:
        async with limiter:
            return await _refresh_one(resources, user_id, asset, accounts)

    unique = list(dict.fromkeys(i for i in asset_ids if i is not None))
    return list(await asyncio.gather(*(bounded(found[asset_id]) for asset_id in unique)))
