"""Public reads run outside a transaction on PostgreSQL (core.replicas): no BEGIN and no
ROLLBACK round trips; signed-in requests and every write keep their transactions."""

import os

import pytest
import sqlalchemy as sa

from directory import create_app
from directory.extensions import db
from directory.practitioners.models import Practitioner
from tests.helpers import ActorFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="SQLite has no round trips to save"
)


@pytest.fixture
def one_connection_app(config_class):
    """The app on a pool of one connection: every request reuses the one before's."""

    class OneConnection(config_class):
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 1, "max_overflow": 0}

    app = create_app(OneConnection)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def in_transaction(one_connection_app):
    """in_transaction(callback): for each statement the callback sends, whether psycopg2 ran
    it inside a transaction (not in autocommit)."""
    app = one_connection_app

    def run(callback) -> list[bool]:
        seen = []
        with app.app_context():
            engine = db.engine

        def record(connection, *args):
            seen.append(not connection.connection.dbapi_connection.autocommit)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            callback()
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        return seen

    return run


def test_public_reads_run_outside_a_transaction_and_signed_in_requests_inside(
    one_connection_app, in_transaction
):
    client = one_connection_app.test_client()
    owner = ActorFactory(one_connection_app, client).practitioner_with_profile()
    profile = f"/api/v1/practitioners/{owner.practitioner_id}"

    public = in_transaction(lambda: client.get(profile))
    signed_in = in_transaction(lambda: client.get(profile, headers=owner.headers))
    search = in_transaction(lambda: client.get("/api/v1/practitioners?q=durand"))
    edit = in_transaction(
        lambda: client.patch(profile, json={"clinic_name": "After"}, headers=owner.headers)
    )

    assert public and search and not any(public + search)
    # The one connection went back to the pool after each public read reset: transactions.
    assert signed_in and all(signed_in)
    assert edit and all(edit)
    assert client.get(profile).json["clinic_name"] == "After"
    with one_connection_app.app_context():  # the one connection, back in the pool as it was:
        # the server's default isolation, so that its pre-pings send no SET commands
        pooled = db.engine.raw_connection()
        assert (pooled.dbapi_connection.autocommit, pooled.dbapi_connection.isolation_level) == (
            False,
            None,
        )
        pooled.close()


def test_a_write_during_a_public_read_keeps_its_transaction(app, owner):
    def clinic_name() -> str:
        return db.session.get(Practitioner, owner.practitioner_id).clinic_name

    with app.test_request_context("/api/v1/practitioners"):
        app.preprocess_request()
        before = clinic_name()
        db.session.execute(
            sa.update(Practitioner)
            .where(Practitioner.id == owner.practitioner_id)
            .values(clinic_name="Never committed")
        )
        db.session.rollback()
        db.session.expire_all()

        assert clinic_name() == before
        db.session.remove()
