"""Each adapter uploads to the sandbox over real HTTP, and every refusal reads as the right UploadErrorCode."""

from __future__ import annotations

import uuid

import pytest

from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import ProviderError, SessionExpiredError
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox, Sandbox, serve_sandbox
from tests.support import GeneratedFile, credentials_for, fault_account, sandbox_registry

PROVIDERS = ["pixverse", "sora", "runway"]
# Calls one upload makes: Runway asks for an upload URL, then posts the file there.
ENDPOINTS = {"pixverse": ["upload"], "sora": ["upload"], "runway": ["upload", "storage"]}


@pytest.mark.parametrize("provider_id", PROVIDERS)
async def test_an_upload_returns_the_providers_id_and_sends_every_byte(
    provider_id: str, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given a 3.5 MB file and an ordinary account
    file = GeneratedFile(3_500_000, filename='my "holiday"\r\n.png')
    secret = f"key-{uuid.uuid4().hex}"

    # When it is uploaded
    upload = await providers.require(provider_id).upload(credentials_for(provider_id, secret), file.source)

    # Then the provider's id comes back, and the provider received the whole file under its name, once
    assert upload.provider_asset_id
    received = sandbox.sandbox.upload(upload.provider_asset_id)
    assert received is not None
    assert (received.provider, received.account, received.size_bytes) == (provider_id, secret, 3_500_000)
    assert received.filename == "my %22holiday%22%0D%0A.png"  # quoted as browsers do, not cut short
    assert [sandbox.calls.count(provider_id, e, secret) for e in ENDPOINTS[provider_id]] == [1] * len(
        ENDPOINTS[provider_id]
    )
    assert (file.opened, file.closed) == (1, 1)


async def test_pixverse_ids_are_strings_and_come_with_a_url(providers: ProviderRegistry) -> None:
    # When a file is uploaded to Pixverse, whose image ids are numbers above 2**32
    upload = await providers.require("pixverse").upload({"jwt": "a-session"}, GeneratedFile(10).source)

    # Then the id reads as the decimal string of that number, and the image's URL comes along
    assert upload.provider_asset_id.isdigit() and int(upload.provider_asset_id) > 2**32
    assert upload.url and upload.url.endswith(upload.provider_asset_id)


REFUSALS = [
    ("safety", UploadErrorCode.SAFETY_REJECTED),
    ("too_large", UploadErrorCode.FILE_TOO_LARGE),
    ("unsupported", UploadErrorCode.UNSUPPORTED_FORMAT),
    ("400", UploadErrorCode.UNKNOWN),
    ("403", UploadErrorCode.AUTH_FAILED),
    ("413", UploadErrorCode.FILE_TOO_LARGE),
    ("415", UploadErrorCode.UNSUPPORTED_FORMAT),
    ("500", UploadErrorCode.PROVIDER_UNAVAILABLE),
    ("502", UploadErrorCode.PROVIDER_UNAVAILABLE),
    ("503", UploadErrorCode.PROVIDER_UNAVAILABLE),
    ("504", UploadErrorCode.PROVIDER_UNAVAILABLE),
    ("429", UploadErrorCode.RATE_LIMITED),
]


@pytest.mark.parametrize("provider_id", PROVIDERS)
@pytest.mark.parametrize(("fault", "expected"), REFUSALS)
async def test_every_refusal_is_classified_and_its_message_holds_no_secret(
    provider_id: str, fault: str, expected: UploadErrorCode, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given an account the provider refuses in this way (its error messages quote the credential)
    secret = fault_account(fault)

    # When a file is uploaded with it
    with pytest.raises(ProviderError) as raised:
        await providers.require(provider_id).upload(credentials_for(provider_id, secret), GeneratedFile(1000).source)

    # Then the failure carries the classification, and a message that shows no part of the credential
    assert raised.value.code == expected
    assert raised.value.message and secret not in raised.value.message
    assert secret.split("#")[1] not in raised.value.message
    assert secret.split("#")[1] not in str(raised.value)
    retried = expected in (UploadErrorCode.PROVIDER_UNAVAILABLE, UploadErrorCode.RATE_LIMITED)
    assert sandbox.calls.count(provider_id, "upload") == (4 if retried else 1)


@pytest.mark.parametrize("provider_id", PROVIDERS)
async def test_an_expired_session_or_revoked_key_asks_for_new_credentials(
    provider_id: str, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given an account whose session expired (Pixverse ErrCode 10005) or whose key was revoked (401)
    secret = fault_account("session_expired")

    # When it uploads
    with pytest.raises(SessionExpiredError) as raised:
        await providers.require(provider_id).upload(credentials_for(provider_id, secret), GeneratedFile(10).source)

    # Then the error says the account needs new credentials, once, without quoting them
    assert raised.value.code == UploadErrorCode.AUTH_FAILED
    assert secret.split("#")[1] not in raised.value.message
    assert sandbox.calls.count(provider_id, "upload") == 1


@pytest.mark.parametrize("provider_id", PROVIDERS)
async def test_an_account_without_credentials_fails_before_any_call(
    provider_id: str, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # When an account holding no credential at all uploads
    with pytest.raises(ProviderError) as raised:
        await providers.require(provider_id).upload({}, GeneratedFile(10).source)

    # Then it is an authentication failure, and the provider never heard of it
    assert raised.value.code == UploadErrorCode.AUTH_FAILED
    assert sandbox.calls.total == 0


@pytest.mark.parametrize("provider_id", PROVIDERS)
async def test_the_providers_real_size_limit_and_accepted_types_are_classified(provider_id: str) -> None:
    # Given a provider accepting at most 1000 bytes, and images
    async with serve_sandbox(Sandbox(max_upload_bytes=1000)) as small, sandbox_registry(small) as providers:
        adapter = providers.require(provider_id)
        credentials = credentials_for(provider_id, "an-account")

        # When a 1001-byte file, then a zip file, are uploaded
        with pytest.raises(ProviderError) as too_large:
            await adapter.upload(credentials, GeneratedFile(1001).source)
        zipped = GeneratedFile(10, filename="archive.zip", mime_type="application/zip")
        with pytest.raises(ProviderError) as unsupported:
            await adapter.upload(credentials, zipped.source)

        # Then the first is too large (after all its bytes were read), the second of an unsupported format
        assert too_large.value.code == UploadErrorCode.FILE_TOO_LARGE
        assert [r.size_bytes for r in small.sandbox.received][:1] == [1001]
        assert unsupported.value.code == UploadErrorCode.UNSUPPORTED_FORMAT
        # And a 1000-byte image still goes through
        assert (await adapter.upload(credentials, GeneratedFile(1000).source)).provider_asset_id
