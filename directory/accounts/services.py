"""Account use cases, free of HTTP."""

from dataclasses import dataclass

import marshmallow as ma
from sqlalchemy import func, select

from directory.accounts import tokens
from directory.accounts.models import Role, User
from directory.accounts.passwords import hash_password, verify_password
from directory.core.errors import ConflictError, InvalidInput, NotAuthenticated
from directory.core.validation import normalize_email
from directory.extensions import db
from directory.practitioners.services import profile_of

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class Me:
    """The caller as /auth/me shows them: their account, and their live profile's id."""

    user: User
    practitioner_id: str | None

    def __getattr__(self, name: str):
        return getattr(self.user, name)


def register_user(email: str, password: str, full_name: str, role: Role) -> User:
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError("An account with this email already exists.")
    user = User(email=email, password_hash=hash_password(password), full_name=full_name, role=role)
    db.session.add(user)
    db.session.commit()  # the unique constraint settles a race: the loser gets a 409
    return user


def authenticate(email: str, password: str) -> User:
    """The same answer, and the same hashing work, for an unknown email and a wrong password."""
    user = db.session.scalar(select(User).where(User.email == func.lower(email.strip())))
    if not verify_password(user.password_hash if user else None, password):
        raise NotAuthenticated("Wrong email or password.")
    return user


def me(user: User) -> Me:
    profile = profile_of(user)
    return Me(user, profile.id if profile else None)


def logout(user: User, access_claims: dict, refresh_token: str | None) -> None:
    """Revoke the presented access token, and the refresh token if the caller sends theirs."""
    tokens.revoke(access_claims)
    if refresh_token is not None:
        tokens.revoke_encoded_refresh_token(refresh_token, user.id)
    tokens.purge_expired_revocations()
    db.session.commit()


def create_admin(email: str, password: str, full_name: str = "Administrator") -> User:
    """Create an admin, or give an existing admin a new password (ending all their sessions).

    An address of a patient or practitioner is refused: turning a practitioner into an admin
    would let them verify their own credentials.
    """
    try:
        email = normalize_email(email)
    except ma.ValidationError as error:
        raise InvalidInput("email", f"Not a valid email address: {error.messages[0]}") from error
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", f"The password needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=full_name, role=Role.ADMIN, password_hash="")
        db.session.add(user)
    elif user.role != Role.ADMIN:
        raise ConflictError(
            f"{email} belongs to a {user.role} account; an admin needs an address of its own."
        )
    else:
        tokens.revoke_all(user)
    user.password_hash = hash_password(password)
    db.session.commit()
    return user
