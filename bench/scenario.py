"""What a scenario is: GraphQL requests, each raced against a hand-written baseline of the same answer.

Adding a scenario is one module under bench/scenarios/ defining a `Scenario`, registered in
`bench.scenarios.SCENARIOS`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench.seed import BenchUser

Baseline = Callable[[asyncpg.Connection, BenchUser], Awaitable[Any]]
"""The floor for a case: the same answer, as Python objects, by the shortest path to the database."""

Compare = Callable[[dict[str, Any], Any], list[str]]
"""(GraphQL `data`, baseline result) -> what differs, in words; empty when they agree."""


def no_differences(data: dict[str, Any], baseline: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class Case:
    """One GraphQL request and its baseline, timed against each other."""

    label: str
    query: str
    baseline: Baseline
    variables: Mapping[str, Any] = field(default_factory=dict)
    compare: Compare = no_differences
    # EXPLAIN the statements the app sends on `assets` for this request (captured from the engine).
    explain_app_sql: bool = False


@dataclass(frozen=True)
class Explain:
    """A hand-written statement whose plan the scenario prints (parameters are built from the bench user)."""

    label: str
    sql: str
    arguments: Callable[[BenchUser], Sequence[Any]] = lambda user: (user.user_id,)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    cases: tuple[Case, ...]
    explains: tuple[Explain, ...] = ()
