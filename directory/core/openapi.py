"""Where the OpenAPI document departs from what flask-smorest generates by itself.

Frontend teams generate typed clients from the document (API.md, "v2: a contract clients are
generated from"), so it must say exactly what the server does. Each rule is applied here, once,
for every operation:

- operation ids are the view functions' names in camelCase (`operation_id`, called by
  DirectoryBlueprint.route), unique across the document (`ContractPlugin`).

flask-smorest has no public hook for the content type of its error response components; it
documents them as application/json, while every error here is application/problem+json.
`register_problem_responses` replaces the private `Api._register_responses`, written against
flask-smorest 0.47.0; tests/core/test_openapi_document.py fails if a new version stops calling
it (the error components would be application/json again).
"""

from http import HTTPStatus

from apispec import APISpec, BasePlugin
from apispec.exceptions import APISpecError
from flask_smorest.utils import prepare_response

from directory.core.errors import PROBLEM_MIMETYPE


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
