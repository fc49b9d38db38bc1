"""The server's memory under load: RSS after a warm-up, then after a 60-second run of concurrent gallery pages.

`assetgraph serve` runs in a process of its own on the bench database; `clients` concurrent HTTP clients post the
gallery page (with totalCount) as fast as it answers (bench/load.py). The RSS of the serving processes is read after
the warm-up (every import done, every pool connection opened, every cache filled) and again after the run: a server
that frees what each request made stays flat, and the ratio says how far it is from that (the aim: <= 1.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.database import BENCH_DATA_DIR
from bench.harness import SummaryRow
from bench.load import LoadResult, run_load
from bench.processes import tree_rss
from bench.scenarios.gallery import PAGE_QUERY
from bench.server import assetgraph_server

WORKDIR = BENCH_DATA_DIR / "memory"
MIB = 1024 * 1024
GALLERY_WITH_TOTAL = PAGE_QUERY.replace(
    "pageInfo { hasNextPage endCursor }", "pageInfo { hasNextPage endCursor }\n    totalCount"
)
GALLERY_VARIABLES = {"status": ["OK", "LOCAL_ONLY"]}
AIM = 1.3


@dataclass(frozen=True)
class MemoryOptions:
    clients: int = 16
    warmup_seconds: float = 15.0
    seconds: float = 60.0
    workers: int = 1


async def run_memory(url: str, token: str, options: MemoryOptions | None = None) -> SummaryRow:
    """Prints the figures and returns the summary row."""
    options = options or MemoryOptions()
    title = f"memory: gallery page + totalCount, {options.clients} clients, {options.seconds:.0f} s"
    print(f"\n== {title} ({options.workers} serving process(es)) ==", flush=True)
    settings = {"ASSETGRAPH_WORKERS": str(options.workers)}
    with assetgraph_server(url, WORKDIR / "data", settings) as (base, server):
        at_start = tree_rss(server)
        warmup = await _load(base, token, options.clients, options.warmup_seconds)
        after_warmup = tree_rss(server)
        run = await _load(base, token, options.clients, options.seconds)
        after_run = tree_rss(server)
    ratio = after_run / after_warmup
    lines = [
        f"warm-up    {warmup.describe()}",
        f"run        {run.describe()}",
        f"server RSS {at_start / MIB:.0f} MiB at start, {after_warmup / MIB:.0f} MiB after the warm-up, "
        f"{after_run / MIB:.0f} MiB after the run",
        f"ratio      {ratio:.2f} (RSS after the run / after the warm-up; aim <= {AIM})",
    ]
    for line in lines:
        print(f"  {line}", flush=True)
    median_ms = run.percentile_ms(0.5)
    cells = f"{median_ms:>11.2f} {run.percentile_ms(0.95):>8.2f}  {'':>12} {'':>8}  {ratio:>6.2f}  {'':>3}"
    return title, cells + f"  RSS {after_warmup / MIB:.0f} -> {after_run / MIB:.0f} MiB, {run.per_second:.1f} req/s"


async def _load(base: str, token: str, clients: int, seconds: float) -> LoadResult:
    return await run_load(
        base, token, GALLERY_WITH_TOTAL, variables=GALLERY_VARIABLES, clients=clients, seconds=seconds
    )
