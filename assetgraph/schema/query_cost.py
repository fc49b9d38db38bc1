"""Query cost: how many objects an operation may ask for, from its page sizes, before anything runs.

cost = the sum, over every field that returns a page (each alias counted on its own), of its page size times the
page sizes of the paged fields it is nested in. `assets(first: 500) { nodes { uploadAttempts(last: 5) } }`
costs 500 + 500 x 5 = 3,000. A page size left out (or null) counts as what the field then returns.
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
    SelectionSetNode,
    VariableNode,
)

from assetgraph.config import Limits
from assetgraph.domain.upload_history import MAX_ATTEMPTS


@dataclass(frozen=True)
class PagedField:
    argument: str
    """The argument that sizes the page."""
    size_when_omitted: Callable[[Limits], int]
    """How many objects the field returns when the argument is left out or null."""


PAGED_FIELDS: Mapping[str, PagedField] = {
    "assets": PagedField("first", lambda limits: limits.default_page_size),
    "uploadAttempts": PagedField("last", lambda _: MAX_ATTEMPTS),
}
"""Every field returning a page, by name (tests/api/test_limits.py checks this against the schema)."""


def cost_rule(limits: Limits) -> str:
    return (
        f"cost is the sum, over every paged field (each alias counted), of its page size times the page sizes of "
        f"the paged fields it is nested in; an omitted `first` counts {limits.default_page_size}, an omitted "
        f"`uploadAttempts(last:)` {MAX_ATTEMPTS}"
    )


@dataclass(frozen=True)
class PageSize:
    """One paged field of a document and how its size is given: a literal, a variable, or neither (omitted)."""

    field: str
    argument: str
    literal: int | None
    variable: str | None


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
        terms: CostTerms = Counter({(index,): 1})
        for key, count in inner.items():
            terms[(index, *key)] += count
        return terms

    def _page_size_index(self, field: FieldNode, paged: PagedField) -> int:
        if id(field) not in self._index:
            value = next((a.value for a in field.arguments or () if a.name.value == paged.argument), None)
            self._index[id(field)] = len(self.page_sizes)
            self.page_sizes.append(
                PageSize(
                    field.name.value,
                    paged.argument,
                    int(value.value) if isinstance(value, IntValueNode) else None,
                    value.name.value if isinstance(value, VariableNode) else None,
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
