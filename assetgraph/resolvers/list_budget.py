"""The run-time bound on lists without a size argument: an asset's parents, children, branches, clips and temporal
segments, a branch's variants.

Their size is the data's, not the query's: an image made into 500 videos has 500 children, and each of those its
own parents, so no price fixed before execution both lets a gallery page ask each asset for its lineage and refuses
`children { asset { parents { asset { children ... } } } }` on such a hub (the query cost prices sized pages,
schema/query_cost.py). Instead, each operation may have such lists answer at most `Limits.max_list_items` items
together: each list spends its items as it is answered (`take`), and one that would go over is an error
(TOO_MANY_ITEMS, naming the field), which graphql-core nulls up to the nearest nullable field, cancelling what runs
beside it. Every batch that loads such lists asks the database for at most one row more than is left, so that one
which would go over reads no more than that, and answers the error for each of its lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from aiodataloader import DataLoader

from assetgraph.domain.errors import ClientError, ErrorCode

T = TypeVar("T")

BUDGETED_LISTS = ("parents", "children", "branches", "variants", "clips", "temporalSegments")
"""The GraphQL fields of the lists bounded here, each answered by a BudgetedListsLoader of that `field` (the query
cost leaves them out: schema/query_cost.py)."""


class ListItemsOverBudget(ClientError):
    code = ErrorCode.TOO_MANY_ITEMS

    def __init__(self, limit: int, field: str) -> None:
        super().__init__(
            f"The lists without a size argument ({', '.join(BUDGETED_LISTS)}) would answer more than {limit} items "
            f"in this operation; ask for fewer assets or nest less.",
            field=field,
        )


class ListBudget:
    """What is left of one operation's `max_list_items`: spent by each list as it is answered (an alias of a list
    answers it again, and spends again), and read against by each batch that loads them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    @property
    def rows_to_read(self) -> int:
        """How many rows a batch reads at most: one more than is left, to know whether it would go over."""
        return self.left + 1

    def check_read(self, count: int, field: str) -> ListItemsOverBudget | None:
        """The error for every list of a batch that read `count` rows, when they are more than is left."""
        return ListItemsOverBudget(self.limit, field) if count > self.left else None

    def take(self, items: list[T], field: str) -> list[T]:
        """`items`, answered as the list `field`; raises ListItemsOverBudget when they are more than is left."""
        if len(items) > self.left:
            raise ListItemsOverBudget(self.limit, field)
        self.left -= len(items)
        return items


class BudgetedListsLoader(DataLoader[int, list[T]], Generic[T]):
    """A per-request loader of one kind of budgeted list (`field`) by owner id. A subclass reads a batch with at most
    `budget.rows_to_read` rows and hands them to `within_budget`; resolvers answer a list with `load_list`."""

    field: ClassVar[str]

    def __init__(self, budget: ListBudget) -> None:
        super().__init__()
        self._budget = budget

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "field" in cls.__dict__ and cls.field not in BUDGETED_LISTS:
            raise TypeError(f"{cls.__name__}.field {cls.field!r} is not one of BUDGETED_LISTS")

    async def load_list(self, key: int) -> list[T]:
        """The owner's list, spent from the budget as it is answered."""
        return self._budget.take(await self.load(key), self.field)

    def within_budget(self, rows: int, keys: Sequence[int], lists: Sequence[list[T]]) -> list[list[T]]:
        """`lists` (one per key), or, when the batch read more `rows` than are left, the error for every key
        (aiodataloader raises an Exception value from that key's `load`)."""
        error = self._budget.check_read(rows, self.field)
        if error is not None:
            return [error for _ in keys]  # type: ignore[misc]
        return list(lists)
