"""The one rule that says which errors are the client's, on errors shaped as graphql-core and Strawberry raise them."""

from __future__ import annotations

from graphql import FieldNode, GraphQLError, NameNode, VariableNode, located_error

from assetgraph.domain.errors import BadUserInput
from assetgraph.schema.errors import INTERNAL_MESSAGE, bounded, for_client, is_client_error

FIELD = FieldNode(name=NameNode(value="assets"))
VARIABLE = VariableNode(name=NameNode(value="o"))


def test_graphql_cores_own_request_errors_are_the_clients() -> None:
    # a validation error, and a variable-coercion error wrapping a scalar's GraphQL error
    assert is_client_error(GraphQLError("Cannot query field 'x' on type 'Query'."))
    assert is_client_error(GraphQLError("Variable '$d' has invalid value", original_error=GraphQLError("bad date")))
    # an argument's value refused during execution, located at the value
    assert is_client_error(
        located_error(GraphQLError("Argument 'orderBy' has invalid value", VARIABLE), [], ["assets"])
    )


def test_a_client_error_raised_anywhere_is_the_clients() -> None:
    assert is_client_error(located_error(BadUserInput("no", field="after"), [FIELD], ["assets"]))
    assert is_client_error(GraphQLError("no", original_error=BadUserInput("no")))


def test_crashes_and_server_bugs_are_internal() -> None:
    # a resolver's exception, an extension's or validation rule's crash wrapped by Strawberry, a wrong return type
    assert not is_client_error(located_error(RuntimeError("db down"), [FIELD], ["assets"]))
    assert not is_client_error(GraphQLError("'Nope'", original_error=KeyError("Nope")))
    assert not is_client_error(located_error(GraphQLError("Expected Iterable"), [FIELD], ["assets"]))


def test_what_the_client_reads() -> None:
    masked = for_client(located_error(RuntimeError("password=hunter2"), [FIELD], ["assets"]))
    assert masked.formatted == {"message": INTERNAL_MESSAGE, "path": ["assets"]}
    assert not is_client_error(masked)  # shown once, it stays masked
    shown = for_client(GraphQLError("Unknown type '" + "T" * 500 + "'."))
    assert (shown.message, shown.extensions) == ("Unknown type '" + "T" * 100 + "…'.", {"code": "BAD_USER_INPUT"})


def test_bounded_cuts_each_quoted_passage_and_the_whole() -> None:
    assert bounded("got 'a' and \"b\"") == "got 'a' and \"b\""
    assert bounded("'" + "x" * 101 + "' then 'y'") == "'" + "x" * 100 + "…' then 'y'"
    assert len(bounded("z" * 10_000)) == 500


def test_an_input_object_is_never_quoted_back_but_our_own_messages_are_kept() -> None:
    # graphql-core quotes the whole object when a field is missing or unknown, or an object stands for a scalar
    missing = "Variable '$input' has invalid value: Expected value of type 'In' to include required field 'a', found: "
    assert for_client(GraphQLError(missing + "{'b': 'secret'}.")).message == missing + "{…}."
    assert for_client(GraphQLError("Expected value of type 'In' to be an object, found: [{'b': 's'}].")).message == (
        "Expected value of type 'In' to be an object, found: [{…}]."
    )
    assert for_client(GraphQLError('String cannot represent a non string value: {b: "s"}')).message == (
        "String cannot represent a non string value: {…}"
    )
    # scalars are still quoted (bounded), and a message of ours is shown as written
    assert (
        for_client(GraphQLError("ID cannot represent value: ['QXNz']")).message == "ID cannot represent value: ['QXNz']"
    )
    ours = BadUserInput('credentials must be a JSON object such as {"api_key": {"nested": "..."}}')
    assert for_client(GraphQLError(ours.message, original_error=ours)).message == ours.message
