"""The registered scenarios, run in this order. A new scenario is one module here plus one entry below."""

from __future__ import annotations

from bench.scenario import Scenario
from bench.scenarios import gallery_json, gallery_page, status_overview

SCENARIOS: tuple[Scenario, ...] = (
    gallery_page.SCENARIO,
    status_overview.SCENARIO,
    gallery_json.SCENARIO,
)
