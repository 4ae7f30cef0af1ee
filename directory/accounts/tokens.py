"""JWT issuing, user loading and revocation, and the 401s for every token failure."""

from datetime import UTC, datetime
from http import HTTPStatus

from flask import Flask, current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from jwt import PyJWTError
from sqlalchemy import delete, exists, select

from directory.accounts.models import RevokedToken, User
from directory.core.db import utcnow
from directory.core.errors import problem
from directory.extensions import db, jwt


def issue_tokens(user: User) -> dict:
    identity = str(user.id)
    claims = {"role": user.role.value, "gen": user.token_generation}
    return {
        "access_token": create_access_token(identity, additional_claims=claims),
        "refresh_token": create_refresh_token(identity, additional_claims=claims),
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }


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


def purge_expired_revocations(now: datetime | None = None) -> int:
    """An expired token is refused anyway; its revocation row is no longer needed."""
    cutoff = now or utcnow()
    return db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < cutoff)).rowcount


def _unauthorized(slug: str, detail: str):
    return problem(
        HTTPStatus.UNAUTHORIZED,
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
        slug=slug,
    )


def init_tokens(app: Flask) -> None:
    @jwt.token_in_blocklist_loader
    def is_revoked(_header, claims) -> bool:
        """Revoked one by one (logout), or all at once (a newer token generation). One
        statement loads the user too, kept for user_lookup_loader."""
        revoked = exists().where(RevokedToken.jti == claims["jti"])
        row = db.session.execute(
            select(User, revoked.label("revoked")).where(User.id == claims["sub"])
        ).one_or_none()
        g.token_user = row.User if row else None
        if row is None:  # the account is gone: user_lookup_loader says so
            return False
        return row.revoked or claims.get("gen", 0) != row.User.token_generation

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
