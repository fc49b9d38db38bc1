"""SQLAlchemy models of every table in SPEC section 3; `Base.metadata` is what Alembic compares against."""

from __future__ import annotations

from assetgraph.persistence.models.assets import Asset
from assetgraph.persistence.models.base import Base
from assetgraph.persistence.models.identity import ApiToken, ProviderAccount, User
from assetgraph.persistence.models.lineage import AssetBranch, AssetBranchVariant, AssetClip, AssetLineage
from assetgraph.persistence.models.lineage_jobs import LineageJob
from assetgraph.persistence.models.sync_jobs import SyncJob
from assetgraph.persistence.models.typed_metadata import (
    AdultMetadata,
    AudioMetadata,
    Model3DMetadata,
    TemporalSegment,
)

__all__ = [
    "AdultMetadata",
    "ApiToken",
    "Asset",
    "AssetBranch",
    "AssetBranchVariant",
    "AssetClip",
    "AssetLineage",
    "AudioMetadata",
    "Base",
    "LineageJob",
    "Model3DMetadata",
    "ProviderAccount",
    "SyncJob",
    "TemporalSegment",
    "User",
]
