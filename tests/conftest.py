"""Fixtures: one app on a database created for this run, emptied after every test.

The database is SQLite by default; with TEST_DATABASE_URL (a PostgreSQL server URL) the suite
creates a database of its own on that server and drops it at the end. An unreachable server is
an error, never a skip.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from directory import create_app
from directory.config import TestingConfig, database_url
from directory.extensions import db, limiter
from tests.helpers import ActorFactory, build_world

KEPT_TABLES = {"treatments", "places", "place_names", "alembic_version"}  # written by migrations
COUNTERS = {"live_profile_count"}  # one-row tables written by migrations, reset to zero


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    server = sa.make_url(database_url(server_url))
    name = f"directory_test_{uuid.uuid4().hex[:12]}"
    admin_engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:  # raises if PostgreSQL is unreachable
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@pytest.fixture(scope="session")
def config_class(database_uri, tmp_path_factory) -> type:
    class SuiteConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_uri
        MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))

    return SuiteConfig


@pytest.fixture(scope="session")
def app(config_class) -> Iterator[Flask]:
    app = create_app(config_class)
    with app.app_context():
        upgrade()  # the real migrations, so they are tested too
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app) -> Iterator[None]:
    yield
    with app.app_context():
        db.session.remove()
        kept = KEPT_TABLES | COUNTERS
        tables = [t for t in db.metadata.sorted_tables if t.name not in kept]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
            else:
                for table in reversed(tables):
                    connection.execute(table.delete())
            for name in COUNTERS:
                connection.execute(db.metadata.tables[name].update().values(value=0))
        limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def actors(app, client) -> ActorFactory:
    """Creates signed-in users: actors.patient(), actors.practitioner(), actors.admin()."""
    return ActorFactory(app, client)


@pytest.fixture
def owner(actors):
    """A practitioner with a live profile (owner.practitioner_id)."""
    return actors.practitioner_with_profile()


@pytest.fixture
def patient(actors):
    return actors.patient(full_name="Claire Anne Fontaine")


@pytest.fixture
def admin(actors):
    return actors.admin()


@pytest.fixture
def world(client, actors) -> dict:
    """Records of every kind and an actor for every relation to them (see build_world)."""
    return build_world(client, actors)


@pytest.fixture
def record_statements(app):
    """record_statements(callback): the SQL statements the callback sends, in order."""

    def run(callback) -> list[str]:
        statements = []
        with app.app_context():
            engine = db.engine

        def record(*args):
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            callback()
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        return statements

    return run


@pytest.fixture
def count_statements(record_statements):
    """count_statements(callback): how many SQL statements the callback sends."""
    return lambda callback: len(record_statements(callback))
