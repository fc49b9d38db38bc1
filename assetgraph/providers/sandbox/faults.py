"""The faults the sandbox can be told to inject, and how they are spelled.

A fault is chosen per account, by the credential itself (a Pixverse JWT or an API key reading `fault:<spec>`,
optionally followed by `#<anything>` to make distinct accounts with the same fault), or per request, by the header
`X-Sandbox-Fault: <spec>`, or queued on the sandbox object (`Sandbox.fail_next`). Specs:

    500, 502, 503, 504, 401, 403, ... any HTTP status 400-599: answer with that status
    429            429 without Retry-After          429:<seconds>  429 with Retry-After: <seconds>
    hang           read the body, then answer nothing until the client gives up
    safety         the provider's moderation refusal
    too_large      the provider's size-limit refusal (whatever the size)
    unsupported    the provider's unsupported-format refusal
    session_expired  Pixverse ErrCode 10005; 401 for the API-key providers

Any spec may end in `-once`: the account's first call fails so, the following ones succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CREDENTIAL_PREFIX = "fault:"
FAULT_HEADER = "X-Sandbox-Fault"


class FaultKind(StrEnum):
    STATUS = "status"
    RATE_LIMITED = "rate_limited"
    HANG = "hang"
    SAFETY = "safety"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    SESSION_EXPIRED = "session_expired"


_NAMED = {
    "hang": FaultKind.HANG,
    "safety": FaultKind.SAFETY,
    "too_large": FaultKind.TOO_LARGE,
    "unsupported": FaultKind.UNSUPPORTED,
    "session_expired": FaultKind.SESSION_EXPIRED,
}


class UnknownFaultError(ValueError):
    """A fault spec the sandbox does not know: a typo in a test should fail loudly, not pass silently."""


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    status: int = 200
    retry_after: str | None = None
    once: bool = False


def parse_fault(spec: str) -> Fault:
    """A fault from its spec (see the module's docstring); UnknownFaultError when it is none."""
    text = spec.strip()
    once = text.endswith("-once")
    if once:
        text = text.removesuffix("-once")
    if text in _NAMED:
        return Fault(_NAMED[text], once=once)
    status_text, _, argument = text.partition(":")
    if status_text.isdigit() and 400 <= int(status_text) <= 599:
        status = int(status_text)
        if status == 429:
            if argument and not argument.replace(".", "", 1).isdigit():
                raise UnknownFaultError(f"unknown Retry-After in sandbox fault {spec!r}")
            return Fault(FaultKind.RATE_LIMITED, 429, retry_after=argument or None, once=once)
        if not argument:
            return Fault(FaultKind.STATUS, status, once=once)
    raise UnknownFaultError(f"unknown sandbox fault {spec!r}")


def fault_of_credential(credential: str | None) -> Fault | None:
    """The fault a credential asks for (`fault:<spec>[#anything]`), None for an ordinary credential."""
    if not credential or not credential.startswith(CREDENTIAL_PREFIX):
        return None
    spec = credential.removeprefix(CREDENTIAL_PREFIX).split("#", 1)[0]
    return parse_fault(spec)
