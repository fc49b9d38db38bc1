"""An execution context that is freed as soon as its operation ends, instead of at the next full garbage collection.

graphql-core 3.3's ExecutionContext keeps `async_helpers`, a tuple of two of its own bound methods: a reference cycle
through which each operation's whole object graph (the context value with its loaders and rows, the request and
response, every resolved value) outlives the operation until the cyclic garbage collector runs. Measured under load
(bench/memory.py, 16-32 clients on the gallery page), every request left about 900 such objects, 100 asset records
among them; with the serving process's collector tuned to run rarely (app.tune_garbage_collector), a million
allocations' worth of finished requests piled up between collections, and the RSS they raised never came back down.

The helpers here reach the context through a weak reference, so reference counting frees an operation's objects
when its last reference goes, whichever executor runs it (config `executor`).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Sequence
from typing import Any

from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


def _weak_helpers(context: StrawberryGraphQLCoreExecutionContext) -> GraphQLResolveInfoHelpers:
    reference = weakref.ref(context)

    def alive() -> StrawberryGraphQLCoreExecutionContext:
        live = reference()
        if live is None:  # only a resolver's task that outlived its operation could ask
            raise RuntimeError("the operation these helpers belong to has ended")
        return live

    def gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        return alive().gather_async_work(values)

    def track(values: Sequence[Any]) -> None:
        alive().track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=gather, track=track)


def acyclic(
    context_class: type[StrawberryGraphQLCoreExecutionContext],
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """`context_class` with its async helpers reaching it weakly (see the module's docstring)."""

    class Acyclic(context_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.async_helpers = _weak_helpers(self)

    Acyclic.__name__ = Acyclic.__qualname__ = f"Acyclic{context_class.__name__}"
    return Acyclic
