"""Timing a GraphQL request against its baseline: warm-up, then interleaved runs, median and p95."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Call = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    runs: int

    @classmethod
    def of(cls, samples_ms: list[float]) -> Timing:
        ordered = sorted(samples_ms)
        # Nearest-rank p95: an observed sample, never an interpolation.
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        return cls(median_ms=statistics.median(ordered), p95_ms=p95, runs=len(ordered))


async def _elapsed_ms(call: Call) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def race(figure: Call, baseline: Call, *, warmup: int, runs: int) -> tuple[Timing, Timing]:
    """Time both sides; runs alternate so that drift (caches, CPU frequency, other load) hits both alike."""
    for _ in range(warmup):
        await figure()
        await baseline()
    figure_ms: list[float] = []
    baseline_ms: list[float] = []
    for _ in range(runs):
        figure_ms.append(await _elapsed_ms(figure))
        baseline_ms.append(await _elapsed_ms(baseline))
    return Timing.of(figure_ms), Timing.of(baseline_ms)
