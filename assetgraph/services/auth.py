"""Identity use cases: who is calling, and creating users and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assetgraph.domain.identity import Viewer
from assetgraph.domain.tokens import new_token, token_hash
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


async def authenticate(uow: UnitOfWork, bearer_token: str | None) -> Viewer | None:
    """The owner of a live token, or None for a missing, unknown or revoked one."""
    if not bearer_token:
        return None
    try:
        # One statement (the lookup and its last-used stamp), committed by itself: no BEGIN/COMMIT round trips.
        async with uow.autocommitted() as lookup:
            owner = await lookup.users.token_owner(token_hash(bearer_token))
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseUnavailableError("the database is unavailable") from exc
    return owner


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
