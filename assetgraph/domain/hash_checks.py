"""What `checkByHash` answers for one hash: is the file in the caller's library, which providers hold it, and a note
a person can read. Which providers hold a copy is the provider status rule's answer (domain/provider_status.py):
the providers whose state is OK.

Notes, exactly:
- a malformed hash:                                   "Not a SHA-256 hash"
- not among the caller's assets:                      "Not in your library"
- in the library, no provider asked about:            "In your library; on <p1>, <p2>" (by the order of the
                                                      provider states: primary provider first, then by id), or
                                                      "In your library; not on any provider"
- in the library, asked about "local":                "Already in your library"
- in the library, provider p holds it (status OK):    "Already on <p>"
- in the library, p flagged it:                       "In your library; flagged by <p>"
- in the library, p does not hold it:                 "In your library; not uploaded to <p>"
"""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hashes import sha256_error
from assetgraph.domain.provider_status import (
    AssetFacts,
    ProviderState,
    ProviderStatus,
    is_remote_provider,
    summarize,
)

INVALID_HASH_NOTE = "Not a SHA-256 hash"
NOT_IN_LIBRARY_NOTE = "Not in your library"
IN_LIBRARY_NOTE = "Already in your library"
NOT_ON_ANY_PROVIDER_NOTE = "In your library; not on any provider"


@dataclass(frozen=True, slots=True)
class HashedAsset:
    """What a hash check needs of an asset: its id and the provider status rule's inputs."""

    id: int
    facts: AssetFacts


@dataclass(frozen=True, slots=True)
class HashCheck:
    """The answer for one hash, in the order and spelling the caller gave it."""

    sha256: str
    asset_id: int | None
    """The caller's asset with this content, if any."""
    uploaded_to_providers: tuple[str, ...]
    note: str
    error: BadUserInput | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def exists(self) -> bool:
        return self.asset_id is not None


def invalid_hash(given: str, *, field: str) -> HashCheck:
    """The answer for a malformed hash: an error naming `field` (`sha256s[3]`), nothing looked up."""
    error = sha256_error(field)
    return HashCheck(sha256=given, asset_id=None, uploaded_to_providers=(), note=INVALID_HASH_NOTE, error=error)


def _note(states: tuple[ProviderState, ...], provider_id: str | None) -> str:
    held = [state.provider_id for state in states if state.status is ProviderStatus.OK]
    if provider_id is None:
        return f"In your library; on {', '.join(held)}" if held else NOT_ON_ANY_PROVIDER_NOTE
    if not is_remote_provider(provider_id):
        return IN_LIBRARY_NOTE
    status = next((state.status for state in states if state.provider_id == provider_id), None)
    if status is ProviderStatus.OK:
        return f"Already on {provider_id}"
    if status is ProviderStatus.FLAGGED:
        return f"In your library; flagged by {provider_id}"
    return f"In your library; not uploaded to {provider_id}"


def checked_hash(given: str, asset: HashedAsset | None, provider_id: str | None) -> HashCheck:
    """The answer for a well-formed hash: `asset` is the caller's asset with that hash, if any."""
    if asset is None:
        return HashCheck(sha256=given, asset_id=None, uploaded_to_providers=(), note=NOT_IN_LIBRARY_NOTE)
    states = summarize(asset.facts).states
    return HashCheck(
        sha256=given,
        asset_id=asset.id,
        uploaded_to_providers=tuple(s.provider_id for s in states if s.status is ProviderStatus.OK),
        note=_note(states, provider_id),
    )
