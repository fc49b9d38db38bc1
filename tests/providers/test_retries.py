"""Bounded retries over real HTTP: what is retried, how long it waits, when it gives up, and what it logs."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import ProviderError, UploadSource
from assetgraph.providers.http import ProviderHttp, RetryPolicy
from assetgraph.providers.multipart import SourceSizeMismatchError
from assetgraph.providers.pixverse import PixverseAdapter
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox
from tests.support import GeneratedFile, credentials_for, fault_account, free_port, sandbox_registry


@pytest.mark.parametrize("provider_id", ["pixverse", "sora"])
async def test_a_503_once_is_retried_and_the_file_sent_again_whole(
    provider_id: str, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given an account whose first call fails with 503
    secret = fault_account("503-once")
    file = GeneratedFile(2_000_000)

    # When it uploads
    upload = await providers.require(provider_id).upload(credentials_for(provider_id, secret), file.source)

    # Then the second try succeeds: the file was opened again and sent whole both times
    assert upload.provider_asset_id
    assert sandbox.calls.count(provider_id, "upload", secret) == 2
    assert [r.size_bytes for r in sandbox.sandbox.received if r.account == secret] == [2_000_000, 2_000_000]
    assert (file.opened, file.closed) == (2, 2)


async def test_runway_retries_each_of_its_two_steps(providers: ProviderRegistry, sandbox: RunningSandbox) -> None:
    # Given an account whose upload request fails once, and a storage step failing once too
    secret = fault_account("503-once")
    sandbox.sandbox.fail_next("500", provider="runway", endpoint="storage")
    file = GeneratedFile(2_000_000)

    # When it uploads
    upload = await providers.require("runway").upload({"api_key": secret}, file.source)

    # Then both steps were retried: the upload URL asked for twice, the file sent whole twice to the same URL
    assert upload.provider_asset_id.startswith("runway://")
    assert (sandbox.calls.count("runway", "upload"), sandbox.calls.count("runway", "storage")) == (2, 2)
    assert [r.size_bytes for r in sandbox.sandbox.received] == [2_000_000, 2_000_000]
    assert (file.opened, file.closed) == (2, 2)


async def test_a_persistent_503_gives_up_after_the_configured_retries(sandbox: RunningSandbox) -> None:
    # Given one retry allowed, and a provider that keeps answering 503
    async with sandbox_registry(sandbox, provider_max_retries=1) as providers:
        # When a file is uploaded
        with pytest.raises(ProviderError) as raised:
            await providers.require("sora").upload({"api_key": fault_account("503")}, GeneratedFile(10).source)

    # Then it is reported unavailable after exactly two calls
    assert raised.value.code == UploadErrorCode.PROVIDER_UNAVAILABLE
    assert sandbox.calls.count("sora", "upload") == 2


async def test_retry_after_is_honoured(providers: ProviderRegistry, sandbox: RunningSandbox) -> None:
    # Given an account rate limited once with Retry-After: 1
    secret = fault_account("429:1-once")

    # When it uploads
    started = time.monotonic()
    upload = await providers.require("pixverse").upload({"jwt": secret}, GeneratedFile(10).source)

    # Then the retry waited at least the second asked for (the backoff alone is 50 ms at most), and succeeded
    assert time.monotonic() - started >= 1.0
    assert upload.provider_asset_id and sandbox.calls.count("pixverse", "upload") == 2


async def test_a_retry_after_beyond_the_cap_ends_the_retries_at_once(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given a provider asking to wait 120 s, over the 3 s the settings honour
    secret = fault_account("429:120")

    # When a file is uploaded
    started = time.monotonic()
    with pytest.raises(ProviderError) as raised:
        await providers.require("runway").upload({"api_key": secret}, GeneratedFile(10).source)

    # Then it fails at once as rate limited, saying how long the provider asked to wait
    assert time.monotonic() - started < 1.0
    assert (raised.value.code, raised.value.retry_after) == (UploadErrorCode.RATE_LIMITED, 120.0)
    assert sandbox.calls.count("runway", "upload") == 1


async def test_queued_faults_fail_the_next_calls_whatever_the_account(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given the next two Sora calls fail with 502 and 500
    sandbox.sandbox.fail_next("502", provider="sora")
    sandbox.sandbox.fail_next("500", provider="sora")

    # When an ordinary account uploads
    upload = await providers.require("sora").upload({"api_key": "ordinary"}, GeneratedFile(10).source)

    # Then the third try goes through
    assert upload.provider_asset_id and sandbox.calls.count("sora", "upload", "ordinary") == 3


async def test_a_hang_past_the_read_timeout_is_a_timeout_within_a_bound(sandbox: RunningSandbox) -> None:
    # Given a provider that never answers, a 0.3 s read timeout and two retries
    async with sandbox_registry(sandbox, provider_read_timeout=0.3, provider_max_retries=2) as providers:
        # When a file is uploaded
        started = time.monotonic()
        with pytest.raises(ProviderError) as raised:
            await providers.require("pixverse").upload({"jwt": fault_account("hang")}, GeneratedFile(1000).source)
        elapsed = time.monotonic() - started

    # Then it is a TIMEOUT after three tries of 0.3 s each, well before the sandbox's own 10 s hang ends
    assert raised.value.code == UploadErrorCode.TIMEOUT
    assert 0.9 <= elapsed < 3.0
    assert sandbox.calls.count("pixverse", "upload") == 3


async def test_a_provider_nobody_listens_for_is_unavailable() -> None:
    # Given a base URL where nothing listens
    async with httpx.AsyncClient(timeout=2.0) as client:
        http = ProviderHttp(
            client, name="Pixverse", base_url=f"http://127.0.0.1:{free_port()}", policy=RetryPolicy(1, 0.01, 0.02)
        )
        # When a file is uploaded there
        with pytest.raises(ProviderError) as raised:
            await PixverseAdapter(http).upload({"jwt": "x"}, GeneratedFile(10).source)

    # Then the provider is unavailable
    assert raised.value.code == UploadErrorCode.PROVIDER_UNAVAILABLE


async def test_a_failing_source_is_not_a_provider_error_and_is_not_retried(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given a file that says it holds 10 bytes and streams 20
    file = GeneratedFile(20)
    lying = UploadSource(file.filename, file.mime_type, 10, file.source.open)

    # When it is uploaded
    with pytest.raises(SourceSizeMismatchError):
        await providers.require("pixverse").upload({"jwt": "x"}, lying)

    # Then our own failure surfaces as itself (no provider is blamed), after one try, the stream closed
    assert (file.opened, file.closed) == (1, 1)


async def test_retries_are_logged_without_credentials(
    providers: ProviderRegistry, sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an account that fails with 503 until it gives up
    secret = fault_account("503")

    # When it uploads
    with caplog.at_level(logging.DEBUG), pytest.raises(ProviderError):
        await providers.require("pixverse").upload({"jwt": secret}, GeneratedFile(10).source)

    # Then each retry was logged, with the provider and the status, and nothing logged holds the credential
    retries = [r for r in caplog.records if r.getMessage() == "provider_retry"]
    assert [(r.provider, r.outcome, r.retry) for r in retries] == [("Pixverse", "503", n) for n in (1, 2, 3)]  # type: ignore[attr-defined]
    token = secret.split("#")[1]
    assert not [r for r in caplog.records if token in r.getMessage() or token in str(vars(r))]
