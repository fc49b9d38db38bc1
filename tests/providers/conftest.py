"""Fixtures of the provider tests: adapters over one HTTP client, pointed at the session's sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from assetgraph.config import Settings
from assetgraph.providers.http import build_client
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox
from tests.support import FAST_PROVIDER_SETTINGS


@pytest.fixture
def provider_settings(sandbox: RunningSandbox) -> Settings:
    """Settings pointing at the sandbox with quick retries (no database needed)."""
    return Settings(**sandbox.settings_overrides(), **FAST_PROVIDER_SETTINGS)


@pytest.fixture
async def provider_client(provider_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with build_client(provider_settings) as client:
        yield client


@pytest.fixture
def providers(provider_settings: Settings, provider_client: httpx.AsyncClient) -> ProviderRegistry:
    return ProviderRegistry.from_settings(provider_settings, provider_client)
