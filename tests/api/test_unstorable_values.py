"""Values the database cannot hold never reach it: text with NUL or unpaired surrogates, instants outside what the
driver can send, overlong lists and forged cursors are refused at the edge, in every input, before any SQL."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest
from starlette.applications import Starlette

from tests.support import GraphQLClient, assert_logged_as_client_errors, refused

OVERVIEW = "query($f: AssetFilterInput) { assetStatusOverview(filter: $f) { total } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
TEXT_RULE = "text must not contain NUL (U+0000) or unpaired surrogate characters"
ASSETS = "query($f: AssetFilterInput) { assets(filter: $f) { totalCount } }"
SEGMENT = "mutation($i: AddTemporalSegmentInput!) { addTemporalSegment(input: $i) { errors { field } } }"

# Every string input of every operation, holding a character PostgreSQL cannot store.
UNSTORABLE_TEXT_CASES = [
    pytest.param(
        ASSETS,
        {"f": {"providerId": "pix\u0000verse"}},
        f"Variable '$f' has invalid value at .providerId: {TEXT_RULE}.",
        "providerId",
        id="NUL in providerId",
    ),
    pytest.param(
        ASSETS,
        {"f": {"tags": ["ok", "cat\ud800"]}},
        f"Variable '$f' has invalid value at .tags[1]: {TEXT_RULE}.",
        "tags[1]",
        id="lone surrogate in tags",
    ),
    pytest.param(
        OVERVIEW,
        {"f": {"tags": ["\u0000"]}},
        f"Variable '$f' has invalid value at .tags[0]: {TEXT_RULE}.",
        "tags[0]",
        id="NUL in overview tags",
    ),
    pytest.param(
        OVERVIEW,
        {"f": {"providerId": "\udfff"}},
        f"Variable '$f' has invalid value at .providerId: {TEXT_RULE}.",
        "providerId",
        id="lone low surrogate in overview providerId",
    ),
    pytest.param(
        "query($c: String) { assets(after: $c) { totalCount } }",
        {"c": "\u0000"},
        f"Variable '$c' has invalid value: {TEXT_RULE}.",
        "c",
        id="NUL in a cursor",
    ),
    pytest.param(
        NODE, {"id": "QXNz\u0000"}, f"Variable '$id' has invalid value: {TEXT_RULE}.", "id", id="NUL in node id"
    ),
    # Inside a JSON value: the field named is the JSON input, not a key of the client's JSON (the message's path
    # goes on into it).
    pytest.param(
        SEGMENT,
        {
            "i": {
                "assetId": "QXNzZXQ6MQ==",
                "segmentType": "scene",
                "timestampSec": 1,
                "extra": {"a": {"b": ["\u0000"]}},
            }
        },
        f"Variable '$i' has invalid value at .extra.a.b[0]: {TEXT_RULE}.",
        "extra",
        id="NUL deep in a JSON variable",
    ),
    pytest.param(
        'mutation { addTemporalSegment(input: {assetId: "QXNzZXQ6MQ==", segmentType: "scene", timestampSec: 1, '
        'extra: {a: {b: [1, "\\u0000"]}}}) { errors { field } } }',
        None,
        f"Argument 'input' has invalid value at .extra.a.b: {TEXT_RULE}.",
        "extra",
        id="NUL deep in a JSON literal",
    ),
    pytest.param(
        "query($id: ID!) { asset(id: $id) { id } }",
        {"id": "\ud83d"},
        f"Variable '$id' has invalid value: {TEXT_RULE}.",
        "id",
        id="lone surrogate in asset id",
    ),
    pytest.param(
        '{ assets(filter: {providerId: "a\\u0000b"}) { totalCount } }',
        None,
        f"Argument 'filter' has invalid value at .providerId: {TEXT_RULE}.",
        "providerId",
        id="NUL escape inline",
    ),
    pytest.param(
        '{ assetStatusOverview(filter: {tags: ["""a\u0000b"""]}) { total } }',
        None,
        f"Argument 'filter' has invalid value at .tags: {TEXT_RULE}.",
        "tags",
        id="raw NUL in a block string",
    ),
    pytest.param(
        '{ node(id: "\\u{0}") { id } }',
        None,
        f"Argument 'id' has invalid value: {TEXT_RULE}.",
        "id",
        id="NUL as a braced escape inline",
    ),
    pytest.param(
        'query($p: String = "x\\u0000") { assets(filter: {providerId: $p}) { totalCount } }',
        None,
        f"Variable '$p' has invalid default value: {TEXT_RULE}.",
        "p",
        id="NUL in a variable default",
    ),
]

INSTANT_RULE = "an ISO-8601 date and time with a UTC offset, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

# Every DateTime input, holding an instant the database cannot be sent (or no instant at all).
DATETIME_CASES = [
    pytest.param(
        ASSETS,
        {"f": {"createdAfter": "0001-01-01T00:00:00+14:00"}},
        f"Variable '$f' has invalid value at .createdAfter: DateTime must be {INSTANT_RULE} "
        "(got '0001-01-01T00:00:00+14:00')",
        "createdAfter",
        id="year 1 at +14:00",
    ),
    pytest.param(
        OVERVIEW,
        {"f": {"createdBefore": "9999-12-31T23:59:59-14:00"}},
        f"Variable '$f' has invalid value at .createdBefore: DateTime must be {INSTANT_RULE} "
        "(got '9999-12-31T23:59:59-14:00')",
        "createdBefore",
        id="year 9999 at -14:00",
    ),
    pytest.param(
        ASSETS,
        {"f": {"createdBefore": "2026-01-01T00:00:00"}},
        f"Variable '$f' has invalid value at .createdBefore: DateTime must be {INSTANT_RULE} "
        "(got '2026-01-01T00:00:00')",
        "createdBefore",
        id="no UTC offset",
    ),
    pytest.param(
        ASSETS,
        {"f": {"createdAfter": "yesterday"}},
        f"Variable '$f' has invalid value at .createdAfter: DateTime must be {INSTANT_RULE} (got 'yesterday')",
        "createdAfter",
        id="not a date",
    ),
    pytest.param(
        ASSETS,
        {"f": {"createdAfter": 1767225600}},
        f"Variable '$f' has invalid value at .createdAfter: DateTime must be {INSTANT_RULE} (got '1767225600')",
        "createdAfter",
        id="a number",
    ),
    pytest.param(
        '{ assetStatusOverview(filter: {createdAfter: "0001-01-01T00:00:00+14:00"}) { total } }',
        None,
        f"DateTime must be {INSTANT_RULE} (got '0001-01-01T00:00:00+14:00')",
        None,
        id="year 1 at +14:00 inline",
    ),
]

# Every list input, longer than the cap (1,000 by default).
LIST_CASES = [
    pytest.param(
        ASSETS,
        {"f": {"mediaType": ["VIDEO"] * 100_000}},
        "Variable '$f' has invalid value at .mediaType: a list may hold at most 1000 items (got 100000).",
        "mediaType",
        id="100,000 enum values",
    ),
    pytest.param(
        OVERVIEW,
        {"f": {"tags": ["x"] * 1001}},
        "Variable '$f' has invalid value at .tags: a list may hold at most 1000 items (got 1001).",
        "tags",
        id="1,001 tags",
    ),
    pytest.param(
        "query($s: [ProviderStatus!]) { assets(filter: {providerStatus: $s}) { totalCount } }",
        {"s": ["OK"] * 5000},
        "Variable '$s' has invalid value: a list may hold at most 1000 items (got 5000).",
        "s",
        id="a list variable",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "message", "field"), UNSTORABLE_TEXT_CASES + DATETIME_CASES + LIST_CASES
)
async def test_values_the_database_cannot_hold_never_reach_it(
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

    # when they send a value PostgreSQL could not hold
    errors = await refused(app.state.resources.database.engine, client, query, variables)

    # then it is refused before any SQL, naming where it is
    extensions = {"code": "BAD_USER_INPUT"} | ({"field": field} if field else {})
    assert [(e["message"], e["extensions"]) for e in errors] == [(message, extensions)]
    assert_logged_as_client_errors(caplog, 1)


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode("ascii")


NOW = "2026-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_cursor([NOW, 2**63]), id="id past int64"),
        pytest.param(_cursor([NOW, -(2**64)]), id="negative id"),
        pytest.param(_cursor([NOW, 0]), id="id zero"),
        pytest.param(_cursor([NOW, 1.5]), id="fractional id"),
        pytest.param(_cursor([NOW, True]), id="boolean id"),
        pytest.param(_cursor([NOW, "7"]), id="id as text"),
        pytest.param(_cursor(["0001-01-01T00:00:00+14:00", 1]), id="year 1 at +14:00"),
        pytest.param(_cursor(["2026-01-01T00:00:00", 1]), id="no UTC offset"),
        pytest.param(_cursor({NOW: 1, "7": 2}), id="an object"),
        pytest.param(_cursor([NOW, 1, 2]), id="three items"),
        pytest.param(_cursor([[[[[[[[[[[]]]]]]]]]], 1]), id="nested"),
        pytest.param(_cursor([NOW + "x" * 300, 1]), id="overlong"),
    ],
)
async def test_a_cursor_carrying_what_the_database_cannot_hold_is_refused(
    app: Starlette, alice: tuple[int, GraphQLClient], caplog: pytest.LogCaptureFixture, cursor: str
) -> None:
    # given a cursor this server never issued, shaped to reach SQL
    _, client = alice
    caplog.set_level(logging.INFO)

    # when a page after it is asked for
    errors = await refused(
        app.state.resources.database.engine,
        client,
        "query($c: String) { assets(after: $c) { totalCount } }",
        {"c": cursor},
    )

    # then it is refused as not a cursor, before any SQL
    assert [(e["message"], e["extensions"]) for e in errors] == [
        ("'after' is not a cursor this server issued", {"code": "BAD_USER_INPUT", "field": "after"})
    ]
    assert_logged_as_client_errors(caplog, 1)


async def test_the_edges_of_what_the_database_holds_are_accepted(alice: tuple[int, GraphQLClient]) -> None:
    # given the earliest and latest instants, a 1,000-item list, and a cursor at the last possible id
    _, client = alice
    last_cursor = _cursor(["9999-12-31T23:59:59.999999+00:00", 2**63 - 1])
    query = """query($f: AssetFilterInput, $c: String) {
      assets(filter: $f, after: $c) { totalCount }
      assetStatusOverview(filter: $f) { total }
    }"""
    variables = {
        "f": {
            "createdAfter": "0001-01-01T00:00:00Z",
            "createdBefore": "9999-12-31T23:59:59.999999+00:00",
            "tags": [f"t{i}" for i in range(1000)],
            "providerId": "pixverse \U0001f600",
        },
        "c": last_cursor,
    }
    # then each is answered (nothing matches), without error
    assert await client.data(query, variables) == {"assets": {"totalCount": 0}, "assetStatusOverview": {"total": 0}}
