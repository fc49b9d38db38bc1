"""A large upload streams: memory stays bounded whatever the file size, and a retry sends it again from the start."""

from __future__ import annotations

import tracemalloc

import pytest

from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox
from tests.support import GeneratedFile, credentials_for

SIZE = 50 * 1024 * 1024


@pytest.mark.parametrize("provider_id", ["pixverse", "runway"])
async def test_a_50_mb_upload_keeps_memory_bounded(
    provider_id: str, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given a 50 MB file made on the fly in 1 MB chunks, and a provider failing the first try
    file = GeneratedFile(SIZE)
    sandbox.sandbox.fail_next("503", provider=provider_id, endpoint="storage" if provider_id == "runway" else "upload")

    # When it is uploaded (the client and the sandbox's reading both traced: they share this process)
    tracemalloc.start()
    try:
        upload = await providers.require(provider_id).upload(credentials_for(provider_id, "big"), file.source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Then every byte arrived, twice (the failed try and the retry), while at most a few chunks were ever held
    received = sandbox.sandbox.upload(upload.provider_asset_id)
    assert received is not None and received.size_bytes == SIZE
    assert sum(r.size_bytes for r in sandbox.sandbox.received) == 2 * SIZE
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {SIZE / 1e6:.0f} MB file"
