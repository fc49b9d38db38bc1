"""`python -m bench.cpu_per_request`: server CPU per gallery request of a real `assetgraph serve`, over HTTP, with
the compiled executor against the stock one (the same-run baseline), alternating runs.

Each run starts one serving process over the bench database, warms it up, then posts the gallery page of
`make bench-peers` (issue 11's selection, with totalCount) from `--clients` clients for `--seconds`, and divides the
server's CPU time (bench/processes.py) by the requests answered. `--light` drops the badge fields. The load client
shares the machine's cores; CPU time per request, unlike latency, hardly depends on that.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from collections.abc import Sequence

from bench.database import BENCH_DATA_DIR, connect, ensure_library, open_bench_database
from bench.load import run_load
from bench.peers_workloads import assetgraph_gallery_query
from bench.processes import tree_cpu_seconds
from bench.server import assetgraph_server

EXECUTORS = ("compiled", "stock")


async def _token(url: str, assets: int) -> str:
    conn = await connect(url)
    try:
        user, _ = await ensure_library(conn, url, assets)
    finally:
        await conn.close()
    return user.token


def cpu_ms_per_request(url: str, token: str, query: str, executor: str, clients: int, seconds: float) -> float:
    settings = {"ASSETGRAPH_EXECUTOR": executor, "ASSETGRAPH_SERVE_WORKER": "false"}
    with assetgraph_server(url, BENCH_DATA_DIR / "cpu" / executor, settings) as (base, server):
        asyncio.run(run_load(base, token, query, clients=4, seconds=3))  # warm-up: caches, prepared statements
        before = tree_cpu_seconds(server)
        result = asyncio.run(run_load(base, token, query, clients=clients, seconds=seconds))
        used = tree_cpu_seconds(server) - before
    if result.failures or not result.requests:
        raise RuntimeError(f"{executor}: {result.describe()}")
    return 1000 * used / result.requests


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu_per_request", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per executor (median reported)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--light", action="store_true", help="the page without its badge fields")
    args = parser.parse_args(argv)
    database = open_bench_database()
    token = asyncio.run(_token(database.url, args.assets))
    query = assetgraph_gallery_query(badges=not args.light)
    figures: dict[str, list[float]] = {executor: [] for executor in EXECUTORS}
    for _ in range(args.rounds):
        for executor in EXECUTORS:
            ms = cpu_ms_per_request(database.url, token, query, executor, args.clients, args.seconds)
            figures[executor].append(ms)
    compiled, stock = (statistics.median(figures[executor]) for executor in EXECUTORS)
    page = "light gallery page" if args.light else "gallery page"
    print(f"server CPU per {page} request ({args.clients} clients, median of {args.rounds} alternating runs):")
    for executor in EXECUTORS:
        print(f"  {executor:9} {statistics.median(figures[executor]):6.2f} ms  runs: "
              + ", ".join(f"{ms:.2f}" for ms in figures[executor]))  # fmt: skip
    print(f"  ratio     {compiled / stock:6.2f} (compiled / stock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
