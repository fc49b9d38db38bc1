"""The typed per-request context: settings, the app's resources, the caller, and lazily built loaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from assetgraph.config import Settings
from assetgraph.domain.identity import Unauthenticated, Viewer
from assetgraph.domain.lineage_graph import MAX_EDGES_PER_ASSET
from assetgraph.domain.typed_metadata import MetadataKind
from assetgraph.resolvers.asset_part_loaders import (
    BranchesByAssetLoader,
    ClipsByAssetLoader,
    MetadataByAssetLoader,
    TemporalSegmentsByAssetLoader,
    VariantsByBranchLoader,
)
from assetgraph.resolvers.list_budget import ListBudget
from assetgraph.resolvers.loaders import (
    AssetByIdLoader,
    ChildEdgesByAssetLoader,
    ParentEdgesByAssetLoader,
    SimilarAssetsByAssetLoader,
)
from assetgraph.services.resources import Resources

L = TypeVar("L")


@dataclass
class Loaders:
    """Built on first use, inside the running event loop (aiodataloader binds the loop it is created in)."""

    resources: Resources
    user_id: int
    list_budget: ListBudget
    """What the operation's lists without a size argument may still answer (shared by their loaders)."""
    _asset_by_id: AssetByIdLoader | None = None
    _similar_assets: SimilarAssetsByAssetLoader | None = None
    _parent_edges: ParentEdgesByAssetLoader | None = None
    _child_edges: ChildEdgesByAssetLoader | None = None
    _parts: dict[object, Any] = field(default_factory=dict)

    @property
    def asset_by_id(self) -> AssetByIdLoader:
        if self._asset_by_id is None:
            self._asset_by_id = AssetByIdLoader(self.resources, self.user_id)
        return self._asset_by_id

    @property
    def similar_assets(self) -> SimilarAssetsByAssetLoader:
        if self._similar_assets is None:
            self._similar_assets = SimilarAssetsByAssetLoader(self.resources, self.user_id)
        return self._similar_assets

    @property
    def parent_edges(self) -> ParentEdgesByAssetLoader:
        if self._parent_edges is None:
            self._parent_edges = ParentEdgesByAssetLoader(
                self.resources, self.user_id, MAX_EDGES_PER_ASSET, self.list_budget
            )
        return self._parent_edges

    @property
    def child_edges(self) -> ChildEdgesByAssetLoader:
        if self._child_edges is None:
            self._child_edges = ChildEdgesByAssetLoader(
                self.resources, self.user_id, MAX_EDGES_PER_ASSET, self.list_budget
            )
        return self._child_edges

    # An asset's parts: one loader per kind, built on first use like the others.
    @property
    def branches_by_asset(self) -> BranchesByAssetLoader:
        return self._part(
            BranchesByAssetLoader, lambda: BranchesByAssetLoader(self.resources, self.user_id, self.list_budget)
        )

    @property
    def variants_by_branch(self) -> VariantsByBranchLoader:
        return self._part(
            VariantsByBranchLoader, lambda: VariantsByBranchLoader(self.resources, self.user_id, self.list_budget)
        )

    @property
    def clips_by_asset(self) -> ClipsByAssetLoader:
        return self._part(
            ClipsByAssetLoader, lambda: ClipsByAssetLoader(self.resources, self.user_id, self.list_budget)
        )

    @property
    def temporal_segments_by_asset(self) -> TemporalSegmentsByAssetLoader:
        return self._part(
            TemporalSegmentsByAssetLoader,
            lambda: TemporalSegmentsByAssetLoader(self.resources, self.user_id, self.list_budget),
        )

    def metadata_by_asset(self, kind: MetadataKind) -> MetadataByAssetLoader:
        return self._part(kind, lambda: MetadataByAssetLoader(self.resources, self.user_id, kind))

    def _part(self, key: object, build: Callable[[], L]) -> L:
        if key not in self._parts:
            self._parts[key] = build()
        loader: L = self._parts[key]
        return loader


@dataclass
class Context:
    settings: Settings
    resources: Resources
    viewer: Viewer | None
    request: Any = None
    response: Any = None
    connection_params: Any = None  # set by Strawberry from a WebSocket's connection_init payload
    # The bearer token a WebSocket authenticated with, checked again before each of its operations.
    credential: str | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise Unauthenticated()
        return self.viewer

    @property
    def loaders(self) -> Loaders:
        viewer = self.require_viewer()
        if self._loaders is None:
            budget = ListBudget(self.settings.limits.max_list_items)
            self._loaders = Loaders(self.resources, viewer.user_id, budget)
        return self._loaders

    def for_operation(self) -> Context:
        """This context for one operation, with loaders (their cached rows, the list budget) of its own. An HTTP
        request's context serves one operation, but a WebSocket's serves every operation of the connection, several
        at once: shared loaders would answer one operation with another's rows and spend one budget for all."""
        return replace(self, _loaders=None)

    def reset_loaders(self) -> None:
        """Forget cached rows (and start a new list budget): a subscription's operation outlives the rows it read
        for one event."""
        self._loaders = None
