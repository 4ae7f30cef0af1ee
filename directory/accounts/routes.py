from flask_jwt_extended import current_user, get_jwt

from directory.accounts import services
from directory.accounts.schemas import (
    AcceptedSchema,
    AccountUpdateSchema,
    EmailChangeSchema,
    ForgotPasswordSchema,
    LoginSchema,
    LogoutSchema,
    MeSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    RegisterSchema,
    TokenPairSchema,
    TokenSchema,
)
from directory.core.api import DirectoryBlueprint
from directory.core.rate_limits import (
    auth_limit,
    login_account_limit,
    mail_per_account,
    mail_per_target,
)
from directory.permissions import login_required

blp = DirectoryBlueprint(
    "accounts", __name__, url_prefix="/api/v1", description="Accounts and tokens"
)


ACCEPTED = {"detail": "Accepted: if the address can be used, a mail is on its way."}


@blp.post("/auth/register")
@auth_limit
@blp.arguments(RegisterSchema)
@blp.response(202, AcceptedSchema)
def register(data):
    """Create a patient or practitioner account; the address must then be verified. The same
    answer whether or not the address has an account"""
    services.register(**data)
    return ACCEPTED


@blp.post("/auth/verify-email")
@auth_limit
@blp.arguments(TokenSchema)
@blp.response(200, MeSchema)
@blp.alt_response(410, response="GONE")
def verify_email(data):
    """Verify the account's email with the token of the mailed link (single use, 48 hours)"""
    return services.verify_email(data["token"])


@blp.post("/auth/verify-email/resend")
@login_required()
@mail_per_account
@blp.response(202, AcceptedSchema)
def resend_verification():
    """Mail a fresh verification link"""
    services.resend_verification(current_user)
    return ACCEPTED


@blp.post("/auth/password/forgot")
@auth_limit
@mail_per_target
@blp.arguments(ForgotPasswordSchema)
@blp.response(202, AcceptedSchema)
def forgot_password(data):
    """Mail a password reset link (1 hour, single use) to a known address; the same answer for
    an unknown one"""
    services.forgot_password(data["email"])
    return ACCEPTED


@blp.post("/auth/password/reset")
@auth_limit
@blp.arguments(PasswordResetSchema)
@blp.response(204)
@blp.alt_response(410, response="GONE")
def reset_password(data):
    """Set a new password with the token of the mailed link; every session ends"""
    services.reset_password(data["token"], data["password"])


@blp.post("/auth/password/change")
@login_required()
@auth_limit
@blp.arguments(PasswordChangeSchema)
@blp.response(200, TokenPairSchema)
def change_password(data):
    """Change the password: every older token is revoked, the caller gets a new pair"""
    return services.change_password(current_user, **data)


@blp.post("/auth/email/change")
@login_required()
@mail_per_account
@blp.arguments(EmailChangeSchema)
@blp.response(202, AcceptedSchema)
def change_email(data):
    """Ask to move the account to a new address: it must confirm; the old one is told"""
    services.request_email_change(current_user, data["new_email"], data["password"])
    return ACCEPTED


@blp.post("/auth/email/confirm")
@auth_limit
@blp.arguments(TokenSchema)
@blp.response(200, MeSchema)
@blp.alt_response(410, response="GONE")
@blp.alt_response(409, response="CONFLICT")
def confirm_email(data):
    """Confirm the new address with the token of the mailed link"""
    return services.confirm_email_change(data["token"])


@blp.post("/auth/login")
@auth_limit
@login_account_limit
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def login(data):
    """Exchange email and password for an access and a refresh token"""
    return services.log_in(data["email"], data["password"])


@blp.post("/auth/refresh")
@login_required(refresh=True)
@blp.response(200, TokenPairSchema)
def refresh_tokens():
    """Spend the refresh token for a new pair; a spent one presented again revokes the login"""
    return services.refresh(current_user, get_jwt())


@blp.post("/auth/logout")
@login_required()
@blp.arguments(LogoutSchema, required=False)
@blp.response(204)
def logout(data):
    """Revoke the presented token, and the refresh token if one is sent"""
    services.logout(current_user, get_jwt(), data.get("refresh_token"))


@blp.post("/auth/logout-all")
@login_required()
@blp.response(204)
def logout_all():
    """Revoke every token of the caller, on every device"""
    services.log_out_everywhere(current_user)


@blp.get("/auth/me")
@login_required()
@blp.response(200, MeSchema)
def get_me():
    """The signed-in user"""
    return services.me(current_user)


@blp.patch("/auth/me")
@login_required()
@blp.arguments(AccountUpdateSchema)
@blp.response(200, MeSchema)
def update_me(data):
    """Change the caller's name"""
    return services.update_account(current_user, **data)
