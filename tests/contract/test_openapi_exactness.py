"""The OpenAPI document is exact enough to generate typed clients from (API.md, "v2: a contract
clients are generated from"): what openapi-python-client and openapi-typescript rely on, and
what the server does, said in the document."""

import json
import re
from collections.abc import Iterator

import pytest

from directory.core.errors import PROBLEM_MIMETYPE
from tests.security.test_authorization_matrix import MATRIX

METHODS = ("get", "put", "post", "patch", "delete")
RATE_LIMIT_HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
# Answers that refuse a request for what it is or who sends it, whatever the operation.
ALWAYS = {"429", "503"}


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").json


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        section, kind, name = node["$ref"].removeprefix("#/").split("/")
        node = document[section][kind][name]
    return node


def parameters_of(document: dict, path: str, operation: dict) -> list[dict]:
    shared = document["paths"][path].get("parameters", [])
    return [resolve(document, p) for p in [*shared, *operation.get("parameters", [])]]


def responses_of(document: dict, operation: dict) -> dict[str, dict]:
    return {status: resolve(document, r) for status, r in operation["responses"].items()}


def subschemas(schema: dict) -> Iterator[dict]:
    """A schema and every schema inside it (not following references)."""
    yield schema
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from subschemas(schema[key])
    for member in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        yield from subschemas(member)
    for prop in schema.get("properties", {}).values():
        yield from subschemas(prop)


def reachable_schemas(document: dict, roots: list[dict]) -> dict[str, dict]:
    """The component schemas that the given schemas refer to, directly or not, by name."""
    found: dict[str, dict] = {}
    pending = list(roots)
    while pending:
        for schema in subschemas(pending.pop()):
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[1]
                if name not in found:
                    found[name] = document["components"]["schemas"][name]
                    pending.append(found[name])
    return found


def response_schemas(document: dict) -> dict[str, dict]:
    roots = [
        media["schema"]
        for _, _, operation in operations(document)
        for response in responses_of(document, operation).values()
        for media in response.get("content", {}).values()
        if "schema" in media
    ]
    return reachable_schemas(document, roots)


def test_every_operation_has_a_unique_readable_operation_id_and_a_tag(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    declared_tags = {tag["name"] for tag in document["tags"]}

    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+([A-Z][a-z]+)*", operation_id) for operation_id in ids), ids
    for _, _, operation in operations(document):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared_tags
    assert {
        "searchPractitioners",
        "createProfile",
        "getProfile",
        "updateProfile",
        "deleteProfile",
        "listCertifications",
        "uploadCertificationDocument",
        "verifyCertification",
        "requestConsultation",
        "listConsultations",
        "writeTestimonial",
        "login",
        "refreshTokens",
        "getProblemType",
    } <= set(ids)


# Objects whose every key is optional: the search's facets hold only the facets asked for.
EVERY_KEY_OPTIONAL = {"SearchFacets"}


def test_every_response_object_schema_lists_the_fields_always_present(document):
    schemas = response_schemas(document)

    for name, schema in schemas.items():
        if schema.get("type") == "object" and schema.get("properties"):
            assert schema.get("required") or name in EVERY_KEY_OPTIONAL, name
    # Fields absent from some answers are left out, and described.
    summary = schemas["PractitionerSummary"]
    assert "distance_km" not in summary["required"] and "id" in summary["required"]
    certification = schemas["Certification"]
    assert "credential_number" not in certification["required"]
    assert "rejection_reason" in certification["properties"]
    assert {"type", "title", "status"} == set(schemas["Problem"]["required"])


def test_nullable_fields_admit_null_and_partial_updates_require_nothing(document):
    schemas = document["components"]["schemas"]

    assert schemas["Me"]["properties"]["practitioner_id"]["type"] == ["string", "null"]
    assert "practitioner_id" in schemas["Me"]["required"]
    assert {"type": "null"} in schemas["Testimonial"]["properties"]["response"]["anyOf"]
    for name in ("ProfileUpdate", "CertificationUpdate", "TestimonialUpdate"):
        assert "required" not in schemas[name], name


def test_every_field_has_a_type(document):
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            assert {"type", "$ref", "anyOf"} & prop.keys(), f"{name}.{field}"
            values = prop.get("additionalProperties")
            if values is not None and values is not False:
                assert values, f"{name}.{field}: its values have no type"
    image = document["components"]["schemas"]["Image"]["properties"]
    # Typed, and null while the patient has not granted consent (the file is private).
    assert image["url"]["type"] == image["thumbnail_url"]["type"] == ["string", "null"]


def test_every_parameter_has_a_description(document):
    for path, method, operation in operations(document):
        for parameter in parameters_of(document, path, operation):
            assert parameter.get("description"), f"{method} {path} {parameter['name']}"


def test_every_enum_is_a_named_component_with_a_type(document):
    components = document["components"]["schemas"]
    enums = {name: schema for name, schema in components.items() if "enum" in schema}

    assert all(schema["type"] == "string" for schema in enums.values())
    assert enums["ConsultationStatus"]["enum"][0] == "requested"
    assert "ConsultationChange" in components
    inside = [sub for schema in components.values() for sub in list(subschemas(schema))[1:]]
    inside += [
        sub
        for path, _, operation in operations(document)
        for parameter in parameters_of(document, path, operation)
        for sub in subschemas(parameter["schema"])
    ]
    assert not [sub for sub in inside if "enum" in sub]


def test_every_operation_documents_the_errors_it_can_answer(document):
    for path, method, operation in operations(document):
        label = f"{method} {path}"
        responses = responses_of(document, operation)
        statuses = set(responses)
        parameters = parameters_of(document, path, operation)
        body = operation.get("requestBody", {}).get("content", {})

        assert ALWAYS <= statuses, label
        assert ("401" in statuses) == ("security" in operation or label.endswith("auth/login"))
        assert ("404" in statuses) == any(p["in"] == "path" for p in parameters), label
        if body or any(p["in"] == "query" for p in parameters):
            assert {"400", "422"} <= statuses, label
        if "multipart/form-data" in body:
            assert {"413", "415"} <= statuses, label
        if any(scopes for req in operation.get("security", []) for scopes in req.values()):
            assert "403" in statuses, label
        if method == "post" and "201" in statuses:
            assert "409" in statuses, label
        for status, response in responses.items():
            if status.startswith(("4", "5")) or status == "default":
                assert list(response["content"]) == [PROBLEM_MIMETYPE], label
                assert response["content"][PROBLEM_MIMETYPE]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
    conflicts = {"verifyCertification", "rejectCertification", "updateConsultation"}
    for _, _, operation in operations(document):
        if operation["operationId"] in conflicts:
            assert "409" in operation["responses"], operation["operationId"]


@pytest.mark.parametrize(("method", "rule", "expected"), [(m, r, e) for m, r, _, e in MATRIX])
def test_every_status_the_authorization_matrix_sees_is_documented(document, method, rule, expected):
    path = re.sub(r"<([^>]+)>", r"{\1}", rule)
    if path == "/api/v1/openapi.json":
        return  # the document does not document itself
    documented = document["paths"][path][method.lower()]["responses"]

    assert {str(status) for status in expected} <= set(documented)


def test_every_answer_documents_its_headers(document):
    for path, method, operation in operations(document):
        label = f"{method} {path}"
        responses = responses_of(document, operation)
        names = {p["name"] for p in parameters_of(document, path, operation) if p["in"] == "header"}
        public_read = method == "get" and {} in operation.get("security", [{}])
        public_read = public_read and "health" not in operation["tags"]

        for status, response in responses.items():
            assert RATE_LIMIT_HEADERS <= set(response.get("headers", {})), f"{label} {status}"
        for status in ALWAYS:
            assert "Retry-After" in responses[status]["headers"], label
        if "201" in responses:
            assert {"Location", "Idempotent-Replayed"} <= set(responses["201"]["headers"])
            assert "Idempotency-Key" in names, label
        assert ("If-None-Match" in names) == public_read, label
        if public_read:
            assert {"ETag", "Cache-Control"} <= set(responses["200"]["headers"]), label
            assert "304" in responses, label
    key = document["components"]["parameters"]["Idempotency-Key"]
    assert key["in"] == "header" and not key["required"]


def test_the_refresh_token_has_a_security_scheme_of_its_own(document):
    schemes = document["components"]["securitySchemes"]

    assert schemes["refreshToken"]["scheme"] == "bearer" and schemes["refreshToken"]["description"]
    for _, _, operation in operations(document):
        schemes_used = {name for req in operation.get("security", []) for name in req}
        if operation["operationId"] == "refreshTokens":
            assert operation["security"] == [{"refreshToken": []}]
        else:
            assert schemes_used <= {"bearerAuth"}, operation["operationId"]


def references_in(node: dict) -> set[tuple[str, str]]:
    return set(re.findall(r'"#/components/(\w+)/([\w.-]+)"', json.dumps(node)))


def test_no_component_is_unused(document):
    used = references_in(document["paths"])
    pending = list(used)
    while pending:
        section, name = pending.pop()
        for found in references_in(document["components"][section][name]):
            if found not in used:
                used.add(found)
                pending.append(found)

    for section in ("schemas", "responses", "parameters", "headers"):
        defined = {(section, name) for name in document["components"].get(section, {})}
        assert defined <= used, defined - used
    assert "PaginationMetadata" not in document["components"]["schemas"]


def test_probes_and_problem_pages_are_documented(document):
    assert document["paths"]["/healthz"]["get"]["operationId"] == "checkLiveness"
    assert document["paths"]["/readyz"]["get"]["operationId"] == "checkReadiness"
    problem_page = document["paths"]["/problems/{slug}"]["get"]
    assert problem_page["operationId"] == "getProblemType"
    assert [p["name"] for p in document["paths"]["/problems/{slug}"]["parameters"]] == ["slug"]


def test_registration_accepts_exactly_the_documented_roles(document, client):
    schemas = document["components"]["schemas"]
    assert schemas["Register"]["properties"]["role"] == {
        "$ref": "#/components/schemas/RegistrationRole"
    }
    assert schemas["RegistrationRole"]["enum"] == ["patient", "practitioner"]

    body = {"email": "a@example.com", "password": "correct horse battery", "full_name": "A"}
    assert client.post("/api/v1/auth/register", json=body | {"role": "admin"}).status_code == 422
    assert client.post("/api/v1/auth/register", json=body | {"role": "patient"}).status_code == 202


def test_search_radius_is_exclusive_of_zero_as_documented(document, client):
    parameters = document["paths"]["/api/v1/practitioners"]["get"]["parameters"]
    radius = next(p for p in parameters if p.get("name") == "radius_km")["schema"]
    assert radius["exclusiveMinimum"] == 0 and "minimum" not in radius

    point = "/api/v1/practitioners?lat=48.85&lng=2.35&radius_km="
    assert client.get(point + "0").status_code == 422
    assert client.get(point + "0.5").status_code == 200
