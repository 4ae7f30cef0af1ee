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
    "item_id": "Id of an item of this practitioner's gallery (opaque).",
}


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

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs) -> None:
        for parameter in parameters:
            if parameter.get("in") == "path":
                parameter["description"] = PATH_PARAMETERS[parameter["name"]]

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in operations.values():
            if operation["operationId"] in self.operation_ids:
                raise APISpecError(f"Two operations are named {operation['operationId']}.")
            self.operation_ids.add(operation["operationId"])


def register_problem_responses(api) -> None:
    """Document every error response as what it is: application/problem+json."""
    for status in HTTPStatus:
        response = {"description": status.phrase}
        if status >= 400:
            response["schema"] = api.ERROR_SCHEMA
        prepare_response(response, api.spec, PROBLEM_MIMETYPE)
        api.spec.components.response(status.name, response, lazy=True)
    default = {"description": "Error (RFC 9457 problem details)", "schema": api.ERROR_SCHEMA}
    prepare_response(default, api.spec, PROBLEM_MIMETYPE)
    api.spec.components.response("DEFAULT_ERROR", default, lazy=True)


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
