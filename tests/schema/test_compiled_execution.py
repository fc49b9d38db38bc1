"""The compiled execution path answers exactly as the stock executor does, and keeps its plans in a bounded cache.

A small Strawberry schema of its own is executed through both execution contexts; every test compares the two
responses (data and errors: message, path, locations, order) and also checks the answer a client would see.
"""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any

import pytest
import strawberry
from graphql import GraphQLResolveInfo
from strawberry.extensions import ParserCache
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.schema.asset import Asset
from assetgraph.schema.compiled import CompiledExecutionContext
from assetgraph.schema.compiled.codegen import plan_function
from assetgraph.schema.compiled.plan_cache import ObjectPlan
from assetgraph.schema.compiled.shapes import TYPE_CAST_ATTRIBUTE, is_inert, shape_of


@strawberry.enum
class Mood(Enum):
    HAPPY = "happy"
    SAD = "sad"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tag(Named):
    weight: float


@strawberry.type
class Item(Named):
    score: int | None
    mood: Mood
    labels: list[str]
    tags: list[Tag]
    maybe_tags: list[Tag | None] | None
    parent: Item | None
    grid: list[list[int]] | None = None
    seen: datetime | None = None  # a custom scalar (Strawberry's DateTime) completed by its serializer

    @strawberry.field
    def upper(self) -> str:
        return self.name.upper()

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError(f"broken resolver on {self.name}")

    @strawberry.field
    def broken_required(self) -> str:
        raise ValueError(f"required resolver broke on {self.name}")

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return f"later {self.name}"

    @strawberry.field
    async def later_fails(self) -> str | None:
        await asyncio.sleep(0)
        raise RuntimeError(f"async failure on {self.name}")

    @strawberry.field
    def eventually(self) -> str:
        """A sync resolver handing back an awaitable: the stock executor awaits it."""
        return self._spelled_later()

    async def _spelled_later(self) -> str:
        await asyncio.sleep(0)
        if self.name == "late-failure":
            raise RuntimeError("eventually failed")
        return f"eventually {self.name}"

    @strawberry.field
    def greeting(self, info: strawberry.Info, punctuation: str = "!") -> str:
        return f"{info.field_name}: hello {self.name}{punctuation}"


class _Haunted(Item):
    """An Item (for Strawberry's type check) whose plain fields `name` and `score` raise when read."""

    @property
    def name(self) -> str:
        raise LookupError("the name cannot be read")

    @name.setter
    def name(self, value: str) -> None:
        pass

    @property
    def score(self) -> int | None:
        raise LookupError("the score cannot be read")

    @score.setter
    def score(self, value: int | None) -> None:
        pass


def _haunted(name: str) -> _Haunted:
    return _Haunted(name=name, score=1, mood=Mood.SAD, labels=[], tags=[], maybe_tags=None, parent=None)


DERIVED_READS: list[str] = []  # every attribute read that reached Derived.__getattr__


@strawberry.type
class Derived:
    """Attributes derived on first read by __getattr__ (as Asset does): the stock executor's awaitable check reads
    `__await__` through it, once per value."""

    seed: str
    shout: str

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def __getattr__(self, name: str) -> Any:
        DERIVED_READS.append(name)
        if name != "shout":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.shout = f"{self.seed.upper()}!"
        return self.shout


@strawberry.type
class Holder:
    derived: list[Derived]

    @strawberry.field
    def first(self) -> Derived:
        return self.derived[0]


Thing = Annotated[Item | Tag, strawberry.union("Thing")]


def _item(name: Any, **overrides: Any) -> Item:
    values: dict[str, Any] = {
        "name": name,
        "score": 1,
        "mood": Mood.HAPPY,
        "labels": ["a", "b"],
        "tags": [Tag(name=f"{name}-t1", weight=0.5), Tag(name=f"{name}-t2", weight=1.5)],
        "maybe_tags": None,
        "parent": None,
    }
    values.update(overrides)
    return Item(**values)


@strawberry.type
class Query:
    rows: strawberry.Private[list[Any]]

    @strawberry.field
    def items(self) -> list[Item | None]:
        return self.rows

    @strawberry.field
    def strict_items(self) -> list[Item]:
        return self.rows

    @strawberry.field
    def named(self) -> list[Named]:
        return self.rows

    @strawberry.field
    def things(self) -> list[Thing]:
        return self.rows

    @strawberry.field
    def holder(self) -> Holder:
        return Holder(derived=self.rows)


def _schema(context: type[StrawberryGraphQLCoreExecutionContext]) -> strawberry.Schema:
    # As the app's schema: a repeated query text is parsed once, so its plans are found again.
    return strawberry.Schema(
        query=Query,
        types=[Item, Tag],
        extensions=[lambda: ParserCache(maxsize=64)],
        execution_context_class=context,
    )


class GeneratingAtOnce(CompiledExecutionContext):
    """Plans' functions generated as they are built: every test's answers come from generated code too."""

    generate_after_runs = 0


STOCK = _schema(StrawberryGraphQLCoreExecutionContext)
COMPILED = _schema(CompiledExecutionContext)  # the generic loop, but for plans run more than 128 times
GENERATED = _schema(GeneratingAtOnce)


async def _both(query: str, rows: list[Any], variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The compiled response, after checking it is the stock one, from the generic loop and from generated code."""
    responses = []
    for schema in (STOCK, COMPILED, GENERATED):
        result = await schema.execute(query, variable_values=variables, root_value=Query(rows=rows))
        responses.append({"data": result.data, "errors": [error.formatted for error in result.errors or ()]})
    stock, compiled, generated = responses
    assert json.dumps(compiled) == json.dumps(stock)  # as a client reads them: True is not 1, nor 1.0
    assert json.dumps(generated) == json.dumps(stock)
    return compiled


ITEM_FIELDS = "name score mood labels upper tags { name weight __typename } parent { name upper }"


async def test_plain_fields_lists_objects_and_self_only_resolvers_complete_as_stock() -> None:
    rows = [_item("one", parent=_item("zero")), _item("two", score=None, mood=Mood.SAD, labels=[])]

    response = await _both(f"{{ items {{ {ITEM_FIELDS} __typename }} }}", rows)

    assert response["errors"] == []
    first, second = response["data"]["items"]
    assert first["parent"] == {"name": "zero", "upper": "ZERO"}
    assert first["tags"][1] == {"name": "one-t2", "weight": 1.5, "__typename": "Tag"}
    assert second == {**second, "score": None, "mood": "SAD", "labels": [], "__typename": "Item"}


def _is_generated(plan: ObjectPlan) -> bool:
    return plan.run.__code__.co_filename == f"<plan of {plan.object_type.name}>"


async def test_a_plan_runs_generated_code_once_the_generic_loop_has_run_it_enough_times() -> None:
    class AfterThree(CompiledExecutionContext):
        generate_after_runs = 3

    schema = _schema(AfterThree)
    query = f"{{ items {{ {ITEM_FIELDS} seen later }} }}"
    rows = [_item("one", parent=_item("zero", seen=datetime(2026, 1, 2, tzinfo=UTC))), _item("two")]
    stock = await STOCK.execute(query, root_value=Query(rows=rows))

    generated: list[list[str]] = []
    for _ in range(3):
        result = await schema.execute(query, root_value=Query(rows=rows))
        assert result.data == stock.data and result.errors is None
        (plan_set,) = AfterThree.plan_cache(schema._schema)._plan_sets.values()
        generated.append(sorted(plan.object_type.name for plan in plan_set.plans.values() if _is_generated(plan)))

    # per request, the items' Item plan runs twice, their tags' Tag plan four times, the parent's Item plan and
    # Query's once: each plan's third run is its last through the generic loop
    assert generated == [["Tag"], ["Item", "Tag"], ["Item", "Item", "Query", "Tag"]]
    assert all(plan_function(plan, {}) is not None for plan in plan_set.plans.values())


async def test_generated_plans_hand_odd_plain_values_to_the_stock_path_field_by_field() -> None:
    # given plain fields holding what their fast checks decline: a null for String!, values of other types, a
    # custom scalar its serializer refuses, and attributes whose read raises (nullable and non-null)
    rows = [
        _item("one", seen=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        _item(7, score="3", labels=["a", 8, None], seen="not an instant"),
        _item(True, score=True, mood=None, seen=5),
        _haunted("x"),
        _item("five", parent=_haunted("y")),
        _item(None, tags=[Tag(name="t", weight=1.0), None]),
    ]

    # when each is asked for through both executors (leaves first, then every shape around them)
    response = await _both("{ items { name score mood labels seen parent { score name } tags { name } } }", rows)
    strict = await _both("{ strictItems { score seen } }", rows)

    # then the answers are the stock ones (checked by _both), with data beside the errors
    items = response["data"]["items"]
    assert items[0]["seen"] == "2026-01-02T03:04:05+00:00"
    assert items[1] is None and items[2] is None and items[3] is None and items[5] is None
    assert items[4]["parent"] is None
    assert len(response["errors"]) == 6
    assert strict["data"] is not None
    assert [error["path"] for error in strict["errors"]] == [
        ["strictItems", 1, "seen"],
        ["strictItems", 2, "seen"],
        ["strictItems", 3, "score"],
    ]


async def test_aliases_fragments_and_fields_asked_twice_merge_as_stock() -> None:
    query = """
    query { items { ...Parts  alias: name  upper name  tags { ... on Tag { weight } name } } }
    fragment Parts on Item { name  score  tags { name } }
    """

    response = await _both(query, [_item("one")])

    assert response["data"]["items"][0] == {
        "name": "one",
        "score": 1,
        "tags": [{"name": "one-t1", "weight": 0.5}, {"name": "one-t2", "weight": 1.5}],
        "alias": "one",
        "upper": "ONE",
    }


async def test_null_in_a_non_null_leaf_nulls_the_nearest_nullable_position_with_the_stock_error() -> None:
    rows = [_item("one"), _item(None), _item("three")]

    response = await _both("{ items { name score } }", rows)

    assert response["data"]["items"] == [{"name": "one", "score": 1}, None, {"name": "three", "score": 1}]
    assert response["errors"] == [
        {
            "message": "Cannot return null for non-nullable field Item.name.",
            "locations": [{"line": 1, "column": 11}],
            "path": ["items", 1, "name"],
        }
    ]


async def test_null_in_non_null_positions_all_the_way_up_nulls_the_data() -> None:
    response = await _both("{ strictItems { tags { name } } }", [_item("one", tags=[Tag(name=None, weight=1.0)])])  # type: ignore[arg-type]

    assert response["data"] is None
    assert [error["path"] for error in response["errors"]] == [["strictItems", 0, "tags", 0, "name"]]


async def test_serializers_that_refuse_a_value_give_the_stock_errors() -> None:
    rows = [_item("big", score=2**40), _item("moody", mood="bogus"), _item("float", tags=[Tag(name="t", weight="x")])]  # type: ignore[arg-type]

    response = await _both("{ items { score mood tags { weight } } }", rows)

    messages = [error["message"] for error in response["errors"]]
    assert "Int cannot represent non 32-bit signed integer value: 1099511627776" in messages
    assert any("bogus" in message for message in messages)
    assert response["data"]["items"][0]["score"] is None
    assert response["data"]["items"][1] is None  # mood is non-null: the item is nulled


async def test_resolver_errors_nullable_and_non_null_in_order() -> None:
    rows = [_item("one"), _item("two")]

    response = await _both("{ items { name broken } second: items { name brokenRequired } }", rows)

    assert response["data"]["items"] == [{"name": "one", "broken": None}, {"name": "two", "broken": None}]
    assert response["data"]["second"] == [None, None]
    assert [error["path"] for error in response["errors"]] == [
        ["items", 0, "broken"],
        ["items", 1, "broken"],
        ["second", 0, "brokenRequired"],
        ["second", 1, "brokenRequired"],
    ]


async def test_wrong_values_in_object_list_and_abstract_positions_give_the_stock_errors() -> None:
    rows = [_item("one", tags=5), "not an item", _item("three", parent="nope"), _item("four", grid=[[1], None])]

    response = await _both("{ items { name tags { name } parent { name } grid } }", rows)

    assert len(response["errors"]) == 4
    things = await _both("{ things { __typename ... on Tag { weight } ... on Item { name } } }", [_item("x"), 3])
    assert things["data"] is None
    named = await _both("{ named { name __typename ... on Tag { weight } } }", [Tag(name="t", weight=2.0)])
    assert named["data"] == {"named": [{"name": "t", "__typename": "Tag", "weight": 2.0}]}


async def test_nested_async_fields_are_awaited_and_their_errors_ordered_as_stock() -> None:
    rows = [_item("one", parent=_item("zero")), None, _item("two")]

    response = await _both(
        '{ items { name later laterFails parent { later laterFails } greeting(punctuation: "?") } }', rows
    )

    assert response["data"]["items"][0] == {
        "name": "one",
        "later": "later one",
        "laterFails": None,
        "parent": {"later": "later zero", "laterFails": None},
        "greeting": "greeting: hello one?",
    }
    assert len(response["errors"]) == 3


async def test_a_sync_resolver_returning_an_awaitable_is_awaited_as_stock() -> None:
    rows = [_item("one"), _item("late-failure"), _item("three")]

    response = await _both("{ items { eventually name } }", rows)

    assert response["data"]["items"] == [
        {"eventually": "eventually one", "name": "one"},
        None,
        {"eventually": "eventually three", "name": "three"},
    ]
    assert response["errors"][0]["message"] == "eventually failed"
    assert response["errors"][0]["path"] == ["items", 1, "eventually"]


async def test_a_non_null_error_beside_pending_async_siblings_settles_them_as_stock() -> None:
    rows = [_item("one"), _item(None)]

    response = await _both("{ strictItems { later name laterFails } }", rows)

    assert response["data"] is None
    assert [error["path"] for error in response["errors"]] == [["strictItems", 1, "name"]]


async def test_the_same_document_with_other_include_variables_gets_its_own_plan() -> None:
    query = """
    query ($withScore: Boolean!, $skipTags: Boolean!) {
      items { name score @include(if: $withScore) tags @skip(if: $skipTags) { name } }
    }
    """
    rows = [_item("one")]
    cache = CompiledExecutionContext.plan_cache(COMPILED._schema)
    before = len(cache)

    with_score = await _both(query, rows, {"withScore": True, "skipTags": True})
    without = await _both(query, rows, {"withScore": False, "skipTags": False})
    again = await _both(query, rows, {"withScore": True, "skipTags": True})

    assert with_score["data"]["items"] == [{"name": "one", "score": 1}]
    assert without["data"]["items"] == [{"name": "one", "tags": [{"name": "one-t1"}, {"name": "one-t2"}]}]
    assert again == with_score
    assert len(cache) == before + 2


async def test_the_plan_cache_keeps_at_most_its_size() -> None:
    class SmallCache(CompiledExecutionContext):
        plan_cache_size = 2

    schema = _schema(SmallCache)
    rows = [_item("one")]
    for field in ("name", "score", "upper", "labels"):
        result = await schema.execute(f"{{ items {{ {field} }} }}", root_value=Query(rows=rows))
        assert result.errors is None
        assert result.data is not None and field in result.data["items"][0]

    assert len(SmallCache.plan_cache(schema._schema)) == 2


def _counting_resolve_infos() -> tuple[type[CompiledExecutionContext], list[str]]:
    """A compiled context that records the field of every ResolveInfo it builds, and that record."""
    built: list[str] = []

    class Counting(CompiledExecutionContext):
        def build_resolve_info(self, *args: Any, **kwargs: Any) -> GraphQLResolveInfo:
            info = super().build_resolve_info(*args, **kwargs)
            built.append(info.field_name)
            return info

    return Counting, built


async def test_plain_fields_are_completed_without_resolve_info() -> None:
    Counting, built = _counting_resolve_infos()

    schema = _schema(Counting)
    result = await schema.execute(
        f"{{ items {{ {ITEM_FIELDS} }} }}", root_value=Query(rows=[_item(str(n)) for n in range(20)])
    )

    assert result.errors is None
    assert built == []


@pytest.mark.parametrize("query", ["{ __typename items { __typename } }", "{ __schema { queryType { name } } }"])
async def test_typename_and_introspection_answer_as_stock(query: str) -> None:
    response = await _both(query, [_item("one")])

    assert response["errors"] == []


async def test_a_schema_and_its_plans_are_freed_together() -> None:
    schema = _schema(CompiledExecutionContext)
    result = await schema.execute("{ items { name tags { name } } }", root_value=Query(rows=[_item("one")]))
    assert result.errors is None
    graphql_schema = weakref.ref(schema._schema)

    del schema, result
    gc.collect()

    assert graphql_schema() is None


async def test_objects_deriving_attributes_in_getattr_are_completed_fast_and_as_stock() -> None:
    Counting, built = _counting_resolve_infos()

    query = "{ holder { derived { seed shout } first { shout } } }"
    response = await _both(query, [Derived(seed="a"), Derived(seed="b")])
    result = await _schema(Counting).execute(query, root_value=Query(rows=[Derived(seed="c")]))

    assert response["data"] == {
        "holder": {"derived": [{"seed": "a", "shout": "A!"}, {"seed": "b", "shout": "B!"}], "first": {"shout": "A!"}}
    }
    assert result.data == {"holder": {"derived": [{"seed": "c", "shout": "C!"}], "first": {"shout": "C!"}}}
    assert built == []


async def test_getattr_sees_the_same_reads_through_both_executors() -> None:
    query = "{ holder { derived { seed shout } first { shout } } }"
    reads = []
    for schema in (STOCK, COMPILED):
        DERIVED_READS.clear()
        result = await schema.execute(query, root_value=Query(rows=[Derived(seed="a"), Derived(seed="b")]))
        assert result.errors is None
        reads.append(sorted(DERIVED_READS))

    assert reads[0] == reads[1]
    assert reads[0].count("shout") == 2


def test_a_getattr_type_is_not_inert() -> None:
    # Its __getattr__ runs for every missing attribute, `__await__` included: the compiled path must ask, as stock does.
    assert not is_inert(Derived)


def test_the_gallery_asset_type_is_inert() -> None:
    # The gallery's hundred Assets per page (and a lineage walk's thousands) rely on it: its derived fields are
    # class-level descriptors, not a __getattr__ that each would be asked for __await__ through.
    assert is_inert(Asset)


@strawberry.interface
class Shaped:
    name: str


@strawberry.type
class Round(Shaped):
    pass


@strawberry.type
class Squared(Shaped):
    pass


setattr(Squared, TYPE_CAST_ATTRIBUTE, property(lambda self: None))  # reading the cast runs code: no fast check


@strawberry.type
class ShapesQuery:
    shapes: list[Shaped]


def _exact_class(schema: strawberry.Schema, type_name: str) -> type | None:
    return shape_of(schema._schema.get_type(type_name)).exact_class  # type: ignore[arg-type]


def test_the_type_check_is_answered_in_place_only_for_a_plain_cast_attribute() -> None:
    schema = strawberry.Schema(query=ShapesQuery, types=[Round, Squared])

    assert _exact_class(schema, "Round") is Round
    assert _exact_class(schema, "Squared") is None


def test_the_gallery_asset_type_check_is_answered_in_place() -> None:
    # A lineage walk completes thousands of Assets (which implement Node); each would otherwise call Strawberry's
    # is_type_of. Asset's class-level cast attribute (None) must not turn that off.
    from assetgraph.schema.schema import build_schema

    assert _exact_class(build_schema(), "Asset") is Asset
