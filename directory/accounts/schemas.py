import enum

import marshmallow as ma

from directory.accounts.models import Role
from directory.core.api import ResponseSchema
from directory.core.validation import Email

PASSWORD = ma.validate.Length(10, 128)


class RegistrationRole(enum.StrEnum):
    """The roles anyone may register with: admins are created from the command line."""

    PATIENT = Role.PATIENT.value
    PRACTITIONER = Role.PRACTITIONER.value


class RegisterSchema(ma.Schema):
    email = Email(required=True)
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    role = ma.fields.Enum(RegistrationRole, by_value=True, required=True)

    @ma.post_load
    def _account_role(self, data: dict, **kwargs) -> dict:
        data["role"] = Role(data["role"])
        return data


class UserSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    email = ma.fields.String(dump_only=True)
    full_name = ma.fields.String(dump_only=True)
    role = ma.fields.Enum(Role, by_value=True, dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class MeSchema(UserSchema):
    practitioner_id = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "Null without a live profile"}
    )


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(1, 254))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(1, 1024))


class LogoutSchema(ma.Schema):
    refresh_token = ma.fields.String(load_only=True)


class AccessTokenSchema(ResponseSchema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = ma.fields.Integer(metadata={"description": "Seconds"})


class TokenPairSchema(AccessTokenSchema):
    refresh_token = ma.fields.String()
