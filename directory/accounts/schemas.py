import enum

import marshmallow as ma

from directory.accounts.models import Role
from directory.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from directory.core.api import ResponseSchema
from directory.core.validation import Email

# A new password's length, documented here; passwords.check_new_password is the authority
# (it also refuses common passwords and the email's local part).
NEW_PASSWORD = ma.validate.Length(MIN_LENGTH, MAX_LENGTH)
# A password to check: any length a client may have stored.
PASSWORD = ma.validate.Length(1, 1024)


class AcceptedSchema(ResponseSchema):
    """The same answer whatever happened, so that it reveals nothing."""

    detail = ma.fields.String(dump_only=True)


class TokenSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))


class PasswordResetSchema(TokenSchema):
    password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
    new_password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)


class ForgotPasswordSchema(ma.Schema):
    email = Email(required=True)


class EmailChangeSchema(ma.Schema):
    new_email = Email(required=True)
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)


class RegistrationRole(enum.StrEnum):
    """The roles anyone may register with: admins are created from the command line."""

    PATIENT = Role.PATIENT.value
    PRACTITIONER = Role.PRACTITIONER.value


class RegisterSchema(ma.Schema):
    email = Email(required=True)
    password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    role = ma.fields.Enum(RegistrationRole, by_value=True, required=True)

    @ma.post_load
    def _account_role(self, data: dict, **kwargs) -> dict:
        data["role"] = Role(data["role"])
        return data


class UserSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    email = ma.fields.String(dump_only=True)
    email_verified = ma.fields.Boolean(dump_only=True)
    full_name = ma.fields.String(dump_only=True)
    role = ma.fields.Enum(Role, by_value=True, dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class MeSchema(UserSchema):
    practitioner_id = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "Null without a live profile"}
    )


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(1, 254))
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)


class LogoutSchema(ma.Schema):
    refresh_token = ma.fields.String(load_only=True)


class AccountUpdateSchema(ma.Schema):
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))


class AccessTokenSchema(ResponseSchema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = ma.fields.Integer(metadata={"description": "Seconds"})


class TokenPairSchema(AccessTokenSchema):
    refresh_token = ma.fields.String()
