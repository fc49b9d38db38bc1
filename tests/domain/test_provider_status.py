"""The provider status rule, case by case (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from assetgraph.domain.provider_status import (
    AssetFacts,
    Moderation,
    ProviderStatus,
    held_copy_id,
    is_remote_provider,
    new_moderation_entry,
    provider_status,
    read_moderation,
    summarize,
)
from assetgraph.domain.upload_history import AttemptStatus, last_attempt_for, read_upload_history
from tests.provider_status_cases import (
    FLAGGED,
    LOCAL_ONLY,
    OK,
    RULE_CASES,
    T0,
    T1,
    T2,
    UNKNOWN,
    UPLOADED,
    attempt,
    flag,
    metadata,
    sora,
)
from tests.strategies import asset_facts


@pytest.mark.parametrize(("facts", "provider_id", "expected"), RULE_CASES)
def test_provider_status(facts: AssetFacts, provider_id: str | None, expected: ProviderStatus) -> None:
    assert provider_status(facts, provider_id) is expected


def test_the_summary_status_is_the_primary_providers() -> None:
    assert summarize(sora(metadata(UPLOADED, moderation={"sora": flag(T1)}))).status is FLAGGED
    assert summarize(AssetFacts(None, None, "sha256/ab", None, None)).status is LOCAL_ONLY


MIXED = AssetFacts(
    provider_id="sora",
    provider_asset_id="v_1",
    storage_key="sha256/ab",
    provider_uploads={"pixverse": {"id": 991, "url": "https://pix/v.mp4"}, "runway": {"id": "r_1", "url": 5}},
    media_metadata=metadata(
        [
            attempt("sora", "success", T0),
            attempt("pixverse", "success", T0),
            attempt("runway", "success", T0),
            attempt("runway", "error", T2),
            attempt("pika", "success", T1),
        ],
        moderation={"pixverse": flag(T1, reason="video_status 7"), "kling": {"flagged": False}},
    ),
)


def test_several_providers_each_get_their_own_state_primary_first() -> None:
    states = list(summarize(MIXED).states)

    assert [(s.provider_id, s.status) for s in states] == [
        ("sora", OK),
        ("kling", LOCAL_ONLY),
        ("pika", UNKNOWN),
        ("pixverse", FLAGGED),
        ("runway", LOCAL_ONLY),
    ]
    by_id = {s.provider_id: s for s in states}
    assert (by_id["pixverse"].provider_asset_id, by_id["pixverse"].url) == ("991", "https://pix/v.mp4")
    assert (by_id["pixverse"].flagged, by_id["pixverse"].flag_reason) == (True, "video_status 7")
    assert (by_id["runway"].provider_asset_id, by_id["runway"].url) == ("r_1", None)
    assert by_id["runway"].last_attempt is not None
    assert by_id["runway"].last_attempt.status is AttemptStatus.ERROR
    assert (by_id["sora"].provider_asset_id, by_id["sora"].flagged, by_id["sora"].flag_reason) == (
        "v_1",
        False,
        None,
    )
    assert by_id["kling"].last_attempt is None
    assert summarize(MIXED).flagged


def test_local_and_empty_provider_ids_get_no_state() -> None:
    facts = AssetFacts(
        "local",
        "x",
        "sha256/ab",
        {"local": {"id": "x"}, "": {"id": "y"}},
        metadata(moderation={"local": flag(T0), "": flag(T0)}),
    )

    assert list(summarize(facts).states) == []
    assert not summarize(facts).flagged


def test_a_cleared_flag_is_not_flagged_anywhere_and_keeps_no_reason() -> None:
    facts = sora(metadata([*UPLOADED, attempt("sora", "success", T2)], moderation={"sora": flag(T1)}))

    [state] = list(summarize(facts).states)

    assert (state.status, state.flagged, state.flag_reason) == (OK, False, None)
    assert not summarize(facts).flagged


def test_read_moderation_keeps_only_well_formed_fields() -> None:
    raw = {"provider_moderation": {"a": {"flagged": 1, "reason": 3, "at": None}, "b": "x", "c": flag(T0)}}

    moderation = read_moderation(raw)

    assert set(moderation) == {"a", "c"}
    assert (moderation["a"].flagged, moderation["a"].reason, moderation["a"].at) == (False, None, None)
    assert (moderation["c"].flagged, moderation["c"].reason, moderation["c"].at) == (
        True,
        "video_status 7",
        T0,
    )


def test_summary_gives_the_primary_status_and_the_first_flag_reason() -> None:
    facts = sora(
        metadata(UPLOADED, moderation={"sora": flag(T1, reason="primary reason"), "pixverse": flag(T1, "other")}),
        provider_uploads={"pixverse": {"id": "p_1"}},
    )

    summary = summarize(facts)

    assert summary.status is FLAGGED
    assert [(s.provider_id, s.status) for s in summary.states] == [("sora", FLAGGED), ("pixverse", FLAGGED)]
    assert (summary.flagged, summary.flag_reason) == (True, "primary reason")
    assert summary.history.attempts[0].provider_id == "sora"


def test_summary_of_an_asset_without_a_remote_provider() -> None:
    summary = summarize(AssetFacts("local", None, "sha256/ab", None, "not an object"))

    assert (summary.status, summary.states, summary.flagged, summary.flag_reason) == (LOCAL_ONLY, (), False, None)
    assert summary.history.last_status_by_provider is None


def test_new_moderation_entry_is_read_back_as_written() -> None:
    entry = new_moderation_entry(True, "video_status 7", datetime(2026, 1, 2, 4, tzinfo=UTC))

    assert entry == {"flagged": True, "reason": "video_status 7", "at": T1}
    assert read_moderation({"provider_moderation": {"sora": entry}})["sora"] == Moderation(True, "video_status 7", T1)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(asset_facts())
def test_the_summary_agrees_with_the_rule_asked_provider_by_provider(facts: AssetFacts) -> None:
    # summarize reads the metadata once and shares each provider's upload entry between the rule and the state; the
    # one-provider functions read everything afresh. Both must tell the same story for any stored facts.
    history = read_upload_history(facts.media_metadata)
    moderation = read_moderation(facts.media_metadata)
    summary = summarize(facts)

    assert summary.status == provider_status(facts, facts.provider_id)
    assert summary.history == history
    for state in summary.states:
        flag = moderation.get(state.provider_id)
        assert state.status == provider_status(facts, state.provider_id)
        assert state.provider_asset_id == held_copy_id(facts, state.provider_id)
        assert state.last_attempt == last_attempt_for(history, state.provider_id)
        assert state.flagged == (state.status is FLAGGED)
        assert state.flag_reason == (flag.reason if state.flagged and flag is not None else None)
    known = {a.provider_id for a in history.attempts} | set(moderation) | set(history.last_status_by_provider or {})
    if isinstance(facts.provider_uploads, dict):
        known |= {key for key in facts.provider_uploads if isinstance(key, str)}
    primary = [facts.provider_id] if is_remote_provider(facts.provider_id) else []
    others = sorted(p for p in known if is_remote_provider(p) and p not in primary)
    assert [state.provider_id for state in summary.states] == primary + others
