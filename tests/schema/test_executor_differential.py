"""The compiled executor answers exactly as graphql-core's stock one: every operation of the test suite, generated
selections over the real schema and over a small schema built to fail in every way, errors included.

Each request goes to two apps (stock and compiled) through the real HTTP app, error policy included, with the same
viewer; their responses must be identical byte for byte, but for the order of errors raced by I/O and, in
mutations, the clock (see harness.divergence).
Subscriptions (served over a WebSocket, one event at a time) are out of scope here: the suite's five are skipped.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationType
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.schema.compiled import CompiledExecutionContext
from tests import differential
from tests.differential.comparison import Answer, divergence
from tests.differential.harness import ExecutorPair, SabotagedExecutionContext, send
from tests.differential.operations import SuiteOperation, suite_operations
from tests.differential.selections import GeneratedOperation, operations
from tests.differential.toy_schema import toy_answer, toy_schema
from tests.differential.values import ValuePool, variables_for
from tests.differential.world import World, open_world

# graphql-core leaves the coroutines of sibling fields unawaited when a non-null error nulls their parent (both
# executors alike); they are collected later, with a warning or an "Exception ignored" of their own.
pytestmark = [
    pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

VARIABLE_SETS = {OperationType.QUERY: 2, OperationType.MUTATION: 2}
"""How many generated sets of variables each operation of the suite is sent with."""
CONCURRENT_REQUESTS = 16
"""At most this many requests in flight at once (within the app's pool of 20 connections)."""


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
    # The differential test's own strings (the in-test schema's queries, the seed) are not the suite's operations.
    extraction = suite_operations(driven.world.schema, exclude=(Path(__file__), Path(differential.__file__).parent))
    return [operation for operation in extraction.operations if operation.kind == kind]


@dataclass(frozen=True)
class _Case:
    operation: SuiteOperation
    variables: dict[str, Any]


def _cases(world: World, operations: list[SuiteOperation]) -> list[_Case]:
    """Each operation with its generated sets of variables: the first fitting, the others rough."""
    cases: list[_Case] = []
    for operation in operations:
        rng = random.Random(zlib.crc32(f"{operation.source}\0{operation.name}".encode()))
        for attempt in range(VARIABLE_SETS[operation.kind]):
            variables = variables_for(rng, world.pool, world.schema, operation.operation, rough=attempt > 0)
            cases.append(_Case(operation, variables))
    return cases


def _described(case: _Case, difference: str) -> str:
    return f"{case.operation.found_in} {case.operation.name or ''} {case.variables}: {difference}"


async def _compare_suite(
    pair: ExecutorPair, world: World, operations: list[SuiteOperation], first_only: bool = False
) -> tuple[list[str], list[Answer]]:
    """Send each case to both executors, one after the other; the divergences found (only the first with
    `first_only`), and the stock answers."""
    found: list[str] = []
    answers: list[Answer] = []
    for case in _cases(world, operations):
        stock, compiled = await pair.answers(case.operation.source, case.variables, case.operation.name)
        answers.append(stock)
        difference = divergence(stock, compiled, written_now=case.operation.kind == OperationType.MUTATION)
        if difference:
            found.append(_described(case, difference))
            if first_only:
                break
    return found, answers


async def _all_at_once(pair: ExecutorPair, cases: list[_Case]) -> list[Answer]:
    """The compiled executor's answers to `cases`, sent together (CONCURRENT_REQUESTS at a time)."""
    in_flight = asyncio.Semaphore(CONCURRENT_REQUESTS)

    async def answer(case: _Case) -> Answer:
        async with in_flight:
            return await send(pair.compiled, pair.token, case.operation.source, case.variables, case.operation.name)

    return list(await asyncio.gather(*(answer(case) for case in cases)))


def _answered(answer: Answer) -> bool:
    body = answer.json()
    return answer.status == 200 and bool(body.get("data")) and not body.get("errors")


@pytest.fixture(params=["generic first", "generated at once"])
def generation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled executor as configured (a plan's function generated after its first runs through the generic
    loop), and with every plan's function generated as it is built."""
    if request.param == "generated at once":
        monkeypatch.setattr(CompiledExecutionContext, "generate_after_runs", 0)


@contextmanager
def _generating_at_once() -> Iterator[None]:
    saved = CompiledExecutionContext.generate_after_runs
    CompiledExecutionContext.generate_after_runs = 0
    try:
        yield
    finally:
        CompiledExecutionContext.generate_after_runs = saved


@pytest.mark.usefixtures("generation")
def test_every_query_of_the_suite_is_answered_alike(driven: Driven) -> None:
    # given every query the suite sends, each with its sets of variables
    queries = _operations(driven, OperationType.QUERY)
    assert len(queries) >= 70, "the suite's queries were not found: has the extraction broken?"
    world = driven.world
    cases = _cases(world, queries)

    async def run() -> tuple[list[str], list[str], int]:
        pair = await world.query_pair()
        # when each is sent to the stock executor and then to the compiled one
        back_to_back: list[str] = []
        stock_answers: list[Answer] = []
        for case in cases:
            stock, compiled = await pair.answers(case.operation.source, case.variables, case.operation.name)
            stock_answers.append(stock)
            if difference := divergence(stock, compiled):
                back_to_back.append(_described(case, difference))
        # and all again to the compiled one at once, its plans shared between requests in flight
        together = zip(stock_answers, await _all_at_once(pair, cases), strict=True)
        found = (divergence(stock, compiled) for stock, compiled in together)
        at_once = [_described(case, difference) for case, difference in zip(cases, found, strict=True) if difference]
        return back_to_back, at_once, sum(_answered(answer) for answer in stock_answers)

    # then the answers are the same, byte for byte
    back_to_back, at_once, answered = driven.runner.run(run())
    assert back_to_back == []
    assert at_once == []
    # and most of them were answers, not refusals alike (a token gone stale would refuse every request)
    assert answered >= 0.6 * len(cases), f"only {answered} of {len(cases)} requests got data without errors"


def test_every_mutation_of_the_suite_is_answered_alike_in_lockstep(driven: Driven) -> None:
    mutations = _operations(driven, OperationType.MUTATION)
    assert len(mutations) >= 25, "the suite's mutations were not found: has the extraction broken?"
    world = driven.world

    async def run() -> tuple[list[str], list[Answer]]:
        async with world.mutation_pair() as pair:
            return await _compare_suite(pair, world, mutations)

    divergences, answers = driven.runner.run(run())
    assert divergences == []
    answered = sum(_answered(answer) for answer in answers)  # a payload's own errors count as an answer
    assert answered >= 0.6 * len(answers), f"only {answered} of {len(answers)} requests got data without errors"


GENERATED = settings(
    max_examples=60,
    derandomize=True,  # the same examples every run: a divergence found once is found again, nothing flakes
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


# No shrinking through the app: a failure reports the example as generated (four requests per step would take
# minutes to shrink); the in-test schema's test shrinks its own.
@settings(GENERATED, phases=[Phase.generate])
@given(data=st.data())
def test_generated_selections_over_the_schema_are_answered_alike(driven: Driven, data: st.DataObject) -> None:
    world = driven.world
    operation: GeneratedOperation = data.draw(operations(world.schema, world.pool, max_depth=5), label="operation")

    async def run() -> list[str | None]:
        pair = await world.query_pair()
        return [
            divergence(*await pair.answers(operation.text, variables, "Generated"))
            for variables in (operation.variables, operation.other_variables)
        ]

    # (a generated operation's plans run a few times each: generated at once, or their code would not be reached)
    with _generating_at_once():
        assert driven.runner.run(run()) == [None, None]


class _GeneratingAtOnce(CompiledExecutionContext):
    generate_after_runs = 0


STOCK_TOY = toy_schema(StrawberryGraphQLCoreExecutionContext)
COMPILED_TOY = toy_schema(CompiledExecutionContext)
GENERATED_TOY = toy_schema(_GeneratingAtOnce)
TOY_VALUES = ValuePool(ids={"any": ["1"]})


@settings(GENERATED, max_examples=80)
@given(operation=operations(STOCK_TOY._schema, TOY_VALUES))
def _failing_resolvers_are_answered_alike(operation: GeneratedOperation) -> None:
    async def each(variables: dict[str, Any]) -> tuple[str, str, str]:
        stock = await toy_answer(STOCK_TOY, operation.text, variables)
        compiled = await toy_answer(COMPILED_TOY, operation.text, variables)
        return stock, compiled, await toy_answer(GENERATED_TOY, operation.text, variables)

    for variables in (operation.variables, operation.other_variables):
        stock, compiled, generated = asyncio.run(each(variables))
        assert compiled == stock
        assert generated == stock


def test_generated_selections_over_failing_resolvers_are_answered_alike() -> None:
    _failing_resolvers_are_answered_alike()
    gc.collect()  # the coroutines graphql-core left unawaited go now, under this module's warning filters


_CAT = "name lives weight colour nickname purr"
STOCK_RESOLVED_SELECTIONS = [
    # an async resolver with an argument returning a list of objects, items failing inside, nested twice
    f"{{ cat {{ kittens(count: 9) {{ {_CAT} kittens {{ name weight }} }} }} }}",
    f"query Q($n: Int!) {{ maybeCat(lives: $n) {{ kittens(count: $n) {{ {_CAT} friend {{ name }} }} }} }}",
    # the same resolver raising, in a non-null position under a nullable parent
    "{ cat { name kittens(count: -1) { name } } maybeCat { name } }",
    # None into Cat! and [Cat!]! after an await
    "{ cat { name ghost { name } } }",
    "{ cat { ghosts { name } name } maybeCat { ghosts { name } } }",
    # strawberry.cast instances: one accepted by the type check, one refused
    f"{{ cat {{ castLitter {{ {_CAT} __typename }} }} }}",
    "{ named { name ... on Cat { castLitter { name } } } }",
    # awaitable list items, one raising, one whose non-null field fails
    f"{{ cat {{ hatching(count: 3) {{ {_CAT} }} }} }}",
    # a sync resolver taking `info` and an argument, in an interface's members and a union's
    "{ named { name ... on Dog { pups(count: 3) { name good pups { name } } } } }",
    "{ pets { ... on Dog { pups { name } } ... on Cat { kittens(count: 1) { name } } } }",
]


@pytest.mark.parametrize("query", STOCK_RESOLVED_SELECTIONS)
def test_stock_resolved_fields_completed_by_the_plans_are_answered_alike(query: str) -> None:
    variables = {"n": 11} if "$n" in query else {}

    async def answers() -> list[str]:
        # (each twice: the generic loop's plans, then a plan reused)
        return [await toy_answer(schema, query, variables) for schema in (STOCK_TOY, COMPILED_TOY, GENERATED_TOY) * 2]

    stock, compiled, generated, *again = asyncio.run(answers())
    assert compiled == stock
    assert generated == stock
    assert again == [stock, stock, stock]
    gc.collect()  # see test_generated_selections_over_failing_resolvers_are_answered_alike


def test_the_comparison_notices_an_executor_that_answers_differently(driven: Driven) -> None:
    # given an executor that completes a Boolean false as 0, and the same selection sent to it and to the stock one
    sabotaged = toy_schema(SabotagedExecutionContext)
    query = "{ named { name ... on Dog { good } } cat { name } }"

    async def toy() -> tuple[str, str]:
        return await toy_answer(STOCK_TOY, query, {}), await toy_answer(sabotaged, query, {})

    stock, other = asyncio.run(toy())
    # then the in-test schema's answers differ, the generated selections reach the difference, and so do the app's
    # answers, through the same comparisons as above
    assert stock != other and '"good": false' in stock and '"good": 0' in other

    def tells_apart(operation: GeneratedOperation) -> bool:
        answers = (toy_answer(schema, operation.text, operation.variables) for schema in (STOCK_TOY, sabotaged))
        return len({asyncio.run(answer) for answer in answers}) == 2

    found = find(
        operations(STOCK_TOY._schema, TOY_VALUES),
        tells_apart,
        settings=settings(GENERATED, database=None, phases=[Phase.generate]),
    )
    assert "good" in found.text
    world = driven.world
    queries = _operations(driven, OperationType.QUERY)

    async def through_the_app() -> list[str]:
        async with world.pair_against(SabotagedExecutionContext) as pair:
            return (await _compare_suite(pair, world, queries, first_only=True))[0]

    (reported,) = driven.runner.run(through_the_app())
    assert "bodies differ" in reported and "false" in reported
    gc.collect()  # see test_generated_selections_over_failing_resolvers_are_answered_alike


def _answer(body: dict[str, Any]) -> Answer:
    return Answer(200, json.dumps(body).encode())


def test_the_comparison_leaves_to_chance_only_what_graphql_core_does() -> None:
    # given two errors, one under a field the data shows as null, one under a field with a value
    data = {"a": None, "b": {"c": 1}}
    nulled = {"message": "x", "path": ["a", "d"]}
    shown = {"message": "y", "path": ["b", "c"]}
    # then their order may differ, and so may the presence of the one inside the nulled region
    assert (
        divergence(
            _answer({"data": data, "errors": [nulled, shown]}), _answer({"data": data, "errors": [shown, nulled]})
        )
        is None
    )
    assert (
        divergence(_answer({"data": data, "errors": [nulled, shown]}), _answer({"data": data, "errors": [shown]}))
        is None
    )
    # but not the presence of the other, its count, any value of the data, its key order, or a status
    assert divergence(_answer({"data": data, "errors": [nulled, shown]}), _answer({"data": data, "errors": [nulled]}))
    assert divergence(_answer({"data": data, "errors": [shown]}), _answer({"data": data, "errors": [shown, shown]}))
    assert divergence(_answer({"data": data}), _answer({"data": {"a": None, "b": {"c": 2}}}))
    assert divergence(_answer({"data": data}), _answer({"data": {"b": {"c": 1}, "a": None}}))
    assert divergence(_answer({"data": data}), Answer(400, json.dumps({"data": data}).encode()))
    # and of instants, only a mutation's may differ
    stamped = [_answer({"data": {"at": f"2026-01-02T03:04:0{s}+00:00"}}) for s in (5, 6)]
    assert divergence(*stamped) and divergence(*stamped, written_now=True) is None
