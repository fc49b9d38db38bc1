"""Is this file already in my library, and on which providers? Answered for one hash or a whole folder's."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hash_checks import HashCheck, checked_hash, invalid_hash
from assetgraph.domain.hashes import MAX_HASHES_PER_CHECK, normalize_sha256
from assetgraph.persistence.unit_of_work import UnitOfWork


def _check_provider_id(provider_id: str | None) -> None:
    if provider_id == "":
        raise BadUserInput(
            "'providerId' must not be empty; leave it out to ask about every provider.", field="providerId"
        )


async def _answers(
    uow: UnitOfWork, user_id: int, hashes: Sequence[tuple[str, str]], provider_id: str | None
) -> list[HashCheck]:
    """`hashes` are (the hash as given, the field that gave it) pairs."""
    normalized = [normalize_sha256(given) for given, _ in hashes]
    wanted = sorted({sha256 for sha256 in normalized if sha256 is not None})
    found = {}
    if wanted:
        async with uow:
            found = await uow.asset_hashes.by_sha256s(user_id, wanted)
    return [
        checked_hash(given, found.get(sha256), provider_id) if sha256 is not None else invalid_hash(given, field=field)
        for (given, field), sha256 in zip(hashes, normalized, strict=True)
    ]


async def check_hashes(
    uow: UnitOfWork, user_id: int, sha256s: Sequence[str], provider_id: str | None
) -> list[HashCheck]:
    """One answer per hash, in the given order: a malformed hash is answered with an error naming `sha256s[i]`,
    the others are looked up among the caller's assets (another user's identical file reads as not existing).

    One SQL statement whatever the count, and a read only: it never touches `last_accessed_at`. Raises
    BadUserInput for more than MAX_HASHES_PER_CHECK hashes or an empty `provider_id`.
    """
    if len(sha256s) > MAX_HASHES_PER_CHECK:
        raise BadUserInput(
            f"'sha256s' may hold at most {MAX_HASHES_PER_CHECK} hashes (got {len(sha256s)})", field="sha256s"
        )
    _check_provider_id(provider_id)
    return await _answers(uow, user_id, [(h, f"sha256s[{i}]") for i, h in enumerate(sha256s)], provider_id)


async def check_hash(uow: UnitOfWork, user_id: int, sha256: str, provider_id: str | None) -> HashCheck:
    """The answer for one hash, as `check_hashes` gives it; a malformed hash's error names `sha256`."""
    _check_provider_id(provider_id)
    (answer,) = await _answers(uow, user_id, [(sha256, "sha256")], provider_id)
    return answer
