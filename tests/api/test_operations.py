"""Which operation of a document runs: the one named by operationName, and none when several could."""

from __future__ import annotations

import httpx
import pytest

from tests.support import GraphQLClient

TWO_OPERATIONS = "query Me { viewer { email } } query Count { assets { totalCount } }"
AMBIGUOUS = {
    "data": None,
    "errors": [
        {
            "message": "Must provide operation name if query contains multiple operations.",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ],
}


async def _get(client: GraphQLClient, params: dict[str, str]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {client.token}", "Accept": "application/json"}
    return await client.http.get("/graphql", params=params, headers=headers)


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_several_operations_without_a_name_are_refused(alice: tuple[int, GraphQLClient], method: str) -> None:
    # given a document with two named operations
    _, client = alice
    # when it is sent without operationName
    if method == "POST":
        response = await client.post(TWO_OPERATIONS)
    else:
        response = await _get(client, {"query": TWO_OPERATIONS})
    # then neither runs: the request is ambiguous (GraphQL spec, GetOperation)
    assert (response.status_code, response.json()) == (200, AMBIGUOUS)


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_the_named_operation_runs(alice: tuple[int, GraphQLClient], method: str) -> None:
    _, client = alice
    if method == "POST":
        response = await client.post(TWO_OPERATIONS, operation_name="Count")
    else:
        response = await _get(client, {"query": TWO_OPERATIONS, "operationName": "Count"})
    assert (response.status_code, response.json()) == (200, {"data": {"assets": {"totalCount": 0}}})


async def test_one_operation_needs_no_name(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    response = await client.post("query Count { ...Counted } fragment Counted on Query { assets { totalCount } }")
    assert response.json() == {"data": {"assets": {"totalCount": 0}}}


async def test_an_unknown_operation_name_is_refused_by_the_http_layer(alice: tuple[int, GraphQLClient]) -> None:
    # Strawberry answers a name the document does not define with HTTP 400 before anything runs, in GraphQL's shape.
    _, client = alice
    response = await client.post(TWO_OPERATIONS, operation_name="Nope")
    assert response.status_code == 400
    assert response.json() == {
        "data": None,
        "errors": [{"message": 'Unknown operation named "Nope".', "extensions": {"code": "BAD_REQUEST"}}],
    }
