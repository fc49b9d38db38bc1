"""The input an error is about, found by walking back from the value graphql-core located it at: through lists
(counting the items before it, whatever their form), objects, comments, variable defaults and directives."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from assetgraph.schema.errors import for_client
from assetgraph.schema.schema import build_schema

FILTER = "{ assets(filter: {%s}) { totalCount } }"


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        pytest.param(
            FILTER % 'tags: ["a"], providerStatus: [$x, # a comment\n {a: [1]}, """block""", BAD]',
            # an object where a scalar or enum goes is reported on a copy without a location: nothing to walk from
            ["x", None, "providerStatus[2]", "providerStatus[3]"],
            id="items of every form before it",
        ),
        pytest.param("query($n: [[Int]] = [[1], [2, x]]) { viewer { id } }", ["n", "n[1][1]"], id="variable default"),
        pytest.param("{ viewer @include(if: 3) { id } }", ["if"], id="directive argument"),
        pytest.param("{ viewer { id } nope(a: 1) }", [None], id="not an input"),
        pytest.param(FILTER % ("y" * 500 + ": 1"), ["y" * 99 + "…"], id="long unknown field"),
    ],
)
def test_the_field_named_for_each_error(document: str, fields: list[str | None]) -> None:
    errors = validate(build_schema()._schema, parse(document))
    assert [(for_client(error).extensions or {}).get("field") for error in errors] == fields
