from flask import current_app
from flask_jwt_extended import current_user, get_jwt

from directory.accounts import services, tokens
from directory.accounts.schemas import (
    AccessTokenSchema,
    LoginSchema,
    LogoutSchema,
    MeSchema,
    RegisterSchema,
    TokenPairSchema,
    UserSchema,
)
from directory.core.api import DirectoryBlueprint
from directory.extensions import limiter
from directory.permissions import login_required

blp = DirectoryBlueprint(
    "accounts", __name__, url_prefix="/api/v1", description="Accounts and tokens"
)


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


auth_rate_limit = limiter.shared_limit(_auth_limit, scope="auth")


@blp.post("/auth/register")
@auth_rate_limit
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
def register(data):
    """Create a patient or practitioner account"""
    return services.register_user(**data)


@blp.post("/auth/login")
@auth_rate_limit
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def login(data):
    """Exchange email and password for an access and a refresh token"""
    return tokens.issue_tokens(services.authenticate(data["email"], data["password"]))


@blp.post("/auth/refresh")
@login_required(refresh=True)
@blp.response(200, AccessTokenSchema)
def refresh_tokens():
    """Exchange a refresh token for a new access token"""
    issued = tokens.issue_tokens(current_user)
    issued.pop("refresh_token")
    return issued


@blp.post("/auth/logout")
@login_required()
@blp.arguments(LogoutSchema, required=False)
@blp.response(204)
def logout(data):
    """Revoke the presented token, and the refresh token if one is sent"""
    services.logout(current_user, get_jwt(), data.get("refresh_token"))


@blp.get("/auth/me")
@login_required()
@blp.response(200, MeSchema)
def get_me():
    """The signed-in user"""
    return services.me(current_user)
