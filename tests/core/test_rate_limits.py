import time

import pytest
import redis

from directory import create_app
from tests.helpers import unique_email
from tests.reliability.services import PrivateRedis


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


RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def test_every_route_says_its_limit(client, owner, patient, app):
    """Each API route of the app is limited: reads per address, writes per account."""
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    responses = [
        client.get("/api/v1/practitioners"),
        client.get(base),
        client.get("/healthz"),
        client.get("/problems/not-found"),
        client.get("/api/v1/openapi.json"),
        client.patch(base, json={"bio": "x"}, headers=owner.headers),
        client.post(f"{base}/consultations", json={"message": "Hi"}, headers=patient.headers),
        client.post("/api/v1/auth/login", json={"email": patient.email, "password": "x"}),
    ]
    for response in responses:
        assert all(name in response.headers for name in RATE_HEADERS), response.request.path
    assert "Retry-After" not in responses[0].headers  # only on 429 and 503


def test_writes_are_limited_per_account(config_class, actors):
    class Limited(config_class):
        RATELIMIT_WRITE = "2 per minute"

    app = create_app(Limited)
    client = app.test_client()
    with app.app_context():
        from tests.helpers import ActorFactory

        factory = ActorFactory(app, client)
        first, second = factory.practitioner_with_profile(), factory.patient()
    # the factory's own writes (registration, profile) are auth routes or spent already
    url = f"/api/v1/practitioners/{first.practitioner_id}"
    statuses = [
        client.patch(url, json={"bio": "x"}, headers=first.headers).status_code for _ in range(3)
    ]

    assert statuses[-1] == 429
    assert int(client.patch(url, json={}, headers=first.headers).headers["Retry-After"]) > 0
    # another account from the same address has its own budget
    own = f"/api/v1/practitioners/{first.practitioner_id}/consultations"
    assert client.post(own, json={"message": "Hi"}, headers=second.headers).status_code != 429


def test_uploads_have_their_own_smaller_budget(config_class):
    from tests.helpers import ActorFactory, gallery_form, send_multipart

    class Limited(config_class):
        RATELIMIT_UPLOAD = "1 per hour"

    app = create_app(Limited)
    client = app.test_client()
    owner = ActorFactory(app, client).practitioner_with_profile()
    url = f"/api/v1/practitioners/{owner.practitioner_id}/gallery"

    assert send_multipart(client, "POST", url, gallery_form(), owner.headers).status_code == 201
    assert send_multipart(client, "POST", url, gallery_form(), owner.headers).status_code == 429
    # plain JSON writes are not uploads
    profile = f"/api/v1/practitioners/{owner.practitioner_id}"
    assert client.patch(profile, json={"bio": "x"}, headers=owner.headers).status_code == 200


def test_failed_logins_are_limited_per_target_account_across_addresses(config_class, actors):
    class Limited(config_class):
        RATELIMIT_LOGIN_ACCOUNT = "3 per minute"
        PROXY_COUNT = 1

    app = create_app(Limited)
    client = app.test_client()
    victim = {"email": "victim@example.com", "password": "wrong-password"}
    statuses = [
        client.post(
            "/api/v1/auth/login", json=victim, headers={"X-Forwarded-For": f"203.0.113.{i}"}
        ).status_code
        for i in range(4)
    ]

    assert statuses == [401, 401, 401, 429]
    other = {"email": "someone-else@example.com", "password": "wrong-password"}
    assert client.post("/api/v1/auth/login", json=other).status_code == 401


def test_limits_kept_in_redis_count_down_in_one_round_trip_per_request(config_class):
    server = PrivateRedis()  # of its own: its command counts are this test's alone
    server.start()

    class InRedis(config_class):
        RATELIMIT_STORAGE_URI = server.url
        RATELIMIT_PUBLIC = "3 per minute"

    app = create_app(InRedis)
    commands = redis.Redis.from_url(server.url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client = app.test_client()
        client.get("/api/v1/treatments")
        before = commands.info("commandstats")
        answers = [client.get("/api/v1/treatments") for _ in range(3)]
        after = commands.info("commandstats")

        assert [answer.status_code for answer in answers] == [200, 200, 429]
        assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["1", "0", "0"]
        now = time.time()
        assert all(now < int(a.headers["X-RateLimit-Reset"]) <= now + 61 for a in answers)
        assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
        # A request sends one script, which counts and reads the expiry (its TTL); its
        # headers send nothing more (limits alone would GET the count and its TTL again).
        assert {
            command: after.get(f"cmdstat_{command}", {}).get("calls", 0)
            - before.get(f"cmdstat_{command}", {}).get("calls", 0)
            for command in ("evalsha", "get", "ttl")
        } == {"evalsha": 3, "get": 0, "ttl": 3}
    finally:
        commands.close()
        create_app(config_class)  # the one Limiter of the process back on the suite's storage
        server.destroy()
