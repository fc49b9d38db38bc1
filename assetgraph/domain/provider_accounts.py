"""Provider accounts: what is kept of one, and the rules every input about one must follow.

Credentials are a small JSON object of names to strings (`{"jwt": "..."}`, `{"api_key": "..."}`). They are a
secret: no rule here ever quotes a credential value back in a message, and no record carries them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from assetgraph.domain.enums import ProviderAccountStatus
from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors, UnknownProvider

MAX_LABEL_CHARS = 100
MAX_CREDENTIAL_ENTRIES = 10
MAX_CREDENTIAL_NAME_CHARS = 100
MAX_CREDENTIAL_BYTES = 8 * 1024
"""Largest credential value, in UTF-8 bytes: a JWT or a cookie header fits many times over."""
MAX_LAST_ERROR_CHARS = 1000
_SHOWN_NAME_CHARS = 40

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProviderAccountRecord:
    """One stored account as the API may show it: never its credentials, only whether it has any."""

    id: int
    user_id: int
    provider_id: str
    label: str
    status: ProviderAccountStatus
    last_error: str | None
    created_at: datetime
    has_credentials: bool


@dataclass(frozen=True)
class NewProviderAccount:
    provider_id: str
    label: str
    credentials: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class ProviderAccountChanges:
    """A valid update; None (and `clear_credentials` False) leaves that part as it is."""

    label: str | None = None
    credentials: dict[str, str] | None = field(default=None, repr=False)
    clear_credentials: bool = False
    status: ProviderAccountStatus | None = None


@dataclass(frozen=True)
class AccountState:
    """What an update writes besides the credentials."""

    label: str
    status: ProviderAccountStatus
    last_error: str | None


def clean_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise BadUserInput("label must not be empty.", field="label")
    if len(label) > MAX_LABEL_CHARS:
        raise BadUserInput(f"label must be at most {MAX_LABEL_CHARS} characters (got {len(label)}).", field="label")
    return label


def clean_provider_id(provider_id: str, known_provider: Callable[[str], bool]) -> str:
    if not provider_id.strip():
        raise BadUserInput("providerId must not be empty.", field="providerId")
    if not known_provider(provider_id):
        raise UnknownProvider(provider_id)
    return provider_id


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _name(name: str) -> str:
    # Names (jwt, api_key, cookies) are not secrets, but are still client text: quoted short.
    return name if len(name) <= _SHOWN_NAME_CHARS else name[: _SHOWN_NAME_CHARS - 1] + "…"


def _credential_value(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise BadUserInput(f"credentials '{_name(name)}' must be a string (got {_kind(value)}).", field="credentials")
    if not value:
        raise BadUserInput(f"credentials '{_name(name)}' must not be empty.", field="credentials")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_CREDENTIAL_BYTES:
        raise BadUserInput(
            f"credentials '{_name(name)}' is {size} bytes; at most {MAX_CREDENTIAL_BYTES} are kept.",
            field="credentials",
        )
    return value


def clean_credentials(credentials: object) -> dict[str, str]:
    """The credentials as kept; the first thing wrong with them, without quoting any value, otherwise."""
    if not isinstance(credentials, dict):
        raise BadUserInput(
            'credentials must be a JSON object of names to strings, such as {"api_key": "..."} '
            f"(got {_kind(credentials)}).",
            field="credentials",
        )
    if not 1 <= len(credentials) <= MAX_CREDENTIAL_ENTRIES:
        raise BadUserInput(
            f"credentials must hold 1 to {MAX_CREDENTIAL_ENTRIES} entries (got {len(credentials)}).",
            field="credentials",
        )
    cleaned: dict[str, str] = {}
    for name, value in credentials.items():
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_CREDENTIAL_NAME_CHARS:
            raise BadUserInput(
                f"credentials names must be 1 to {MAX_CREDENTIAL_NAME_CHARS} characters, not blank.",
                field="credentials",
            )
        cleaned[name] = _credential_value(name, value)
    return cleaned


def _checked(errors: list[ClientError], check: Callable[[], T]) -> T | None:
    try:
        return check()
    except ClientError as error:
        errors.append(error)
        return None


def validate_new_account(
    provider_id: str, label: str, credentials: object, known_provider: Callable[[str], bool]
) -> NewProviderAccount:
    """The account to add, or ClientErrors naming every field at fault (`providerId`, `label`, `credentials`)."""
    errors: list[ClientError] = []
    checked_provider = _checked(errors, lambda: clean_provider_id(provider_id, known_provider))
    checked_label = _checked(errors, lambda: clean_label(label))
    checked_credentials = _checked(errors, lambda: clean_credentials(credentials))
    if errors or checked_provider is None or checked_label is None or checked_credentials is None:
        raise ClientErrors(errors)
    return NewProviderAccount(checked_provider, checked_label, checked_credentials)


def _not_null(name: str, what: str) -> BadUserInput:
    return BadUserInput(f"{name} cannot be null: omit it to keep the current {what}.", field=name)


def validate_account_changes(given: Mapping[str, object]) -> ProviderAccountChanges:
    """The update the client asked for: `given` holds only the fields it sent (`label`, `credentials`, `status`),
    null included. A null `credentials` removes the stored credentials; a null label or status is refused."""
    errors: list[ClientError] = []
    label: str | None = None
    if "label" in given:
        value = given["label"]
        if isinstance(value, str):
            label = _checked(errors, lambda: clean_label(value))
        else:
            errors.append(_not_null("label", "label"))
    credentials: dict[str, str] | None = None
    clear = "credentials" in given and given["credentials"] is None
    if "credentials" in given and not clear:
        credentials = _checked(errors, lambda: clean_credentials(given["credentials"]))
    status: ProviderAccountStatus | None = None
    if "status" in given:
        if isinstance(given["status"], ProviderAccountStatus):
            status = given["status"]
        else:
            errors.append(_not_null("status", "status"))
    if errors:
        raise ClientErrors(errors)
    return ProviderAccountChanges(label=label, credentials=credentials, clear_credentials=clear, status=status)


def state_after(account: ProviderAccountRecord, changes: ProviderAccountChanges) -> AccountState:
    """What an account becomes: a status the client set wins; new credentials bring an account in `error` (its
    session expired, say) back to `active`; an active account has no last error."""
    status = account.status
    if changes.status is not None:
        status = changes.status
    elif changes.credentials is not None and account.status is ProviderAccountStatus.ERROR:
        status = ProviderAccountStatus.ACTIVE
    last_error = None if status is ProviderAccountStatus.ACTIVE else account.last_error
    return AccountState(label=changes.label or account.label, status=status, last_error=last_error)


def clip_last_error(message: str | None) -> str | None:
    """A provider's error message as kept on the account: bounded."""
    if message is None or len(message) <= MAX_LAST_ERROR_CHARS:
        return message
    return message[: MAX_LAST_ERROR_CHARS - 1] + "…"
