"""Why a provider refused or failed an upload: the classification every upload attempt records (SPEC section 6)."""

from __future__ import annotations

from enum import StrEnum


class UploadErrorCode(StrEnum):
    SAFETY_REJECTED = "SAFETY_REJECTED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    RATE_LIMITED = "RATE_LIMITED"
    AUTH_FAILED = "AUTH_FAILED"
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"
    TIMEOUT = "TIMEOUT"
    UNKNOWN = "UNKNOWN"
