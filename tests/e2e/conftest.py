"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assetgraph.persistence.embedded import stop_postmaster


@pytest.fixture
def embedded_data_dir(tmp_path: Path) -> Iterator[Path]:
    """An ASSETGRAPH_DATA_DIR of the test's own; a server a failing test leaves running there is stopped after it."""
    data_dir = tmp_path / "data"
    yield data_dir
    stop_postmaster(data_dir / "pg")
