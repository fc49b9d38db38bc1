"""The compiled execution path: a graphql-core execution context that plans each operation once.

(Being built for issue 11; until then it behaves exactly as Strawberry's stock execution context.)
"""

from __future__ import annotations

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class CompiledExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution context with a per-document plan of every field's resolver and serializer."""
