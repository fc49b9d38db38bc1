"""Helpers of the library-sync tests (tests/api and tests/e2e): GraphQL documents, accounts holding generated
libraries, and the counts a whole-library sync of one is expected to report."""

from __future__ import annotations

import uuid
from typing import Any

from assetgraph.providers.sandbox import generated_pixverse_library
from tests.support import GraphQLClient

ADD = """mutation($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { id databaseId } errors { code } } }"""
JOB_FIELDS = """id databaseId accountId mode pageSize status pagesDone seen created skipped flagged processing failed
  total currentKind currentOffset error cancelRequested createdAt startedAt finishedAt"""
START = f"""mutation($input: StartLibrarySyncInput!) {{ startLibrarySync(input: $input) {{
  job {{ {JOB_FIELDS} }} errors {{ code field message }} }} }}"""
JOB = f"query($id: ID!) {{ syncJob(id: $id) {{ {JOB_FIELDS} }} node(id: $id) {{ id }} }}"


async def add_account(client: GraphQLClient, secret: str, provider_id: str = "pixverse") -> str:
    credentials = {"jwt": secret} if provider_id == "pixverse" else {"api_key": secret}
    variables = {"input": {"providerId": provider_id, "label": "library", "credentials": credentials}}
    payload = (await client.data(ADD, variables))["addProviderAccount"]
    assert payload["errors"] == []
    account: str = payload["account"]["id"]
    return account


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


def importable(size: int, seed: int = 7) -> tuple[int, int, int]:
    """(importable, flagged, not importable) items of a generated library: DONE and FILTERED items are imported."""
    summary = generated_pixverse_library(size, seed).summary()
    states = [summary.video_states, summary.image_states]
    done = sum(s.get("DONE", 0) for s in states)
    filtered = sum(s.get("FILTERED", 0) for s in states)
    return done + filtered, filtered, summary.total - done - filtered
