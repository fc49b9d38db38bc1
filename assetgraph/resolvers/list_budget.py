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
from typing import Any, TypeVar

from assetgraph.domain.errors import ClientError, ErrorCode

T = TypeVar("T")


class ListItemsOverBudget(ClientError):
    code = ErrorCode.TOO_MANY_ITEMS

    def __init__(self, limit: int, field: str) -> None:
        super().__init__(
            f"The lists without a size argument (parents, children, branches, variants, clips, temporalSegments) "
            f"would answer more than {limit} items in this operation; ask for fewer assets or nest less.",
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


def over_budget(error: ListItemsOverBudget, keys: Sequence[Any]) -> list[Any]:
    """A loader batch's answer when its lists would go over the budget: the error for every key (aiodataloader
    raises an Exception value from that key's `load`)."""
    return [error for _ in keys]
