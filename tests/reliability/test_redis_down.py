"""With Redis down, login and registration keep answering on per-process rate limits, never a
500; when Redis is back, the limits are shared through it again. A real redis-server of the
test's own is stopped and started: no mock of it."""

import logging
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from directory import create_app
from tests.helpers import PASSWORD, unique_email
from tests.reliability.services import PrivateRedis, call, gunicorn, require, wait_for

AUTH_LIMIT = 3


@pytest.fixture
def redis_server():
    require(shutil.which("redis-server") is not None, "redis-server")
    server = PrivateRedis()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def app_on_private_redis(redis_server, config_class):
    class OnPrivateRedis(config_class):
        RATELIMIT_STORAGE_URI = redis_server.url
        RATELIMIT_AUTH = f"{AUTH_LIMIT} per minute"

    yield create_app(OnPrivateRedis)
    # flask-limiter's Limiter is one object for every app of this process (extensions.py): bind
    # it back to the suite's memory storage, so that later tests never reach a stopped Redis.
    create_app(config_class)


def wait_until_counted_in_redis(attempt, server: PrivateRedis) -> None:
    """Repeat `attempt` (one auth request) until it is counted in Redis again: flask-limiter
    probes a storage it gave up on after growing pauses (at most 32 s)."""
    with redis.Redis.from_url(server.url) as connection:
        connection.flushall()

        def counted() -> bool:
            attempt()
            return bool(connection.keys("*"))

        wait_for(counted, timeout=40)


def registration(email: str) -> dict:
    return {"email": email, "password": PASSWORD, "full_name": "R", "role": "patient"}


def test_auth_answers_on_per_process_limits_while_redis_is_down_then_shares_them_again(
    app_on_private_redis, redis_server, caplog
):
    client = app_on_private_redis.test_client()
    registered = client.post("/api/v1/auth/register", json=registration(unique_email()))
    assert registered.status_code == 202

    redis_server.stop()
    email = unique_email()
    statuses = [
        client.post("/api/v1/auth/register", json=registration(email)).status_code,
        client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).status_code,
        client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"}).status_code,
        client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"}).status_code,
    ]

    # The limit still holds, counted in this process's memory from the moment Redis went away.
    assert statuses == [202, 200, 401, 429]
    assert any(
        record.levelno == logging.WARNING and "falling back to in-memory" in record.getMessage()
        for record in caplog.records
    )

    redis_server.start()

    wait_until_counted_in_redis(
        lambda: client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"}),
        redis_server,
    )
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200


def test_a_redis_that_hangs_costs_an_auth_request_seconds_not_a_worker(
    app_on_private_redis, redis_server
):
    client = app_on_private_redis.test_client()
    attempt = {"email": unique_email(), "password": "wrong"}
    assert client.post("/api/v1/auth/login", json=attempt).status_code == 401

    redis_server.pause()
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        answer = pool.submit(client.post, "/api/v1/auth/login", json=attempt)
        try:
            status = answer.result(timeout=10).status_code
        finally:
            redis_server.resume()  # lets a request stuck on Redis finish, whatever happened
        elapsed = time.monotonic() - started

    assert status == 401
    assert elapsed < 5
    wait_until_counted_in_redis(
        lambda: client.post("/api/v1/auth/login", json=attempt), redis_server
    )


def test_gunicorn_workers_answer_auth_while_redis_is_down(app, redis_server, tmp_path):
    workers = 2
    environment = {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_server.url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATELIMIT_AUTH": f"{AUTH_LIMIT} per minute",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    email = unique_email()
    with gunicorn(environment, workers) as port:
        assert call(port, "POST", "/api/v1/auth/register", registration(email))[0] == 202

        redis_server.stop()
        statuses = [
            call(port, "POST", "/api/v1/auth/login", {"email": email, "password": "wrong"})[0]
            for _ in range(workers * AUTH_LIMIT + 2)
        ]
        body = registration(unique_email())
        statuses.append(call(port, "POST", "/api/v1/auth/register", body)[0])

        assert set(statuses) <= {202, 401, 429}
        # Each worker counts for itself: together they let at most workers x limit through.
        assert statuses.count(401) <= workers * AUTH_LIMIT and 429 in statuses

        redis_server.start()

        wait_until_counted_in_redis(
            lambda: call(port, "POST", "/api/v1/auth/login", {"email": email, "password": "x"}),
            redis_server,
        )
