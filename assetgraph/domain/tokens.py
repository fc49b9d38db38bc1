"""API tokens: random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "agt_"


def new_token() -> str:
    """A fresh bearer token with 256 bits of randomness."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a token. Tokens are high-entropy, so a plain SHA-256 is enough (no salt, no KDF)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
