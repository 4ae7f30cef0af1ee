"""Field validators backed by well-kept libraries (ISO codes, emails, phone numbers)."""

import marshmallow as ma
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email


def normalize_email(value: str) -> str:
    """A syntactically valid address, lower-cased so that uniqueness is case-insensitive."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ma.ValidationError(str(error)) from error


class Email(ma.fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return normalize_email(super()._deserialize(value, attr, data, **kwargs))


class CountryCode(ma.fields.String):
    """ISO 3166-1 alpha-2, normalised to upper case."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ma.ValidationError("Not an ISO 3166-1 alpha-2 country code.")
        return code


class LanguageCode(ma.fields.String):
    """ISO 639-1, normalised to lower case."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).lower()
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ma.ValidationError("Not an ISO 639-1 language code.")
        return code


class CurrencyCode(ma.fields.String):
    """ISO 4217, normalised to upper case."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).upper()
        if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
            raise ma.ValidationError("Not an ISO 4217 currency code.")
        return code


class PhoneNumber(ma.fields.String):
    """A possible, valid number in international form, stored as E.164."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException as error:
            message = "Not a phone number in international form (+33...)."
            raise ma.ValidationError(message) from error
        if not phonenumbers.is_valid_number(number):
            raise ma.ValidationError("Not a valid phone number.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
