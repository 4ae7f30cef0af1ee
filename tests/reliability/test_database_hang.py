"""A database that hangs (every process of the cluster stopped with SIGSTOP: the kernel still
accepts connections and acknowledges what is sent, nothing answers) costs a request seconds
and a 503, never a worker; after SIGCONT the API recovers by itself. See
core.database_timeouts for how."""

import os
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2.extensions
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from directory import create_app
from directory.core.database_timeouts import install_wait_callback
from directory.extensions import db
from tests.reliability.services import (
    PrivatePostgres,
    call,
    gunicorn,
    postgres_bin,
    require,
    wait_for,
)

LIMIT_SECONDS = 1  # both the connect and the statement limit, to keep the test short
# What a hung database may cost a request at these limits: a pooled connection's pre-ping
# (statement limit + 1 s margin), then a new connection (connect limit), plus slack for a busy
# machine. Without the limits it is gunicorn's 30 s timeout.
ANSWER_WITHIN_SECONDS = 6


@pytest.fixture
def postgres():
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the database fault tests run in the PostgreSQL pass of the suite")
    require(postgres_bin("initdb") is not None, "PostgreSQL server binaries")
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def waits_with_deadlines():
    """What wsgi.py does for a gunicorn process, undone afterwards: the rest of the suite runs
    COPY, which psycopg2 refuses while a wait callback is installed."""
    previous = psycopg2.extensions.get_wait_callback()
    install_wait_callback()
    yield
    psycopg2.extensions.set_wait_callback(previous)


def migrated_app(config_class: type, database_url: str) -> Flask:
    class OnPrivateServer(config_class):
        SQLALCHEMY_DATABASE_URI = database_url
        DATABASE_CONNECT_TIMEOUT = LIMIT_SECONDS
        DATABASE_STATEMENT_TIMEOUT = LIMIT_SECONDS

    app = create_app(OnPrivateServer)
    # Migrations run as `flask db upgrade` does, without the wait callback: they load the
    # gazetteer with COPY, which psycopg2 refuses under one. Their connections are then
    # dropped, so that the requests' own are opened under the callback.
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        with app.app_context():
            upgrade()
            db.engine.dispose()
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return app


def timed(request):
    """(what `request()` returned, seconds it took); a request that hangs fails the test after
    a while instead of hanging it."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        started = time.monotonic()
        answer = pool.submit(request).result(timeout=20)
        return answer, time.monotonic() - started
    finally:
        pool.shutdown(wait=False)  # a stuck request finishes once the database is resumed


def test_a_hung_database_is_a_503_within_seconds_and_the_api_recovers(
    postgres, config_class, waits_with_deadlines
):
    app = migrated_app(config_class, postgres.url)
    client = app.test_client()
    assert client.get("/api/v1/practitioners").status_code == 200

    postgres.pause()
    try:
        down, down_seconds = timed(lambda: client.get("/api/v1/practitioners"))
        ready, ready_seconds = timed(lambda: client.get("/readyz"))
    finally:
        postgres.resume()

    assert down.status_code == ready.status_code == 503
    assert down.mimetype == ready.mimetype == "application/problem+json"
    assert "Retry-After" in down.headers
    assert down_seconds < ANSWER_WITHIN_SECONDS
    assert ready_seconds < ANSWER_WITHIN_SECONDS
    wait_for(lambda: client.get("/readyz").status_code == 200, timeout=10)
    assert client.get("/api/v1/practitioners").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_gunicorn_workers_answer_503_while_the_database_hangs_and_recover(
    postgres, config_class, tmp_path
):
    migrated_app(config_class, postgres.url)
    environment = {
        "APP_ENV": "development",
        "DATABASE_URL": postgres.url,
        "DATABASE_CONNECT_TIMEOUT": str(LIMIT_SECONDS),
        "DATABASE_STATEMENT_TIMEOUT": str(LIMIT_SECONDS),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    with gunicorn(environment, workers=2) as port:
        assert call(port, "GET", "/readyz")[0] == 200

        postgres.pause()
        try:
            (status, body, headers), seconds = timed(
                lambda: call(port, "GET", "/api/v1/practitioners", timeout=15)
            )
            (ready_status, _, _), _ = timed(lambda: call(port, "GET", "/readyz", timeout=15))
        finally:
            postgres.resume()

        assert status == ready_status == 503
        assert body["status"] == 503 and "Retry-After" in headers
        assert seconds < ANSWER_WITHIN_SECONDS
        wait_for(lambda: call(port, "GET", "/api/v1/practitioners")[0] == 200, timeout=10)


def test_a_slow_statement_is_cancelled_by_the_server_within_its_limit(config_class):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the database fault tests run in the PostgreSQL pass of the suite")

    class Limited(config_class):
        DATABASE_STATEMENT_TIMEOUT = LIMIT_SECONDS

    app = create_app(Limited)

    @app.get("/test-only/slow")
    def run_a_slow_statement():
        db.session.execute(text("SELECT pg_sleep(30)"))

    client = app.test_client()

    slow, seconds = timed(lambda: client.get("/test-only/slow"))

    assert slow.status_code == 503
    assert seconds < LIMIT_SECONDS + 2
    assert client.get("/readyz").status_code == 200
    with app.app_context():
        db.engine.dispose()
