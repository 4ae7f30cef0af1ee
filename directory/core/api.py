"""flask-smorest, adjusted to the contract: problem+json errors and strict JSON bodies."""

from http import HTTPStatus

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from directory.core.errors import PROBLEM_MIMETYPE, NotFoundError, http_exception_to_problem


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(metadata={"example": "about:blank"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Validation messages by field (validation failures only)"},
    )


class DirectoryParser(FlaskParser):
    """webargs' Flask parser, with strict JSON bodies and one multipart location.

    - A body sent with another content type than JSON is a 400, not a silently empty body.
    - `form_and_files` reads form fields and files together, so that one schema validates
      (and documents) a whole multipart upload, unknown fields included.
    - NUL characters are refused in every field (see pre_load).
    """

    __location_map__ = dict(FlaskParser.__location_map__, form_and_files="load_form_and_files")
    # Unknown query parameters are refused too: a misspelt filter must not silently match all.
    DEFAULT_UNKNOWN_BY_LOCATION = dict(
        FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, query=ma.RAISE, querystring=ma.RAISE
    )

    def _raw_load_json(self, req):
        if not is_json_request(req):
            if req.get_data(cache=True):
                abort(400, message="Send the body as application/json.")
            return core.missing
        return super()._raw_load_json(req)

    def load_form_and_files(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)

    def pre_load(self, location_data, *, schema, req, location):
        """Refuse NUL characters in any field: no database stores them (PostgreSQL rejects
        them outright), and no legitimate client sends them."""
        items = location_data.items() if hasattr(location_data, "items") else ()
        for name, value in items:
            if _has_nul(name) or _has_nul(value):
                abort(
                    422, errors={str(name).replace("\x00", ""): ["NUL characters are not allowed."]}
                )
        return location_data


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def refuse_nul_in_path(endpoint, values) -> None:
    """A path parameter with a NUL character names nothing (and would reach the database)."""
    if values and any(_has_nul(value) for value in values.values()):
        raise NotFoundError("No such resource.")


class DirectoryBlueprint(Blueprint):
    ARGUMENTS_PARSER = DirectoryParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = dict(
        Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING, form_and_files="multipart/form-data"
    )


def dumped(schema: type[ma.Schema], data) -> Response:
    """A response serialised with `schema` instead of the route's documented one: for views
    that show less to some callers (a public subset of the documented fields)."""
    return jsonify(schema().dump(data))


class DirectoryApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return http_exception_to_problem(error)

    def _register_responses(self):
        """Document every error response as what it is: application/problem+json."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Error (RFC 9457 problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)
