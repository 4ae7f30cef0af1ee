"""Where the OpenAPI document departs from what flask-smorest generates by itself.

flask-smorest has no public hook for the content type of its error response components; it
documents them as application/json, while every error here is application/problem+json.
`register_problem_responses` replaces the private `Api._register_responses`, written against
flask-smorest 0.47.0; tests/core/test_openapi_document.py fails if a new version stops calling
it (the error components would be application/json again).
"""

from http import HTTPStatus

from flask_smorest.utils import prepare_response

from directory.core.errors import PROBLEM_MIMETYPE


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
