"""The gallery selection executed over a page already loaded: the executor's own cost, with no SQL and no HTTP.

One page of the bench user's assets is read once through the app's own service and converted once; each timed run
executes issue 11's selection (less `totalCount`, which is SQL) over it through a small schema whose root returns that
page, with Strawberry's stock execution context and with the compiled one, alternately.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.domain.asset_query import AssetFilter, PageRequest
from assetgraph.resolvers.assets import AssetPage
from assetgraph.schema.asset import Asset
from assetgraph.schema.compiled import CompiledExecutionContext
from assetgraph.schema.connections import AssetConnection
from assetgraph.schema.scalars import SCALAR_MAP
from assetgraph.services.assets import asset_page
from assetgraph.services.resources import Resources

SELECTION = """
query PageOnly {
  assets {
    edges { cursor node { id databaseId providerId providerStatus providerFlagged providerFlagReason
      lastUploadStatusByProvider { providerId status }
      providerStates { providerId status providerAssetId url flagged flagReason
        lastAttempt { providerId status errorCode errorMessage at method } } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@strawberry.type
class PageRoot:
    page: strawberry.Private[AssetPage]
    converted: strawberry.Private[list[Asset]]

    @strawberry.field
    def assets(self) -> AssetConnection:
        # A new connection per run (it memoizes its edges), over assets converted once.
        return AssetConnection(page=self.page, _assets=self.converted)


def _schema(context: type[StrawberryGraphQLCoreExecutionContext]) -> strawberry.Schema:
    return strawberry.Schema(
        query=PageRoot,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        extensions=[lambda: ParserCache(maxsize=16), lambda: ValidationCache(maxsize=16)],
        execution_context_class=context,
    )


async def execution_only(resources: Resources, user_id: int, warmup: int, runs: int) -> list[str]:
    """Lines to print: each executor's median per execution, and the ratio."""
    page = await asset_page(resources.unit_of_work(), user_id, PageRequest(first=100))
    rows, has_next = page.records, page.has_next
    root = PageRoot(
        page=AssetPage(rows, has_next, False, AssetFilter(), user_id), converted=[Asset.from_row(r) for r in rows]
    )
    schemas = {"stock": _schema(StrawberryGraphQLCoreExecutionContext), "compiled": _schema(CompiledExecutionContext)}
    answers: dict[str, Any] = {}
    for name, schema in schemas.items():
        result = await schema.execute(SELECTION, root_value=root)
        answers[name] = (result.data, result.errors)
    if answers["stock"] != answers["compiled"] or answers["stock"][1]:
        return ["execution only: the two executors' answers differ (or carry errors); not timed"]
    samples: dict[str, list[float]] = {name: [] for name in schemas}
    for run in range(warmup + runs):
        for name in schemas if run % 2 == 0 else reversed(schemas):
            start = time.perf_counter()
            await schemas[name].execute(SELECTION, root_value=root)
            if run >= warmup:
                samples[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) * 1000 for name, times in samples.items()}
    return [
        f"execution only ({len(rows)} assets loaded once, no SQL, no HTTP; {runs} runs each):",
        *(f"  {name:>8}: median {median[name]:6.2f} ms per execution" for name in schemas),
        f"  compiled / stock: {median['compiled'] / median['stock']:.2f}x",
    ]
