"""The subscriptions over a real WebSocket (graphql-transport-ws): a sync job's progress and the caller's asset
changes, relayed by the process's one LISTEN connection from whatever commits them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from starlette.applications import Starlette

from assetgraph.persistence.change_listener import APPLICATION_NAME
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.sandbox import RunningSandbox
from assetgraph.providers.sandbox.library import PixverseLibrary
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.services.auth import revoke_token
from tests.graphql_socket_client import graphql_socket
from tests.pixverse_support import (
    JOB,
    JOB_FIELDS,
    REFRESH,
    add_account,
    finished,
    importable,
    library_token,
    pixverse_account,
    start,
    sync,
    video,
)
from tests.support import GraphQLClient, insert_assets, png_bytes, serving, upload_file, upload_payload

PROGRESS = f"subscription($id: ID!) {{ syncProgress(jobId: $id) {{ {JOB_FIELDS} }} }}"
CHANGES = """subscription { assetChanged { change asset { id databaseId providerStatus providerAssetId } } }"""


@pytest.fixture
async def base_url(app: Starlette) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def slow_job(client: GraphQLClient, sandbox: RunningSandbox, size: int, page_size: int) -> dict[str, Any]:
    """A job started on a generated library of `size` items whose every Pixverse page takes a tenth of a second."""
    sandbox.sandbox.list_delay_seconds = 0.1
    account = (await add_account(client, library_token(size)))[0]
    job: dict[str, Any] = (await start(client, account, pageSize=page_size))["job"]
    return job


def token_of(client: GraphQLClient) -> str:
    assert client.token is not None
    return client.token


async def test_sync_progress_sends_the_job_now_then_every_page_then_completes(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, base_url: str
) -> None:
    # given a job syncing a 150-item library in pages of 25, each page taking Pixverse a tenth of a second
    _, client = alice
    job = await slow_job(client, sandbox, 150, 25)

    # when alice follows its progress
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("p", PROGRESS, {"id": job["id"]})
        events = [payload["data"]["syncProgress"] for payload in await socket.until_complete("p")]

    # then the first event is the job as it was, then one per committed page, and the stream ends with the job
    assert events[0]["id"] == job["id"] and events[0]["status"] in ("QUEUED", "RUNNING")
    pages = [event["pagesDone"] for event in events]
    assert pages == sorted(pages)
    assert set(range(pages[0], pages[-1] + 1)) <= set(pages), f"a page was not relayed: {pages}"
    last = events[-1]
    assert last["status"] == "SUCCEEDED" and last["seen"] == 150 and last["created"] == importable(150)[0]
    # and the last event is the job exactly as a query reads it afterwards
    assert last == (await client.data(JOB, {"id": job["id"]}))["syncJob"]


async def test_a_finished_job_sends_itself_once_and_completes(alice: tuple[int, GraphQLClient], base_url: str) -> None:
    # given a job that has ended
    _, client = alice
    account = (await add_account(client, library_token(10)))[0]
    done = await finished(client, (await start(client, account))["job"]["id"])

    # when alice follows it
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("p", PROGRESS, {"id": done["id"]})
        events = await socket.until_complete("p")

    # then she gets the job as it ended, and the end of the stream
    assert [e["data"]["syncProgress"] for e in events] == [done]


@pytest.mark.parametrize("whose", ["another user's", "malformed", "missing"])
async def test_following_a_job_that_is_not_the_callers_reads_as_not_found(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], base_url: str, whose: str
) -> None:
    # given a job of alice's
    _, alice_client = alice
    account = (await add_account(alice_client, library_token(5)))[0]
    job_id = (await start(alice_client, account))["job"]["id"]
    ids = {"another user's": job_id, "malformed": "not-an-id", "missing": to_global_id(NodeType.SYNC_JOB, 2**31 - 1)}

    # when bob follows it, or an id that names nothing
    _, bob_client = bob
    async with graphql_socket(base_url, token_of(bob_client)) as socket:
        await socket.subscribe("p", PROGRESS, {"id": ids[whose]})
        message = await socket.receive("p")
        after = await socket.receive("p") if message["type"] == "next" else None

    # then he is told there is no such job, exactly as for a missing one, and the stream ends
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [(e["message"], e["extensions"]["code"], e["extensions"].get("field")) for e in errors] == [
        ("No sync job with this id.", "NOT_FOUND", "jobId")
    ]
    assert after is None or after["type"] == "complete"


async def test_asset_changed_relays_the_callers_creations_and_flags_and_nobody_elses(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], sandbox: RunningSandbox, base_url: str
) -> None:
    # given alice and bob both watching their assets
    _, alice_client = alice
    _, bob_client = bob
    library = PixverseLibrary(videos=[video(1), video(2, video_status=7)])
    account = await pixverse_account(alice_client, sandbox, library)
    async with (
        graphql_socket(base_url, token_of(alice_client)) as alice_socket,
        graphql_socket(base_url, token_of(bob_client)) as bob_socket,
    ):
        await alice_socket.subscribe("a", CHANGES)
        await bob_socket.subscribe("b", CHANGES)
        await asyncio.sleep(0.2)  # the subscriptions are registered with the listener

        # when alice imports two videos, one filtered at Pixverse
        imported = (await sync(alice_client, account, mode="VIDEOS"))["items"]
        on_import = [(await alice_socket.receive("a"))["payload"]["data"]["assetChanged"] for _ in range(2)]

        # then she sees both created, as committed, the filtered one already flagged (one event each: the flag is
        # written with the row)
        seen = sorted((c["change"], c["asset"]["providerAssetId"], c["asset"]["providerStatus"]) for c in on_import)
        assert seen == [("CREATED", "500000000001", "OK"), ("CREATED", "500000000002", "FLAGGED")]

        # when Pixverse filters the other one too, and alice refreshes its flag
        library.videos[0]["video_status"] = 7
        first_id = next(item["assetId"] for item in imported if item["providerAssetId"] == "500000000001")
        assert (await alice_client.data(REFRESH, {"ids": [first_id]}))["refreshModeration"]["errors"] == []

        # then she sees that flag, and nothing else
        flagged = (await alice_socket.receive("a"))["payload"]["data"]["assetChanged"]
        assert (flagged["change"], flagged["asset"]["id"], flagged["asset"]["providerStatus"]) == (
            "FLAG", first_id, "FLAGGED")  # fmt: skip
        await asyncio.sleep(0.3)
        assert alice_socket.buffered("a") == 0
        # and bob saw nothing of it
        assert bob_socket.buffered("b") == 0


async def test_progress_still_arrives_after_the_listening_connection_is_killed(
    app: Starlette, alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, db: Database, base_url: str
) -> None:
    # given alice following a job that takes a few seconds
    _, client = alice
    job = await slow_job(client, sandbox, 300, 20)
    listener = app.state.resources.changes
    made = listener.connections_made
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("p", PROGRESS, {"id": job["id"]})
        first = (await socket.receive("p"))["payload"]["data"]["syncProgress"]

        # when the server's listening connection is killed mid-job
        async with db.engine.connect() as conn:
            killed = await conn.scalar(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": APPLICATION_NAME},
            )
        assert killed >= 1
        events: list[dict[str, Any]] = [first] + [
            e["data"]["syncProgress"] for e in await socket.until_complete("p", within=60)
        ]

    # then the listener connected again, and the subscriber still saw the job through to its end
    assert listener.connections_made > made
    assert events[-1]["status"] == "SUCCEEDED" and events[-1]["seen"] == 300
    assert events[-1] == (await client.data(JOB, {"id": job["id"]}))["syncJob"]


async def test_revoking_the_token_ends_its_subscriptions_at_their_next_event(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, db: Database, base_url: str
) -> None:
    # given alice following a job that takes a few seconds
    _, client = alice
    job = await slow_job(client, sandbox, 200, 20)
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("p", PROGRESS, {"id": job["id"]})
        assert (await socket.receive("p"))["type"] == "next"

        # when her token is revoked
        assert await revoke_token(UnitOfWork(db), token_of(client))

        # then the subscription's next event is a refusal, and it ends there
        messages = []
        while not messages or (messages[-1]["type"] == "next" and "errors" not in messages[-1]["payload"]):
            messages.append(await socket.receive("p"))
        assert [e["extensions"]["code"] for e in messages[-1]["payload"]["errors"]] == ["UNAUTHENTICATED"]
        assert (await socket.receive("p"))["type"] == "complete"
        # at most the page committed while the token was being revoked got through
        assert len(messages) <= 2


async def test_asset_changed_relays_an_upload_and_its_attempt(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, base_url: str
) -> None:
    # given alice watching her assets, with a Pixverse account
    _, client = alice
    await add_account(client, f"jwt-{uuid.uuid4().hex}")
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("a", CHANGES)
        await asyncio.sleep(0.2)  # the subscription is registered with the listener

        # when she uploads a picture to Pixverse
        uploaded = upload_payload(
            await upload_file(http, client.token, png_bytes(seed=909), {"providerId": "pixverse"})
        )
        changes = []
        while not changes or changes[-1]["change"] != "UPLOAD":
            changes.append((await socket.receive("a"))["payload"]["data"]["assetChanged"])

    # then she saw the asset created, then its upload attempt recorded, with the provider's verdict
    assert [(c["change"], c["asset"]["id"]) for c in changes] == [
        ("CREATED", uploaded["asset"]["id"]),
        ("UPLOAD", uploaded["asset"]["id"]),
    ]
    assert changes[-1]["asset"]["providerStatus"] == "OK"


async def test_an_asset_change_after_the_listener_reconnected_says_earlier_ones_may_be_missed(
    app: Starlette, alice: tuple[int, GraphQLClient], db: Database, base_url: str
) -> None:
    # given alice watching her assets
    user_id, client = alice
    listener = app.state.resources.changes
    query = "subscription { assetChanged { change missedBefore asset { databaseId } } }"
    async with graphql_socket(base_url, token_of(client)) as socket:
        await socket.subscribe("a", query)
        await asyncio.sleep(0.2)  # the subscription is registered with the listener
        [first] = await insert_assets(db, user_id, [{}])
        before = (await socket.receive("a"))["payload"]["data"]["assetChanged"]

        # when the server's listening connection is killed, and made again, and then two assets are created
        made = listener.connections_made
        async with db.engine.connect() as conn:
            await conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": APPLICATION_NAME},
            )
        async with asyncio.timeout(30):
            while listener.connections_made == made:  # noqa: ASYNC110 - the listener's counter, moved by its own task
                await asyncio.sleep(0.05)
        second, third = await insert_assets(db, user_id, [{}, {}])
        after = [(await socket.receive("a"))["payload"]["data"]["assetChanged"] for _ in range(2)]

    # then the first event after the reconnection says earlier changes may have been missed, and only that one
    assert before == {"change": "CREATED", "missedBefore": False, "asset": {"databaseId": first}}
    assert after == [
        {"change": "CREATED", "missedBefore": True, "asset": {"databaseId": second}},
        {"change": "CREATED", "missedBefore": False, "asset": {"databaseId": third}},
    ]
