"""Lineage edges between assets, and branching: branches, their variants, and clips."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from assetgraph.domain.enums import BranchType
from assetgraph.domain.relation_types import OperationType, RelationType
from assetgraph.persistence.models.base import Base, created_at_column, id_column, one_of


def _asset_fk(ondelete: str = "CASCADE", nullable: bool = False, index: bool = True) -> Mapped[Any]:
    return mapped_column(BigInteger, ForeignKey("assets.id", ondelete=ondelete), nullable=nullable, index=index)


class AssetLineage(Base):
    """One edge: `parent` fed `child` in the role `relation_type`."""

    __tablename__ = "asset_lineage"
    __table_args__ = (
        UniqueConstraint("child_asset_id", "parent_asset_id", "relation_type", "sequence_order"),
        one_of("relation_type", RelationType),
        one_of("operation_type", OperationType),
    )

    id: Mapped[int] = id_column()
    # The unique constraint's leading column serves lookups by child; parents get their own index.
    child_asset_id: Mapped[int] = _asset_fk(index=False)
    parent_asset_id: Mapped[int] = _asset_fk()
    relation_type: Mapped[str] = mapped_column(Text, nullable=False)
    operation_type: Mapped[str | None] = mapped_column(Text)
    parent_role: Mapped[str | None] = mapped_column(Text)
    operation_job_id: Mapped[str | None] = mapped_column(Text)
    parent_start_time: Mapped[float | None] = mapped_column(Float)
    parent_end_time: Mapped[float | None] = mapped_column(Float)
    parent_frame: Mapped[int | None] = mapped_column(Integer)
    transformation: Mapped[Any | None] = mapped_column(JSONB)
    sequence_order: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    created_at: Mapped[datetime] = created_at_column()


class AssetBranch(Base):
    __tablename__ = "asset_branches"
    __table_args__ = (one_of("branch_type", BranchType),)

    id: Mapped[int] = id_column()
    source_asset_id: Mapped[int] = _asset_fk()
    branch_time: Mapped[float | None] = mapped_column(Float)
    branch_frame: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    tag: Mapped[str | None] = mapped_column(Text)
    branch_type: Mapped[str] = mapped_column(Text, nullable=False, server_default=BranchType.MANUAL.value)
    game_metadata: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()


class AssetBranchVariant(Base):
    __tablename__ = "asset_branch_variants"

    id: Mapped[int] = id_column()
    branch_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("asset_branches.id", ondelete="CASCADE"), nullable=False, index=True
    )
    variant_asset_id: Mapped[int] = _asset_fk()
    name: Mapped[str] = mapped_column(Text, nullable=False)
    tag: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float, nullable=False, server_default="1.0")
    conditions: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()


class AssetClip(Base):
    __tablename__ = "asset_clips"

    id: Mapped[int] = id_column()
    source_asset_id: Mapped[int] = _asset_fk()
    start_time: Mapped[float] = mapped_column(Float, nullable=False)
    end_time: Mapped[float] = mapped_column(Float, nullable=False)
    tag: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    extracted_asset_id: Mapped[int | None] = _asset_fk(ondelete="SET NULL", nullable=True)
    playback_metadata: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
