"""The compiled executor answers exactly as graphql-core's stock one: every operation of the test suite, generated
selections over the real schema and over a small schema built to fail in every way, errors included.

Each request goes to two apps (stock and compiled) through the real HTTP app, error policy included, with the same
viewer; their responses must be identical byte for byte (mutations: see harness.divergence for the clock).
"""

from __future__ import annotations

import asyncio
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import OperationType

from tests.differential.harness import ExecutorPair, divergence
from tests.differential.operations import SuiteOperation, suite_operations
from tests.differential.values import variables_for
from tests.differential.world import World, open_world

VARIABLE_SETS = {OperationType.QUERY: 3, OperationType.MUTATION: 2}
"""How many generated sets of variables each operation of the suite is sent with."""


@dataclass
class Driven:
    """The world on a private event loop, so that synchronous (hypothesis) tests can drive it."""

    runner: asyncio.Runner
    world: World


@pytest.fixture(scope="module")
def driven(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driven]:
    with asyncio.Runner() as runner:
        world = runner.run(open_world(tmp_path_factory.mktemp("differential")))
        try:
            yield Driven(runner, world)
        finally:
            runner.run(world.close())


def _operations(driven: Driven, kind: OperationType) -> list[SuiteOperation]:
    extraction = suite_operations(driven.world.schema, exclude=(Path(__file__),))
    return [operation for operation in extraction.operations if operation.kind == kind]


async def _compare_suite(pair: ExecutorPair, world: World, operations: list[SuiteOperation]) -> list[str]:
    found: list[str] = []
    for operation in operations:
        rng = random.Random(zlib.crc32(f"{operation.source}\0{operation.name}".encode()))
        for attempt in range(VARIABLE_SETS[operation.kind]):
            variables = variables_for(rng, world.pool, world.schema, operation.operation, rough=attempt > 0)
            stock, compiled = await pair.answers(operation.source, variables, operation.name)
            difference = divergence(stock, compiled, written_now=operation.kind == OperationType.MUTATION)
            if difference:
                found.append(f"{operation.found_in} {operation.name or ''} {variables}: {difference}")
    return found


def test_every_query_of_the_suite_is_answered_alike(driven: Driven) -> None:
    queries = _operations(driven, OperationType.QUERY)
    assert len(queries) >= 70, "the suite's queries were not found: has the extraction broken?"
    world = driven.world
    divergences = driven.runner.run(_run_queries(world, queries))
    assert divergences == []


async def _run_queries(world: World, queries: list[SuiteOperation]) -> list[str]:
    return await _compare_suite(await world.query_pair(), world, queries)


def test_every_mutation_of_the_suite_is_answered_alike_in_lockstep(driven: Driven) -> None:
    mutations = _operations(driven, OperationType.MUTATION)
    assert len(mutations) >= 25, "the suite's mutations were not found: has the extraction broken?"
    world = driven.world

    async def run() -> list[str]:
        return await _compare_suite(await world.mutation_pair(), world, mutations)

    assert driven.runner.run(run()) == []
