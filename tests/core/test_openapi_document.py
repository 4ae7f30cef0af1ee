"""What directory/core/openapi.py changes in flask-smorest's document: if a new flask-smorest
stops calling the override, error responses would be documented as application/json."""

from directory.core.errors import PROBLEM_MIMETYPE


def test_every_error_response_is_documented_as_problem_json(client):
    document = client.get("/api/v1/openapi.json").json
    responses = document["components"]["responses"]

    errors = {name: r for name, r in responses.items() if "content" in r}
    assert "UNPROCESSABLE_ENTITY" in errors and "DEFAULT_ERROR" in errors
    for name, response in errors.items():
        assert list(response["content"]) == [PROBLEM_MIMETYPE], name


def test_secured_operations_document_their_bearer_token(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    assert paths["/api/v1/auth/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert "security" not in paths["/api/v1/treatments"]["get"]


def test_tags_are_named_after_the_packages(client):
    tags = {tag["name"] for tag in client.get("/api/v1/openapi.json").json["tags"]}

    assert {"accounts", "credentials", "practitioners", "testimonials", "gallery"} <= tags
