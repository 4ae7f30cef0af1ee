"""flask-smorest, adjusted to the contract: problem+json errors, strict JSON bodies, one
pagination decorator."""

import json
from collections.abc import Callable
from functools import wraps

import marshmallow as ma
from flask_smorest import Api, Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from directory.core.errors import NotFoundError, http_exception_to_problem
from directory.core.openapi import (
    ContractPlugin,
    document_problem_pages,
    operation_id,
    register_problem_responses,
)

# Deeper than any document this API accepts, shallow enough to never exhaust the stack.
MAX_JSON_DEPTH = 32
# An integer this long is no count, id or amount of this API; Python's own limit is 4,300.
MAX_JSON_INTEGER_DIGITS = 30


class ResponseSchema(ma.Schema):
    """A response body. Each of its fields is always present, so the document lists it in
    `required` (typed clients rely on it), unless its metadata says `"optional": True` (and its
    description says when it is there).

    `required` changes nothing when dumping: it is set here, once, rather than on every field.
    """

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        if not field_obj.load_only and not field_obj.metadata.get("optional"):
            field_obj.required = True


class Serialized(ma.fields.List):
    """A list the view hands over in its wire form already: a hot path that builds its items
    straight from rows (practitioners.search) instead of dumping objects field by field. It is
    documented as the list it declares; a test of that path holds its items equal to a dump.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class ProblemSchema(ResponseSchema):
    """RFC 9457 problem details."""

    type = ma.fields.URL(
        metadata={
            "example": "https://api.example.org/problems/token-expired",
            "description": "Ends in /problems/<slug>: the slug tells errors apart",
        }
    )
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"optional": True})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={
            "description": "Validation messages by field (validation failures only); for a "
            "list or an object, its messages by item index or by field, the same way",
            "additionalProperties": {
                "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
            },
            "optional": True,
        },
    )


class DirectoryParser(FlaskParser):
    """webargs' Flask parser, with strict JSON bodies and one multipart location.

    - A body sent with another content type than JSON is a 400, not a silently empty body;
      so is any JSON a careful parser refuses (see parse_json_body).
    - `form_and_files` reads form fields and files together, so that one schema validates
      (and documents) a whole multipart upload, unknown fields included.
    - NUL characters are refused in every field (see pre_load).
    """

    __location_map__ = dict(FlaskParser.__location_map__, form_and_files="load_form_and_files")
    # Unknown query parameters are refused too: a misspelt filter must not silently match all.
    DEFAULT_UNKNOWN_BY_LOCATION = dict(
        FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, query=ma.RAISE, querystring=ma.RAISE
    )

    def load_json(self, req, schema):
        body = req.get_data(cache=True)
        if not is_json_request(req):
            if body:
                abort(400, message="Send the body as application/json.")
            return core.missing
        if not body:
            return core.missing
        return parse_json_body(body)

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


def parse_json_body(body: bytes):
    """The JSON document of a request body, or a 400: invalid UTF-8, lone surrogates (no
    database stores them), NaN and Infinity (not JSON), absurdly long integers and nesting
    deeper than MAX_JSON_DEPTH are all malformed requests, never a 500 further on."""
    try:
        document = json.loads(
            body.decode("utf-8"), parse_int=_bounded_int, parse_constant=_not_json
        )
        _check_strings_and_depth(document, depth=0)
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        abort(400, message="The request body is not valid JSON.")
    return document


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INTEGER_DIGITS:
        raise ValueError("integer too long")
    return int(digits)


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def _check_strings_and_depth(value, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _check_strings_and_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_strings_and_depth(item, depth + 1)


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

    def route(self, rule, *, parameters=None, tags=None, **options) -> Callable:
        """Register a view function, one per operation: its name, in camelCase, is the
        operation's id in the document (`search_practitioners` -> `searchPractitioners`)."""
        register = super().route(rule, parameters=parameters, tags=tags, **options)

        def decorator(view: Callable) -> Callable:
            if isinstance(view, type):
                raise TypeError(
                    f"{view.__name__}: write one view function per operation, named for what "
                    "it does (the name is its operationId)."
                )
            return register(self.doc(operationId=operation_id(view.__name__))(view))

        return decorator

    def arguments(self, schema, *args, **kwargs) -> Callable:
        """As flask-smorest's, with one schema instance per route: given a class, webargs
        would build an instance, deep-copying every field, on every request."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

    def paginated(self, item_schema: type[ma.Schema]) -> Callable:
        """A list route. Put it under `@blp.arguments(SomeArgs, location="query")`, where
        SomeArgs extends PageArgs: the view gets its filters without `page`/`per_page` and
        returns a `Select` (or a `Pageable`); the answer is the documented envelope."""
        from directory.core.pagination import page_of, page_schema  # it needs the db: no cycle

        def decorator(view: Callable) -> Callable:
            @wraps(view)
            def wrapper(*view_args, **view_kwargs):
                # The query arguments come last (after `self` in a MethodView).
                *before, query = view_args
                filters = {k: v for k, v in query.items() if k not in ("page", "per_page")}
                result = view(*before, filters, **view_kwargs)
                return page_of(result, query["page"], query["per_page"])

            return self.response(200, page_schema(item_schema))(wrapper)

        return decorator


class DirectoryApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *, spec_kwargs=None):
        # One plugin per document: it completes every operation as it is registered.
        spec_kwargs = {"extra_plugins": [ContractPlugin()], **(spec_kwargs or {})}
        super().init_app(app, spec_kwargs=spec_kwargs)
        document_problem_pages(self.spec)

    def handle_http_exception(self, error):
        return http_exception_to_problem(error)

    def _register_responses(self):
        register_problem_responses(self)

    def _register_pagination_header(self):
        """Lists answer their envelope in the body (core.pagination), never X-Pagination: no
        PaginationMetadata schema in the document."""
