"""Where public reads go: PostgreSQL streaming standbys, else the primary outside a transaction.

Public reads: GET and HEAD under /api/ without an Authorization header. Every signed-in
request, and every write, goes to the primary, so whoever changes something reads it back at
once (read-your-writes for the writer); the public may see a change a moment later, at most
DATABASE_REPLICA_MAX_LAG seconds (the lag tolerated before a standby is skipped).

Public reads run outside a transaction (psycopg2's autocommit), on a standby and on the primary
alike: each statement then sees what was committed before it began, as it does in a READ
COMMITTED transaction, and the request saves two round trips, the BEGIN and the ROLLBACK. A
write during a public read still goes to the primary in a transaction of its own
(RoutingSession), so it stays whole.

Which standby: one that answers, is in recovery, streams from its primary, and has replayed
what it received or lags by at most DATABASE_REPLICA_MAX_LAG seconds. Each process checks a
standby at most every DATABASE_REPLICA_CHECK_SECONDS; in between, the request's first use of
its connection (the pool's pre-ping) catches a standby that died, and the request reads from
the primary instead. Checking needs the replica's role to read pg_stat_wal_receiver (a
superuser, or a member of pg_read_all_stats).
"""

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, g, has_app_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Delete, Engine, Insert, Update, create_engine, event, text
from sqlalchemy.exc import DBAPIError

from directory.config import database_url

log = logging.getLogger(__name__)

STANDBY_STATE = text(
    """
    SELECT pg_is_in_recovery() AS standby,
           EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
           END AS lag_seconds
    """
)
WRITES = (Insert, Update, Delete)


class RoutingSession(FlaskSession):
    """The app's session: the reads of a public read go to its replica, if it has one, else to
    the primary outside a transaction; writes never do."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        reads = _public_reads_bind()
        if reads is None or bind is not None or self._flushing or isinstance(clause, WRITES):
            return super().get_bind(mapper, clause=clause, bind=bind, **kwargs)
        return reads


def _public_reads_bind() -> Engine | None:
    if not has_app_context():
        return None
    return g.get("database_replica") or g.get("primary_outside_transactions")


def _is_public_read() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith("/api/")
        and "Authorization" not in request.headers
    )


@contextmanager
def on_the_primary() -> Iterator[None]:
    """Reads inside the block go to the primary, whatever replica the request reads from."""
    replica = g.pop("database_replica", None) if has_app_context() else None
    try:
        yield
    finally:
        if replica is not None:
            g.database_replica = replica


@dataclass
class Standby:
    engine: Engine
    usable: bool = False
    checked_at: float = float("-inf")


@dataclass
class Replicas:
    standbys: list[Standby]
    max_lag_seconds: float
    check_seconds: float
    _turns: itertools.cycle = field(init=False)

    def __post_init__(self):
        self._turns = itertools.cycle(self.standbys)

    def pick(self) -> Standby | None:
        """The next usable standby, in turn; None when none is."""
        for _ in self.standbys:
            standby = next(self._turns)
            if time.monotonic() - standby.checked_at >= self.check_seconds:
                self._check(standby)
            if standby.usable:
                return standby
        return None

    def connected(self, session: FlaskSession) -> Standby | None:
        """The next usable standby, with the session's connection to it; None when none is."""
        standby = self.pick()
        if standby is None:
            return None
        try:  # the connection of this request, pre-pinged: a standby that died shows here
            session.connection(bind_arguments={"bind": standby.engine})
        except DBAPIError as error:
            session.rollback()
            self.set_aside(standby, f"unreachable: {error.orig}")
            return None
        return standby

    def _check(self, standby: Standby) -> None:
        standby.checked_at = time.monotonic()
        try:
            with standby.engine.connect() as connection:
                state = connection.execute(STANDBY_STATE).one()
        except DBAPIError as error:
            self.set_aside(standby, f"unreachable: {error.orig}")
            return
        if not (state.standby and state.streaming):
            self.set_aside(standby, "not streaming from a primary")
        elif state.lag_seconds is None:  # behind, and nothing replayed yet to date it by
            self.set_aside(standby, "behind, since it started")
        elif state.lag_seconds > self.max_lag_seconds:
            self.set_aside(standby, f"{state.lag_seconds:.1f} s behind")
        else:
            standby.usable = True

    def set_aside(self, standby: Standby, why: str) -> None:
        standby.checked_at = time.monotonic()  # checked again after check_seconds
        if standby.usable:
            log.warning("read replica %s set aside: %s", standby.engine.url.host, why)
        standby.usable = False


def init_read_routing(app: Flask) -> None:
    from directory.extensions import db  # whose session class is RoutingSession

    with app.app_context():
        primary = db.engine
    # SQLite, in this process, has no round trips to save.
    postgresql = primary.dialect.name == "postgresql"
    outside_transactions = _outside_transactions(primary) if postgresql else None
    replicas = None
    if urls := app.config["DATABASE_REPLICA_URLS"]:
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        replicas = app.extensions["database_replicas"] = Replicas(
            [
                Standby(_outside_transactions(create_engine(database_url(url), **options)))
                for url in urls
            ],
            max_lag_seconds=app.config["DATABASE_REPLICA_MAX_LAG"],
            check_seconds=app.config["DATABASE_REPLICA_CHECK_SECONDS"],
        )
    if outside_transactions is None and replicas is None:
        return  # public reads read as every request does

    @app.before_request
    def route_public_reads() -> None:
        if not _is_public_read():
            return
        if replicas is not None and (standby := replicas.connected(db.session)) is not None:
            g.database_replica = standby.engine
        else:
            g.primary_outside_transactions = outside_transactions


def _outside_transactions(engine: Engine) -> Engine:
    """`engine` (its pool) lending connections outside a transaction, back in transactions when
    they return to the pool. psycopg2's `autocommit`, set on the driver's connection: neither
    is a round trip. SQLAlchemy's AUTOCOMMIT isolation level would be, and worse, it restores
    READ COMMITTED explicitly on return, after which psycopg2 sends a SET before and after
    every pre-ping of that connection, whatever request it serves."""
    outside = engine.execution_options()  # the same pool, with events of its own
    event.listen(outside, "engine_connect", _autocommit)
    event.listen(engine, "checkin", _transactional)
    return outside


def _autocommit(connection) -> None:
    connection.connection.dbapi_connection.autocommit = True


def _transactional(dbapi_connection, connection_record) -> None:
    # Only connections lent outside a transaction: psycopg2 refuses the change inside one.
    if dbapi_connection is not None and not dbapi_connection.closed and dbapi_connection.autocommit:
        dbapi_connection.autocommit = False
