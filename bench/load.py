"""A closed-loop HTTP load generator: `clients` concurrent clients posting one GraphQL query for `seconds`.

Reusable by any bench piece that drives a real server over HTTP (bench/memory.py, a peer comparison): give it a base
URL, a bearer token and the query; it returns how many requests were answered, their latencies, and how many failed.
Each client is one keep-alive connection and sends its next request as soon as the previous answer is read, so the
request rate is what the server sustains at that concurrency. Bounded in time: it stops by itself.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class LoadResult:
    """What a load run measured; latencies are in seconds, one per answered request."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def describe(self) -> str:
        median = 1000 * statistics.median(self.latencies) if self.latencies else float("nan")
        failed = f", {self.failures} failed ({self.first_failure})" if self.failures else ""
        return (
            f"{self.requests} requests in {self.seconds:.1f} s ({self.per_second:.1f}/s), "
            f"median {median:.1f} ms, p95 {self.percentile_ms(0.95):.1f} ms{failed}"
        )


async def _client(
    base_url: str, headers: Mapping[str, str], body: Mapping[str, Any], until: float, result: LoadResult
) -> None:
    async with httpx.AsyncClient(base_url=base_url, headers=dict(headers), timeout=60) as http:
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                response = await http.post("/graphql", json=body)
                payload = response.json()
                if response.status_code != 200 or payload.get("errors"):
                    raise RuntimeError(f"HTTP {response.status_code}: {str(payload)[:200]}")
            except Exception as exc:  # a failed request is counted, and the client goes on
                result.failures += 1
                result.first_failure = result.first_failure or f"{type(exc).__name__}: {exc}"
                await asyncio.sleep(0.1)
                continue
            result.latencies.append(time.perf_counter() - started)


async def run_load(
    base_url: str,
    token: str,
    query: str,
    *,
    variables: Mapping[str, Any] | None = None,
    clients: int = 8,
    seconds: float = 60.0,
) -> LoadResult:
    """Post `query` from `clients` concurrent clients for `seconds`; returns the requests answered and latencies."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": query, "variables": dict(variables or {})}
    started = time.monotonic()
    result = LoadResult(seconds=seconds)
    await asyncio.gather(*(_client(base_url, headers, body, started + seconds, result) for _ in range(clients)))
    result.seconds = time.monotonic() - started
    return result


def load(base_url: str, token: str, query: str, **options: Any) -> LoadResult:
    """`run_load` from synchronous code."""
    return asyncio.run(run_load(base_url, token, query, **options))
