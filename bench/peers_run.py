"""`python -m bench.peers_run` (`make bench-peers`): assetgraph against PostGraphile 5 on the same bench database.

Seeds or reuses the bench library, applies bench/peers/peer.sql, starts `assetgraph serve` and PostGraphile (Amber
preset, Node 22) on loopback, proves that both answer every workload alike (ids, order, totalCount, statuses; the
run stops with exit status 1 when they differ), then measures each workload over real HTTP: single-client median
latency (the two servers interleaved request by request, after a warm-up), requests per second with 1 / 8 / 32
concurrent clients for a fixed duration each, the server's CPU per request over those runs, and each server's RSS
(its process tree) after the warm-up and after the run. Prints the table of issue 11 with assetgraph / PostGraphile
ratios. Timings never decide the exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import psutil

from bench.database import BENCH_DATA_DIR, BenchUser, connect, describe_library, ensure_library, open_bench_database
from bench.peers_load import (
    ServerAnswerError,
    Side,
    Window,
    body,
    interleaved_latency,
    throughput,
    warm_up,
)
from bench.peers_server import apply_peer_schema, postgraphile_server
from bench.peers_workloads import (
    CHECK_ONLY,
    PROVIDER_STATUSES,
    WORKLOADS,
    Workload,
    differences,
    statuses_seen,
    walk_page,
)
from bench.processes import tree_rss
from bench.server import assetgraph_server

MIB = 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.peers_run", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000, help="size of the bench library (default 100000)")
    parser.add_argument("--runs", type=int, default=60, help="timed single-client requests per side (default 60)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per side first (default 20)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per throughput run (default 10)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="concurrent clients (1 8 32)")
    parser.add_argument(
        "--check-all", action="store_true", help="also compare the whole library, page by page, before measuring"
    )
    return parser


async def _prepare(url: str, assets: int) -> BenchUser:
    conn = await connect(url)
    try:
        user, seeding = await ensure_library(conn, url, assets)
        print(seeding, flush=True)
        print(await describe_library(conn, user.user_id), flush=True)
        await apply_peer_schema(conn)
        return user
    finally:
        await conn.close()


async def check_agreement(ours: Side, peer: Side) -> tuple[list[str], Counter[str]]:
    """Every workload and a page of each status, asked of both: what differs, and the statuses compared."""
    problems: list[str] = []
    seen: Counter[str] = Counter()
    for workload in (*WORKLOADS, *CHECK_ONLY):
        shaped = workload.assetgraph.normalize(await ours.data(workload.assetgraph))
        problems += differences(workload.name, shaped, workload.peer.normalize(await peer.data(workload.peer)))
        seen += statuses_seen(shaped)
    missing = [status for status in PROVIDER_STATUSES if not seen[status]]
    if missing:
        problems.append(f"no compared asset has status {', '.join(missing)}: the check does not cover every status")
    return problems, seen


async def check_whole_library(ours: Side, peer: Side) -> tuple[list[str], int]:
    """Both servers' whole visible library, walked with each one's own cursors: what differs, and assets compared."""
    problems: list[str] = []
    compared = 0
    ours_after: str | None = None
    peer_after: str | None = None
    while True:
        page = walk_page(ours_after, peer_after)
        ours_data, peer_data = await ours.data(page.assetgraph), await peer.data(page.peer)
        shaped = page.assetgraph.normalize(ours_data)
        problems += differences(f"{page.name} after {compared}", shaped, page.peer.normalize(peer_data))
        compared += len(shaped["nodes"])
        if problems or not shaped["hasNextPage"]:
            return problems, compared
        ours_after = ours_data["assets"]["pageInfo"]["endCursor"]
        peer_after = peer_data["allAssets"]["pageInfo"]["endCursor"]


@dataclass
class Figures:
    """One workload's figures: medians (s) and a throughput window per client count, per side."""

    workload: Workload
    medians: tuple[float, float] = (0.0, 0.0)
    windows: dict[int, tuple[Window, Window]] | None = None

    def cpu_per_request(self, side: int) -> float:
        windows = [pair[side] for pair in (self.windows or {}).values()]
        return sum(w.cpu_seconds for w in windows) / max(1, sum(w.requests for w in windows))


async def _measure(ours: Side, peer: Side, args: argparse.Namespace) -> tuple[list[Figures], list[tuple[int, int]]]:
    pairs = [(ours, body(w.assetgraph), peer, body(w.peer)) for w in WORKLOADS]
    await warm_up(pairs, args.warmup)
    rss = [(tree_rss(ours.process), tree_rss(peer.process))]
    figures = [Figures(w) for w in WORKLOADS]
    for figure, medians in zip(figures, await interleaved_latency(pairs, args.runs), strict=True):
        figure.medians = medians
    for index, (figure, (_, ours_body, _, peer_body)) in enumerate(zip(figures, pairs, strict=True)):
        figure.windows = {}
        for clients in args.clients:
            print(f"  throughput: {figure.workload.name}, {clients} clients ...", flush=True)
            # Which server goes first alternates, so that neither always runs on the machine the other just heated.
            if (index + clients) % 2 == 0:
                mine = await throughput(ours, ours_body, clients, args.duration)
                theirs = await throughput(peer, peer_body, clients, args.duration)
            else:
                theirs = await throughput(peer, peer_body, clients, args.duration)
                mine = await throughput(ours, ours_body, clients, args.duration)
            figure.windows[clients] = (mine, theirs)
    rss.append((tree_rss(ours.process), tree_rss(peer.process)))
    return figures, rss


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def print_table(figures: list[Figures], rss: list[tuple[int, int]], clients: Sequence[int]) -> None:
    counts = " / ".join(map(str, clients))
    print(f"\n| workload | assetgraph median | PostGraphile 5 median | ratio | req/s ratio at {counts} clients "
          "| server CPU per request |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for f in figures:
        windows = f.windows or {}
        ratios = " / ".join(f"{windows[n][0].per_second / windows[n][1].per_second:.2f}" for n in clients)
        ours, theirs = f.medians
        cpu = f"{_ms(f.cpu_per_request(0))} vs {_ms(f.cpu_per_request(1))}"
        print(f"| {f.workload.name} | {_ms(ours)} | {_ms(theirs)} | {ours / theirs:.1f}x | {ratios} | {cpu} |")
    print(f"\nreq/s at {counts} clients (assetgraph | PostGraphile 5):")
    for f in figures:
        windows = f.windows or {}
        ours_rates = " / ".join(f"{windows[n][0].per_second:.0f}" for n in clients)
        peer_rates = " / ".join(f"{windows[n][1].per_second:.0f}" for n in clients)
        print(f"  {f.workload.name}: {ours_rates} | {peer_rates}")
    (ours_before, peer_before), (ours_after, peer_after) = rss
    print(
        f"\nserver RSS (process tree) after warm-up -> after the run: assetgraph {ours_before / MIB:.0f} -> "
        f"{ours_after / MIB:.0f} MiB (x{ours_after / ours_before:.2f}), PostGraphile 5 {peer_before / MIB:.0f} -> "
        f"{peer_after / MIB:.0f} MiB (x{peer_after / peer_before:.2f})"
    )
    print("ratios are assetgraph / PostGraphile 5 (latency: lower is better for assetgraph; req/s: higher is).")
    print("server CPU: the server's own processes (user + system) over the throughput runs, PostgreSQL not included.")


async def _run(servers: tuple[tuple[str, psutil.Process], tuple[str, psutil.Process]], token: str,
               args: argparse.Namespace) -> int:  # fmt: skip
    (ours_url, ours_process), (peer_url, peer_process) = servers
    ours = Side("assetgraph", ours_url, ours_process, {"Authorization": f"Bearer {token}"})
    peer = Side("PostGraphile", peer_url, peer_process)
    try:
        problems, seen = await check_agreement(ours, peer)
        if problems:
            print("\nCHECK FAILED: assetgraph and PostGraphile answer differently; nothing was measured.")
            print("\n".join(f"  {problem}" for problem in problems))
            return 1
        compared = ", ".join(f"{status} {seen[status]}" for status in PROVIDER_STATUSES)
        print(f"check: both servers agree on {len(WORKLOADS) + len(CHECK_ONLY)} pages (statuses compared: {compared})")
        if args.check_all:
            problems, assets = await check_whole_library(ours, peer)
            if problems:
                print("\nCHECK FAILED on the whole library; nothing was measured.")
                print("\n".join(f"  {problem}" for problem in problems))
                return 1
            print(f"check: both servers agree on the whole library ({assets:,} assets, every field above)")
        figures, rss = await _measure(ours, peer, args)
        print_table(figures, rss, args.clients)
        return 0
    finally:
        await ours.close()
        await peer.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.assets < 1 or args.runs < 1 or args.warmup < 0 or args.duration <= 0 or min(args.clients) < 1:
        parser.error("--assets, --runs, --duration and --clients must be positive, --warmup not negative")
    database = open_bench_database()
    print(database.describe(), flush=True)
    user = asyncio.run(_prepare(database.url, args.assets))
    cores = os.cpu_count() or 1
    # The API alone: no job worker process beside it (nothing here queues jobs). ASSETGRAPH_WORKERS asks for one
    # server process per core where `serve --workers` exists; older servers ignore it.
    settings = {"ASSETGRAPH_WORKERS": str(cores), "ASSETGRAPH_SERVE_WORKER": "false"}
    print(f"machine: {cores} cores; assetgraph settings {settings}; PostGraphile 5 (Amber preset, Node 22)")
    print("other work on the machine (other benches, builds) loads both servers alike but makes every figure noisy")
    with (
        assetgraph_server(database.url, BENCH_DATA_DIR / "peers", settings) as ours,
        postgraphile_server(database.url) as peer,
    ):
        try:
            return asyncio.run(_run((ours, peer), user.token, args))
        except ServerAnswerError as error:
            print(f"\nRUN FAILED: {error}")
            return 1


if __name__ == "__main__":
    sys.exit(main())
