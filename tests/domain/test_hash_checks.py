"""What checkByHash answers for one hash, given the asset found (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from assetgraph.domain.hash_checks import HashedAsset, checked_hash, invalid_hash
from assetgraph.domain.provider_status import AssetFacts
from tests.provider_status_cases import T0, T1, attempt, flag, metadata

HASH = "ab" * 32


def _asset(**columns: Any) -> HashedAsset:
    facts: dict[str, Any] = {
        "provider_id": "local",
        "provider_asset_id": None,
        "storage_key": f"sha256/{HASH}",
        "provider_uploads": {},
        "media_metadata": {},
    }
    return HashedAsset(id=7, facts=AssetFacts(**(facts | columns)))


ON_PIXVERSE = {"provider_id": "pixverse", "provider_asset_id": "v_1"}
ALSO_ON_SORA = {"provider_uploads": {"sora": {"id": "s_1", "url": "https://sora/s_1"}}}
SORA_FAILED = {"media_metadata": metadata([attempt("sora", "error", T0)])}
SORA_FLAGGED = {"provider_uploads": {"sora": {"id": "s_1"}}, "media_metadata": metadata(moderation={"sora": flag(T1)})}


@pytest.mark.parametrize(
    ("asset", "provider_id", "note", "uploaded_to"),
    [
        pytest.param(None, "pixverse", "Not in your library", [], id="not in the library"),
        pytest.param(None, None, "Not in your library", [], id="not in the library, no provider"),
        pytest.param(_asset(**ON_PIXVERSE), "pixverse", "Already on pixverse", ["pixverse"], id="on the provider"),
        pytest.param(
            _asset(**ON_PIXVERSE), "sora", "In your library; not uploaded to sora", ["pixverse"], id="not on sora"
        ),
        pytest.param(
            _asset(**ON_PIXVERSE, **ALSO_ON_SORA), "sora", "Already on sora", ["pixverse", "sora"], id="copy on sora"
        ),
        pytest.param(
            _asset(**ON_PIXVERSE, **ALSO_ON_SORA), None, "In your library; on pixverse, sora", ["pixverse", "sora"],
            id="no provider asked",
        ),
        pytest.param(_asset(), None, "In your library; not on any provider", [], id="local only, no provider asked"),
        pytest.param(_asset(**ON_PIXVERSE), "local", "Already in your library", ["pixverse"], id="asked about local"),
        pytest.param(_asset(), "local", "Already in your library", [], id="local file, asked about local"),
        pytest.param(
            _asset(**SORA_FAILED), "sora", "In your library; not uploaded to sora", [], id="upload to sora failed"
        ),
        pytest.param(
            _asset(**ON_PIXVERSE, **SORA_FLAGGED), "sora", "In your library; flagged by sora", ["pixverse"],
            id="flagged by sora",
        ),
    ],
)  # fmt: skip
def test_the_note_and_the_providers_holding_a_copy(
    asset: HashedAsset | None, provider_id: str | None, note: str, uploaded_to: list[str]
) -> None:
    check = checked_hash(HASH.upper(), asset, provider_id)
    assert (check.sha256, check.valid, check.exists, check.asset_id, check.error) == (
        HASH.upper(), True, asset is not None, asset.id if asset else None, None
    )  # fmt: skip
    assert (check.note, list(check.uploaded_to_providers)) == (note, uploaded_to)


def test_a_malformed_hash_is_answered_with_an_error_naming_its_field() -> None:
    check = invalid_hash("xyz", field="sha256s[4]")
    assert (check.sha256, check.valid, check.exists, check.asset_id, check.note) == (
        "xyz", False, False, None, "Not a SHA-256 hash"
    )  # fmt: skip
    assert check.error is not None
    assert (check.error.code, check.error.field) == ("BAD_USER_INPUT", "sha256s[4]")
    assert check.error.message == "'sha256s[4]' is not a SHA-256 hash: a SHA-256 hash is 64 hexadecimal characters."
