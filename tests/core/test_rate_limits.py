import pytest

from directory import create_app
from tests.helpers import unique_email


@pytest.fixture
def limited_app(config_class):
    class Limited(config_class):
        RATELIMIT_AUTH = "3 per minute"

    return create_app(Limited)


def login(client, headers=None):
    return client.post(
        "/api/v1/auth/login",
        json={"email": unique_email(), "password": "wrong-password"},
        headers=headers or {},
    )


def test_repeated_logins_are_rate_limited_with_retry_after(limited_app):
    client = limited_app.test_client()

    statuses = [login(client).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    limited = login(client)
    assert limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0


def test_registration_shares_the_auth_limit(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        login(client)

    response = client.post("/api/v1/auth/register", json={})

    assert response.status_code == 429


def test_x_forwarded_for_cannot_reset_the_limit_without_a_trusted_proxy(limited_app):
    client = limited_app.test_client()

    statuses = [login(client, {"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(4)]

    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(config_class):
    class Proxied(config_class):
        RATELIMIT_AUTH = "3 per minute"
        PROXY_COUNT = 1

    client = create_app(Proxied).test_client()
    for _ in range(3):
        login(client, {"X-Forwarded-For": "203.0.113.1"})

    assert login(client, {"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert login(client, {"X-Forwarded-For": "203.0.113.2"}).status_code == 401
