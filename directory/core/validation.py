"""Request fields: ISO codes, emails and phone numbers checked by well-kept libraries, and
uploaded files read into bytes (services never see werkzeug objects)."""

import marshmallow as ma
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_smorest.fields import Upload
from werkzeug.datastructures import FileStorage

from directory.core.errors import FileTooLarge
from directory.core.uploads import MAX_UPLOAD_BYTES


def normalize_email(value: str) -> str:
    """A syntactically valid address, lower-cased so that uniqueness is case-insensitive."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ma.ValidationError(str(error)) from error


class Email(ma.fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return normalize_email(super()._deserialize(value, attr, data, **kwargs))


class _IsoCode(ma.fields.String):
    """A code of one ISO standard, normalised to its usual case and checked by pycountry."""

    length: int
    upper: bool
    message: str

    @staticmethod
    def _lookup(code: str) -> object | None:
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        code = raw.upper() if self.upper else raw.lower()
        if len(code) != self.length or self._lookup(code) is None:
            raise ma.ValidationError(self.message)
        return code


class CountryCode(_IsoCode):
    """ISO 3166-1 alpha-2, normalised to upper case."""

    length, upper, message = 2, True, "Not an ISO 3166-1 alpha-2 country code."

    @staticmethod
    def _lookup(code: str) -> object | None:
        return pycountry.countries.get(alpha_2=code)


class LanguageCode(_IsoCode):
    """ISO 639-1, normalised to lower case."""

    length, upper, message = 2, False, "Not an ISO 639-1 language code."

    @staticmethod
    def _lookup(code: str) -> object | None:
        return pycountry.languages.get(alpha_2=code)


class CurrencyCode(_IsoCode):
    """ISO 4217, normalised to upper case."""

    length, upper, message = 3, True, "Not an ISO 4217 currency code."

    @staticmethod
    def _lookup(code: str) -> object | None:
        return pycountry.currencies.get(alpha_3=code)


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


class UploadedFile(Upload):
    """A multipart file, loaded as its bytes; over `max_bytes` it is a 413 as soon as the
    limit is passed (the rest is never read)."""

    def __init__(self, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> bytes:
        if not isinstance(value, FileStorage):
            raise ma.ValidationError("Send a file (multipart/form-data).")
        content = value.stream.read(self.max_bytes + 1)
        if len(content) > self.max_bytes:
            raise FileTooLarge(f"'{attr}' is over {self.max_bytes // (1024 * 1024)} MB.")
        if not content:
            raise ma.ValidationError("The file is empty.")
        return content
