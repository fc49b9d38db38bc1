"""What an update makes of an account's status, and the credentials rules at their bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph.domain.enums import ProviderAccountStatus as S
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.provider_accounts import (
    ProviderAccountChanges,
    ProviderAccountRecord,
    clean_credentials,
    state_after,
)


def account(status: S, last_error: str | None) -> ProviderAccountRecord:
    return ProviderAccountRecord(1, 1, "pixverse", "Main", status, last_error, datetime.now(UTC), True)


NEW = {"jwt": "new"}

# (status before, last error before, changes) -> (status after, last error after)
CASES = [
    pytest.param(S.ERROR, "expired", ProviderAccountChanges(credentials=NEW), S.ACTIVE, None, id="renewed"),
    pytest.param(
        S.EXHAUSTED,
        "no credits",
        ProviderAccountChanges(credentials=NEW),
        S.EXHAUSTED,
        "no credits",
        id="credits are not credentials",
    ),
    pytest.param(S.DISABLED, None, ProviderAccountChanges(credentials=NEW), S.DISABLED, None, id="stays disabled"),
    pytest.param(
        S.ERROR,
        "expired",
        ProviderAccountChanges(credentials=NEW, status=S.DISABLED),
        S.DISABLED,
        "expired",
        id="chosen status wins",
    ),
    pytest.param(
        S.RATE_LIMITED,
        "slow down",
        ProviderAccountChanges(status=S.ACTIVE),
        S.ACTIVE,
        None,
        id="active clears the error",
    ),
    pytest.param(S.ERROR, "expired", ProviderAccountChanges(label="New"), S.ERROR, "expired", id="label only"),
    pytest.param(
        S.ERROR, "expired", ProviderAccountChanges(clear_credentials=True), S.ERROR, "expired", id="credentials removed"
    ),
]


@pytest.mark.parametrize(("before", "error_before", "changes", "after", "error_after"), CASES)
def test_status_after_an_update(
    before: S, error_before: str | None, changes: ProviderAccountChanges, after: S, error_after: str | None
) -> None:
    state = state_after(account(before, error_before), changes)
    assert (state.status, state.last_error, state.label) == (after, error_after, changes.label or "Main")


def test_credentials_at_their_bounds() -> None:
    assert clean_credentials({f"k{i}": "v" * 8192 for i in range(10)}) == {f"k{i}": "v" * 8192 for i in range(10)}
    assert clean_credentials({"n" * 100: "€" * 2730}) == {"n" * 100: "€" * 2730}  # 8190 bytes
    for too_much in [{"n" * 101: "v"}, {"jwt": "€" * 2731}, {" ": "v"}]:
        with pytest.raises(BadUserInput) as refused:
            clean_credentials(too_much)
        assert refused.value.field == "credentials"
        assert "€" not in refused.value.message
