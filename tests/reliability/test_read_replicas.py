"""Read replicas on PostgreSQL's own streaming replication (core.replicas): a real standby made
with pg_basebackup serves anonymous reads; the writer reads its own writes from the primary;
a standby that lags or dies is skipped and clients never notice."""

import os
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from directory import create_app
from directory.extensions import db
from tests.helpers import ActorFactory
from tests.reliability.services import (
    PrivatePostgres,
    PrivateStandby,
    postgres_bin,
    require,
    wait_for,
)

SEARCH = "/api/v1/practitioners"


@pytest.fixture
def clusters():
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the replica test runs in the PostgreSQL pass of the suite")
    require(postgres_bin("pg_basebackup") is not None, "PostgreSQL server binaries")
    primary = PrivatePostgres()
    primary.start()
    standby = None
    try:
        standby = PrivateStandby(primary)
        standby.start()
        yield primary, standby
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()


@pytest.fixture
def app(clusters, config_class):
    primary, standby = clusters

    class WithReplica(config_class):
        SQLALCHEMY_DATABASE_URI = primary.url
        DATABASE_REPLICA_URLS = [standby.url]
        # Checked once, then trusted: a standby that dies must be caught by the request itself.
        DATABASE_REPLICA_CHECK_SECONDS = 3600
        DATABASE_REPLICA_MAX_LAG = 5

    app = create_app(WithReplica)
    with app.app_context():
        upgrade()
    replayed(primary, standby)
    yield app
    with app.app_context():
        db.engine.dispose()
        for replica in app.extensions["database_replicas"].standbys:
            replica.engine.dispose()


def replayed(primary: PrivatePostgres, standby: PrivateStandby) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    primary_sql, standby_sql = sa.create_engine(primary.url), sa.create_engine(standby.url)
    try:
        with primary_sql.connect() as connection:
            written = connection.scalar(sa.text("SELECT pg_current_wal_lsn()"))
        with standby_sql.connect() as connection:
            caught_up = sa.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")
            wait_for(lambda: connection.scalar(caught_up, {"lsn": written}))
    finally:
        primary_sql.dispose()
        standby_sql.dispose()


class StatementCounter:
    """Statements each engine ran since the last look."""

    def __init__(self, **engines: sa.Engine):
        self.counts = dict.fromkeys(engines, 0)
        for name, engine in engines.items():
            sa.event.listen(engine, "before_cursor_execute", self._counter(name))

    def _counter(self, name: str):
        def count(*args):
            self.counts[name] += 1

        return count

    def taken(self) -> dict[str, int]:
        counts, self.counts = self.counts, dict.fromkeys(self.counts, 0)
        return counts


def test_anonymous_reads_go_to_the_standby_and_the_writer_reads_its_own_writes(app):
    client = app.test_client()
    replicas = app.extensions["database_replicas"]
    with app.app_context():
        statements = StatementCounter(primary=db.engine, standby=replicas.standbys[0].engine)
    owner = ActorFactory(app, client).practitioner_with_profile(clinic_name="Before")
    profile = f"{SEARCH}/{owner.practitioner_id}"
    wait_for(lambda: client.get(profile).status_code == 200)  # replayed on the standby
    statements.taken()

    assert client.get(f"{SEARCH}?q=durand").status_code == 200
    public = statements.taken()
    assert public["standby"] > 0 and public["primary"] == 0

    edited = client.patch(profile, json={"clinic_name": "After"}, headers=owner.headers)
    own = client.get(profile, headers=owner.headers)
    assert edited.status_code == own.status_code == 200
    assert own.json["clinic_name"] == "After"  # at once: the writer reads the primary
    assert statements.taken()["standby"] == 0

    wait_for(lambda: client.get(profile).json["clinic_name"] == "After")
    assert statements.taken()["primary"] == 0


def test_a_standby_that_lags_is_skipped(app, clusters):
    primary, standby = clusters
    client = app.test_client()
    replicas = app.extensions["database_replicas"]
    replicas.check_seconds, replicas.max_lag_seconds = 0, 0  # any lag is too much
    with app.app_context():
        statements = StatementCounter(primary=db.engine, standby=replicas.standbys[0].engine)
    standby_sql = sa.create_engine(standby.url)
    with standby_sql.connect() as connection:
        connection.execute(sa.text("SELECT pg_wal_replay_pause()"))
    try:
        owner = ActorFactory(app, client).practitioner_with_profile()
        statements.taken()
        answer = client.get(f"{SEARCH}/{owner.practitioner_id}")  # not replayed there
        assert answer.status_code == 200
        assert statements.taken()["standby"] == 1  # its lag, checked; nothing else
    finally:
        with standby_sql.connect() as connection:
            connection.execute(sa.text("SELECT pg_wal_replay_resume()"))
        standby_sql.dispose()


def test_killing_the_standby_changes_nothing_for_clients(app, clusters):
    primary, standby = clusters
    client = app.test_client()
    owner = ActorFactory(app, client).practitioner_with_profile()
    profile = f"{SEARCH}/{owner.practitioner_id}"
    wait_for(lambda: client.get(profile).status_code == 200)
    replica = app.extensions["database_replicas"].standbys[0]
    assert replica.usable

    standby.kill()
    began = time.monotonic()
    answers = [client.get(path) for path in (profile, SEARCH, f"{SEARCH}?q=durand")]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].json["id"] == owner.practitioner_id
    assert not replica.usable
    assert time.monotonic() - began < 5
