"""Identity use cases: who is calling, and creating users and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assetgraph.domain.identity import Viewer
from assetgraph.domain.tokens import new_token, token_hash
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork

LOCAL_USER_EMAIL = "local@assetgraph.localhost"


@dataclass(frozen=True)
class IssuedToken:
    user_id: int
    email: str
    token: str


class DatabaseUnavailableError(RuntimeError):
    """The database could not be reached, so nobody can be authenticated."""


class EmailTakenError(ValueError):
    """A user with this email already exists."""


async def authenticate(database: Database, bearer_token: str | None) -> Viewer | None:
    """The owner of a live token, or None for a missing, unknown or revoked one.

    It runs before every request, so it costs one round trip: the lookup (which also stamps the token's use, at most
    once a minute) is a single statement, atomic on its own, so it is sent in autocommit (UnitOfWork.autocommitted)
    rather than between a BEGIN and a COMMIT (two more round trips, a third of a trivial request's CPU). Nothing is
    cached: the next request after a revocation is refused.
    """
    if not bearer_token:
        return None
    hashed = token_hash(bearer_token)
    try:
        # The lookup and its use stamp are one statement: autocommitted, and sent again on a fresh session if its
        # pooled one died unnoticed (at worst the use is stamped twice).
        async with UnitOfWork(database).autocommitted() as lookup:
            return await lookup.users.token_owner(hashed)
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseUnavailableError("the database is unavailable") from exc


async def create_user(uow: UnitOfWork, email: str) -> IssuedToken:
    """A new user and its first token (the only time the token is visible)."""
    email = email.strip()
    if "@" not in email:
        raise ValueError("email must contain '@'")
    try:
        async with uow:
            if await uow.users.find_by_email(email) is not None:
                raise EmailTakenError(f"a user with email {email!r} already exists")
            user = await uow.users.add_user(email)
            token = new_token()
            await uow.users.add_token(user.user_id, token_hash(token), name="initial")
            await uow.commit()
    except IntegrityError as exc:  # created by someone else between the check and the insert
        raise EmailTakenError(f"a user with email {email!r} already exists") from exc
    return IssuedToken(user_id=user.user_id, email=user.email, token=token)


async def create_token(uow: UnitOfWork, email: str, name: str | None = None) -> IssuedToken:
    """Another token for an existing user."""
    async with uow:
        user = await uow.users.find_by_email(email)
        if user is None:
            raise LookupError(f"no user with email {email!r}")
        token = new_token()
        await uow.users.add_token(user.user_id, token_hash(token), name=name)
        await uow.commit()
    return IssuedToken(user_id=user.user_id, email=user.email, token=token)


async def revoke_token(uow: UnitOfWork, token: str) -> bool:
    async with uow:
        revoked = await uow.users.revoke_token(token_hash(token))
        await uow.commit()
    return revoked


async def ensure_first_user(uow: UnitOfWork) -> IssuedToken | None:
    """On an empty database, create the local user and return its token (to print once); else None."""
    async with uow:
        if await uow.users.count() > 0:
            return None
    try:
        return await create_user(uow, LOCAL_USER_EMAIL)
    except EmailTakenError:  # another process won the race
        return None
