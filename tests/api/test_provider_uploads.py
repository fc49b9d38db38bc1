"""Uploads that go to a provider, over real multipart requests to the app and real HTTP to the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.providers.sandbox.server import RunningSandbox
from tests.support import (
    GraphQLClient,
    credentials_for,
    encoded,
    fault_account,
    photo_like,
    png_bytes,
    upload_file,
    upload_payload,
)

ADD_ACCOUNT = """
mutation($input: AddProviderAccountInput!) { addProviderAccount(input: $input) { account { id } errors { code } } }
"""
UPDATE_ACCOUNT = """
mutation($input: UpdateProviderAccountInput!) {
  updateProviderAccount(input: $input) { account { status lastError } errors { code } }
}
"""
STATES = """
query($id: ID!) { asset(id: $id) {
  providerStatus
  providerStates { providerId status providerAssetId }
  uploadAttempts { providerId status errorCode errorMessage method }
} }
"""
RETRY = """
mutation($input: SendAssetInput!) {
  retryUpload(input: $input) { asset { providerStatus } providerSucceeded providerCalled note errors { code field } }
}
"""


async def _account(client: GraphQLClient, provider_id: str, secret: str) -> str:
    data = await client.data(
        ADD_ACCOUNT,
        {
            "input": {
                "providerId": provider_id,
                "label": provider_id,
                "credentials": credentials_for(provider_id, secret),
            }
        },
    )
    assert data["addProviderAccount"]["errors"] == []
    account_id: str = data["addProviderAccount"]["account"]["id"]
    return account_id


async def test_an_upload_reaches_the_provider_and_a_second_upload_does_not(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    # given an account at pixverse
    _, client = alice
    await _account(client, "pixverse", "jwt-good")
    content = png_bytes(seed=201)
    # when a file is uploaded to pixverse
    first = upload_payload(await upload_file(http, client.token, content, {"providerId": "pixverse"}))
    # then the provider got it, and the asset says so
    assert (first["providerSucceeded"], first["deduplicated"], first["note"]) == (
        True, False, "Uploaded to provider successfully",
    )  # fmt: skip
    assert first["asset"]["providerStatus"] == "OK"
    assert sandbox.calls.count("pixverse", "upload") == 1
    assert sandbox.sandbox.received[-1].size_bytes == len(content)

    # when the same file is uploaded to pixverse again
    again = upload_payload(await upload_file(http, client.token, content, {"providerId": "pixverse"}))
    # then the existing asset comes back and the provider is not asked
    assert again["asset"]["id"] == first["asset"]["id"]
    assert (again["deduplicated"], again["providerSucceeded"]) == (True, True)
    assert again["note"] == "Already on pixverse; returned the existing asset without uploading again"
    assert sandbox.calls.count("pixverse", "upload") == 1


async def test_the_same_file_to_a_new_provider_adds_a_copy_to_the_same_asset(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    _, client = alice
    await _account(client, "pixverse", "jwt-good")
    await _account(client, "sora", "key-good")
    content = png_bytes(seed=202)
    first = upload_payload(await upload_file(http, client.token, content, {"providerId": "pixverse"}))
    second = upload_payload(await upload_file(http, client.token, content, {"providerId": "sora"}))
    assert second["asset"]["id"] == first["asset"]["id"]
    assert (second["deduplicated"], second["providerSucceeded"]) == (True, True)
    states = (await client.data(STATES, {"id": first["asset"]["id"]}))["asset"]["providerStates"]
    assert [(s["providerId"], s["status"]) for s in states] == [("pixverse", "OK"), ("sora", "OK")]
    assert sandbox.calls.count("sora", "upload") == 1


@pytest.fixture(scope="module")
async def impatient_http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a provider read timeout of 1 s and one retry, so that a hanging provider costs 2 s, not 20."""
    app = create_app(settings.model_copy(update={"provider_read_timeout": 1.0, "provider_max_retries": 1}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            yield client


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("500", "PROVIDER_UNAVAILABLE"),
        ("503", "PROVIDER_UNAVAILABLE"),
        ("429:10", "RATE_LIMITED"),
        ("hang", "TIMEOUT"),
        ("safety", "SAFETY_REJECTED"),
        ("too_large", "FILE_TOO_LARGE"),
        ("unsupported", "UNSUPPORTED_FORMAT"),
        ("session_expired", "AUTH_FAILED"),
    ],
)
async def test_a_provider_fault_keeps_the_file_records_the_attempt_and_a_retry_succeeds(
    impatient_http: httpx.AsyncClient,
    alice: tuple[int, GraphQLClient],
    sandbox: RunningSandbox,
    fault: str,
    code: str,
) -> None:
    # given an account the sandbox answers with a fault
    _, client = alice
    secret = fault_account(fault)
    account_id = await _account(client, "pixverse", secret)
    # when a file is uploaded to it
    payload = upload_payload(
        await upload_file(impatient_http, client.token, png_bytes(seed=300), {"providerId": "pixverse"})
    )
    # then the file is kept here, the attempt is recorded with its code, and the note says what happened
    asset = payload["asset"]
    assert asset is not None and payload["providerSucceeded"] is False
    assert asset["providerStatus"] == "LOCAL_ONLY"
    attempts = (await client.data(STATES, {"id": asset["id"]}))["asset"]["uploadAttempts"]
    assert [(a["providerId"], a["status"], a["errorCode"]) for a in attempts] == [("pixverse", "ERROR", code)]
    assert payload["note"] == f"Asset saved locally; provider upload failed: {attempts[0]['errorMessage']}"
    assert secret not in str(payload) and secret not in str(attempts)

    # when the account is mended and the upload retried
    mended = await client.data(
        UPDATE_ACCOUNT, {"input": {"accountId": account_id, "credentials": credentials_for("pixverse", "jwt-good")}}
    )
    assert mended["updateProviderAccount"]["account"]["status"] == "ACTIVE"
    retried = (await client.data(RETRY, {"input": {"assetId": asset["id"], "providerId": "pixverse"}}))["retryUpload"]
    # then it is on the provider, and both attempts are on record
    assert (retried["providerSucceeded"], retried["providerCalled"]) == (True, True)
    assert retried["asset"]["providerStatus"] == "OK"
    attempts = (await client.data(STATES, {"id": asset["id"]}))["asset"]["uploadAttempts"]
    assert [(a["status"], a["method"]) for a in attempts] == [("SUCCESS", "retry"), ("ERROR", "api")]


async def test_an_expired_session_marks_the_account(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    _, client = alice
    await _account(client, "pixverse", fault_account("session_expired"))
    await upload_file(http, client.token, png_bytes(seed=301), {"providerId": "pixverse"})
    accounts = await client.data("{ providerAccounts { status lastError } }")
    assert accounts["providerAccounts"][0]["status"] == "ERROR"
    assert accounts["providerAccounts"][0]["lastError"]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"providerId": "pixverse"}, "ACCOUNT_UNUSABLE", "accountId"),
        ({"providerId": "nowhere"}, "UNKNOWN_PROVIDER", "providerId"),
    ],
    ids=["no account", "unknown provider"],
)
async def test_no_usable_account_is_refused_before_the_file_is_read(
    http: httpx.AsyncClient,
    alice: tuple[int, GraphQLClient],
    sandbox: RunningSandbox,
    variables: dict[str, Any],
    code: str,
    field: str,
) -> None:
    _, client = alice
    payload = upload_payload(await upload_file(http, client.token, png_bytes(seed=302), variables))
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["asset"] is None
    assert sandbox.calls.total == 0


async def test_another_users_account_answers_like_a_missing_one(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    bobs = await _account(bob[1], "pixverse", "jwt-bob")
    _, client = alice
    payload = upload_payload(
        await upload_file(http, client.token, png_bytes(seed=303), {"providerId": "pixverse", "accountId": bobs})
    )
    missing = upload_payload(
        await upload_file(
            http,
            client.token,
            png_bytes(seed=303),
            {"providerId": "pixverse", "accountId": "UHJvdmlkZXJBY2NvdW50Ojk5OTk5OTk="},
        )
    )
    assert (
        payload["errors"]
        == missing["errors"]
        == [{"code": "NOT_FOUND", "message": "No provider account with this id.", "field": "accountId"}]
    )
    assert sandbox.calls.total == 0


async def test_an_upload_lists_the_callers_near_duplicates(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given a photo in alice's library, and the same photo in bob's
    _, client = alice
    picture = photo_like(seed=7)
    original = upload_payload(await upload_file(http, client.token, encoded(picture, "PNG"), {"providerId": "local"}))
    await upload_file(http, bob[1].token, encoded(picture, "PNG"), {"providerId": "local"})
    # when alice uploads a smaller JPEG of it, and an unrelated photo
    smaller = encoded(picture.resize((320, 240)), "JPEG", quality=80)
    copy = upload_payload(
        await upload_file(
            http, client.token, smaller, {"providerId": "local"}, filename="small.jpg", content_type="image/jpeg"
        )
    )
    other = upload_payload(
        await upload_file(http, client.token, encoded(photo_like(seed=8), "PNG"), {"providerId": "local"})
    )
    # then the copy lists the original (and nothing of bob's), and the unrelated photo lists nothing
    assert copy["asset"]["id"] != original["asset"]["id"]
    assert [s["asset"]["id"] for s in copy["similarAssets"]] == [original["asset"]["id"]]
    assert copy["similarAssets"][0]["distance"] <= 10
    assert other["similarAssets"] == []
