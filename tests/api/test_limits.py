"""Oversized operations are refused with clear errors before anything executes."""

from __future__ import annotations

import httpx
import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Limits, Settings
from assetgraph.persistence.database import Database
from assetgraph.resolvers.list_budget import BUDGETED_LISTS
from assetgraph.schema.query_cost import PAGED_FIELDS, UNPRICED_ITEM_TYPES, UNPRICED_LISTS
from assetgraph.schema.schema import build_schema
from tests.api.limits_support import COST_RULE
from tests.support import GraphQLClient, insert_assets, new_user, refused


async def _refused(
    app: Starlette, client: GraphQLClient, query: str, variables: dict[str, object] | None = None
) -> str:
    """Run `query`; assert it was refused before any SQL beyond authentication; return the first error message."""
    errors = await refused(app.state.resources.database.engine, client, query, variables)
    message: str = errors[0]["message"]
    return message


async def test_too_deep_query_is_refused(settings: Settings, db: Database) -> None:
    # given a server configured for depth 2 (the default is 12, deeper than anything the schema nests yet)
    strict = create_app(settings.model_copy(update={"limits": Limits(max_depth=2)}))
    issued = await new_user(db)
    async with strict.router.lifespan_context(strict):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://t") as http:
            client = GraphQLClient(http, issued.token)
            # then two levels below the root field run and three are refused
            assert await client.data("{ assets { pageInfo { hasNextPage } } }")
            message = await _refused(strict, client, "{ assets { edges { node { id } } } }")
    assert "exceeds maximum operation depth of 2" in message


async def test_too_many_aliases_are_refused(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    query = "{ " + " ".join(f"a{i}: assets(first: 1) {{ totalCount }}" for i in range(31)) + " }"
    message = await _refused(app, client, query)
    assert "alias" in message.lower()


async def test_too_many_tokens_are_refused(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    query = "{ viewer { " + " ".join(["id"] * 2100) + " } }"
    message = await _refused(app, client, query)
    assert "token" in message.lower()


async def test_page_size_over_500_is_refused_literal_and_variable(
    app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    _, client = alice
    message = await _refused(app, client, "{ viewer { id } assets(first: 501) { totalCount } }")
    assert message == "'first' must be between 0 and 500 (got 501)"
    message = await _refused(app, client, "query($n: Int) { assets(first: $n) { totalCount } }", {"n": -1})
    assert "'first'" in message


async def test_page_size_of_500_is_allowed(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    data = await client.data("{ assets(first: 500) { totalCount } }")
    assert data == {"assets": {"totalCount": 0}}


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        pytest.param(
            "query($n: Int = 100000) { assets(first: $n) { nodes { id } } }",
            None,
            "'first' must be between 0 and 500 (got 100000)",
            id="variable default over the maximum",
        ),
        pytest.param(
            "query($n: Int = -1) { assets(first: $n) { pageInfo { hasNextPage } } }",
            None,
            "'first' must be between 0 and 500 (got -1)",
            id="negative variable default",
        ),
        pytest.param(
            "query($n: Int = 5) { assets(first: $n) { totalCount } }",
            {"n": 100000.0},
            "'first' must be between 0 and 500 (got 100000)",
            id="variable as a whole float",
        ),
        pytest.param(
            'query($n: Int = 100000) { asset(id: "QXNzZXQ6MQ==") { uploadAttempts(last: $n) { at } } }',
            None,
            "'last' must be between 0 and 500 (got 100000)",
            id="uploadAttempts last from a default",
        ),
        pytest.param(
            "query($n: Int) { assets(first: 1) { nodes { uploadAttempts(last: $n) { at } } } }",
            {"n": -1},
            "'last' must be between 0 and 500 (got -1)",
            id="uploadAttempts last negative",
        ),
        pytest.param(
            "query Page($n: Int = 501) { ...Gallery } fragment Gallery on Query { assets(first: $n) { totalCount } }",
            None,
            "'first' must be between 0 and 500 (got 501)",
            id="inside a fragment",
        ),
    ],
)
async def test_a_page_size_limit_applies_to_the_value_in_effect(
    app: Starlette, alice: tuple[int, GraphQLClient], query: str, variables: dict[str, object] | None, message: str
) -> None:
    # given a page size set by a variable's default, a variable, or inside a fragment
    _, client = alice
    # then it is refused before anything runs, naming the argument
    errors = await refused(app.state.resources.database.engine, client, query, variables)
    argument = message.split("'")[1]
    assert [(e["message"], e["extensions"]) for e in errors] == [
        (message, {"code": "BAD_USER_INPUT", "field": argument})
    ]


async def test_a_null_page_size_means_the_default(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given 60 assets
    user_id, client = alice
    await insert_assets(db, user_id, [{} for _ in range(60)])
    # when first is a variable left out, or sent as null
    query = "query($n: Int) { assets(first: $n) { nodes { id } pageInfo { hasNextPage } } }"
    for variables in ({}, {"n": None}):
        page = (await client.data(query, variables))["assets"]
        # then a page of the default size comes back
        assert (len(page["nodes"]), page["pageInfo"]["hasNextPage"]) == (50, True)


def _aliases(count: int, field: str, *more: str) -> str:
    return "{ " + " ".join([*(f"a{i}: {field}" for i in range(count)), *more]) + " }"


GALLERY = """
query Gallery($after: String) {
  assets(first: 500, after: $after) {
    edges { cursor node { id databaseId providerId providerStatus providerFlagged providerFlagReason
      lastUploadStatusByProvider { providerId status }
      providerStates { providerId status providerAssetId url flagged flagReason
        lastAttempt { providerId status errorCode errorMessage at method } }
      uploadAttempts(last: 5) { providerId status errorCode at } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        pytest.param(_aliases(29, "assets(first: 500) { nodes { id } }"), 14500, id="29 aliases of 500"),
        pytest.param(_aliases(10, "assets(first: 500) { totalCount }"), None, id="10 aliases of 500: at the cap"),
        pytest.param(
            _aliases(10, "assets(first: 500) { totalCount }", "x: assets(first: 1) { totalCount }"), 5001, id="one more"
        ),
        pytest.param(GALLERY, None, id="the gallery's page"),
        pytest.param("{ assets(first: 100) { nodes { uploadAttempts { at } } } }", 5100, id="all attempts of 100"),
        pytest.param(
            "query { ...A } fragment A on Query { a: assets { ...B } b: assets { ...B } }"
            " fragment B on AssetConnection { nodes { uploadAttempts(last: 50) { at } } }",
            5100,
            id="through fragments",
        ),
    ],
)
async def test_the_query_cost_is_capped(
    app: Starlette, alice: tuple[int, GraphQLClient], query: str, cost: int | None
) -> None:
    _, client = alice
    if cost is None:
        # a query within the cap runs
        assert await client.data(query)
        return
    # one over it is refused before anything runs, saying how cost is counted
    errors = await refused(app.state.resources.database.engine, client, query)
    assert [(e["message"], e["extensions"]) for e in errors] == [
        (f"The query's cost is {cost}, over the limit of 5000: {COST_RULE}.", {"code": "BAD_USER_INPUT"})
    ]


async def test_the_cost_cap_is_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, db: Database
) -> None:
    # given a server started with ASSETGRAPH_LIMIT_MAX_COST=100
    monkeypatch.setenv("ASSETGRAPH_LIMIT_MAX_COST", "100")
    strict = create_app(settings.model_copy(update={"limits": Limits()}))
    issued = await new_user(db)
    async with strict.router.lifespan_context(strict):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://t") as http:
            client = GraphQLClient(http, issued.token)
            # then 100 objects may be asked for, and 101 may not
            assert await client.data("{ assets(first: 100) { totalCount } }")
            errors = await refused(
                strict.state.resources.database.engine, client, "{ assets(first: 101) { totalCount } }"
            )
    assert errors[0]["message"].startswith("The query's cost is 101, over the limit of 100: ")


def test_every_paged_field_of_the_schema_is_costed() -> None:
    # Cost counts fields by name: a new field taking `first`, `last` or `limit` must be added to PAGED_FIELDS.
    schema = build_schema()._schema
    paged = {
        (field_name, argument)
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType) and not graphql_type.name.startswith("__")
        for field_name, field in graphql_type.fields.items()
        for argument in field.args
        if argument in ("first", "last", "limit")
    }
    costed = {(name, field.argument) for name, field in PAGED_FIELDS.items() if not field.per_item and field.argument}
    assert paged == costed


def _object_lists(schema: GraphQLSchema) -> set[str]:
    """`Type.field` of every field answering a list of objects, at any nesting (`[T!]!`, `[[T]]`, ...)."""
    found = set()
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType) or graphql_type.name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            wrapped, is_list = field.type, False
            while isinstance(wrapped, GraphQLNonNull | GraphQLList):
                is_list = is_list or isinstance(wrapped, GraphQLList)
                wrapped = wrapped.of_type
            composite = isinstance(wrapped, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
            if is_list and composite and get_named_type(wrapped).name not in UNPRICED_ITEM_TYPES:
                found.add(f"{graphql_type.name}.{field_name}")
    return found


def _priced(schema: GraphQLSchema) -> set[str]:
    """`Type.field` of every field PAGED_FIELDS prices: by name, or `field.child` as the child of `field`'s type."""
    priced = set()
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for field_name, field in graphql_type.fields.items():
            if field_name in PAGED_FIELDS:
                priced.add(f"{graphql_type.name}.{field_name}")
            for key in PAGED_FIELDS:
                if key.startswith(f"{field_name}."):
                    priced.add(f"{get_named_type(field.type).name}.{key.split('.', 1)[1]}")
    return priced


def _budgeted(schema: GraphQLSchema) -> set[str]:
    """`Type.field` of every field named in BUDGETED_LISTS (bounded while it runs by the list budget)."""
    return {
        f"{graphql_type.name}.{field_name}"
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType)
        for field_name in graphql_type.fields
        if field_name in BUDGETED_LISTS
    }


def test_every_list_of_objects_in_the_schema_is_priced_budgeted_or_named_unbounded() -> None:
    # A list of objects nested in another multiplies what a request may answer: a new one (an Asset field listing
    # its parts, a payload listing results) must be priced by its size argument in PAGED_FIELDS, bounded while it
    # runs (BUDGETED_LISTS, whose loaders spend the list budget: tests/api/test_list_bounds.py), or named in
    # UNPRICED_LISTS with the reason it needs neither.
    schema = build_schema()._schema
    lists = _object_lists(schema)
    priced, budgeted = _priced(schema), _budgeted(schema)
    assert sorted(lists - priced - budgeted - UNPRICED_LISTS.keys()) == []
    # and each name of the budgeted lists is a list of objects, priced nowhere
    assert budgeted <= lists and not budgeted & priced
    assert {name.split(".")[1] for name in budgeted} == set(BUDGETED_LISTS)
    # and the allowlist names only lists that exist and are bounded no other way (a stale or doubled entry)
    assert sorted(UNPRICED_LISTS.keys() - lists) == []
    assert sorted(UNPRICED_LISTS.keys() & (priced | budgeted)) == []
    # and every `field.child` key names a child the field's type has
    qualified = {key for key in PAGED_FIELDS if "." in key}
    assert all(any(p.endswith("." + key.split(".")[1]) for p in priced & lists) for key in qualified), qualified


async def test_whole_schema_introspection_counts_toward_the_cost_even_without_a_token(
    http: httpx.AsyncClient,
) -> None:
    # given one introspection of the schema (what GraphiQL asks), and the same aliased thirty times
    one = "{ __schema { types { name fields { name } } } }"
    thirty = "{ " + " ".join(f"s{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(30)) + " }"
    # when both are sent without a token
    answered = (await http.post("/graphql", json={"query": one})).json()
    refused_body = (await http.post("/graphql", json={"query": thirty})).json()
    # then the one is answered, and the thirty (3 MB of answer for a 7 KB request) are refused on cost
    assert answered.get("errors") is None and answered["data"]["__schema"]["types"]
    assert refused_body["data"] is None
    assert refused_body["errors"][0]["message"].startswith("The query's cost is 30000, over the limit of 5000")


@pytest.mark.parametrize(
    ("query", "argument", "low", "high"),
    [
        ('{ pixverseSyncDryRun(accountId: "x", limit: $n) { totalRemote } }', "limit", 1, 200),
        ("{ syncJobs(first: $n) { totalCount } }", "first", 0, 100),
    ],
    ids=["pixverseSyncDryRun", "syncJobs"],
)
async def test_a_fields_own_page_bounds_are_named_for_every_value_outside_them(
    app: Starlette, alice: tuple[int, GraphQLClient], query: str, argument: str, low: int, high: int
) -> None:
    # given a field whose resolver takes a narrower range than the general page size (0 to 500)
    _, client = alice
    operation = "query($n: Int) " + query
    for value in (high + 1, 501, low - 1):
        # when a value outside it is sent, whether inside the general range or not
        message = await _refused(app, client, operation, {"n": value})
        # then the field's own range is named (600 and 300 used to be told different ranges)
        assert message == f"'{argument}' must be between {low} and {high} (got {value})"
