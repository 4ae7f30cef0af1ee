"""Security headers, CORS and the server banner, as a browser or a scanner sees them."""

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory import create_app
from tests.helpers import PASSWORD, unique_email
from tests.reliability.services import free_port, port_open, wait_for

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = "https://app.example.test"  # TestingConfig.CORS_ORIGINS
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def login(client):
    return client.post("/api/v1/auth/login", json={"email": unique_email(), "password": "wrong"})


def test_every_response_carries_the_security_headers(client):
    for response in (
        client.get("/api/v1/treatments"),
        client.get("/api/v1/nothing"),
        client.get("/healthz"),
        client.get("/media/gallery/missing.jpg"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] in (
            "no-referrer",
            "strict-origin-when-cross-origin",
        )
        assert response.headers["Content-Security-Policy"].startswith(API_POLICY)


def test_hsts_only_when_the_public_base_url_is_https(client, config_class):
    class Https(config_class):
        PUBLIC_BASE_URL = "https://api.example.org"

    secure = create_app(Https).test_client().get("/healthz")

    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_token_responses_are_never_stored(client, actors):
    actor = actors.patient()
    refreshed = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {actor.refresh_token}"}
    )

    signed_in = client.post("/api/v1/auth/login", json={"email": actor.email, "password": PASSWORD})
    me = client.get("/api/v1/auth/me", headers=actor.headers)

    for response in (signed_in, refreshed, me, login(client)):
        assert response.headers["Cache-Control"] == "no-store"


def test_a_token_outside_auth_is_not_stored_either(app):
    with app.test_request_context("/api/v1/elsewhere"):
        response = app.make_response({"access_token": "x"})
        assert app.process_response(response).headers["Cache-Control"] == "no-store"


def test_a_cache_control_set_by_the_view_is_kept(app):
    with app.test_request_context("/api/v1/auth/me"):
        response = app.make_response(({"x": 1}, 200, {"Cache-Control": "private, max-age=5"}))
        assert app.process_response(response).headers["Cache-Control"] == "private, max-age=5"


def test_public_reads_are_not_marked_no_store(client):
    assert client.get("/api/v1/treatments").headers.get("Cache-Control") != "no-store"


def test_retry_after_only_on_429_and_503(config_class):
    class Limited(config_class):
        RATELIMIT_AUTH = "2 per minute"

    client = create_app(Limited).test_client()

    allowed = [login(client) for _ in range(2)]
    limited = login(client)

    assert [r.status_code for r in allowed] == [401, 401]
    assert all("X-RateLimit-Limit" in r.headers for r in allowed)
    assert all("Retry-After" not in r.headers for r in allowed)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0


def test_a_503_keeps_its_retry_after(app):
    with app.test_request_context("/readyz"):
        response = app.make_response(("", 503, {"Retry-After": "5"}))
        assert app.process_response(response).headers["Retry-After"] == "5"


def test_a_204_has_no_content_type_and_no_body(client, actors):
    actor = actors.patient()

    response = client.post("/api/v1/auth/logout", headers=actor.headers)

    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    assert response.data == b""


def test_a_cors_preflight_is_cached_and_allows_the_api_headers(client):
    response = client.options(
        "/api/v1/practitioners",
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    conditional = client.options(
        "/api/v1/practitioners",
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert int(response.headers["Access-Control-Max-Age"]) == 600
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert allowed == {"authorization", "content-type", "idempotency-key"}
    assert conditional.headers["Access-Control-Allow-Headers"].lower() == "if-none-match"


def test_a_cross_origin_read_exposes_the_headers_clients_need(client):
    response = client.get("/api/v1/treatments", headers={"Origin": FRONTEND})

    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= {
        "Location",
        "ETag",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "Idempotent-Replayed",
    }
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND


def test_public_media_is_readable_from_any_origin(client, app, actors):
    from tests.helpers import published_gallery_item

    owner = actors.practitioner_with_profile()
    item = published_gallery_item(app, client, owner)
    path = item["after"]["url"].removeprefix(app.config["PUBLIC_BASE_URL"])

    for headers in ({"Origin": "https://any-site.example"}, {}):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        # "*" even without an Origin: a cached copy then serves a canvas read on any site too.
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.fixture
def gunicorn_port(app, tmp_path):
    port = free_port()
    environment = os.environ | {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: port_open(port))
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_gunicorn_names_no_server_software_or_version(gunicorn_port):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_port, timeout=10)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    response.read()
    connection.close()

    assert response.status == 200
    servers = response.headers.get_all("Server") or []
    assert len(servers) <= 1
    assert not any(
        "gunicorn" in value.lower() or any(c.isdigit() for c in value) for value in servers
    )
