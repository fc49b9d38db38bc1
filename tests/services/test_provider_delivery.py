"""Delivering stored bytes to a provider over real HTTP to the sandbox: recorded, cached, never sent twice at once."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import UploadMethod
from assetgraph.domain.provider_status import ProviderStatus, provider_status
from assetgraph.domain.upload_history import read_upload_history
from assetgraph.providers.sandbox.server import RunningSandbox
from assetgraph.services.provider_delivery import DeliveryTarget, deliver
from assetgraph.services.resources import Resources
from assetgraph.services.uploads import UploadRequest, save_asset, store_upload
from tests.support import fault_account, new_user, png_bytes


async def _stored_asset(resources: Resources, seed: int) -> AssetRecord:
    issued = await new_user(resources.database)
    request = UploadRequest(provider_id="pixverse", method=UploadMethod.API)

    async def chunks():  # type: ignore[no-untyped-def]
        yield png_bytes(seed=seed)

    stored = await store_upload(resources, issued.user_id, request, chunks(), limit=10_000)
    asset, _ = await save_asset(resources, stored)
    return asset


def _target(resources: Resources, secret: str) -> DeliveryTarget:
    adapter = resources.providers.get("pixverse")
    assert adapter is not None
    return DeliveryTarget(adapter=adapter, credentials={"jwt": secret}, method="api")


async def test_a_delivered_copy_is_cached_and_recorded(app: Starlette, sandbox: RunningSandbox) -> None:
    # given an asset stored here
    resources: Resources = app.state.resources
    asset = await _stored_asset(resources, seed=101)
    # when it is delivered to pixverse
    delivery = await deliver(resources, asset, _target(resources, "jwt-ok"))
    # then the provider got the bytes once, the copy is the asset's, and the attempt is on record
    assert (delivery.provider_called, delivery.succeeded, delivery.note) == (
        True,
        True,
        "Uploaded to provider successfully",
    )
    assert sandbox.calls.count("pixverse", "upload") == 1
    assert delivery.asset.provider_asset_id is not None
    assert provider_status(delivery.asset.facts(), "pixverse") is ProviderStatus.OK
    attempts = read_upload_history(delivery.asset.media_metadata).attempts
    assert [(a.provider_id, a.status.value, a.method) for a in attempts] == [("pixverse", "success", "api")]

    # when it is delivered again, then the provider is not asked
    again = await deliver(resources, delivery.asset, _target(resources, "jwt-ok"))
    assert (again.provider_called, again.succeeded) == (False, True)
    assert sandbox.calls.count("pixverse", "upload") == 1


async def test_a_refused_delivery_keeps_the_file_and_records_why(app: Starlette, sandbox: RunningSandbox) -> None:
    resources: Resources = app.state.resources
    asset = await _stored_asset(resources, seed=102)
    delivery = await deliver(
        resources,
        asset,
        _target(resources, fault_account("safety")),
    )
    assert (delivery.provider_called, delivery.succeeded) == (True, False)
    assert delivery.error is not None and delivery.error.code.value == "SAFETY_REJECTED"
    assert delivery.note == f"Asset saved locally; provider upload failed: {delivery.error.message}"
    assert provider_status(delivery.asset.facts(), "pixverse") is ProviderStatus.LOCAL_ONLY
    (attempt,) = read_upload_history(delivery.asset.media_metadata).attempts
    assert (attempt.status.value, attempt.error_code) == ("error", "SAFETY_REJECTED")
    assert await resources.blobs.exists(asset.storage_key or "")


async def test_concurrent_deliveries_of_one_file_call_the_provider_once(
    app: Starlette, sandbox: RunningSandbox
) -> None:
    resources: Resources = app.state.resources
    asset = await _stored_asset(resources, seed=103)
    target = _target(resources, "jwt-concurrent")
    deliveries = await asyncio.gather(*(deliver(resources, asset, target) for _ in range(10)))
    assert sandbox.calls.count("pixverse", "upload") == 1
    assert len({d.asset.provider_asset_id for d in deliveries}) == 1
    assert sum(d.provider_called for d in deliveries) == 1
