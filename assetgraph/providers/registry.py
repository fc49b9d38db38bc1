"""Which providers this server knows, by id, each adapter built once over the shared HTTP client.

"local" is not a provider: an upload to "local" keeps the file in the library only, and the service layer decides
that before it asks the registry for anything.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from assetgraph.config import Settings
from assetgraph.domain.errors import ClientError, ErrorCode
from assetgraph.providers.base import ProviderAdapter
from assetgraph.providers.http import ProviderHttp, RetryPolicy
from assetgraph.providers.pixverse import PixverseAdapter
from assetgraph.providers.runway import RunwayAdapter
from assetgraph.providers.sora import SoraAdapter

MAX_QUOTED_ID_CHARS = 100


class UnknownProvider(ClientError):
    """The provider id names no provider this server knows."""

    code = ErrorCode.UNKNOWN_PROVIDER

    def __init__(self, provider_id: str, known: Iterable[str], *, field: str) -> None:
        shown = provider_id if len(provider_id) <= MAX_QUOTED_ID_CHARS else provider_id[:MAX_QUOTED_ID_CHARS] + "..."
        super().__init__(f"Unknown provider {shown!r}; known providers: {', '.join(known)}.", field=field)
        self.provider_id = provider_id


class ProviderRegistry:
    """The adapters by provider id."""

    def __init__(self, adapters: Iterable[ProviderAdapter] = ()) -> None:
        self._adapters: dict[str, ProviderAdapter] = {}
        for adapter in adapters:
            if adapter.provider_id in self._adapters:
                raise ValueError(f"two adapters for provider {adapter.provider_id!r}")
            self._adapters[adapter.provider_id] = adapter

    @classmethod
    def from_settings(cls, settings: Settings, client: httpx.AsyncClient) -> ProviderRegistry:
        """Pixverse, Sora and Runway at the configured base URLs, with the configured retry policy."""
        policy = RetryPolicy.from_settings(settings)

        def http(name: str, base_url: str) -> ProviderHttp:
            return ProviderHttp(client, name=name, base_url=base_url, policy=policy)

        return cls(
            [
                PixverseAdapter(http("Pixverse", settings.pixverse_base_url)),
                SoraAdapter(http("Sora", settings.sora_base_url)),
                RunwayAdapter(http("Runway", settings.runway_base_url)),
            ]
        )

    def get(self, provider_id: str) -> ProviderAdapter | None:
        return self._adapters.get(provider_id)

    def require(self, provider_id: str, *, field: str = "providerId") -> ProviderAdapter:
        """The adapter for `provider_id`; an UnknownProvider client error naming `field` when there is none."""
        adapter = self._adapters.get(provider_id)
        if adapter is None:
            raise UnknownProvider(provider_id, self.ids(), field=field)
        return adapter

    def ids(self) -> list[str]:
        """The known provider ids, sorted."""
        return sorted(self._adapters)

    def __contains__(self, provider_id: object) -> bool:
        return provider_id in self._adapters
