"""retryUpload and transferAsset: one of the caller's assets sent to a provider (again, or elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import LOCAL_PROVIDER_ID
from assetgraph.domain.errors import BadUserInput, NotFound
from assetgraph.domain.provider_status import held_copy_id
from assetgraph.services.delivery_targets import delivery_target, note_account_trouble
from assetgraph.services.provider_delivery import deliver
from assetgraph.services.remote_copies import stored_copy
from assetgraph.services.resources import Resources


@dataclass(frozen=True)
class SendResult:
    asset: AssetRecord
    provider_called: bool
    provider_succeeded: bool
    note: str


async def send_to_provider(
    resources: Resources,
    user_id: int,
    asset_id: int,
    provider_id: str,
    account_id: int | None,
    *,
    method: str,
    touch: bool,
    limit: int,
) -> SendResult:
    """Deliver one of the caller's stored assets to a provider (retryUpload, transferAsset).

    A copy the provider already holds is returned at once; otherwise the stored bytes are sent, fetched first from
    the asset's remote_url when they are not stored here. Every attempt is recorded. `touch` stamps
    last_accessed_at (a transfer is a use of the asset; a retry is bookkeeping).
    """
    uow = resources.unit_of_work()
    async with uow:
        found = (await uow.assets.by_ids(user_id, [asset_id])).get(asset_id)
        if found is not None and touch:
            await uow.asset_writes.touch_accessed(asset_id)
            await uow.commit()
    if found is None:
        raise NotFound("asset", field="assetId")
    if provider_id == LOCAL_PROVIDER_ID:
        raise BadUserInput("'local' is the library itself: the asset is already here.", field="providerId")
    target = await delivery_target(resources, user_id, provider_id, account_id, method=method, context=None)
    assert target is not None  # not 'local'
    if held_copy_id(found.facts(), provider_id) is None:
        found = await stored_copy(resources, found, limit=limit)
    delivery = await deliver(resources, found, target)
    await note_account_trouble(resources, target, delivery.error)
    return SendResult(delivery.asset, delivery.provider_called, delivery.succeeded, delivery.note)
