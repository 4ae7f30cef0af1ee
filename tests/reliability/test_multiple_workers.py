"""Several gunicorn workers behave as one: revocations and rate limits are shared."""

import uuid

import pytest

from tests.helpers import PASSWORD, unique_email
from tests.reliability.services import call, gunicorn, port_open, require

WORKERS = 3
AUTH_LIMIT = 5


@pytest.fixture
def server(app, tmp_path):
    require(port_open(6379), "Redis on 127.0.0.1:6379")
    environment = {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATELIMIT_AUTH": f"{AUTH_LIMIT} per minute",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
    }
    with gunicorn(environment, WORKERS) as port:
        yield port


def test_a_logout_is_honoured_by_every_worker(server):
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "full_name": "W", "role": "patient"}
    assert call(server, "POST", "/api/v1/auth/register", body)[0] == 202
    status, tokens, _ = call(
        server, "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}
    )
    assert status == 200
    assert call(server, "POST", "/api/v1/auth/logout", None, tokens["access_token"])[0] == 204

    statuses = {
        call(server, "GET", "/api/v1/auth/me", token=tokens["access_token"])[0]
        for _ in range(4 * WORKERS)
    }

    assert statuses == {401}


def test_the_auth_rate_limit_is_shared_by_every_worker(server):
    attempt = {"email": unique_email(), "password": "wrong-password"}

    statuses = [
        call(server, "POST", "/api/v1/auth/login", attempt)[0] for _ in range(AUTH_LIMIT + 3)
    ]
    status, body, headers = call(server, "POST", "/api/v1/auth/login", attempt)

    assert statuses == [401] * AUTH_LIMIT + [429] * 3
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert body["status"] == 429
