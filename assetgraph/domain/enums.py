"""The closed vocabularies of the data model (SPEC section 3)."""

from __future__ import annotations

from enum import StrEnum


class MediaType(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"
    MODEL_3D = "3d_model"


class ContentDomain(StrEnum):
    GENERAL = "general"
    ADULT = "adult"
    MEDICAL = "medical"
    SPORTS = "sports"
    FASHION = "fashion"
    EDUCATION = "education"


class ContentRating(StrEnum):
    GENERAL = "general"
    MATURE = "mature"
    ADULT = "adult"
    EXPLICIT = "explicit"


class UploadMethod(StrEnum):
    EXTENSION = "extension"
    LOCAL_FOLDERS = "local_folders"
    API = "api"
    WEB = "web"
    MOBILE = "mobile"
    SYNC = "sync"


class ProviderAccountStatus(StrEnum):
    ACTIVE = "active"
    EXHAUSTED = "exhausted"
    ERROR = "error"
    DISABLED = "disabled"
    RATE_LIMITED = "rate_limited"


class BranchType(StrEnum):
    MANUAL = "manual"
    AUTOMATIC = "automatic"
    CONDITIONAL = "conditional"
    RANDOM = "random"


LOCAL_PROVIDER_ID = "local"
"""The pseudo provider of files kept in the library only."""
