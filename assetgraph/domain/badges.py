"""The gallery badges of one asset: its state at each provider it is known at, and its last upload status per
provider.

Either read from what PostgreSQL derived (`assetgraph_provider_badges`, which a gallery page showing badges selects)
or derived here by `summarize`: tests/persistence/test_provider_badges_agreement.py proves the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain import json_text
from assetgraph.domain.provider_status import AssetFacts, ProviderState, badges_from_sql, first_flag_reason, summarize
from assetgraph.domain.upload_history import AttemptStatus


@dataclass(slots=True)
class Badges:
    """Read-only by convention (see provider_status.Moderation)."""

    states: tuple[ProviderState, ...]
    """One per provider the asset is known at: the primary provider first, then the others by id."""
    last_status_by_provider: dict[str, AttemptStatus] | None
    """None when the stored map is missing or not an object."""

    @property
    def flag_reason(self) -> str | None:
        return first_flag_reason(self.states)


def badges_from_text(derived_text: str) -> Badges:
    """The badges as PostgreSQL derived them, from the JSON text of `assetgraph_provider_badges`."""
    states, last_statuses = badges_from_sql(json_text.loads(derived_text))
    return Badges(states, last_statuses)


def derive_badges(facts: AssetFacts) -> Badges:
    """The badges derived here, by the rule."""
    summary = summarize(facts)
    return Badges(summary.states, summary.history.last_status_by_provider)
