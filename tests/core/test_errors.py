"""Every failure is an RFC 9457 problem, whatever raised it."""

import json

import pytest

from directory import create_app

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> None:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    assert response.json["title"]
    assert "Traceback" not in response.text


def test_unknown_path_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/nothing-here"), 404)


def test_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/api/v1/auth/login")

    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_invalid_json_is_a_400_problem(client):
    response = client.post(
        "/api/v1/auth/register", data="{not json", content_type="application/json"
    )

    assert_problem(response, 400)


def test_a_body_of_another_content_type_is_a_400_problem(client):
    response = client.post(
        "/api/v1/auth/register", data="email=a@b.c&password=x", content_type="text/plain"
    )

    assert_problem(response, 400)


def test_a_json_body_that_is_not_an_object_is_a_422(client):
    assert_problem(client.post("/api/v1/auth/register", json=["a", "list"]), 422)


def test_a_body_over_the_size_limit_is_a_413_problem(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = client.post(
        "/api/v1/auth/register", data=b"x" * (limit + 1), content_type="application/json"
    )

    assert_problem(response, 413)


@pytest.mark.parametrize("path", ["/api/v1/treatments", "/readyz"])
def test_an_unreachable_database_is_a_503_problem(config_class, path):
    class DatabaseDown(config_class):
        # A port nothing listens on: a real connection failure, not a mock.
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://postgres@127.0.0.1:9/none"
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}}

    client = create_app(DatabaseDown).test_client()

    assert_problem(client.get(path), 503)


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", "/api/v1/practitioners", {"query_string": {"city": "Par\x00is"}}),
        ("get", "/api/v1/practitioners", {"query_string": {"treatment": "\x00"}}),
        ("post", "/api/v1/auth/login", {"json": {"email": "a\x00@b.c", "password": "x"}}),
        ("post", "/api/v1/auth/register", {"json": {"email\x00": "a@b.c"}}),
    ],
)
def test_nul_characters_are_a_422_on_every_database(client, method, path, kwargs):
    response = getattr(client, method)(path, **kwargs)

    assert_problem(response, 422)


def test_a_nul_character_in_a_path_parameter_is_a_404(client):
    assert_problem(client.get("/api/v1/practitioners/ab%00cd"), 404)
    assert_problem(client.get("/api/v1/practitioners/ab%00cd/testimonials"), 404)


MALFORMED_JSON = {
    "lone surrogate": b'{"email": "a\\ud800@x.com", "password": "whatever-long"}',
    "deep nesting": b"[" * 5000 + b"]" * 5000,
    "nesting past the limit": b'{"a":' * 40 + b"1" + b"}" * 40,
    "4301-digit integer": b'{"rating": ' + b"9" * 4301 + b"}",
    "NaN": b'{"rating": NaN}',
    "invalid UTF-8": b'{"email": "\xff\xfe"}',
}


@pytest.mark.parametrize("body", MALFORMED_JSON.values(), ids=MALFORMED_JSON.keys())
@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/register"])
def test_malformed_json_of_any_kind_is_a_400(client, path, body):
    response = client.post(path, data=body, content_type="application/json")

    assert_problem(response, 400)


@pytest.mark.parametrize("field", ["full_name", "password"])
def test_a_lone_surrogate_in_any_field_is_a_400(client, field):
    body = {"email": "s@example.com", "password": "long enough pass", "full_name": "N"}
    raw = json.dumps(body | {field: "x\ud800y"})  # json.dumps escapes it as \ud800

    response = client.post("/api/v1/auth/register", data=raw, content_type="application/json")

    assert_problem(response, 400)
