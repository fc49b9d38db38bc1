"""The retry rules and classifications on their own: Retry-After forms, backoff bounds, statuses, redaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.http import RetryPolicy, redact, retry_after_seconds, status_error_code

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (" 0.5 ", 0.5),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0),
        (format_datetime(NOW - timedelta(seconds=30), usegmt=True), 0.0),  # a date past: go now
        (None, None),
        ("", None),
        ("-1", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


def test_backoff_doubles_up_to_its_cap_with_jitter() -> None:
    policy = RetryPolicy(max_retries=5, backoff_base=0.5, backoff_max=4.0)
    for retry, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        delays = {policy.backoff(retry) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered: concurrent callers do not retry in step


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, UploadErrorCode.AUTH_FAILED),
        (403, UploadErrorCode.AUTH_FAILED),
        (408, UploadErrorCode.TIMEOUT),
        (413, UploadErrorCode.FILE_TOO_LARGE),
        (415, UploadErrorCode.UNSUPPORTED_FORMAT),
        (429, UploadErrorCode.RATE_LIMITED),
        (500, UploadErrorCode.PROVIDER_UNAVAILABLE),
        (503, UploadErrorCode.PROVIDER_UNAVAILABLE),
        (400, UploadErrorCode.UNKNOWN),
        (404, UploadErrorCode.UNKNOWN),
    ],
)
def test_statuses_have_a_classification(status: int, code: UploadErrorCode) -> None:
    assert status_error_code(status) == code


def test_redaction_hides_every_secret_and_bounds_the_text() -> None:
    assert redact("bad key sk-123 (sk-1234567)", ["sk-123", "sk-1234567", ""]) == "bad key [redacted] ([redacted])"
    assert len(redact("x" * 10_000, [])) <= 203
