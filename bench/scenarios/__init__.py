"""The registered scenarios, run in this order. A new scenario is one module here plus one entry below."""

from __future__ import annotations

from bench.harness import Scenario
from bench.scenarios import gallery, hashes, lineage, status_overview

SCENARIOS: tuple[Scenario, ...] = (
    gallery.GALLERY_PAGE,
    status_overview.SCENARIO,
    gallery.GALLERY_JSON,
    hashes.SCENARIO,
    lineage.SCENARIO,
)
