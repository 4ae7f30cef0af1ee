"""JWT issuing, rotation, user loading and revocation, and the 401s for every token failure.

Three ways a token stops working, all checked by one statement per request (is_revoked):
- one token: its jti is in RevokedToken (logout);
- one login: its TokenSession is revoked (a spent refresh token presented again);
- every login of an account: its token_generation moved on (logout-all, a password change).
"""

import secrets
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from flask import Flask, current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from jwt import PyJWTError
from sqlalchemy import bindparam, delete, exists, select

from directory.accounts.models import AccountToken, RevokedToken, TokenSession, User
from directory.core.db import utcnow
from directory.core.errors import TokenRevoked, problem
from directory.extensions import db, jwt

# Two tabs refreshing at once: the slower one presents the token the faster one just spent.
# Within this grace it is refused without revoking the login.
REFRESH_GRACE = timedelta(seconds=10)


def issue_tokens(user: User, session: TokenSession | None = None) -> dict:
    """A token pair for a new login (a new TokenSession), or the next pair of `session`.
    The caller commits."""
    refresh_jti = secrets.token_urlsafe(24)
    now = utcnow()
    expires_at = now + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]
    if session is None:
        session = TokenSession(user_id=user.id, refresh_jti=refresh_jti, expires_at=expires_at)
        db.session.add(session)
        db.session.flush()  # its id goes into the tokens
    else:
        session.previous_refresh_jti, session.refresh_jti = session.refresh_jti, refresh_jti
        session.rotated_at, session.expires_at = now, expires_at
    identity = str(user.id)
    claims = {"role": user.role.value, "gen": user.token_generation, "sid": session.id}
    return {
        "access_token": create_access_token(identity, additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity, additional_claims=claims | {"jti": refresh_jti}
        ),
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }


def rotate(user: User, refresh_claims: dict) -> dict:
    """Spend a refresh token for the next pair. A token spent before is a replay: the whole
    login is revoked (unless it is the one spent a moment ago, see REFRESH_GRACE)."""
    session = db.session.get(TokenSession, refresh_claims.get("sid"), with_for_update=True)
    if session is None or session.revoked_at is not None:
        raise TokenRevoked("This login has been revoked.")
    presented, now = refresh_claims["jti"], utcnow()
    if presented == session.refresh_jti:
        pair = issue_tokens(user, session)
        db.session.commit()
        return pair
    if presented == session.previous_refresh_jti and now - session.rotated_at <= REFRESH_GRACE:
        db.session.rollback()
        raise TokenRevoked("This refresh token was just exchanged: use the new one.")
    session.revoked_at = now
    db.session.commit()
    raise TokenRevoked("This refresh token was already used: every token of this login is revoked.")


def revoke(claims: dict) -> None:
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    if db.session.get(RevokedToken, claims["jti"]) is None:
        db.session.add(RevokedToken(jti=claims["jti"], expires_at=expires_at))


def revoke_all(user: User) -> None:
    """Every token issued to the user so far stops working, on every worker."""
    user.token_generation = User.token_generation + 1


def revoke_encoded_refresh_token(encoded: str, user_id: str) -> bool:
    """Revoke a refresh token given in a logout body; False if it is not the caller's."""
    try:
        claims = decode_token(encoded, allow_expired=True)
    except PyJWTError:
        return False
    if claims.get("type") != "refresh" or claims.get("sub") != user_id:
        return False
    revoke(claims)
    return True


def purge_expired_token_records(now: datetime | None = None) -> int:
    """An expired token is refused anyway: its revocation row, the session of a login whose
    refresh token expired and the token of an expired mailed link are no longer needed."""
    cutoff = now or utcnow()
    expired = [
        delete(RevokedToken).where(RevokedToken.expires_at < cutoff),
        delete(TokenSession).where(TokenSession.expires_at < cutoff),
        delete(AccountToken).where(AccountToken.expires_at < cutoff),
    ]
    return sum(db.session.execute(statement).rowcount for statement in expired)


def _unauthorized(slug: str, detail: str):
    return problem(
        HTTPStatus.UNAUTHORIZED,
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
        slug=slug,
    )


# The token's account and whether the token, or the login it belongs to, is revoked: built
# once, run by every authenticated request with its token's values.
TOKEN_CHECK = select(
    User,
    exists().where(RevokedToken.jti == bindparam("jti")).label("revoked"),
    exists()
    .where(TokenSession.id == bindparam("sid"), TokenSession.revoked_at.is_not(None))
    .label("login_revoked"),
).where(User.id == bindparam("sub"))


def init_tokens(app: Flask) -> None:
    @jwt.token_in_blocklist_loader
    def is_revoked(_header, claims) -> bool:
        """One statement checks the three revocations and loads the user (kept for
        user_lookup_loader)."""
        values = {"jti": claims["jti"], "sid": claims.get("sid"), "sub": claims["sub"]}
        row = db.session.execute(TOKEN_CHECK, values).one_or_none()
        g.token_user = row.User if row else None
        if row is None:  # the account is gone: user_lookup_loader says so
            return False
        stale = claims.get("gen", 0) != row.User.token_generation
        return row.revoked or row.login_revoked or stale

    @jwt.user_lookup_loader
    def load_user(_header, claims):
        return g.pop("token_user", None)

    # The library answers some of these with 422; every token failure is a 401 here.
    invalid = "token-invalid"
    jwt.unauthorized_loader(lambda _r: _unauthorized("unauthenticated", "Send an access token."))
    jwt.invalid_token_loader(lambda _r: _unauthorized(invalid, "The token is invalid."))
    jwt.expired_token_loader(
        lambda _h, _c: _unauthorized("token-expired", "The token has expired.")
    )
    jwt.revoked_token_loader(
        lambda _h, _c: _unauthorized("token-revoked", "The token has been revoked.")
    )
    jwt.user_lookup_error_loader(
        lambda _h, _c: _unauthorized("token-revoked", "The account no longer exists.")
    )
    jwt.needs_fresh_token_loader(lambda _h, _c: _unauthorized(invalid, "A fresh token is needed."))
    jwt.token_verification_failed_loader(
        lambda _h, _c: _unauthorized(invalid, "The token is invalid.")
    )
