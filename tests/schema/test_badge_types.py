"""The badge types' converters build instances without __init__: they must set every field, as __init__ would."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from assetgraph.domain import provider_status as domain_status
from assetgraph.domain import upload_history
from assetgraph.schema.provider_status import (
    ProviderState,
    ProviderStatus,
    ProviderUploadStatus,
    UploadAttempt,
    UploadAttemptStatus,
)
from assetgraph.schema.scalars import JSON

ATTEMPT = upload_history.UploadAttempt(
    "sora", upload_history.AttemptStatus.ERROR, "2026-01-02T03:04:05.000006+00:00", "E1", "too big", "api", {"k": 1}
)


def _field_values(value: object) -> dict[str, object]:
    """Every dataclass field of `value` by name; raises AttributeError for a field left unset."""
    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}  # type: ignore[arg-type]


def test_an_upload_attempt_is_converted_as_init_builds_it() -> None:
    converted = UploadAttempt.from_domain(ATTEMPT)
    expected = UploadAttempt(
        provider_id="sora",
        status=UploadAttemptStatus.ERROR,
        error_code="E1",
        error_message="too big",
        at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        method="api",
        context=JSON({"k": 1}),
    )
    assert _field_values(converted) == _field_values(expected)
    assert vars(converted).keys() == vars(expected).keys()


def test_a_provider_state_is_converted_as_init_builds_it() -> None:
    state = domain_status.ProviderState("sora", ProviderStatus.FLAGGED, "v_1", "https://v", True, "nsfw", ATTEMPT)
    converted = ProviderState.from_domain(state)
    expected = ProviderState(
        provider_id="sora",
        status=ProviderStatus.FLAGGED,
        provider_asset_id="v_1",
        url="https://v",
        flagged=True,
        flag_reason="nsfw",
        last_attempt=UploadAttempt.from_domain(ATTEMPT),
    )
    assert _field_values(converted) == _field_values(expected)
    assert vars(converted).keys() == vars(expected).keys()


def test_a_provider_upload_status_is_built_as_init_builds_it() -> None:
    built = ProviderUploadStatus.of("sora", UploadAttemptStatus.SUCCESS)
    expected = ProviderUploadStatus(provider_id="sora", status=UploadAttemptStatus.SUCCESS)
    assert _field_values(built) == _field_values(expected)
    assert vars(built).keys() == vars(expected).keys()
