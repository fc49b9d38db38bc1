"""Malformed requests are the client's mistakes: each is answered with its own message, code BAD_USER_INPUT and the
input at fault (the innermost argument, input field or variable, written inline or sent as a variable), before any
SQL runs (so a mutation writes nothing), and is logged at info without a traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.applications import Starlette

from tests.support import GraphQLClient, assert_logged_as_client_errors, refused

FILTERED = "query($f: AssetFilterInput) { assets(filter: $f) { totalCount } }"
OVERVIEW = "query($f: AssetFilterInput) { assetStatusOverview(filter: $f) { total } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"


# (query, variables, message, field): the mistakes a new user makes, as variables and written inline.
COERCION_CASES = [
    pytest.param(
        NODE,
        {"id": None},
        "Variable '$id' has invalid value: Expected value of non-null type 'ID!' not to be None.",
        "id",
        id="null for a non-null variable",
    ),
    pytest.param(
        NODE,
        {},
        "Variable '$id' has invalid value: Expected a value of non-null type 'ID!' to be provided.",
        "id",
        id="missing non-null variable",
    ),
    pytest.param(
        "query($id: ID!) { asset(id: $id) { id } }",
        {"id": ["QXNzZXQ6MQ=="]},
        "Variable '$id' has invalid value: ID cannot represent value: ['QXNzZXQ6MQ==']",
        "id",
        id="list for an ID",
    ),
    pytest.param(
        "query($o: AssetOrder!) { assets(orderBy: $o) { totalCount } }",
        {"o": "SIDEWAYS"},
        "Variable '$o' has invalid value: Value 'SIDEWAYS' does not exist in 'AssetOrder' enum.",
        "o",
        id="bad enum variable",
    ),
    pytest.param(
        "{ assets(orderBy: SIDEWAYS) { totalCount } }",
        None,
        "Value 'SIDEWAYS' does not exist in 'AssetOrder' enum.",
        "orderBy",
        id="bad enum inline",
    ),
    pytest.param(
        OVERVIEW,
        {"f": {"providerStatus": ["BAD"]}},
        "Variable '$f' has invalid value at .providerStatus[0]: Value 'BAD' does not exist in 'ProviderStatus' enum.",
        "providerStatus[0]",
        id="bad enum in a filter list",
    ),
    pytest.param(
        FILTERED,
        {"f": {"nope": 1}},
        "Variable '$f' has invalid value: Expected value of type 'AssetFilterInput' not to include unknown field "
        "'nope', found: {…}.",
        "nope",
        id="unknown input field variable",
    ),
    pytest.param(
        FILTERED,
        {"f": {"zz', found: ": 1}},
        "Variable '$f' has invalid value: Expected value of type 'AssetFilterInput' not to include unknown field "
        "'zz', found: ', found: {…}.",
        "f",  # the unknown field's name could end at either `', found: `: the variable holding it is named
        id="unknown input field whose name quotes the message",
    ),
    pytest.param(
        "{ assets(filter: {nope: 1}) { totalCount } }",
        None,
        "Expected value of type 'AssetFilterInput' not to include unknown field 'nope', found: {…}.",
        "nope",
        id="unknown input field inline",
    ),
    pytest.param(
        FILTERED,
        {"f": {"flagged": "yes"}},
        "Variable '$f' has invalid value at .flagged: Boolean cannot represent a non boolean value: 'yes'",
        "flagged",
        id="wrong scalar type",
    ),
    pytest.param(
        "query($n: Int) { assets(first: $n) { totalCount } }",
        {"n": "ten"},
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'",
        "n",
        id="string for first",
    ),
    pytest.param(
        "query($n: Int) { assets(first: 1) { nodes { uploadAttempts(last: $n) { at } } } }",
        {"n": 2.5},
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 2.5",
        "n",
        id="fraction for last",
    ),
    pytest.param(
        "query($o: AssetOrder) { assets(orderBy: $o) { totalCount } }",
        {"o": None},
        "Argument 'orderBy' has invalid value: Expected variable '$o' provided to non-null type 'AssetOrder!' "
        "not to be None.",
        "o",
        id="null variable for a non-null argument with a default",
    ),
    pytest.param(
        "{ assets(nope: 1) { totalCount } }",
        None,
        "Unknown argument 'nope' on field 'Query.assets'.",
        "nope",
        id="unknown argument",
    ),
    pytest.param("{ ...Nope }", None, "Unknown fragment 'Nope'.", None, id="unknown fragment"),
]

ASSET_ID = "QXNzZXQ6MQ=="
LINEAGE = '{ lineage(assetId: "' + ASSET_ID + '", %s) { truncated } }'
ADD_BRANCH = "mutation($i: AddAssetBranchInput!) { addAssetBranch(input: $i) { errors { field } } }"


def add_branch_inline(fields: str) -> str:
    return "mutation { addAssetBranch(input: {" + fields + "}) { errors { field } } }"


# The same mistakes at every depth: `field` names the innermost argument, input field or variable, written inline
# or sent as a variable, with the index of a list item after it.
NESTED_CASES = [
    pytest.param(
        LINEAGE % "maxDepth: 99999999999",
        None,
        "Int cannot represent non 32-bit signed integer value: 99999999999",
        "maxDepth",
        id="Int out of range inline",
    ),
    pytest.param(
        LINEAGE % "direction: SIDEWAYS",
        None,
        "Value 'SIDEWAYS' does not exist in 'LineageDirection' enum.",
        "direction",
        id="bad enum argument inline",
    ),
    pytest.param(
        "{ assets(filter: {providerStatus: [OK, {a: 1}]}) { totalCount } }",
        None,
        "Enum 'ProviderStatus' cannot represent non-enum value: {…}.",
        "providerStatus[1]",
        id="an object for an enum in a list inline",
    ),
    pytest.param(
        "{ assets(first: " + "9" * 5000 + ") { totalCount } }",
        None,
        "A number of more than 4300 digits cannot be read.",
        "first",
        id="an Int literal too long to read",
    ),
    pytest.param(
        LINEAGE % "maxDepth: [3]",
        None,
        "Int cannot represent non-integer value: [3]",
        "maxDepth",
        id="a list for an Int inline",
    ),
    pytest.param(
        LINEAGE % "relationTypes: [KEYFRAME, BOGUS]",
        None,
        "Value 'BOGUS' does not exist in 'RelationType' enum.",
        "relationTypes[1]",
        id="bad enum in a list inline",
    ),
    pytest.param(
        "{ lineage(assetId: 3.5) { truncated } }",
        None,
        "ID cannot represent a non-string and non-integer value: 3.5",
        "assetId",
        id="wrong scalar kind inline",
    ),
    pytest.param(
        "{ lineage { truncated } }",
        None,
        "Argument 'Query.lineage(assetId:)' of type 'ID!' is required, but it was not provided.",
        "assetId",
        id="missing required argument",
    ),
    pytest.param(
        'query($d: Int! = 3000000000) { lineage(assetId: "' + ASSET_ID + '", maxDepth: $d) { truncated } }',
        None,
        "Int cannot represent non 32-bit signed integer value: 3000000000",
        "d",
        id="bad variable default",
    ),
    pytest.param(
        add_branch_inline(f'assetId: "{ASSET_ID}"'),
        None,
        "Expected value of type 'AddAssetBranchInput' to include required field 'name', found: {…}.",
        "name",
        id="missing required input field inline",
    ),
    pytest.param(
        add_branch_inline(f'assetId: "{ASSET_ID}", name: "cut", branchFrame: 3000000000'),
        None,
        "Int cannot represent non 32-bit signed integer value: 3000000000",
        "branchFrame",
        id="nested input field inline",
    ),
    pytest.param(
        "{ assets(filter: {flagged: true, flagged: false}) { totalCount } }",
        None,
        "There can be only one input field named 'flagged'.",
        "flagged",
        id="repeated input field inline",
    ),
    pytest.param(
        ADD_BRANCH,
        {"i": {"assetId": ASSET_ID, "name": "cut", "branchFrame": 3_000_000_000}},
        "Variable '$i' has invalid value at .branchFrame: Int cannot represent non 32-bit signed integer value: "
        "3000000000",
        "branchFrame",
        id="nested input field variable",
    ),
    pytest.param(
        ADD_BRANCH,
        {"i": {"assetId": ASSET_ID}},
        "Variable '$i' has invalid value: Expected value of type 'AddAssetBranchInput' to include required field "
        "'name', found: {…}.",
        "name",
        id="missing required input field variable",
    ),
    pytest.param(
        ADD_BRANCH,
        {"i": 5},
        "Variable '$i' has invalid value: Expected value of type 'AddAssetBranchInput' to be an object, found: 5.",
        "i",
        id="wrong type for a whole variable",
    ),
]


@pytest.mark.parametrize(("query", "variables", "message", "field"), COERCION_CASES + NESTED_CASES)
async def test_a_malformed_request_is_a_clear_client_error(
    app: Starlette,
    alice: tuple[int, GraphQLClient],
    caplog: pytest.LogCaptureFixture,
    query: str,
    variables: dict[str, Any] | None,
    message: str,
    field: str | None,
) -> None:
    # given a signed-in caller
    _, client = alice
    caplog.set_level(logging.INFO)

    # when they send a request with a mistake in it
    errors = await refused(app.state.resources.database.engine, client, query, variables)

    # then they read what is wrong, with the code and the input at fault; nothing ran, so nothing was written
    extensions = {"code": "BAD_USER_INPUT"} | ({"field": field} if field else {})
    assert [(e["message"], e["extensions"]) for e in errors] == [(message, extensions)]
    # and the server logs it as the client's mistake: info, no traceback
    assert_logged_as_client_errors(caplog, 1)


LONG = "x" * 10_000
SHOWN = "x" * 100 + "…"

# Client text quoted back in a message: each is cut to 100 characters and an ellipsis.
ECHO_CASES = [
    pytest.param("{ " + LONG + " }", None, f"Cannot query field '{SHOWN}' on type 'Query'.", id="unknown field"),
    pytest.param(
        "{ assets(orderBy: " + LONG + ") { totalCount } }",
        None,
        f"Value '{SHOWN}' does not exist in 'AssetOrder' enum.",
        id="bad enum inline",
    ),
    pytest.param(
        "query($o: AssetOrder!) { assets(orderBy: $o) { totalCount } }",
        {"o": LONG},
        f"Variable '$o' has invalid value: Value '{SHOWN}' does not exist in 'AssetOrder' enum.",
        id="bad enum variable",
    ),
    pytest.param(
        "{ assets(" + LONG + ": 1) { totalCount } }",
        None,
        f"Unknown argument '{SHOWN}' on field 'Query.assets'.",
        id="unknown argument",
    ),
    pytest.param(
        FILTERED,
        {"f": {LONG: 1}},
        "Variable '$f' has invalid value: Expected value of type 'AssetFilterInput' not to include unknown field "
        f"'{SHOWN}', found: {{…}}.",
        id="unknown input field",
    ),
    pytest.param(
        "query($n: Int) { assets(first: $n) { totalCount } }",
        {"n": LONG},
        f"Variable '$n' has invalid value: Int cannot represent non-integer value: '{SHOWN}'",
        id="bad scalar",
    ),
    pytest.param("{ ..." + LONG + " }", None, f"Unknown fragment '{SHOWN}'.", id="unknown fragment"),
    pytest.param("{ viewer { id } } " + LONG, None, f"Syntax Error: Unexpected Name '{SHOWN}'.", id="syntax error"),
]


@pytest.mark.parametrize(("query", "variables", "message"), ECHO_CASES)
async def test_client_text_is_never_echoed_at_length(
    app: Starlette,
    alice: tuple[int, GraphQLClient],
    caplog: pytest.LogCaptureFixture,
    query: str,
    variables: dict[str, Any] | None,
    message: str,
) -> None:
    # given a caller sending 10,000 characters where a name or value goes
    _, client = alice
    caplog.set_level(logging.INFO)

    # when the server refuses it
    (error,) = await refused(app.state.resources.database.engine, client, query, variables)

    # then the response and the log quote the first 100 characters only
    assert error["message"] == message
    (logged,) = [r for r in caplog.records if r.name == "assetgraph.graphql"]
    assert logged.error == message  # type: ignore[attr-defined]


async def test_a_huge_field_name_gets_a_short_answer(alice: tuple[int, GraphQLClient]) -> None:
    # given a field name of 1.5 MB (5 MB would be refused whole, as a body over the 2 MiB limit)
    _, client = alice
    response = await client.post("{ " + "f" * 1_500_000 + " }")
    # then the answer is a few hundred bytes, not 1.5 MB
    assert response.status_code == 200
    assert len(response.content) < 500
    assert response.json()["errors"][0]["message"] == "Cannot query field '" + "f" * 100 + "…' on type 'Query'."
