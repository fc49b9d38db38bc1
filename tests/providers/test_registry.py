"""The registry: which provider ids exist, and an unknown one as the caller's error."""

from __future__ import annotations

import pytest

from assetgraph.config import Settings
from assetgraph.domain.errors import ErrorCode
from assetgraph.providers.registry import ProviderRegistry, UnknownProvider
from assetgraph.services.resources import open_resources


def test_the_known_providers(providers: ProviderRegistry) -> None:
    assert providers.ids() == ["pixverse", "runway", "sora"]
    assert all(providers.get(p) is not None and providers.get(p).provider_id == p for p in providers.ids())  # type: ignore[union-attr]
    # "local" keeps a file in the library only: no adapter, the service layer handles it
    assert providers.get("local") is None and "local" not in providers


def test_an_unknown_provider_is_the_callers_error(providers: ProviderRegistry) -> None:
    with pytest.raises(UnknownProvider) as raised:
        providers.require("midjourney" + "x" * 500, field="input.providerId")
    error = raised.value
    assert error.extensions == {"code": ErrorCode.UNKNOWN_PROVIDER.value, "field": "input.providerId"}
    assert error.message.startswith("Unknown provider 'midjourneyxxx")
    assert error.message.endswith("known providers: pixverse, runway, sora.")
    assert len(error.message) < 200  # the id is quoted, bounded


def test_two_adapters_for_one_provider_are_refused(providers: ProviderRegistry) -> None:
    pixverse = providers.require("pixverse")
    with pytest.raises(ValueError, match="two adapters"):
        ProviderRegistry([pixverse, pixverse])


async def test_resources_hold_the_registry_and_close_the_shared_client(settings: Settings, database_url: str) -> None:
    # When the app's resources are opened and closed
    async with open_resources(settings, database_url) as resources:
        client = resources.http_client
        assert client is not None and not client.is_closed
        assert resources.providers.ids() == ["pixverse", "runway", "sora"]
        # The client has explicit timeouts from the settings
        assert (client.timeout.connect, client.timeout.read) == (
            settings.provider_connect_timeout,
            settings.provider_read_timeout,
        )
    # Then the shared client is closed with them
    assert client.is_closed
