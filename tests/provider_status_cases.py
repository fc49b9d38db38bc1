"""The provider status rule's cases, shared by the domain test and the SQL agreement test: (facts, provider, status)."""

from __future__ import annotations

from typing import Any

import pytest

from assetgraph.domain.provider_status import AssetFacts, ProviderStatus

T0 = "2026-01-02T03:00:00.000000+00:00"
T1 = "2026-01-02T04:00:00.000000+00:00"
T2 = "2026-01-02T05:00:00.000000+00:00"
T3 = "2026-01-02T06:00:00.000000+00:00"

OK, LOCAL_ONLY, FLAGGED, UNKNOWN = (
    ProviderStatus.OK,
    ProviderStatus.LOCAL_ONLY,
    ProviderStatus.FLAGGED,
    ProviderStatus.UNKNOWN,
)


def attempt(provider_id: str, status: str, at: str) -> dict[str, Any]:
    return {"provider_id": provider_id, "status": status, "at": at}


def flag(at: object, reason: str = "video_status 7") -> dict[str, Any]:
    return {"flagged": True, "reason": reason, "at": at}


def metadata(attempts: list[Any] | None = None, last: object = None, moderation: object = None) -> dict[str, Any]:
    """media_metadata with history and moderation; `last` defaults to the attempts' last statuses."""
    attempts = attempts or []
    if last is None:
        last = {a["provider_id"]: a["status"] for a in attempts if isinstance(a, dict)}
    result: dict[str, Any] = {
        "upload_history": {"upload_attempts": attempts, "last_upload_status_by_provider": last},
    }
    if moderation is not None:
        result["provider_moderation"] = moderation
    return result


def sora(
    media_metadata: object = None,
    provider_asset_id: str | None = "v_1",
    storage_key: str | None = "sha256/ab",
    provider_uploads: object = None,
) -> AssetFacts:
    """An asset whose primary provider is sora."""
    return AssetFacts("sora", provider_asset_id, storage_key, provider_uploads, media_metadata)


UPLOADED = [attempt("sora", "success", T0)]

# (facts, provider asked about, expected status)
RULE_CASES = [
    pytest.param(
        AssetFacts(None, None, None, None, None),
        None,
        UNKNOWN,
        id="an asset with no provider and no stored file is unknown",
    ),
    pytest.param(
        AssetFacts(None, None, "sha256/ab", None, None),
        None,
        LOCAL_ONLY,
        id="an asset with no provider but a stored file is local only",
    ),
    pytest.param(
        AssetFacts("local", "local-7", "sha256/ab", None, None),
        "local",
        LOCAL_ONLY,
        id="a local primary provider with a stored file is local only",
    ),
    pytest.param(
        AssetFacts("local", "local-7", None, None, None),
        "local",
        UNKNOWN,
        id="a local primary provider without a stored file is unknown",
    ),
    pytest.param(sora(metadata(UPLOADED)), "sora", OK, id="the primary provider after a successful upload is ok"),
    pytest.param(sora(), "sora", OK, id="a primary provider asset id without any history is ok"),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "error", T1)])),
        "sora",
        LOCAL_ONLY,
        id="a failed upload after an earlier success is local only",
    ),
    pytest.param(
        sora(metadata([attempt("sora", "error", T1)]), None, None),
        "sora",
        LOCAL_ONLY,
        id="a failed upload is local only even without a stored file, never flagged",
    ),
    pytest.param(
        sora(metadata(UPLOADED, moderation={"sora": flag(T1)})),
        "sora",
        FLAGGED,
        id="an asset flagged after a successful upload is flagged",
    ),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "success", T2)], moderation={"sora": flag(T1)})),
        "sora",
        OK,
        id="an asset flagged and then re-uploaded successfully is ok",
    ),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "success", T1)], moderation={"sora": flag(T1)})),
        "sora",
        FLAGGED,
        id="a re-upload at the very instant of the flag does not clear it",
    ),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "success", T2)], moderation={"sora": flag(T3)})),
        "sora",
        FLAGGED,
        id="an asset flagged, re-uploaded, then flagged again later is flagged",
    ),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "error", T2)], moderation={"sora": flag(T1)})),
        "sora",
        FLAGGED,
        id="a flag outlives a later failed retry",
    ),
    pytest.param(
        sora(metadata([*UPLOADED, attempt("sora", "success", T2)], moderation={"sora": flag(None)})),
        "sora",
        FLAGGED,
        id="a flag without a time cannot be cleared by a re-upload",
    ),
    pytest.param(
        sora(metadata([attempt("pixverse", "success", T2)], moderation={"sora": flag(T1)})),
        "sora",
        FLAGGED,
        id="a re-upload to another provider does not clear the flag",
    ),
    pytest.param(
        sora(metadata(UPLOADED, moderation={"sora": {"flagged": False, "at": T1}})),
        "sora",
        OK,
        id="a moderation entry that is not flagged changes nothing",
    ),
    pytest.param(
        sora(metadata(UPLOADED), provider_asset_id=None),
        "sora",
        UNKNOWN,
        id="a claimed success with no recorded copy is unknown",
    ),
    pytest.param(sora(), "runway", LOCAL_ONLY, id="a provider never tried is local only when the file is stored here"),
    pytest.param(
        sora(storage_key=None),
        "runway",
        UNKNOWN,
        id="a provider never tried is unknown when nothing is stored here",
    ),
    pytest.param(
        sora(provider_asset_id=None, provider_uploads={"sora": {"id": 42}}),
        "sora",
        OK,
        id="a numeric id in provider uploads is a copy",
    ),
    pytest.param(
        sora(provider_asset_id="", provider_uploads={"sora": {"id": ""}}),
        "sora",
        LOCAL_ONLY,
        id="empty ids are no copy",
    ),
    # Malformed metadata never breaks the rule: what cannot be read counts as unknown.
    pytest.param(sora(["upload_history"]), "sora", OK, id="media metadata that is a list is ignored"),
    pytest.param(
        sora("oops", provider_asset_id=None),
        "sora",
        LOCAL_ONLY,
        id="media metadata that is a string is ignored",
    ),
    pytest.param(
        sora({"upload_history": "x", "provider_moderation": {"sora": flag(T0)}}),
        "sora",
        FLAGGED,
        id="an upload history that is a string does not hide a flag",
    ),
    pytest.param(
        sora(
            metadata(
                [
                    {"provider_id": "sora", "at": T2},
                    {"status": "success", "at": T2},
                    {"provider_id": "sora", "status": "success"},
                    "x",
                    7,
                ],
                last={},
                moderation={"sora": flag(T1)},
            )
        ),
        "sora",
        FLAGGED,
        id="attempts missing fields cannot clear a flag",
    ),
    pytest.param(
        sora(metadata([attempt("sora", "Success", T2)], last={}, moderation={"sora": flag(T1)})),
        "sora",
        FLAGGED,
        id="a status that is not exactly success cannot clear a flag",
    ),
    pytest.param(
        sora(metadata(UPLOADED, last=["sora", "error"])),
        "sora",
        OK,
        id="a last status map that is a list is ignored",
    ),
    pytest.param(
        sora(metadata(UPLOADED, last={"sora": "failed"})),
        "sora",
        OK,
        id="a last status that is neither success nor error is ignored",
    ),
    pytest.param(
        sora(metadata(UPLOADED, moderation={"sora": "flagged"})),
        "sora",
        OK,
        id="a moderation entry that is a string is ignored",
    ),
    pytest.param(
        sora(metadata(UPLOADED, moderation={"sora": {"flagged": "true", "at": T1}})),
        "sora",
        OK,
        id="flagged given as the string true is not a flag",
    ),
    pytest.param(
        sora(metadata(UPLOADED, moderation=["sora"])),
        "sora",
        OK,
        id="a moderation map that is a list is ignored",
    ),
    pytest.param(
        sora(provider_asset_id=None, provider_uploads=[{"id": "v_1"}]),
        "sora",
        LOCAL_ONLY,
        id="provider uploads that are a list hold nothing",
    ),
    pytest.param(
        sora(provider_asset_id=None, provider_uploads={"sora": {"id": True}}),
        "sora",
        LOCAL_ONLY,
        id="an upload id of true is not an id",
    ),
    pytest.param(
        sora(provider_asset_id=None, provider_uploads={"sora": "v_1"}),
        "sora",
        LOCAL_ONLY,
        id="an upload entry that is a string holds nothing",
    ),
]
