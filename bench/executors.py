"""`python -m bench.executors`: the gallery page through the compiled executor against the stock one, same run.

Two copies of the app run in this process on the bench database, identical but for `Settings.executor`; each request
is sent to both in turn (which goes first alternates), over the ASGI transport as `bench/client.py` does. Before
timing, the two full response bodies (data and errors) must be byte-identical. Printed per case: the median wall time
and the median process CPU time per request (this process runs the app and the client, not PostgreSQL) for each
executor, and compiled / stock ratios; then the executor's own cost (`executor_only.py`). The machine is shared, so
only the same-run ratio means much.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, Literal

import httpx

from assetgraph.app import create_app, tune_garbage_collector
from assetgraph.config import Settings
from assetgraph.services.resources import Resources
from bench.database import connect, ensure_library, open_bench_database
from bench.executor_only import execution_only
from bench.scenarios.gallery import PAGE_QUERY

Executor = Literal["stock", "compiled"]
EXECUTORS: tuple[Executor, ...] = ("stock", "compiled")

# The page of issue 11: every badge field of the first 100 assets, and the total.
GALLERY_QUERY = """
query GalleryPage {
  assets(first: 100) {
    edges { cursor node { id databaseId providerId providerStatus providerFlagged providerFlagReason
      lastUploadStatusByProvider { providerId status }
      providerStates { providerId status providerAssetId url flagged flagReason
        lastAttempt { providerId status errorCode errorMessage at method } } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""

CASES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("gallery page (issue 11's selection, totalCount)", GALLERY_QUERY, {}),
    ("gallery page, status OK or LOCAL_ONLY", PAGE_QUERY, {"status": ["OK", "LOCAL_ONLY"]}),
)


@asynccontextmanager
async def _app_client(url: str, executor: Executor) -> AsyncIterator[tuple[httpx.AsyncClient, Resources]]:
    app = create_app(Settings(database_url=url, executor=executor))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            yield http, app.state.resources


async def _post(
    http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any]
) -> tuple[float, float, bytes]:
    """(wall seconds, process CPU seconds, response body) of one request."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body = response.content
    return time.perf_counter() - wall, time.process_time() - cpu, body


async def _race(
    clients: dict[Executor, httpx.AsyncClient],
    token: str,
    query: str,
    variables: dict[str, Any],
    warmup: int,
    runs: int,
) -> dict[Executor, tuple[list[float], list[float]]]:
    samples: dict[Executor, tuple[list[float], list[float]]] = {name: ([], []) for name in EXECUTORS}
    for run in range(warmup + runs):
        order = EXECUTORS if run % 2 == 0 else EXECUTORS[::-1]
        for name in order:
            wall, cpu, _ = await _post(clients[name], token, query, variables)
            if run >= warmup:
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
    return samples


async def _run(url: str, args: argparse.Namespace) -> None:
    conn = await connect(url)
    try:
        user, seeding = await ensure_library(conn, url, args.assets)
    finally:
        await conn.close()
    print(seeding, flush=True)
    async with AsyncExitStack() as stack:
        apps = {name: await stack.enter_async_context(_app_client(url, name)) for name in EXECUTORS}
        clients = {name: http for name, (http, _) in apps.items()}
        tune_garbage_collector()  # as `assetgraph serve` does
        for label, query, variables in CASES:
            bodies = {name: (await _post(clients[name], user.token, query, variables))[2] for name in EXECUTORS}
            if bodies["stock"] != bodies["compiled"]:
                print(f"{label}: the two executors' responses DIFFER; not timed", flush=True)
                continue
            if b'"errors"' in bodies["stock"]:
                print(f"{label}: the response has errors: {bodies['stock'][:300]!r}; not timed", flush=True)
                continue
            samples = await _race(clients, user.token, query, variables, args.warmup, args.runs)
            wall = {name: statistics.median(samples[name][0]) * 1000 for name in EXECUTORS}
            cpu = {name: statistics.median(samples[name][1]) * 1000 for name in EXECUTORS}
            print(f"{label} ({len(bodies['stock'])} bytes, identical responses, {args.runs} runs each):")
            for name in EXECUTORS:
                print(f"  {name:>8}: median {wall[name]:6.2f} ms wall, {cpu[name]:6.2f} ms CPU per request")
            print(
                f"  compiled / stock: {wall['compiled'] / wall['stock']:.2f}x wall, "
                f"{cpu['compiled'] / cpu['stock']:.2f}x CPU",
                flush=True,
            )
        for line in await execution_only(apps["compiled"][1], user.user_id, args.warmup, args.runs):
            print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.executors", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000, help="size of the bench library (default 100000)")
    parser.add_argument("--runs", type=int, default=100, help="timed requests per executor and case (default 100)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per executor first (default 20)")
    args = parser.parse_args(argv)
    if args.assets < 1 or args.runs < 1 or args.warmup < 0:
        parser.error("--assets and --runs must be positive, --warmup not negative")
    database = open_bench_database()
    print(database.describe(), flush=True)
    asyncio.run(_run(database.url, args))
    return 0  # benchmarks never fail on time


if __name__ == "__main__":
    sys.exit(main())
