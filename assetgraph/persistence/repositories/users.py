"""Users and their API tokens."""

from __future__ import annotations

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.identity import Viewer
from assetgraph.persistence.models import ApiToken, User

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


class UserRepository:
    """Users are returned as `Viewer` values: who a token or an email belongs to."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def token_owner(self, token_hash: str) -> Viewer | None:
        """The owner of a live token (and its use stamped); runs on every request."""
        row = (await self._connection.execute(_AUTHENTICATE, {"token_hash": token_hash})).first()
        return Viewer(user_id=row[0], email=row[1]) if row else None

    async def add_user(self, email: str) -> Viewer:
        """Raises IntegrityError when the email (case-insensitively) is taken."""
        row = (await self._connection.execute(insert(User).values(email=email).returning(User.id, User.email))).one()
        return Viewer(user_id=row[0], email=row[1])

    async def find_by_email(self, email: str) -> Viewer | None:
        query = select(User.id, User.email).where(func.lower(User.email) == email.lower())
        row = (await self._connection.execute(query)).first()
        return Viewer(user_id=row[0], email=row[1]) if row else None

    async def count(self) -> int:
        return int(await self._connection.scalar(select(func.count()).select_from(User)) or 0)

    async def add_token(self, user_id: int, token_hash: str, name: str | None = None) -> None:
        await self._connection.execute(insert(ApiToken).values(user_id=user_id, token_hash=token_hash, name=name))

    async def revoke_token(self, token_hash: str) -> bool:
        result = await self._connection.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
            .returning(ApiToken.id)
        )
        return result.first() is not None
