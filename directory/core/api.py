"""flask-smorest, adjusted to the contract: problem+json errors and strict JSON bodies."""

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Api, Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from directory.core.errors import http_exception_to_problem


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


class StrictJSONParser(FlaskParser):
    """A body sent with another content type is a 400, not a silently empty body."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            if req.get_data(cache=True):
                abort(400, message="Send the body as application/json.")
            return core.missing
        return super()._raw_load_json(req)


class DirectoryBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictJSONParser()


def dumped(schema: type[ma.Schema], data) -> Response:
    """A response serialised with `schema` instead of the route's documented one: for views
    that show less to some callers (a public subset of the documented fields)."""
    return jsonify(schema().dump(data))


class DirectoryApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return http_exception_to_problem(error)
