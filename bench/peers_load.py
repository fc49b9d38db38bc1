"""A small HTTP load generator for `make bench-peers`: single-client latency, N-client throughput, server CPU and RSS.

A `Side` is one server under test (its base URL, headers and process). Latency is measured one request at a time,
the two servers interleaved request by request, so that whatever else loads the machine loads both alike.
Throughput runs N client tasks on one `httpx.AsyncClient` for a fixed duration each, and reads the server's CPU time
(its process and children, user + system) before and after: the CPU a request costs the server itself, PostgreSQL
not included (both servers share it). The client runs on the same machine and takes its share of the cores.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from bench.peers_workloads import Request
from bench.processes import tree_cpu_seconds


class ServerAnswerError(RuntimeError):
    """A server answered with a status other than 200 or with GraphQL errors: the run stops, it is not measured."""


@dataclass
class Side:
    """One server under test."""

    label: str
    base: str
    process: psutil.Process
    headers: Mapping[str, str] = field(default_factory=dict)
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        headers = {"Content-Type": "application/json", **self.headers}
        self.client = httpx.AsyncClient(base_url=self.base, headers=headers, limits=limits, timeout=120)

    async def close(self) -> None:
        await self.client.aclose()

    async def data(self, request: Request) -> dict[str, Any]:
        """The decoded `data` of one request (for the check)."""
        response = await self.client.post("/graphql", content=body(request))
        decoded = response.json()
        if response.status_code != 200 or decoded.get("errors"):
            raise ServerAnswerError(f"{self.label}: HTTP {response.status_code}: {decoded.get('errors') or decoded}")
        data: dict[str, Any] = decoded["data"]
        return data

    async def send(self, payload: bytes) -> None:
        """One timed request: the whole body is read, errors are looked for without decoding it."""
        response = await self.client.post("/graphql", content=payload)
        if response.status_code != 200 or b'"errors":' in response.content:
            raise ServerAnswerError(f"{self.label}: HTTP {response.status_code}: {response.text[:500]}")


def body(request: Request) -> bytes:
    return json.dumps({"query": request.query, "variables": dict(request.variables)}).encode()


async def warm_up(pairs: list[tuple[Side, bytes, Side, bytes]], rounds: int) -> None:
    """`rounds` untimed requests of each pair's two sides (caches, prepared statements, JIT-compiled code)."""
    for _ in range(rounds):
        for first, first_body, second, second_body in pairs:
            await first.send(first_body)
            await second.send(second_body)


async def interleaved_latency(pairs: list[tuple[Side, bytes, Side, bytes]], runs: int) -> list[tuple[float, float]]:
    """Median seconds per request of each pair's two sides, one request at a time, sides and pairs interleaved.

    Which side goes first alternates from round to round.
    """
    timings: list[tuple[list[float], list[float]]] = [([], []) for _ in pairs]
    for round_number in range(runs):
        for (first, first_body, second, second_body), (first_times, second_times) in zip(pairs, timings, strict=True):
            order = [(first, first_body, first_times), (second, second_body, second_times)]
            for side, payload, times in order if round_number % 2 == 0 else order[::-1]:
                started = time.perf_counter()
                await side.send(payload)
                times.append(time.perf_counter() - started)
    return [(statistics.median(a), statistics.median(b)) for a, b in timings]


@dataclass(frozen=True)
class Window:
    """What one fixed-duration run of N clients got: requests completed, seconds, server CPU seconds used."""

    requests: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


async def throughput(side: Side, payload: bytes, clients: int, duration: float) -> Window:
    """`clients` tasks sending `payload` back to back for `duration` seconds (requests in flight then complete)."""
    completed = 0
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal completed
        while time.perf_counter() < deadline:
            await side.send(payload)
            completed += 1

    cpu_before = tree_cpu_seconds(side.process)
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - started
    return Window(completed, seconds, tree_cpu_seconds(side.process) - cpu_before)
