"""The problem types of the API: the slug of each error's `type` URI, and the page that
`GET /problems/<slug>` answers. Clients tell errors apart by these slugs, never by English text.
"""

from dataclasses import dataclass

from directory.core.urls import absolute_path_url


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    "malformed-request": ProblemType(
        400, "Malformed request", "The body is not valid JSON, or not of the declared type."
    ),
    "validation-failed": ProblemType(
        422,
        "Validation failed",
        "The request is well-formed but some fields are invalid; `errors` names each field "
        "with its messages. Unknown and read-only fields are refused too.",
    ),
    "unauthenticated": ProblemType(401, "Authentication required", "Send an access token."),
    "token-invalid": ProblemType(
        401, "Invalid token", "The token is malformed, badly signed or of the wrong kind."
    ),
    "token-expired": ProblemType(
        401, "Token expired", "The token has expired: refresh it, or log in again."
    ),
    "token-revoked": ProblemType(
        401, "Token revoked", "The token was revoked (logout, password change): log in again."
    ),
    "credentials-invalid": ProblemType(
        401, "Wrong credentials", "The email or the password is wrong (the API never says which)."
    ),
    "forbidden": ProblemType(403, "Forbidden", "This caller may not do this."),
    "email-unverified": ProblemType(
        403, "Email not verified", "Verify the account's email before acting for others."
    ),
    "not-found": ProblemType(
        404, "Not found", "No such resource, or one the caller may not know exists."
    ),
    "method-not-allowed": ProblemType(
        405, "Method not allowed", "The path exists, but not with this method; see `Allow`."
    ),
    "duplicate": ProblemType(409, "Duplicate", "This conflicts with a record that exists."),
    "illegal-transition": ProblemType(
        409, "Illegal transition", "The record is not in a state that allows this change."
    ),
    "slot-unavailable": ProblemType(
        409,
        "Slot unavailable",
        "The slot was taken meanwhile: reload the free slots and choose another.",
    ),
    "booking-limit": ProblemType(
        409,
        "Booking limit reached",
        "The patient already holds as many upcoming bookings with this practitioner as allowed "
        "(3): cancel one, or wait until one has taken place.",
    ),
    "not-bookable": ProblemType(
        409,
        "Not bookable",
        "The practitioner takes no bookings: no availability is published.",
    ),
    "practitioner-suspended": ProblemType(
        409,
        "Practitioner suspended",
        "An admin has suspended this practitioner (see the profile's `suspension` notice): "
        "they take no new consultation, booking or invitation until reinstated.",
    ),
    "request-in-progress": ProblemType(
        409,
        "Request in progress",
        "A request with the same Idempotency-Key is still running: retry once it has finished.",
    ),
    "link-expired": ProblemType(
        410, "Link expired", "The emailed link is unknown, used or expired."
    ),
    "too-large": ProblemType(413, "Too large", "The request body or a file is over its limit."),
    "unsupported-media-type": ProblemType(
        415, "Unsupported media type", "The file's content is not of an allowed type."
    ),
    "idempotency-key-reused": ProblemType(
        422,
        "Idempotency key reused",
        "This Idempotency-Key was used within 24 hours for a different request.",
    ),
    "rate-limited": ProblemType(
        429, "Too many requests", "Slow down: `Retry-After` says when to try again."
    ),
    "internal-error": ProblemType(500, "Internal error", "An unexpected error occurred."),
    "service-unavailable": ProblemType(
        503,
        "Service unavailable",
        "A dependency (the database) is down or slow; retry after `Retry-After` seconds.",
    ),
}

# The type of an error that names none: by its status.
SLUG_BY_STATUS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "duplicate",
    410: "link-expired",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
    503: "service-unavailable",
}


def slug_for(status: int) -> str:
    return SLUG_BY_STATUS.get(status, "internal-error" if status >= 500 else "malformed-request")


def type_uri(slug: str) -> str:
    return absolute_path_url(f"/problems/{slug}")
