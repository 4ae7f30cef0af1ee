"""Time limits on PostgreSQL, so that a database that hangs costs a request seconds (and a 503),
never a worker killed by gunicorn's timeout.

Three bounds, for psycopg2 connections only (SQLite keeps its busy_timeout, see core.db):

- Connecting: DATABASE_CONNECT_TIMEOUT seconds.
- A statement on a live server: DATABASE_STATEMENT_TIMEOUT seconds, as the server's own
  `statement_timeout`. The server cancels the statement and the connection stays usable.
- A server that does not answer at all (its processes stopped, say): the kernel still
  acknowledges TCP, so neither `statement_timeout` nor TCP timeouts fire, and libpq would wait
  forever. psycopg2's wait callback lets the client wait with a deadline instead:
  the statement limit plus a margin in which a live server delivers its own cancellation. Past
  the deadline psycopg2 closes the connection, SQLAlchemy sees a disconnect and invalidates the
  pool, the error handler answers 503, and the next connection, once the server is back,
  just works. The pool's pre-ping and /readyz go through the same waits.

Statement limits belong to serving requests: outside a request (a migration, a seed, a
benchmark's load) statements may run long, and only connecting is limited.

The wait callback is process-wide and, once installed, makes COPY unavailable to every psycopg2
connection of the process. So the serving entry point (wsgi.py, under gunicorn) installs it,
not create_app: the test suite, the benchmark and migrations COPY.
"""

import functools
import math
import select
import time

import psycopg2
import psycopg2.extensions
from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

# How long past its statement_timeout a live server has to deliver the cancellation itself.
ANSWER_MARGIN_SECONDS = 1.0


class TimeLimitedConnection(psycopg2.extensions.connection):
    """A psycopg2 connection that tells the wait callback how long it may wait for the server."""

    def __init__(self, dsn, async_=0, *, connect_limit, statement_limit):
        self.wait_limit = connect_limit  # psycopg2 connects in this call
        super().__init__(dsn, async_)
        self.wait_limit = statement_limit


@event.listens_for(Engine, "do_connect")
def _limit_postgresql_connection(dialect, connection_record, cargs, cparams):
    if dialect.driver != "psycopg2" or not has_app_context():
        return  # a connection opened outside any app (a test's admin engine): left as it is
    config = current_app.config
    connect_limit = config["DATABASE_CONNECT_TIMEOUT"]
    statement_limit = None
    # libpq's own bound (whole seconds, at least 2), for processes without the wait callback.
    cparams.setdefault("connect_timeout", math.ceil(connect_limit))
    if has_request_context():
        statement_timeout = config["DATABASE_STATEMENT_TIMEOUT"]
        server_option = f"-c statement_timeout={round(statement_timeout * 1000)}"
        cparams["options"] = " ".join(filter(None, [cparams.get("options"), server_option]))
        statement_limit = statement_timeout + ANSWER_MARGIN_SECONDS
    cparams.setdefault(
        "connection_factory",
        functools.partial(
            TimeLimitedConnection, connect_limit=connect_limit, statement_limit=statement_limit
        ),
    )


def wait_with_deadline(connection) -> None:
    """psycopg2's wait callback: psycopg2.extras.wait_select, with the connection's deadline.

    Uses poll(), not select(), which fails on file descriptors above 1023."""
    limit = getattr(connection, "wait_limit", None)
    if limit is None and has_request_context():
        # A connection opened outside a request (by a command, before the first request) now
        # serves one: the request's limit holds all the same.
        limit = current_app.config["DATABASE_STATEMENT_TIMEOUT"] + ANSWER_MARGIN_SECONDS
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if state == psycopg2.extensions.POLL_READ:
            events = select.POLLIN
        elif state == psycopg2.extensions.POLL_WRITE:
            events = select.POLLOUT
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll(): {state}")
        poller = select.poll()
        poller.register(connection.fileno(), events)
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000
        if not poller.poll(timeout):
            # psycopg2 closes the connection when the callback fails: it is never reused.
            raise psycopg2.OperationalError(f"the database did not answer within {limit:g} s")


def install_wait_callback() -> None:
    """Make every psycopg2 wait of this process go through wait_with_deadline (see above)."""
    psycopg2.extensions.set_wait_callback(wait_with_deadline)
