"""`python -m bench`: seed (or reuse) the bench library, then run the scenarios and print their figures."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bench.client import in_process_app
from bench.database import connect, describe_library, ensure_library, open_bench_database
from bench.harness import Bench, SummaryRow, print_summary, run_scenario
from bench.lineage_refresh import run_lineage_refresh
from bench.memory import MemoryOptions, run_memory
from bench.scenarios import SCENARIOS
from bench.sync import run_sync
from bench.upload import MIB, run_upload

UPLOAD = "upload"
SYNC = "sync"
LINEAGE_REFRESH = "lineage_refresh"
MEMORY = "memory"


def _parser() -> argparse.ArgumentParser:
    names = [scenario.name for scenario in SCENARIOS] + [UPLOAD, SYNC, LINEAGE_REFRESH, MEMORY]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000, help="size of the bench library (default 100000)")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per side and case (default 50)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs per side first (default 10)")
    parser.add_argument(
        "--scenario", action="append", choices=names, metavar="NAME", help=f"run only these (repeatable): {names}"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile 20 GraphQL requests per case")
    parser.add_argument("--upload-mib", type=int, default=1024, help="size of the big upload in MiB (default 1024)")
    parser.add_argument("--memory-clients", type=int, default=16, help="concurrent clients of the memory run (16)")
    parser.add_argument("--memory-seconds", type=float, default=60.0, help="length of the memory run (60 s)")
    parser.add_argument("--memory-workers", type=int, default=1, help="serving processes in the memory run (1)")
    return parser


async def _run(url: str, args: argparse.Namespace) -> list[SummaryRow]:
    conn = await connect(url)
    try:
        user, seeding = await ensure_library(conn, url, args.assets)
        print(seeding, flush=True)
        print(await describe_library(conn, user.user_id), flush=True)
        rows: list[SummaryRow] = []
        async with in_process_app(url, user.token) as session:
            bench = Bench(session, conn, user.user_id, runs=args.runs, warmup=args.warmup, profile=args.profile)
            for scenario in SCENARIOS:
                if not args.scenario or scenario.name in args.scenario:
                    rows += await run_scenario(bench, scenario)
        if not args.scenario or UPLOAD in args.scenario:
            rows.append(await run_upload(conn, url, user.token, args.upload_mib * MIB))
        if not args.scenario or SYNC in args.scenario:
            rows += await run_sync(conn, url)
        if not args.scenario or LINEAGE_REFRESH in args.scenario:
            rows += await run_lineage_refresh(conn, url)
        if not args.scenario or MEMORY in args.scenario:
            options = MemoryOptions(
                clients=args.memory_clients, seconds=args.memory_seconds, workers=args.memory_workers
            )
            rows.append(await run_memory(url, user.token, options))
        return rows
    finally:
        await conn.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.assets < 1 or args.runs < 1 or args.warmup < 0:
        parser.error("--assets and --runs must be positive, --warmup not negative")
    database = open_bench_database()
    print(database.describe(), flush=True)
    print_summary(asyncio.run(_run(database.url, args)))
    # Benchmarks never fail on time: the exit status says only whether the bench itself ran.
    return 0


if __name__ == "__main__":
    sys.exit(main())
