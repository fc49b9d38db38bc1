"""The compiled execution path's entry point for the schema (its parts are in `assetgraph.schema.compiled`)."""

from __future__ import annotations

from assetgraph.schema.compiled.context import CompiledExecutionContext

__all__ = ["CompiledExecutionContext"]
