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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.schema.compiled_execution import CompiledExecutionContext
from tests.differential.harness import ExecutorPair, SabotagedExecutionContext, divergence, toy_answer
from tests.differential.operations import SuiteOperation, suite_operations
from tests.differential.selections import GeneratedOperation, operations
from tests.differential.toy_schema import toy_schema
from tests.differential.values import ValuePool, variables_for
from tests.differential.world import World, open_world

# graphql-core leaves the coroutines of sibling fields unawaited when a non-null error nulls their parent (both
# executors alike); they are collected later, with a warning or an "Exception ignored" of their own.
pytestmark = [
    pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

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


async def _compare_suite(
    pair: ExecutorPair, world: World, operations: list[SuiteOperation], first_only: bool = False
) -> list[str]:
    """Send each operation with its generated sets of variables to both executors; the divergences found (only
    the first with `first_only`)."""
    found: list[str] = []
    for operation in operations:
        rng = random.Random(zlib.crc32(f"{operation.source}\0{operation.name}".encode()))
        for attempt in range(VARIABLE_SETS[operation.kind]):
            if first_only and found:
                return found
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


GENERATED = settings(
    max_examples=80,
    derandomize=True,  # the same examples every run: a divergence found once is found again, nothing flakes
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@GENERATED
@given(data=st.data())
def test_generated_selections_over_the_schema_are_answered_alike(driven: Driven, data: st.DataObject) -> None:
    world = driven.world
    operation: GeneratedOperation = data.draw(operations(world.schema, world.pool), label="operation")

    async def run() -> str | None:
        pair = await world.query_pair()
        return divergence(*await pair.answers(operation.text, operation.variables, "Generated"))

    assert driven.runner.run(run()) is None


STOCK_TOY = toy_schema(StrawberryGraphQLCoreExecutionContext)
COMPILED_TOY = toy_schema(CompiledExecutionContext)
TOY_VALUES = ValuePool(ids={"any": ["1"]})


@settings(GENERATED, max_examples=100)
@given(operation=operations(STOCK_TOY._schema, TOY_VALUES))
def test_generated_selections_over_failing_resolvers_are_answered_alike(operation: GeneratedOperation) -> None:
    async def both() -> tuple[str, str]:
        stock = await toy_answer(STOCK_TOY, operation.text, operation.variables)
        return stock, await toy_answer(COMPILED_TOY, operation.text, operation.variables)

    stock, compiled = asyncio.run(both())
    assert compiled == stock


def test_the_comparison_notices_an_executor_that_answers_differently(driven: Driven) -> None:
    # given an executor that completes a Boolean false as 0, and the same selection sent to it and to the stock one
    sabotaged = toy_schema(SabotagedExecutionContext)
    query = "{ named { name ... on Dog { good } } cat { name } }"

    async def toy() -> tuple[str, str]:
        return await toy_answer(STOCK_TOY, query, {}), await toy_answer(sabotaged, query, {})

    stock, other = asyncio.run(toy())
    # then the in-test schema's answers differ, and so do the app's, through the same comparison as above
    assert stock != other and '"good": false' in stock and '"good": 0' in other
    world = driven.world
    queries = _operations(driven, OperationType.QUERY)

    async def through_the_app() -> list[str]:
        return await _compare_suite(
            await world.pair_against(SabotagedExecutionContext), world, queries, first_only=True
        )

    (reported,) = driven.runner.run(through_the_app())
    assert "bodies differ" in reported and "false" in reported
