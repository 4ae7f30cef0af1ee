"""A value the database refuses (too long for its column, a number out of range) is the
client's input, not an outage: a 422 problem, never a 503, never logged as an error.

The API's schemas refuse such values first, so a test-only route writes past them, as a schema
that drifted from its column would. Only PostgreSQL enforces column sizes: these tests run in
the PostgreSQL pass of the suite.
"""

import logging
import os

import pytest
from flask import request
from sqlalchemy import text

from directory import create_app
from directory.accounts.models import Role, User
from directory.extensions import db
from directory.practitioners.services import create_profile
from tests.helpers import unique_email


@pytest.fixture
def app_with_an_unchecked_write(config_class):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("these run in the PostgreSQL pass of the suite")
    app = create_app(config_class)

    @app.post("/test-only/unchecked-profile")
    def create_unchecked_profile():
        user = User(
            email=unique_email(), password_hash="", full_name="Dr Unchecked", role=Role.PRACTITIONER
        )
        db.session.add(user)
        db.session.flush()
        profile = create_profile(user, {"city": "Paris", "country": "FR"} | request.json)
        return {"id": profile.id}, 201

    @app.get("/test-only/broken-query")
    def run_a_broken_query():
        db.session.execute(text("SELECT no_such_column FROM users"))

    return app


@pytest.mark.parametrize(
    "values",
    [
        {"clinic_name": "x" * 500},  # character varying(160)
        {"years_experience": 2**40},  # integer
        {"price_from": 10.0**12},  # numeric(10, 2)
    ],
    ids=["too-long", "integer-out-of-range", "numeric-out-of-range"],
)
def test_a_value_the_database_refuses_is_a_422_not_an_outage(
    app_with_an_unchecked_write, values, caplog
):
    client = app_with_an_unchecked_write.test_client()

    response = client.post("/test-only/unchecked-profile", json=values)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 422
    assert response.json["errors"]
    assert "Retry-After" not in response.headers
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    # The refusal left the session usable: the next request reaches the database.
    assert client.get("/readyz").status_code == 200
    assert client.post("/test-only/unchecked-profile", json={}).status_code == 201


def test_a_bug_in_sql_is_a_500_not_an_outage(app_with_an_unchecked_write):
    # Only a database that cannot be reached or does not answer is a 503: monitoring must not
    # read a bug as an outage.
    response = app_with_an_unchecked_write.test_client().get("/test-only/broken-query")

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "no_such_column" not in response.text
