"""Requests that are not a GraphQL request object get a 4xx in GraphQL's shape, never a plain-text 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from assetgraph.config import Limits, Settings
from tests.support import GraphQLClient

JSON = "application/json"
NOT_A_REQUEST = (
    'Expected a JSON object, a GraphQL request such as {"query": "...", "variables": {...}, "operationName": "..."}.'
)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b'"x"', JSON, NOT_A_REQUEST),
        (b"null", JSON, NOT_A_REQUEST),
        (b"123", JSON, NOT_A_REQUEST),
        (b"true", JSON, NOT_A_REQUEST),
        (b"[]", JSON, "Batching is not enabled"),
        (b'[{"query": "{ viewer { id } }"}]', JSON, "Batching is not enabled"),
        (b'\xff\xfe{"query": "{ __typename }"}', JSON, "Unable to parse the request as JSON: the body is not UTF-8."),
        (b'{"query": ', JSON, "Unable to parse the request as JSON: Expecting value."),
        (
            b'{"query": "{ viewer { id } }", "variables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            JSON,
            "Unable to parse the request as JSON: the JSON is nested too deeply.",
        ),
        (b'{"query": 5}', JSON, "The GraphQL operation's `query` must be a string or null, if provided."),
        (
            b'{"query": "{ viewer { id } }", "variables": [1]}',
            JSON,
            "The GraphQL operation's `variables` must be an object or null, if provided.",
        ),
        (
            b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query": "{ __typename }"}\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
            "A multipart request must carry an 'Apollo-Require-Preflight: true' (or 'GraphQL-Preflight: 1') header: "
            "without one, a browser form on another site could post it with your cookies.",
        ),
        (b'{"query": "{ viewer { id } }"}', "text/plain", None),
        (
            b'{"query": "{ viewer { id } }", "variables": {"x": ' + b"9" * 5000 + b"}}",
            JSON,
            "Unable to parse the request as JSON: a number has more than 4300 digits.",  # nothing of Python's
        ),
        (b'{"query": "query A { viewer { id } }", "operationName": "\\udc00"}', JSON, None),
    ],
    ids=[
        "string", "null", "number", "boolean", "empty batch", "batch", "not utf-8", "truncated json", "deep nesting",
        "query not a string", "variables not an object", "multipart without preflight", "text/plain",
        "a number longer than int() reads", "operationName a lone surrogate",
    ],
)  # fmt: skip
async def test_a_body_that_is_not_a_graphql_request_is_a_400_in_graphql_shape(
    alice: tuple[int, GraphQLClient], http: httpx.AsyncClient, body: bytes, content_type: str, message: str | None
) -> None:
    # given a signed-in client
    _, client = alice
    # when it posts something that is not a GraphQL request object
    response = await http.post(
        "/graphql",
        content=body,
        headers={"content-type": content_type, "authorization": f"Bearer {client.token}"},
    )
    # then it is told so, in GraphQL's shape
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    errors = response.json()["errors"]
    assert response.json()["data"] is None
    assert errors[0]["extensions"] == {"code": "BAD_REQUEST"}
    if message is not None:
        assert errors[0]["message"] == message


async def test_get_with_variables_that_are_not_an_object_is_a_400(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename }", "variables": "5"})
    assert (response.status_code, response.json()["errors"][0]["message"]) == (400, NOT_A_REQUEST)


@pytest.fixture
async def small_bodies(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from assetgraph.app import create_app

    small = settings.model_copy(update={"limits": Limits(max_body_bytes=4096)})
    app = create_app(small)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            yield client


async def test_a_body_over_the_limit_is_a_413_whether_or_not_its_length_is_declared(
    small_bodies: httpx.AsyncClient,
) -> None:
    # given a server taking bodies of at most 4096 bytes, and a 5,000-byte GraphQL request
    body = b'{"query": "{ __typename }", "variables": {"x": "' + b"a" * 5000 + b'"}}'

    async def chunked() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    # when it is sent with its length, and chunked without one
    declared = await small_bodies.post("/graphql", content=body, headers={"content-type": JSON})
    streamed = await small_bodies.post("/graphql", content=chunked(), headers={"content-type": JSON})

    # then both are refused as too large, in GraphQL's shape
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {
            "data": None,
            "errors": [
                {
                    "message": "The request body is larger than 4096 bytes.",
                    "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                }
            ],
        }
    # and one within the limit is answered
    ok = await small_bodies.post("/graphql", json={"query": "{ __typename }"})
    assert ok.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_subscription_over_http_is_a_400_that_points_to_the_websocket(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], method: str
) -> None:
    # given a subscription document, and alice's token
    _, client = alice
    query = "subscription { assetChanged { change } }"
    headers = {"Authorization": f"Bearer {client.token}"}
    # when it is sent over plain HTTP
    if method == "POST":
        response = await http.post("/graphql", json={"query": query}, headers=headers)
    else:
        response = await http.get("/graphql", params={"query": query}, headers=headers | {"accept": JSON})
    # then it is refused as the client's mistake, saying where subscriptions are served (it was an internal error)
    assert response.status_code == 400
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Subscriptions are served over a WebSocket only: connect to /graphql with the "
                "graphql-transport-ws protocol.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }


def _multipart(operations: str, file_map: str, files: int = 1) -> bytes:
    parts = [("operations", operations), ("map", file_map)]
    body = b"".join(
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode() for name, value in parts
    )
    for index in range(files):
        body += (
            f'--b\r\nContent-Disposition: form-data; name="{index}"; filename="f{index}.png"\r\n'
            "Content-Type: image/png\r\n\r\nx\r\n"
        ).encode()
    return body + b"--b--\r\n"


@pytest.mark.parametrize(
    ("file_map", "files"),
    [('{"0": ["variables.f.99"]}', 1), ('{"0": ["variables.f.x.y"]}', 1), ('{"0": "variables.f"}', 1),
     ('["variables.f"]', 1), ('{"0": ["variables.f"]}', 1001)],
    ids=["index into a null", "key into a null", "paths not a list", "map not an object", "too many files"],
)  # fmt: skip
async def test_a_multipart_map_operations_cannot_hold_is_a_400_in_graphql_shape(
    alice: tuple[int, GraphQLClient], http: httpx.AsyncClient, file_map: str, files: int
) -> None:
    # given a valid operations part, and a map naming a path that part does not have (or too many files)
    _, client = alice
    operations = '{"query": "mutation($f: Upload!) { __typename }", "variables": {"f": null}}'
    # when it is posted (these were internal errors, or a plain-text 400)
    response = await http.post(
        "/graphql",
        content=_multipart(operations, file_map, files),
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "authorization": f"Bearer {client.token}",
            "apollo-require-preflight": "true",
        },
    )
    # then it is refused as the client's mistake, in GraphQL's shape
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW"])
async def test_another_http_method_is_a_405_in_graphql_shape_naming_those_taken(
    http: httpx.AsyncClient, method: str
) -> None:
    response = await http.request(
        method, "/graphql", content=b'{"query": "{ __typename }"}', headers={"content-type": JSON}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    if method == "HEAD":
        return  # the same answer, without its body
    assert response.json() == {
        "data": None,
        "errors": [
            {"message": f"/graphql takes GET and POST, not {method}.", "extensions": {"code": "METHOD_NOT_ALLOWED"}}
        ],
    }
