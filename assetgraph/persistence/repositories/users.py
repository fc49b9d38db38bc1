"""Users and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from assetgraph.persistence.models import ApiToken, User


@dataclass(frozen=True)
class TokenOwner:
    user_id: int
    email: str


# One statement per request: find the owner of a live token and, at most once a minute, stamp its use.
_AUTHENTICATE = text(
    """
    WITH token AS (
        SELECT id, user_id, last_used_at FROM api_tokens
        WHERE token_hash = :token_hash AND revoked_at IS NULL
    ), touched AS (
        UPDATE api_tokens SET last_used_at = now() FROM token
        WHERE api_tokens.id = token.id
          AND (token.last_used_at IS NULL OR token.last_used_at < now() - interval '60 seconds')
    )
    SELECT users.id, users.email FROM token JOIN users ON users.id = token.user_id
    """
)


async def token_owner(connection: AsyncConnection, token_hash: str) -> TokenOwner | None:
    """The owner of a live token; runs on every request, so on a bare connection rather than a session."""
    row = (await connection.execute(_AUTHENTICATE, {"token_hash": token_hash})).first()
    return TokenOwner(user_id=row[0], email=row[1]) if row else None


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_user(self, email: str) -> User:
        user = User(email=email)
        self._session.add(user)
        await self._session.flush()
        return user

    async def find_by_email(self, email: str) -> User | None:
        found = await self._session.scalars(select(User).where(func.lower(User.email) == email.lower()))
        return found.first()

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(User)) or 0)

    async def add_token(self, user_id: int, token_hash: str, name: str | None = None) -> ApiToken:
        token = ApiToken(user_id=user_id, token_hash=token_hash, name=name)
        self._session.add(token)
        await self._session.flush()
        return token

    async def revoke_token(self, token_hash: str) -> bool:
        result = await self._session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
            .returning(ApiToken.id)
        )
        return result.first() is not None
