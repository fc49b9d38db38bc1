"""Query cost: how many objects an operation may ask for, from its page sizes, before anything runs.

cost = the sum, over every field that returns a page (each alias counted on its own), of its page size times the
page sizes of the paged fields it is nested in. `assets(first: 500) { nodes { uploadAttempts(last: 5) } }`
costs 500 + 500 x 5 = 3,000. A page size left out (or null) counts as what the field then returns.

A field answering one object per item of a list argument (`checkByHashes(sha256s:)`) is sized by the list's length:
its items cost nothing themselves (10,000 hashes are one SQL statement), but every paged field nested in them is
counted once per item, so `checkByHashes` of 10,000 hashes cannot ask each asset for its near-duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    VariableNode,
)

from assetgraph.config import Limits
from assetgraph.domain.hashes import DEFAULT_SIMILAR_LIMIT
from assetgraph.domain.library_sync import MAX_JOBS_PAGE
from assetgraph.domain.lineage_graph import MAX_LINEAGE_NODES
from assetgraph.domain.pixverse_items import DRY_RUN_DEFAULT_LIMIT, DRY_RUN_MAX_LIMIT
from assetgraph.domain.upload_history import MAX_ATTEMPTS


@dataclass(frozen=True)
class PagedField:
    argument: str
    """The argument that sizes the page."""
    size_when_omitted: Callable[[Limits], int]
    """How many objects the field returns when the argument is left out or null."""
    per_item: bool = False
    """The argument is a list and the field answers once per item: the items count only for what is nested."""
    own_cost: int | None = None
    """What the field itself counts, when not its page size: a lineage walk counts this much, and the up to
    `size_when_omitted` assets it may return count only as the page size of what is nested in them."""
    bounds: Callable[[Limits], tuple[int, int]] = lambda limits: (0, limits.max_page_size)
    """The page sizes the field accepts, as its resolver checks them: the request guard refuses the same values
    with the same message before anything runs (a field's own, narrower range used to be named only for values
    inside the general one)."""


LINEAGE_WALK_COST = 100
SCHEMA_INTROSPECTION_COST = 1000
"""A whole-schema introspection answers ~100 KB: one fits well under the cost limit (GraphiQL asks one), thirty
aliases of it in one request (3 MB and over a second of a worker's CPU, unauthenticated) do not."""

PAGED_FIELDS: Mapping[str, PagedField] = {
    "assets": PagedField("first", lambda limits: limits.default_page_size),
    "uploadAttempts": PagedField("last", lambda _: MAX_ATTEMPTS),
    "similarAssets": PagedField("first", lambda _: DEFAULT_SIMILAR_LIMIT),
    "checkByHashes": PagedField("sha256s", lambda _: 0, per_item=True),
    # One whole asset: alone it costs 1, but once per hash under checkByHashes (10,000 would be twice the gallery's
    # largest page); `assetId` is there for free.
    "asset": PagedField("", lambda _: 1),
    # Each alias asks Pixverse for up to `limit` items of each kind.
    "pixverseSyncDryRun": PagedField("limit", lambda _: DRY_RUN_DEFAULT_LIMIT, bounds=lambda _: (1, DRY_RUN_MAX_LIMIT)),
    "syncJobs": PagedField("first", lambda _: 20, bounds=lambda _: (0, MAX_JOBS_PAGE)),
    # A walk of up to 10,000 assets: 100 for the walk, and whatever is nested in its nodes or edges once per asset.
    "lineage": PagedField("", lambda _: MAX_LINEAGE_NODES, own_cost=LINEAGE_WALK_COST),
    "__schema": PagedField("", lambda _: 1, own_cost=SCHEMA_INTROSPECTION_COST),
}
"""Every field returning a page or one object per item of a list, by name (tests/api/test_limits.py checks this
against the schema)."""


def cost_rule(limits: Limits) -> str:
    return (
        f"cost is the sum, over every paged field (each alias counted), of its page size times the page sizes of "
        f"the paged fields it is nested in; an omitted size counts its default (`assets` "
        f"{limits.default_page_size}, `uploadAttempts` {MAX_ATTEMPTS}, `similarAssets` {DEFAULT_SIMILAR_LIMIT}); "
        f"`checkByHashes` counts its hashes only for what is nested in it, each `asset` 1; a `lineage` walk counts "
        f"{LINEAGE_WALK_COST}, what is nested in it {MAX_LINEAGE_NODES} times; `__schema` counts "
        f"{SCHEMA_INTROSPECTION_COST}"
    )


@dataclass(frozen=True)
class PageSize:
    """One paged field of a document and how its size is given: a literal, a variable, or neither (omitted)."""

    field: str
    argument: str
    literal: int | None
    variable: str | None
    per_item: bool = False
    """The size is the length of the list the argument holds (see PagedField.per_item)."""


CostTerms = Counter[tuple[int, ...]]
"""Cost as a polynomial over page sizes: (indexes into the PageSize list) -> how many times that product counts."""


class CostPlan:
    """Finds the page sizes of an operation and the terms its cost sums, fragments expanded once each."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._fragment_terms: dict[str, CostTerms] = {}
        self._index: dict[int, int] = {}  # id(FieldNode) -> its index in page_sizes
        self.page_sizes: list[PageSize] = []

    def terms(self, selection_set: SelectionSetNode) -> CostTerms:
        terms: CostTerms = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                terms.update(self._field_terms(selection))
            elif isinstance(selection, InlineFragmentNode):
                terms.update(self.terms(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                terms.update(self._spread_terms(selection.name.value))
        return terms

    def _spread_terms(self, name: str) -> CostTerms:
        if name not in self._fragment_terms:
            self._fragment_terms[name] = Counter()  # validation refused cycles; this only stops a loop
            fragment = self._fragments.get(name)
            if fragment is not None:
                self._fragment_terms[name] = self.terms(fragment.selection_set)
        return self._fragment_terms[name]

    def _field_terms(self, field: FieldNode) -> CostTerms:
        inner = self.terms(field.selection_set) if field.selection_set else Counter()
        paged = PAGED_FIELDS.get(field.name.value)
        if paged is None:
            return inner
        index = self._page_size_index(field, paged)
        terms: CostTerms = Counter() if paged.per_item else Counter({(index,): 1})
        if paged.own_cost is not None:
            terms = Counter({(): paged.own_cost})
        for key, count in inner.items():
            terms[(index, *key)] += count
        return terms

    def _page_size_index(self, field: FieldNode, paged: PagedField) -> int:
        if id(field) not in self._index:
            value = next((a.value for a in field.arguments or () if a.name.value == paged.argument), None)
            literal = int(value.value) if isinstance(value, IntValueNode) else None
            if paged.per_item and value is not None and not isinstance(value, VariableNode):
                # A list literal, or a single item that GraphQL coerces into a list of one.
                literal = len(value.values) if isinstance(value, ListValueNode) else 1
            self._index[id(field)] = len(self.page_sizes)
            self.page_sizes.append(
                PageSize(
                    field.name.value,
                    paged.argument,
                    literal,
                    value.name.value if isinstance(value, VariableNode) else None,
                    paged.per_item,
                )
            )
        return self._index[id(field)]


def cost_of(terms: CostTerms, sizes: list[int]) -> int:
    total = 0
    for indexes, count in terms.items():
        product = count
        for index in indexes:
            product *= sizes[index]
        total += product
    return total
