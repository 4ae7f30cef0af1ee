"""Errors as RFC 9457 problem details: the one place where failures become HTTP responses.

Services raise the domain errors below; views never build error bodies themselves.
"""

import logging
from http import HTTPStatus

from flask import Flask, Response, current_app, json
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from directory.core.problems import slug_for, type_uri

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain said no. `status` is the HTTP status it maps to, `slug` the problem
    type (core.problems) when the status alone does not say it."""

    status = HTTPStatus.BAD_REQUEST
    slug: str | None = None

    def __init__(self, detail: str | None = None, errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFoundError(DomainError):
    status = HTTPStatus.NOT_FOUND


class PermissionDenied(DomainError):
    status = HTTPStatus.FORBIDDEN


class NotAuthenticated(DomainError):
    """Wrong email or password (login, password checks)."""

    status = HTTPStatus.UNAUTHORIZED
    slug = "credentials-invalid"


class TokenRevoked(NotAuthenticated):
    """A token (or its whole login) was revoked."""

    slug = "token-revoked"


class EmailUnverified(PermissionDenied):
    """Acting for others needs a verified email."""

    slug = "email-unverified"


class ConflictError(DomainError):
    status = HTTPStatus.CONFLICT


class IllegalTransition(ConflictError):
    """The record's state does not allow this change."""

    slug = "illegal-transition"


class PractitionerSuspended(ConflictError):
    """The practitioner is suspended: no new consultation, booking or invitation."""

    slug = "practitioner-suspended"


class SlotUnavailable(ConflictError):
    """The booking slot was taken meanwhile."""

    slug = "slot-unavailable"


class BookingLimitReached(ConflictError):
    """The patient already holds as many upcoming bookings with this practitioner as allowed."""

    slug = "booking-limit"


class NotBookable(ConflictError):
    """The practitioner takes no bookings (no published availability)."""

    slug = "not-bookable"


class LinkExpired(DomainError):
    """An emailed link (verification, reset, confirmation) that is unknown, used or expired."""

    status = HTTPStatus.GONE
    slug = "link-expired"


class InvalidInput(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, field: str, message: str):
        super().__init__("The request did not validate.", {field: [message]})


class FileTooLarge(DomainError):
    """An uploaded file is over its size limit."""

    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class UnsupportedFileType(DomainError):
    """An uploaded file's content is not of an allowed type (whatever its name says)."""

    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def problem(
    status: int,
    detail: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
    slug: str | None = None,
) -> Response:
    body = {
        "type": type_uri(slug or slug_for(status)),
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE
    )
    response.headers.update(headers or {})
    return response


def _flatten_locations(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); clients want {field: [...]}."""
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
        else:
            flat.setdefault("_body", []).extend(location_errors)
    return flat


# Headers of a werkzeug/library error that belong in the problem response.
_PASSED_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def http_exception_to_problem(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in error.get_headers() if k in _PASSED_HEADERS}
    headers.update(data.get("headers") or {})
    errors = data.get("errors")
    detail = data.get("message") or error.description
    if errors is None and "messages" in data:
        errors = _flatten_locations(data["messages"])
        if error.code == HTTPStatus.BAD_REQUEST:
            errors, detail = None, "The request body is not valid JSON."
        else:
            detail = "The request did not validate."
    return problem(error.code or 500, detail, errors, headers)


def _domain_error(error: DomainError) -> Response:
    return problem(error.status, error.detail, error.errors, slug=error.slug)


def _integrity_error(error: IntegrityError) -> Response:
    # Unique and foreign-key rules live in the database; a lost race lands here.
    from directory.extensions import db

    db.session.rollback()
    log.info("integrity error turned into 409: %s", error.orig)
    return problem(HTTPStatus.CONFLICT, "This conflicts with a record that already exists.")


def _refused_value(error: DataError) -> Response:
    # SQLSTATE class 22: the database refused a value (too long for its column, a number out of
    # range). That is the request's input, which a schema should have caught: a 422, not an
    # outage. The log names the kind of refusal only, never the value.
    from directory.extensions import db

    db.session.rollback()
    log.warning("database refused a value, answered 422: %s", type(error.orig).__name__)
    return problem(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "The request did not validate.",
        {"_body": ["A value is too long or out of range."]},
    )


def _database_error(error: DBAPIError) -> Response:
    # Only a database that cannot be reached or does not answer in time is a 503 (which
    # monitoring reads as an outage); any other driver error, such as SQL the database cannot
    # run, is a bug: a 500, logged with its traceback.
    if isinstance(error, OperationalError) or error.connection_invalidated:
        return _database_unavailable(error)
    return _unexpected(error)


def _database_unavailable(error: DBAPIError) -> Response:
    from directory.extensions import db

    db.session.rollback()
    log.error("database error: %s", error.orig)
    return problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable. Please retry shortly.",
        headers={"Retry-After": "5"},
    )


def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.")


def register_error_handlers(app: Flask) -> None:
    """HTTPException is handled by the Api object (core.api); these cover everything else."""
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(IntegrityError, _integrity_error)
    app.register_error_handler(DataError, _refused_value)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected)
