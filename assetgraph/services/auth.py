"""Identity use cases: who is calling, and creating users and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from assetgraph.domain.tokens import new_token, token_hash
from assetgraph.persistence.database import Database
from assetgraph.persistence.repositories.users import UserRepository, token_owner

LOCAL_USER_EMAIL = "local@assetgraph.localhost"


@dataclass(frozen=True)
class Viewer:
    """The authenticated caller; every read and write is scoped to `user_id`."""

    user_id: int
    email: str


@dataclass(frozen=True)
class IssuedToken:
    user_id: int
    email: str
    token: str


class DatabaseUnavailableError(RuntimeError):
    """The database could not be reached, so nobody can be authenticated."""


class EmailTakenError(ValueError):
    """A user with this email already exists."""


async def authenticate(db: Database, bearer_token: str | None) -> Viewer | None:
    """The owner of a live token, or None for a missing, unknown or revoked one."""
    if not bearer_token:
        return None
    try:
        async with db.engine.begin() as connection:
            owner = await token_owner(connection, token_hash(bearer_token))
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseUnavailableError("the database is unavailable") from exc
    return Viewer(user_id=owner.user_id, email=owner.email) if owner else None


async def create_user(db: Database, email: str) -> IssuedToken:
    """A new user and its first token (the only time the token is visible)."""
    email = email.strip()
    if "@" not in email:
        raise ValueError("email must contain '@'")
    async with db.sessions() as session:
        users = UserRepository(session)
        if await users.find_by_email(email) is not None:
            raise EmailTakenError(f"a user with email {email!r} already exists")
        user = await users.add_user(email)
        token = new_token()
        await users.add_token(user.id, token_hash(token), name="initial")
        await session.commit()
    return IssuedToken(user_id=user.id, email=user.email, token=token)


async def create_token(db: Database, email: str, name: str | None = None) -> IssuedToken:
    """Another token for an existing user."""
    async with db.sessions() as session:
        users = UserRepository(session)
        user = await users.find_by_email(email)
        if user is None:
            raise LookupError(f"no user with email {email!r}")
        token = new_token()
        await users.add_token(user.id, token_hash(token), name=name)
        await session.commit()
    return IssuedToken(user_id=user.id, email=user.email, token=token)


async def revoke_token(db: Database, token: str) -> bool:
    async with db.sessions() as session:
        revoked = await UserRepository(session).revoke_token(token_hash(token))
        await session.commit()
    return revoked


async def ensure_first_user(db: Database) -> IssuedToken | None:
    """On an empty database, create the local user and return its token (to print once); else None."""
    async with db.sessions() as session:
        if await UserRepository(session).count() > 0:
            return None
    try:
        return await create_user(db, LOCAL_USER_EMAIL)
    except EmailTakenError:  # another process won the race
        return None
