"""Where the OpenAPI document departs from what flask-smorest generates by itself.

Frontend teams generate typed clients from the document (API.md, "v2: a contract clients are
generated from"), so it must say exactly what the server does. Each rule is applied here, once,
for every operation:

- operation ids are the view functions' names in camelCase (`operation_id`, called by
  DirectoryBlueprint.route), unique across the document (`ContractPlugin`).
- enums are named components with a type, a range says whether its bounds are exclusive, and a
  field that must equal one value is a `const` (the field converters below).
- path parameters are described once, by name (PATH_PARAMETERS).
- the access and the refresh token are two security schemes; an operation's security
  requirement lists the roles it is restricted to (OpenAPI 3.1 allows role names there).
- every operation documents each error status it can answer, as application/problem+json,
  derived from what it has: a body, arguments, path parameters, a token, roles
  (`document_statuses_and_headers`); and its headers: rate limits on every response,
  `Location` on a 201, validators and `Cache-Control` on public reads, `Idempotency-Key` on
  creations (their behaviour is built elsewhere: this only documents it).

flask-smorest has no public hook for the content type of its error response components; it
documents them as application/json, while every error here is application/problem+json.
`register_problem_responses` replaces the private `Api._register_responses`, written against
flask-smorest 0.47.0; tests/core/test_openapi_document.py fails if a new version stops calling
it (the error components would be application/json again).
"""

from http import HTTPStatus

import marshmallow as ma
from apispec import APISpec, BasePlugin
from apispec.exceptions import APISpecError, DuplicateComponentNameError
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_smorest.utils import prepare_response
from werkzeug.routing import Map, Rule

from directory.core.errors import PROBLEM_MIMETYPE

ACCESS_TOKEN = "bearerAuth"
REFRESH_TOKEN = "refreshToken"
SECURITY_SCHEMES = {
    ACCESS_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token from login or refresh (valid 15 minutes). An operation "
        "restricted to some roles lists them in its security requirement.",
    },
    REFRESH_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The refresh token from login or refresh (valid 30 days): accepted by "
        "the refresh operation only, where an access token is refused.",
    },
}

PATH_PARAMETERS = {
    "practitioner_id": "Id of a practitioner profile (opaque). A deleted profile is a 404.",
    "certification_id": "Id of a certification (opaque). A certification that is not verified "
    "exists only for the profile's owner and admins: for anyone else it is a 404.",
    "consultation_id": "Id of a consultation (opaque). It exists only for its patient, its "
    "practitioner and admins: for anyone else it is a 404.",
    "testimonial_id": "Id of a testimonial (opaque). A hidden one exists only for its author and "
    "admins: for anyone else it is a 404.",
    "item_id": "Id of an item of this practitioner's gallery (opaque). An item whose patient "
    "has not granted consent exists only for the profile's owner and admins.",
    "token": "The token of a mailed photo-consent link (`/photo-consent?token=`). Unknown, or "
    "its photos deleted (declined, revoked, lapsed): 410.",
    "side": "`before` or `after`.",
    "rendition": "`full` (as it would be published) or `thumbnail` (at most 400 px wide).",
    "consent_id": "Id of a photo consent (the gallery item's id). It exists only for the "
    "holder of the verified address it was asked of: for anyone else it is a 404.",
    "slug": "A problem type's slug: the last segment of a problem's `type` URI "
    "(for example `not-found`).",
}

# Probes answer load balancers: never cached, so they are no public reads.
PROBES_TAG = "health"

_INTEGER = {"type": "integer"}
_STRING = {"type": "string"}
RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed in the current window of the limit that applies.",
        "schema": _INTEGER,
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": _INTEGER,
    },
    "X-RateLimit-Reset": {
        "description": "When the current window ends (Unix time, in seconds).",
        "schema": _INTEGER,
    },
}
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": _INTEGER}
}
CREATED_HEADERS = {
    "Location": {
        "description": "The URL of the created resource.",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Idempotent-Replayed": {
        "description": "Present when this answer replays the first answer given to the same "
        "Idempotency-Key (nothing new was created).",
        "schema": {"type": "string", "const": "true"},
    },
}
PUBLIC_READ_HEADERS = {
    "ETag": {
        "description": "A tag of this representation: send it back in If-None-Match.",
        "schema": _STRING,
    },
    "Cache-Control": {
        "description": "`public, max-age=N` for an anonymous caller (N at most 300, longer for "
        "treatments), `private` for an authenticated one.",
        "schema": _STRING,
    },
}
HEADERS = RATE_LIMIT_HEADERS | RETRY_AFTER | CREATED_HEADERS | PUBLIC_READ_HEADERS

IDEMPOTENCY_KEY = "Idempotency-Key"
IF_NONE_MATCH = "If-None-Match"
HEADER_PARAMETERS = {
    IDEMPOTENCY_KEY: {
        "name": IDEMPOTENCY_KEY,
        "required": False,
        "description": "Optional; 1 to 255 printable characters. Repeating a request with the "
        "same key, body and caller within 24 hours creates nothing new: the first answer is "
        "replayed (same status and body, with Idempotent-Replayed: true). The same key with "
        "another body is a 422; while the first request is still running, a 409.",
        # The rules stay in the description until the server enforces them: schemathesis
        # rightly fails an operation that accepts a value its schema refuses.
        "schema": _STRING,
    },
    IF_NONE_MATCH: {
        "name": IF_NONE_MATCH,
        "required": False,
        "description": "An ETag from an earlier answer: while it still matches, the answer is "
        "a 304 without a body.",
        "schema": _STRING,
    },
}
NOT_MODIFIED = HTTPStatus.NOT_MODIFIED.name


def operation_id(view_name: str) -> str:
    """`search_practitioners` -> `searchPractitioners`."""
    first, *rest = view_name.split("_")
    return first + "".join(word.capitalize() for word in rest)


class ContractPlugin(BasePlugin):
    """An apispec plugin that completes each operation flask-smorest registers, after the
    marshmallow plugin has resolved its arguments and responses."""

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.operation_ids: set[str] = set()
        converter = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin)).converter
        for attribute_function in (enum_component, exclusive_bounds, single_value_as_const):
            converter.add_attribute_function(attribute_function)
        for name, scheme in SECURITY_SCHEMES.items():
            spec.components.security_scheme(name, scheme)
        for name, header in HEADERS.items():
            spec.components.header(name, header, lazy=True)
        for name, parameter in HEADER_PARAMETERS.items():
            spec.components.parameter(name, "header", parameter, lazy=True)

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs) -> None:
        for parameter in parameters:
            if parameter.get("in") == "path":
                parameter["description"] = PATH_PARAMETERS[parameter["name"]]

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in operations.items():
            if operation["operationId"] in self.operation_ids:
                raise APISpecError(f"Two operations are named {operation['operationId']}.")
            self.operation_ids.add(operation["operationId"])
            document_statuses_and_headers(path, method, operation)


def document_statuses_and_headers(path: str, method: str, operation: dict) -> None:
    """The error statuses an operation can answer, and the headers of its answers, from what
    it has; statuses its route declared (`@blp.alt_response`) are kept."""
    security = operation.get("security", [])
    roles = any(scopes for requirement in security for scopes in requirement.values())
    public_read = (
        method == "get" and (not security or {} in security) and PROBES_TAG not in operation["tags"]
    )
    creates = method == "post" and any(str(status) == "201" for status in operation["responses"])
    has_path_parameters = "{" in path
    body = operation.get("requestBody", {}).get("content", {})

    parameters = operation.get("parameters", [])
    has_query = any(parameter["in"] == "query" for parameter in parameters)
    if creates:
        parameters.append(IDEMPOTENCY_KEY)
    has_arguments = bool(body or parameters)  # If-None-Match is a condition, never invalid
    if public_read:
        parameters.append(IF_NONE_MATCH)
    if parameters:
        operation["parameters"] = parameters

    statuses = {HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE}
    if body or has_query:
        statuses.add(HTTPStatus.BAD_REQUEST)
    if has_arguments:
        statuses.add(HTTPStatus.UNPROCESSABLE_ENTITY)
    if security:  # also where a token is optional: a bad one is refused
        statuses.add(HTTPStatus.UNAUTHORIZED)
    # Reading another user's private record is a 404, changing a record one may see a 403.
    if roles or (security and has_path_parameters and method != "get"):
        statuses.add(HTTPStatus.FORBIDDEN)
    if has_path_parameters:
        statuses.add(HTTPStatus.NOT_FOUND)
    if creates:
        statuses.add(HTTPStatus.CONFLICT)  # a duplicate, or the same Idempotency-Key running
    if "multipart/form-data" in body:
        statuses |= {HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNSUPPORTED_MEDIA_TYPE}

    responses = {str(status): response for status, response in operation["responses"].items()}
    for status, response in responses.items():
        if status.startswith("2") and isinstance(response, dict):
            headers = response.setdefault("headers", {})
            names = list(RATE_LIMIT_HEADERS)
            if status == "201":
                names += CREATED_HEADERS
            if public_read:
                names += PUBLIC_READ_HEADERS
            headers.update((name, name) for name in names)
    if public_read:
        responses["304"] = NOT_MODIFIED
    for status in statuses:
        responses.setdefault(str(status.value), status.name)
    operation["responses"] = dict(sorted(responses.items(), key=_status_order))


def _status_order(item: tuple[str, object]) -> str:
    status, _ = item
    return "999" if status == "default" else status


def register_problem_responses(api) -> None:
    """Document every error response as what it is: application/problem+json, with the rate
    limit headers every response carries (and Retry-After when told to come back later)."""
    for status in HTTPStatus:
        if status < 400:
            continue
        headers = RATE_LIMIT_HEADERS
        if status in (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE):
            headers = headers | RETRY_AFTER
        response = {
            "description": status.phrase,
            "schema": api.ERROR_SCHEMA,
            "headers": {name: name for name in headers},
        }
        prepare_response(response, api.spec, PROBLEM_MIMETYPE)
        api.spec.components.response(status.name, response, lazy=True)
    default = {
        "description": "Error (RFC 9457 problem details)",
        "schema": api.ERROR_SCHEMA,
        "headers": {name: name for name in RATE_LIMIT_HEADERS},
    }
    prepare_response(default, api.spec, PROBLEM_MIMETYPE)
    api.spec.components.response("DEFAULT_ERROR", default, lazy=True)
    not_modified = {
        "description": "Not Modified: the representation still matches If-None-Match.",
        "headers": {name: name for name in RATE_LIMIT_HEADERS | PUBLIC_READ_HEADERS},
    }
    api.spec.components.response(NOT_MODIFIED, not_modified, lazy=True)


_PROBLEM_TYPE = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "status_phrase": {"type": "string"},
        "description": {"type": "string"},
    },
    "required": ["type", "title", "status", "status_phrase", "description"],
}


def document_problem_pages(spec: APISpec) -> None:
    """GET /problems/{slug}: pages for people, served outside flask-smorest's blueprints, so
    documented here."""
    # As Flask would make it: bound to a map (that gives it its parameters), defaults empty.
    rule = Rule("/problems/<slug>", endpoint="problems.get_problem_type", defaults={})
    Map([rule])
    operation = {
        "operationId": operation_id("get_problem_type"),
        "summary": "Describe a problem type",
        "description": "What a problem `type` URI names, for people reading an error.",
        "tags": ["problems"],
        "responses": {
            200: {
                "description": "The problem type's description",
                "content": {"application/json": {"schema": _PROBLEM_TYPE}},
            },
            "default": "DEFAULT_ERROR",
        },
    }
    spec.path(rule=rule, operations={"get": operation})
    spec.tag({"name": "problems", "description": "Problem types (RFC 9457 problem details)"})


# Field converters: apispec attribute functions, run for every marshmallow field after its own.


def enum_component(self, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """An enum field refers to a component named after its enum, with its type, so that client
    generators make one named type of it (never one inline enum per property)."""
    if not isinstance(field, ma.fields.Enum):
        return {}
    values = [value for value in ret.pop("enum") if value is not None]
    if not all(isinstance(value, str) for value in values):
        raise APISpecError(f"{field.enum.__name__}: only string enums are documented.")
    ret.pop("type", None)  # apispec leaves it out, or says only "null" for a nullable field
    name = field.enum.__name__
    component = {"type": "string", "enum": values}
    registered = self.spec.components.schemas.get(name)
    if registered is None:
        self.spec.components.schema(name, component)
    elif registered != component:
        raise DuplicateComponentNameError(f"Two components are named {name}.")
    reference = self.spec.components.get_ref("schema", name)
    if field.allow_none:
        return {"anyOf": [reference, {"type": "null"}]}
    return reference


def exclusive_bounds(self, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """apispec documents every Range bound as inclusive; say which ones are not."""
    attributes = {}
    for validator in field.validators:
        if not isinstance(validator, ma.validate.Range):
            continue
        if not validator.min_inclusive and ret.get("minimum") == validator.min:
            attributes["exclusiveMinimum"] = ret.pop("minimum")
        if not validator.max_inclusive and ret.get("maximum") == validator.max:
            attributes["exclusiveMaximum"] = ret.pop("maximum")
    return attributes


def single_value_as_const(self, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """A field that must equal one value (ma.validate.Equal) is a `const`, not an inline enum."""
    if any(isinstance(validator, ma.validate.Equal) for validator in field.validators):
        (value,) = ret.pop("enum")
        return {"const": value}
    return {}
