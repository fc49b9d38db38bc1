"""Query cost: how many objects an operation may ask for, from its page sizes, before anything runs.

cost = the sum, over every field that returns a page (each alias counted on its own), of its page size times the
page sizes of the paged fields it is nested in. `assets(first: 500) { nodes { uploadAttempts(last: 5) } }`
costs 500 + 500 x 5 = 3,000. A page size left out (or null) counts as what the field then returns.

A field answering one object per item of a list argument (`checkByHashes(sha256s:)`) is sized by the list's length:
its items cost nothing themselves (10,000 hashes are one SQL statement), but every paged field nested in them is
counted once per item, so `checkByHashes` of 10,000 hashes cannot ask each asset for its near-duplicates.

A list without a size argument (`Asset.parents`, `Asset.branches`, ...: list_budget.BUDGETED_LISTS) has the
data's size, not the query's: an image made into 500 videos has 500 children. No price fixed before execution both
lets a gallery page ask each asset for its lineage and refuses `children { asset { parents { asset { children ...
} } } }` on such a hub, so those lists are bounded while they run instead: all of them together answer at most
`Limits.max_list_items` items per operation (resolvers/list_budget.py). An entry keyed `field.child` prices `child`
only where it is selected directly in `field` (`lineage.edges`: a walk's edges, not the gallery's). Every list of
objects in the schema is priced here, budgeted, or named in UNPRICED_LISTS with the reason it needs neither
(tests/api/test_limits.py checks all three against the schema).
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
from assetgraph.domain.lineage_graph import MAX_EDGES_PER_ASSET, MAX_LINEAGE_NODES
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
    # A walk's edges are not capped on their own: each of its assets may have MAX_EDGES_PER_ASSET parents among the
    # others, so what is nested in its edges counts that many times more than what is nested in its nodes. The
    # edges themselves are part of the walk's cost.
    "lineage.edges": PagedField("", lambda _: MAX_EDGES_PER_ASSET, own_cost=0),
    "__schema": PagedField("", lambda _: 1, own_cost=SCHEMA_INTROSPECTION_COST),
}
"""Every field returning a page or one object per item of a list, by name (or `field.child`, see above;
tests/api/test_limits.py checks this against the schema)."""

UNPRICED_LISTS: Mapping[str, str] = {
    # Counted by the paged field they are the items of.
    "AssetConnection.nodes": "the page of `assets`: its page size",
    "AssetConnection.edges": "the page of `assets`: its page size",
    "SyncJobConnection.edges": "the page of `syncJobs`: its page size",
    "LineageGraph.nodes": "the walk of `lineage`: its MAX_LINEAGE_NODES assets multiply what is nested in them",
    "PixverseLibraryScan.items": "the items `pixverseSyncDryRun` lists: its `limit` per kind of item",
    # Bounded by the number of providers the server knows (a handful), scalars and one object each.
    "Asset.providerStates": "one per provider the asset is known at",
    "Asset.lastUploadStatusByProvider": "one per provider the asset was sent to",
    # The answer of one mutation about its own input, whose size is capped by that input's own limits; scalars only,
    # and mutations run one after another.
    "RefreshAssetLineagePayload.results": "one per asset refreshed (at most INLINE_REFRESH_MAX inline)",
    "RefreshModerationPayload.results": "one per id given (at most MAX_REFRESH_ASSETS)",
    "SyncPixverseAssetsPayload.items": "one per item imported (at most the mutation's `limit` per kind)",
    # The caller's own provider accounts: a few rows the caller added one by one, scalars only.
    "Query.providerAccounts": "the caller's provider accounts, each added by hand",
}
"""Every list of objects neither priced in PAGED_FIELDS nor budgeted, as `Type.field`, with the reason it needs no
bound of its own.
Payloads' `errors` lists (one UserError per problem of one input, scalars only) are left out by their type."""

UNPRICED_ITEM_TYPES = frozenset({"UserError"})
"""Lists of these need no price anywhere: a mutation's UserErrors name the problems of its one input."""


def cost_rule(limits: Limits) -> str:
    """How cost is counted, in words short enough to follow the cost in an error message (MAX_MESSAGE_CHARS)."""
    return (
        f"cost sums the size of each paged field (each alias) times the sizes of those it is in; an omitted size is "
        f"the default (`assets` {limits.default_page_size}, `uploadAttempts` {MAX_ATTEMPTS}, `similarAssets` "
        f"{DEFAULT_SIMILAR_LIMIT}); `checkByHashes` counts only what it nests, each `asset` 1; `lineage` "
        f"{LINEAGE_WALK_COST}, what its nodes nest x{MAX_LINEAGE_NODES}, its edges "
        f"x{MAX_LINEAGE_NODES * MAX_EDGES_PER_ASSET}; `__schema` {SCHEMA_INTROSPECTION_COST}; lists without a size "
        f"count nothing here but answer at most {limits.max_list_items} items in all"
    )


@dataclass(frozen=True)
class PageSize:
    """One paged field of a document and how its size is given: a literal, a variable, or neither (omitted)."""

    field: str
    """Its key in PAGED_FIELDS."""
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
        self._fragment_terms: dict[tuple[str, str], CostTerms] = {}  # by (name, parent)
        self._index: dict[tuple[int, str], int] = {}  # (id(FieldNode), its key) -> its index in page_sizes
        self.page_sizes: list[PageSize] = []

    def terms(self, selection_set: SelectionSetNode, parent: str = "") -> CostTerms:
        """The terms of the selections of the field named `parent` ("" at the root)."""
        terms: CostTerms = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                terms.update(self._field_terms(selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                terms.update(self.terms(selection.selection_set, parent))
            elif isinstance(selection, FragmentSpreadNode):
                terms.update(self._spread_terms(selection.name.value, parent))
        return terms

    def _spread_terms(self, name: str, parent: str) -> CostTerms:
        key = (name, parent)
        if key not in self._fragment_terms:
            self._fragment_terms[key] = Counter()  # validation refused cycles; this only stops a loop
            fragment = self._fragments.get(name)
            if fragment is not None:
                self._fragment_terms[key] = self.terms(fragment.selection_set, parent)
        return self._fragment_terms[key]

    def _field_terms(self, field: FieldNode, parent: str) -> CostTerms:
        name = field.name.value
        inner = self.terms(field.selection_set, name) if field.selection_set else Counter()
        key = f"{parent}.{name}" if f"{parent}.{name}" in PAGED_FIELDS else name
        paged = PAGED_FIELDS.get(key)
        if paged is None:
            return inner
        index = self._page_size_index(field, key, paged)
        terms: CostTerms = Counter() if paged.per_item else Counter({(index,): 1})
        if paged.own_cost is not None:
            terms = Counter({(): paged.own_cost})
        for term, count in inner.items():
            terms[(index, *term)] += count
        return terms

    def _page_size_index(self, field: FieldNode, key: str, paged: PagedField) -> int:
        if (id(field), key) not in self._index:
            value = next((a.value for a in field.arguments or () if a.name.value == paged.argument), None)
            literal = int(value.value) if isinstance(value, IntValueNode) else None
            if paged.per_item and value is not None and not isinstance(value, VariableNode):
                # A list literal, or a single item that GraphQL coerces into a list of one.
                literal = len(value.values) if isinstance(value, ListValueNode) else 1
            self._index[id(field), key] = len(self.page_sizes)
            self.page_sizes.append(
                PageSize(
                    key,
                    paged.argument,
                    literal,
                    value.name.value if isinstance(value, VariableNode) else None,
                    paged.per_item,
                )
            )
        return self._index[id(field), key]


def cost_of(terms: CostTerms, sizes: list[int]) -> int:
    total = 0
    for indexes, count in terms.items():
        product = count
        for index in indexes:
            product *= sizes[index]
        total += product
    return total
