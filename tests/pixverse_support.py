"""Pixverse accounts, imports and library sync jobs over GraphQL, shared by the sync and subscription tests."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from assetgraph.providers.sandbox import PixverseLibrary, RunningSandbox, generated_pixverse_library
from tests.support import GraphQLClient

ADD = """mutation($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { id databaseId } errors { code } } }"""
SYNC = """mutation($input: SyncPixverseAssetsInput!) { syncPixverseAssets(input: $input) {
  created skippedExisting flagged processing failed totalRemote
  items { kind providerAssetId outcome assetId status statusReason }
  errors { code field message } } }"""
REFRESH = """mutation($ids: [ID!]!) { refreshModeration(input: {assetIds: $ids}) {
  results { assetId flagged reason status error } errors { code field } } }"""
JOB_FIELDS = """id databaseId accountId mode pageSize status pagesDone seen created skipped flagged processing failed
  total currentKind currentOffset error cancelRequested createdAt startedAt finishedAt"""
START = f"""mutation($input: StartLibrarySyncInput!) {{ startLibrarySync(input: $input) {{
  job {{ {JOB_FIELDS} }} errors {{ code field message }} }} }}"""
JOB = f"query($id: ID!) {{ syncJob(id: $id) {{ {JOB_FIELDS} }} node(id: $id) {{ id }} }}"
HOST = "https://media.pixverse.example"


def video(n: int, **fields: Any) -> dict[str, Any]:
    return {"video_id": 500_000_000_000 + n, "video_status": 1, "url": f"{HOST}/v/{n}.mp4",
            "first_frame": f"{HOST}/f/{n}.jpg", "create_time": "2025-06-07T08:09:10Z", **fields}  # fmt: skip


def image(n: int, **fields: Any) -> dict[str, Any]:
    return {"image_id": 600_000_000_000 + n, "image_status": 1, "image_url": f"{HOST}/i/{n}.jpg", **fields}


async def add_account(client: GraphQLClient, jwt: str, provider_id: str = "pixverse") -> tuple[str, int]:
    credentials = {"jwt": jwt} if provider_id == "pixverse" else {"api_key": jwt}
    payload = (await client.data(ADD, {"input": {"providerId": provider_id, "label": "mine",
                                                 "credentials": credentials}}))["addProviderAccount"]  # fmt: skip
    assert payload["errors"] == []
    return payload["account"]["id"], payload["account"]["databaseId"]


async def pixverse_account(client: GraphQLClient, sandbox: RunningSandbox, library: PixverseLibrary) -> str:
    jwt = f"jwt-{uuid.uuid4().hex}"
    sandbox.sandbox.set_pixverse_library(jwt, library)
    return (await add_account(client, jwt))[0]


async def sync(client: GraphQLClient, account: str, **fields: Any) -> dict[str, Any]:
    data = await client.data(SYNC, {"input": {"accountId": account, **fields}})
    result: dict[str, Any] = data["syncPixverseAssets"]
    return result


def library_token(size: int, seed: int = 7) -> str:
    """A sandbox credential whose account holds the generated library of that size; distinct per call."""
    return f"library:{size}:{seed}#{uuid.uuid4().hex}"


async def start(client: GraphQLClient, account: str, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(START, {"input": {"accountId": account, **fields}}))[
        "startLibrarySync"
    ]
    return payload


async def job_of(client: GraphQLClient, job_id: str) -> dict[str, Any] | None:
    job: dict[str, Any] | None = (await client.data(JOB, {"id": job_id}))["syncJob"]
    return job


async def finished(client: GraphQLClient, job_id: str, within: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        job = await job_of(client, job_id)
        assert job is not None
        if job["status"] not in ("QUEUED", "RUNNING"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {within} s: {job}"
        await asyncio.sleep(0.1)


def importable(size: int, seed: int = 7) -> tuple[int, int, int]:
    """(importable, flagged, not importable) items of a generated library: DONE and FILTERED items are imported."""
    summary = generated_pixverse_library(size, seed).summary()
    states = [summary.video_states, summary.image_states]
    done = sum(s.get("DONE", 0) for s in states)
    filtered = sum(s.get("FILTERED", 0) for s in states)
    return done + filtered, filtered, summary.total - done - filtered
