"""The committed schema.graphql is the schema the server serves."""

from __future__ import annotations

from pathlib import Path

from assetgraph.schema.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text() == export_sdl(), (
        "schema.graphql is stale: run `make schema` (assetgraph export-schema > schema.graphql) and commit it"
    )
