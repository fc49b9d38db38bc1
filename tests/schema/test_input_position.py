"""The input an error is about, found by walking back from the value graphql-core located it at: through lists
(counting the items before it, whatever their form), objects, comments, variable defaults and directives."""

from __future__ import annotations

import pytest
from graphql import parse, specified_rules, validate

from assetgraph.schema.errors import for_client
from assetgraph.schema.located_values_rule import located_rules
from assetgraph.schema.schema import build_schema

FILTER = "{ assets(filter: {%s}) { totalCount } }"


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        pytest.param(
            FILTER % 'tags: ["a"], providerStatus: [$x, # a comment\n {a: [1]}, """block""", BAD]',
            # an object where an enum goes: graphql-core reports it on an unlocated copy, the app's rule on the object
            ["x", "providerStatus[1]", "providerStatus[2]", "providerStatus[3]"],
            id="items of every form before it",
        ),
        pytest.param("query($n: [[Int]] = [[1], [2, x]]) { viewer { id } }", ["n", "n[1][1]"], id="variable default"),
        pytest.param("{ viewer @include(if: 3) { id } }", ["if"], id="directive argument"),
        pytest.param("{ viewer { id } nope(a: 1) }", [None], id="not an input"),
        pytest.param("{ assets(first: {a: 1}) { totalCount } }", ["first"], id="an object for an Int"),
        pytest.param("{ assets(first: [1]) { totalCount } }", ["first"], id="a list for an Int"),
        pytest.param(FILTER % "providerStatus: [[OK]]", ["providerStatus[0]"], id="a list for an enum in a list"),
        pytest.param(FILTER % ("y" * 500 + ": 1"), ["y" * 99 + "…"], id="long unknown field"),
    ],
)
def test_the_field_named_for_each_error(document: str, fields: list[str | None]) -> None:
    errors = validate(build_schema()._schema, parse(document), located_rules(specified_rules))
    assert all(error.locations for error in errors)
    assert [(for_client(error).extensions or {}).get("field") for error in errors] == fields
