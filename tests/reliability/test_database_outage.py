"""With the database down the API answers 503 problem+json; when it returns, it recovers by
itself: no restart (pool_pre_ping discards the dead connections)."""

import os

import pytest
from flask_migrate import upgrade

from directory import create_app
from directory.extensions import db
from tests.reliability.services import PrivatePostgres, postgres_bin, require


@pytest.fixture
def postgres():
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the outage test runs in the PostgreSQL pass of the suite")
    require(postgres_bin("initdb") is not None, "PostgreSQL server binaries")
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()


def test_the_api_answers_503_while_the_database_is_down_and_recovers(postgres, config_class):
    class OnPrivateServer(config_class):
        SQLALCHEMY_DATABASE_URI = postgres.url

    app = create_app(OnPrivateServer)
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.get("/api/v1/practitioners").status_code == 200  # the pool holds a connection

    postgres.stop()
    down = client.get("/api/v1/practitioners")
    ready = client.get("/readyz")

    assert down.status_code == ready.status_code == 503
    assert down.mimetype == ready.mimetype == "application/problem+json"
    assert "Retry-After" in down.headers

    postgres.start()

    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/practitioners").status_code == 200
    with app.app_context():
        db.engine.dispose()
