"""Account use cases, free of HTTP."""

from sqlalchemy import func, select

from directory.accounts.models import Role, User
from directory.accounts.passwords import hash_password, verify_password
from directory.core.errors import ConflictError, NotAuthenticated
from directory.core.validation import normalize_email
from directory.extensions import db


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


def create_admin(email: str, password: str, full_name: str = "Administrator") -> User:
    email = normalize_email(email)
    if len(password) < 10:
        raise ValueError("The password needs at least 10 characters.")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=full_name, role=Role.ADMIN, password_hash="")
        db.session.add(user)
    user.role = Role.ADMIN
    user.password_hash = hash_password(password)
    db.session.commit()
    return user
