"""`python -m bench`: seed (or reuse) the bench library, then run the scenarios and print their figures."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from sqlalchemy.engine import make_url

from bench.client import in_process_app
from bench.database import BenchDatabase, connect, open_bench_database
from bench.harness import Bench, Options, run_scenario
from bench.library_stats import describe_library
from bench.report import CaseResult, print_summary
from bench.scenario import Scenario
from bench.scenarios import SCENARIOS
from bench.seed import ensure_library


def _parser() -> argparse.ArgumentParser:
    names = [scenario.name for scenario in SCENARIOS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000, help="size of the bench library (default 100000)")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per side and case (default 50)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs per side first (default 10)")
    parser.add_argument(
        "--scenario", action="append", choices=names, metavar="NAME", help=f"run only these (repeatable): {names}"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile 20 GraphQL requests per case")
    return parser


def _selected(names: Sequence[str] | None) -> list[Scenario]:
    return [scenario for scenario in SCENARIOS if not names or scenario.name in names]


async def _run(database: BenchDatabase, args: argparse.Namespace) -> list[CaseResult]:
    seed = await ensure_library(database.url, args.assets)
    print(seed.describe(), flush=True)
    options = Options(runs=args.runs, warmup=args.warmup, profile=args.profile)
    results: list[CaseResult] = []
    conn = await connect(database.url)
    try:
        print(await describe_library(conn, seed.user), flush=True)
        async with in_process_app(database.url, seed.user.token) as session:
            bench = Bench(session=session, conn=conn, user=seed.user, options=options)
            for scenario in _selected(args.scenario):
                results.extend(await run_scenario(bench, scenario))
    finally:
        await conn.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.assets < 1 or args.runs < 1 or args.warmup < 0:
        _parser().error("--assets and --runs must be positive, --warmup not negative")
    database = open_bench_database()
    where = "embedded server" if database.server is not None else "ASSETGRAPH_BENCH_DATABASE_URL"
    print(f"bench database: {make_url(database.url).render_as_string(hide_password=True)} ({where})", flush=True)
    results = asyncio.run(_run(database, args))
    print_summary(results)
    # Benchmarks never fail on time: the exit status says only whether the bench itself ran.
    return 0


if __name__ == "__main__":
    sys.exit(main())
