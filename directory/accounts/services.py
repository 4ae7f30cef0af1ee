"""Account use cases, free of HTTP."""

from dataclasses import dataclass

import marshmallow as ma
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from directory.accounts import links, tokens
from directory.accounts.models import LinkPurpose, Role, User
from directory.accounts.passwords import check_new_password, hash_password, verify_password
from directory.core.db import utcnow
from directory.core.errors import ConflictError, InvalidInput, NotAuthenticated
from directory.core.validation import normalize_email
from directory.extensions import db
from directory.mail.outbox import enqueue, frontend_link
from directory.practitioners.services import profile_of


@dataclass(frozen=True)
class Me:
    """The caller as /auth/me shows them: their account, and their live profile's id."""

    user: User
    practitioner_id: str | None

    def __getattr__(self, name: str):
        return getattr(self.user, name)


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == func.lower(email.strip())))


def register(email: str, password: str, full_name: str, role: Role) -> None:
    """The same answer, after the same work, whether or not the address has an account: a new
    address gets an unverified account and a verification mail, a known one a mail to its
    owner. Nobody learns from registering which addresses have accounts."""
    check_new_password(password, email)
    password_hash = hash_password(password)  # in both cases: the same time
    existing = _user_by_email(email)
    if existing is not None:
        _registration_attempt(existing)
        return
    user = User(email=email, password_hash=password_hash, full_name=full_name, role=role)
    db.session.add(user)
    try:
        db.session.flush()  # a concurrent registration of the address loses here
    except IntegrityError:
        db.session.rollback()
        _registration_attempt(_user_by_email(email))
        return
    _mail_verification(user)
    db.session.commit()


def _registration_attempt(owner: User) -> None:
    link = frontend_link("/reset-password")
    enqueue("registration-attempt", owner.email, {"name": owner.full_name, "link": link})
    db.session.commit()


def _mail_verification(user: User) -> None:
    token = links.issue(user, LinkPurpose.VERIFY_EMAIL)
    link = frontend_link("/verify-email", token=token)
    enqueue("email-verification", user.email, {"name": user.full_name, "link": link})


def verify_email(token: str) -> "Me":
    user = links.redeem(token, LinkPurpose.VERIFY_EMAIL).user
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.commit()
    return me(user)


def resend_verification(user: User) -> None:
    """A fresh verification mail (none if the address is verified already)."""
    if not user.email_verified:
        _mail_verification(user)
        db.session.commit()


def forgot_password(email: str) -> None:
    """A reset mail for a known address; the same silence for an unknown one."""
    user = _user_by_email(email)
    if user is None:
        return
    token = links.issue(user, LinkPurpose.RESET_PASSWORD)
    link = frontend_link("/reset-password", token=token)
    enqueue("password-reset", user.email, {"name": user.full_name, "link": link})
    db.session.commit()


def reset_password(token: str, password: str) -> None:
    """A new password from a mailed link: every session of the account ends."""
    user = links.redeem(token, LinkPurpose.RESET_PASSWORD).user
    _set_password(user, password)
    # The link proves the address: a reset verifies it too.
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> dict:
    """A new password: every older token of the account stops working; this caller gets a
    fresh pair."""
    if not verify_password(user.password_hash, current_password):
        raise NotAuthenticated("The current password is wrong.")
    _set_password(user, new_password, field="new_password")
    db.session.flush()
    pair = tokens.issue_tokens(user)
    db.session.commit()
    return pair


def _set_password(user: User, password: str, field: str = "password") -> None:
    check_new_password(password, user.email, field)
    user.password_hash = hash_password(password)
    tokens.revoke_all(user)
    enqueue("password-changed", user.email, {"name": user.full_name})


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Nothing changes until the new address confirms; the old one is told."""
    if not verify_password(user.password_hash, password):
        raise NotAuthenticated("The password is wrong.")
    if new_email == user.email:
        raise InvalidInput("new_email", "This is already your address.")
    token = links.issue(user, LinkPurpose.CHANGE_EMAIL, new_email=new_email)
    link = frontend_link("/confirm-email", token=token)
    enqueue("email-change-confirm", new_email, {"name": user.full_name, "link": link})
    context = {"name": user.full_name, "new_email": new_email}
    enqueue("email-change-notice", user.email, context)
    db.session.commit()


def confirm_email_change(token: str) -> "Me":
    record = links.redeem(token, LinkPurpose.CHANGE_EMAIL)
    user = record.user
    user.email, user.email_verified_at = record.new_email, utcnow()
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ConflictError("This address has been taken meanwhile.") from error
    return me(user)


def authenticate(email: str, password: str) -> User:
    """The same answer, and the same hashing work, for an unknown email and a wrong password."""
    user = db.session.scalar(select(User).where(User.email == func.lower(email.strip())))
    if not verify_password(user.password_hash if user else None, password):
        raise NotAuthenticated("Wrong email or password.")
    return user


def log_in(email: str, password: str) -> dict:
    """A token pair for a new login."""
    pair = tokens.issue_tokens(authenticate(email, password))
    db.session.commit()
    return pair


def refresh(user: User, refresh_claims: dict) -> dict:
    return tokens.rotate(user, refresh_claims)


def log_out_everywhere(user: User) -> None:
    tokens.revoke_all(user)
    db.session.commit()


def update_account(user: User, full_name: str) -> Me:
    user.full_name = full_name
    db.session.commit()
    return me(user)


def me(user: User) -> Me:
    profile = profile_of(user)
    return Me(user, profile.id if profile else None)


def logout(user: User, access_claims: dict, refresh_token: str | None) -> None:
    """Revoke the presented access token, and the refresh token if the caller sends theirs."""
    tokens.revoke(access_claims)
    if refresh_token is not None:
        tokens.revoke_encoded_refresh_token(refresh_token, user.id)
    tokens.purge_expired_token_records()
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
    check_new_password(password, email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            full_name=full_name,
            role=Role.ADMIN,
            password_hash="",
            email_verified_at=utcnow(),  # an operator typed it at the console
        )
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
