"""The tolerant reader of upload history, timestamp formatting and the shape of a new attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetgraph.domain.upload_history import (
    AttemptStatus,
    UploadAttempt,
    UploadHistory,
    format_utc,
    has_failed_upload,
    last_attempt_for,
    new_attempt_entry,
    read_upload_history,
)

AT = "2026-01-02T03:04:05.123456+00:00"
EMPTY = UploadHistory(attempts=(), last_status_by_provider=None)


@pytest.mark.parametrize(
    "media_metadata",
    [
        pytest.param(None, id="missing media metadata reads as empty"),
        pytest.param([{"upload_history": {}}], id="media metadata that is a list reads as empty"),
        pytest.param("upload_history", id="media metadata that is a string reads as empty"),
        pytest.param(3.5, id="media metadata that is a number reads as empty"),
        pytest.param({}, id="media metadata without upload history reads as empty"),
        pytest.param({"upload_history": "x"}, id="an upload history that is a string reads as empty"),
        pytest.param({"upload_history": {}}, id="an upload history without fields reads as empty"),
        pytest.param({"upload_history": {"upload_attempts": {"0": {}}}}, id="attempts that are an object are none"),
    ],
)
def test_malformed_containers_read_as_an_empty_history(media_metadata: object) -> None:
    assert read_upload_history(media_metadata) == EMPTY


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("sora", id="an attempt that is a string is skipped"),
        pytest.param(["sora", "success"], id="an attempt that is a list is skipped"),
        pytest.param({"status": "success", "at": AT}, id="an attempt without provider is skipped"),
        pytest.param({"provider_id": "", "status": "success"}, id="an attempt with an empty provider is skipped"),
        pytest.param({"provider_id": 7, "status": "success"}, id="an attempt with a numeric provider is skipped"),
        pytest.param({"provider_id": "sora"}, id="an attempt without status is skipped"),
        pytest.param({"provider_id": "sora", "status": "Success"}, id="a status in another case is skipped"),
        pytest.param({"provider_id": "sora", "status": "rejected"}, id="an unknown status is skipped"),
    ],
)
def test_unreadable_attempts_are_skipped(entry: object) -> None:
    raw = {"upload_history": {"upload_attempts": [entry, {"provider_id": "runway", "status": "error"}]}}

    history = read_upload_history(raw)

    assert [a.provider_id for a in history.attempts] == ["runway"]


def test_optional_fields_of_the_wrong_type_read_as_none() -> None:
    raw = {
        "upload_history": {
            "upload_attempts": [
                {
                    "provider_id": "sora",
                    "status": "error",
                    "at": 17,
                    "error_code": 429,
                    "error_message": ["x"],
                    "method": None,
                    "context": "ctx",
                },
            ]
        }
    }

    [attempt] = read_upload_history(raw).attempts

    assert attempt == UploadAttempt("sora", AttemptStatus.ERROR, None, None, None, None, None)


def test_a_well_formed_history_reads_in_stored_order() -> None:
    first = new_attempt_entry(
        "sora",
        AttemptStatus.ERROR,
        "quota",
        "no credits",
        "api",
        {"job": "j1"},
        datetime(2026, 1, 2, tzinfo=UTC),
    )
    second = new_attempt_entry("sora", AttemptStatus.SUCCESS, None, None, None, None, datetime(2026, 1, 3, tzinfo=UTC))
    raw = {
        "upload_history": {
            "upload_attempts": [first, second],
            "last_upload_status_by_provider": {"sora": "success", "runway": "error"},
        }
    }

    history = read_upload_history(raw)

    assert [a.status for a in history.attempts] == [AttemptStatus.ERROR, AttemptStatus.SUCCESS]
    assert history.attempts[0] == UploadAttempt(
        "sora",
        AttemptStatus.ERROR,
        "2026-01-02T00:00:00.000000+00:00",
        "quota",
        "no credits",
        "api",
        {"job": "j1"},
    )
    assert last_attempt_for(history, "sora") == history.attempts[1]
    assert last_attempt_for(history, "runway") is None
    assert history.last_status_by_provider == {"sora": AttemptStatus.SUCCESS, "runway": AttemptStatus.ERROR}


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        pytest.param(["sora", "error"], None, id="a last status map that is a list reads as unknown"),
        pytest.param("error", None, id="a last status map that is a string reads as unknown"),
        pytest.param(
            {"sora": "failed", "runway": None, "pika": "error"},
            {"pika": AttemptStatus.ERROR},
            id="last statuses other than success or error are dropped",
        ),
        pytest.param({}, {}, id="an empty last status map is known to be empty"),
    ],
)
def test_last_status_by_provider(last: object, expected: dict[str, AttemptStatus] | None) -> None:
    history = read_upload_history({"upload_history": {"last_upload_status_by_provider": last}})

    assert history.last_status_by_provider == expected


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        pytest.param({"sora": "success", "runway": "error"}, True, id="one provider whose last upload failed"),
        pytest.param({"sora": "success"}, False, id="every last upload succeeded"),
        pytest.param(["error"], False, id="a malformed map shows no failure"),
    ],
)
def test_has_failed_upload(last: object, expected: bool) -> None:
    assert has_failed_upload(read_upload_history({"upload_history": {"last_upload_status_by_provider": last}})) is (
        expected
    )


def test_format_utc_always_writes_microseconds() -> None:
    assert format_utc(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000000+00:00"
    assert format_utc(datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)) == AT


def test_format_utc_converts_to_utc() -> None:
    paris_winter = timezone(timedelta(hours=1))

    assert format_utc(datetime(2026, 1, 2, 4, 4, 5, 123456, tzinfo=paris_winter)) == AT


def test_format_utc_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_utc(datetime(2026, 1, 2, 3, 4, 5))


# Bounded so that converting to UTC cannot leave datetime's range (year 1 at +01:00 would).
_aware = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones())


@given(_aware, _aware)
def test_formatted_timestamps_have_a_fixed_width_and_order_as_strings(a: datetime, b: datetime) -> None:
    formatted_a, formatted_b = format_utc(a), format_utc(b)

    assert len(formatted_a) == len(AT)
    assert (formatted_a < formatted_b) == (a < b)


def test_new_attempt_entry_has_exactly_the_spec_shape() -> None:
    entry = new_attempt_entry(
        "sora",
        AttemptStatus.ERROR,
        "quota_exceeded",
        "no credits left",
        "extension",
        {"job_id": "j1"},
        datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    )

    assert entry == {
        "provider_id": "sora",
        "status": "error",
        "error_code": "quota_exceeded",
        "error_message": "no credits left",
        "at": AT,
        "method": "extension",
        "context": {"job_id": "j1"},
    }


def test_new_attempt_entry_leaves_out_optional_keys_that_are_none() -> None:
    entry: dict[str, Any] = new_attempt_entry(
        "sora",
        AttemptStatus.SUCCESS,
        None,
        None,
        None,
        None,
        datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    )

    assert entry == {"provider_id": "sora", "status": "success", "at": AT}
    assert isinstance(entry["status"], str) and type(entry["status"]) is str


def test_new_attempt_entry_rejects_what_the_reader_would_skip() -> None:
    with pytest.raises(ValueError):
        new_attempt_entry("", AttemptStatus.SUCCESS, None, None, None, None, datetime(2026, 1, 2, tzinfo=UTC))
    with pytest.raises(ValueError):
        new_attempt_entry("sora", AttemptStatus.SUCCESS, None, None, None, None, datetime(2026, 1, 2))


def test_an_entry_without_a_time_is_left_for_its_writer_to_stamp() -> None:
    entry = new_attempt_entry("sora", AttemptStatus.ERROR, "TIMEOUT", None, None, None)
    assert entry == {"provider_id": "sora", "status": "error", "error_code": "TIMEOUT"}
