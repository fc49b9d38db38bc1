"""cProfile of repeated GraphQL requests, summarised by library: what dominates the GraphQL side's latency."""

from __future__ import annotations

import cProfile
import pstats
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

_LOCAL = re.compile(r"/(assetgraph|bench)/")
_INSTALLED = re.compile(r"site-packages/([A-Za-z_][A-Za-z0-9_]*)")
_STDLIB = re.compile(r"lib/python3\.\d+/([A-Za-z_][A-Za-z0-9_]*)")


def _owner(filename: str) -> str:
    """The library a profiled function belongs to: 'strawberry', 'sqlalchemy', 'assetgraph', 'builtins', ..."""
    if local := _LOCAL.search(filename):
        return local.group(1)
    if package := _INSTALLED.search(filename) or _STDLIB.search(filename):
        return package.group(1)
    return "builtins" if filename == "~" else filename


async def profile_requests(call: Callable[[], Awaitable[Any]], requests: int = 20) -> list[str]:
    """Profile `requests` calls; returns lines: own time by library, then the slowest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        await call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_owner: Counter[str] = Counter()
    functions: list[tuple[float, str]] = []
    for (filename, line, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_owner[_owner(filename)] += own
        functions.append((own, f"{_owner(filename)}:{name} ({filename.rsplit('/', 1)[-1]}:{line})"))
    total = sum(by_owner.values()) or 1.0
    lines = [f"profile of {requests} GraphQL requests (cProfile, own time by library; cProfile inflates Python):"]
    lines += [f"    {owner:<24} {seconds / total:6.1%}" for owner, seconds in by_owner.most_common(10)]
    lines.append("  slowest functions (own time):")
    lines += [
        f"    {seconds * 1000 / requests:7.2f} ms/request  {what}" for seconds, what in sorted(functions)[-12:][::-1]
    ]
    return lines
