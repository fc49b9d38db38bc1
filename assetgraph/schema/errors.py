"""Which errors a client reads as raised, and which are masked as internal failures."""

from __future__ import annotations

from graphql import GraphQLError

from assetgraph.domain.errors import ClientError


def is_internal(error: GraphQLError) -> bool:
    """Client errors (ClientError) and GraphQL's own parse and validation errors are shown; anything else is masked."""
    original = error.original_error
    return original is not None and not isinstance(original, ClientError)


def to_graphql_error(error: ClientError) -> GraphQLError:
    """A client error found before execution, in the shape a resolver's would have."""
    return GraphQLError(error.message, extensions=error.extensions, original_error=error)
