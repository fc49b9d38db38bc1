"""A small Strawberry schema that fails in every way an executor must report alike: sync and async resolvers raising
in nullable and non-null positions (fields, items of [T!]! and [T]!, nested objects), None returned for a non-null
field, serializers refusing (an Int out of 32 bits, a value that is no member of its enum), an interface and a
union with several members, stock-resolved fields (`info`, arguments, async) whose values the compiled path
completes (lists of objects, None for non-null after an await, strawberry.cast instances, awaitable list items that
raise), and plain dataclass fields (the compiled path's fast kind) beside resolver fields, some
holding what a generated plan's fast checks decline: a custom scalar its serializer refuses, a value of another type,
an attribute whose read raises.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Generator
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext


class _Refusal(Exception):
    """What the failing resolvers raise."""


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Cat(Named):
    lives: int
    colour: Colour
    nickname: str | None = None
    born: datetime | None = None  # Strawberry's DateTime: a custom scalar

    @strawberry.field
    def purr(self) -> str | None:
        raise _Refusal(f"{self.name} will not purr")

    @strawberry.field
    async def claws(self) -> int:
        raise _Refusal("no claws today")

    @strawberry.field
    def weight(self) -> int:
        return 2**40 if self.lives > 8 else self.lives  # Int!: out of range for a nine-lived cat

    @strawberry.field
    def maybe_weight(self) -> int | None:
        return 2**40

    @strawberry.field
    def mood(self) -> Colour | None:
        return "purple"  # type: ignore[return-value]  # not a member

    @strawberry.field
    def owner(self) -> str:
        return None  # type: ignore[return-value]  # None for String!

    @strawberry.field
    def scores(self) -> list[int]:
        return [1, 2**40, 3]  # [Int!]!: one item refused

    @strawberry.field
    def loose_scores(self) -> list[int | None]:
        return [1, 2**40, None]  # [Int]!: that item alone becomes null

    @strawberry.field
    async def litter(self) -> list[Cat | None]:
        # [Cat]!: a kitten whose non-null field fails becomes null alone
        return [
            Cat(name="a", lives=1, colour=Colour.RED, born=_BORN),
            Cat(name="b", lives=9, colour=Colour.GREEN, born="yesterday"),  # type: ignore[arg-type]
            _Sphinx(name="s", lives=3, colour=Colour.RED),
        ]

    @strawberry.field
    def strict_litter(self) -> list[Cat]:
        # [Cat!]!: one failing kitten nulls the whole list, and the list's parent
        return [Cat(name="c", lives=9, colour=Colour.RED), Cat(name="d", lives=2, colour=Colour.GREEN)]

    @strawberry.field
    async def friend(self) -> Cat | None:
        return Cat(name=f"{self.name}'s friend", lives=9, colour=Colour.GREEN)

    @strawberry.field
    async def best_friend(self) -> Cat:
        return Cat(name="best", lives=self.lives - 1, colour=Colour.RED)

    @strawberry.field
    async def kittens(self, info: strawberry.Info, count: int = 2) -> list[Cat]:
        # [Cat!]! from an async resolver with an argument (stock-resolved, compiled-completed); negative: raises
        if count < 0:
            raise _Refusal(f"{info.field_name}: no negative litters")
        return [Cat(name=f"{self.name}-{n}", lives=n % 10, colour=Colour.GREEN) for n in range(count)]

    @strawberry.field
    async def ghost(self) -> Cat:
        return None  # type: ignore[return-value]  # None for Cat!, after an await

    @strawberry.field
    async def ghosts(self, info: strawberry.Info) -> list[Cat]:
        return None  # type: ignore[return-value]  # None for [Cat!]!, after an await

    @strawberry.field
    async def cast_litter(self) -> list[Cat | None]:
        # strawberry.cast on instances: to Cat (accepted), to Dog (refused by Cat's type check: that item is null)
        return [
            strawberry.cast(Cat, Cat(name="cast", lives=2, colour=Colour.RED)),
            strawberry.cast(Dog, Cat(name="miscast", lives=2, colour=Colour.RED)),
            Cat(name="plain", lives=4, colour=Colour.GREEN),
        ]

    @strawberry.field
    async def hatching(self, count: int = 1) -> list[Cat | None]:
        # awaitable items: kittens (the second one's weight fails), then one that raises inside the awaited list
        kittens = [_Later(Cat(name=f"hatched-{n}", lives=9 if n == 1 else n, colour=Colour.RED)) for n in range(count)]
        return [*kittens, _Later(_Refusal("this egg will not hatch"))]  # type: ignore[list-item]


class _Later:
    """An awaitable that is no coroutine (left unawaited where a non-null error nulls its list, it warns of
    nothing): its outcome after one turn of the event loop."""

    def __init__(self, outcome: object) -> None:
        self.outcome = outcome

    def __await__(self) -> Generator[None, None, object]:
        yield from asyncio.sleep(0).__await__()
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


class _Sphinx(Cat):
    """A Cat (to Strawberry's type check) whose plain `nickname` raises when read and whose `born` is no instant."""

    @property
    def nickname(self) -> str | None:
        raise _Refusal(f"{self.name} has no nickname")

    @nickname.setter
    def nickname(self, value: str | None) -> None:
        pass

    @property
    def born(self) -> datetime | None:
        return 5  # type: ignore[return-value]

    @born.setter
    def born(self, value: datetime | None) -> None:
        pass


_BORN = datetime(2020, 2, 29, 12, 30, tzinfo=UTC)


@strawberry.type
class Dog(Named):
    good: bool = True

    @strawberry.field
    async def bark(self, times: int = 1) -> str:
        if times < 0:
            raise _Refusal("a negative bark")
        return "woof" * times

    @strawberry.field
    def pups(self, info: strawberry.Info, count: int = 2) -> list[Dog]:
        # [Dog!]! from a sync resolver taking `info` and an argument
        return [Dog(name=f"{info.field_name}-{n}", good=n % 2 == 0) for n in range(count)]

    @strawberry.field
    def tricks(self) -> list[Cat]:
        return [
            Cat(name="taught", lives=2, colour=Colour.RED, nickname=7),  # type: ignore[arg-type]  # String: "7"
            Cat(name="old", lives=9, colour=Colour.GREEN, born=_BORN),
            _Sphinx(name="sphinx", lives=True, colour=Colour.GREEN),  # Int: True is 1
        ]


@strawberry.type
class Bird:
    wings: int = 2

    @strawberry.field
    async def song(self) -> str | None:
        raise _Refusal("silent")


Pet = Annotated[Cat | Dog | Bird, strawberry.union("Pet")]


@strawberry.type
class Query:
    @strawberry.field
    def cat(self) -> Cat | None:
        return Cat(name="Tom", lives=9, colour=Colour.RED, nickname="tommy", born=_BORN)

    @strawberry.field
    async def maybe_cat(self, lives: int = 3) -> Cat | None:
        return Cat(name="Kit", lives=lives, colour=Colour.GREEN)

    @strawberry.field
    def pets(self) -> list[Pet] | None:
        return [Cat(name="Tom", lives=9, colour=Colour.RED), Dog(name="Rex", good=False), Bird()]

    @strawberry.field
    async def named(self) -> list[Named | None]:
        return [Dog(name="Fido", good=False), Cat(name="Kit", lives=1, colour=Colour.GREEN)]

    @strawberry.field
    def pet(self, index: int) -> Pet | None:
        choices: list[Cat | Dog | Bird] = [Cat(name="Tom", lives=9, colour=Colour.RED), Dog(name="Rex"), Bird()]
        return choices[index]  # an index out of range raises

    @strawberry.field
    def echo(self, text: str, times: int = 1) -> str:
        return text * times

    @strawberry.field
    async def numbers(self, count: int) -> list[int]:
        return [n * n for n in range(count)]


class _QuietSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The errors are the point here: not logged (a traceback each would be most of the test's time)."""


def toy_schema(execution_context_class: type[StrawberryGraphQLCoreExecutionContext]) -> strawberry.Schema:
    return _QuietSchema(query=Query, types=[Cat, Dog, Bird], execution_context_class=execution_context_class)


async def toy_answer(schema: strawberry.Schema, query: str, variables: dict[str, Any]) -> str:
    """A result of the in-test schema as a client would read it: data and formatted errors, in order, as JSON."""
    result = await schema.execute(query, variable_values=variables)
    errors = [error.formatted for error in result.errors] if result.errors else None
    return json.dumps({"data": result.data, "errors": errors})
