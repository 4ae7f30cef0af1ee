"""The database's share of each request: the API's own SQL, replayed on a bare connection.

The statements are captured from the application itself (Flask's test client, a cursor
event), so the raw timing runs exactly what the API sends, parameters included.
"""

import time
from secrets import token_urlsafe
from statistics import median

import psycopg2
from flask import Flask
from sqlalchemy import event

from directory import create_app
from directory.config import ProductionConfig, database_url
from directory.extensions import db
from directory.places.matching import TYPO_SETTING

Statement = tuple[str, dict | tuple]
# Production refuses to start without a public base URL; the bench's server is local.
BENCH_BASE_URL = "http://127.0.0.1"


def application(url: str, **settings) -> Flask:
    """The production app on database `url`, in this process (not the measured server)."""
    secrets = {
        "SECRET_KEY": token_urlsafe(32),
        "JWT_SECRET_KEY": token_urlsafe(32),
        "PUBLIC_BASE_URL": BENCH_BASE_URL,
    }
    uri = {"SQLALCHEMY_DATABASE_URI": database_url(url)}
    return create_app(type("BenchConfig", (ProductionConfig,), {**secrets, **uri, **settings}))


def capture(url: str, paths: list[str]) -> tuple[dict[str, list[Statement]], dict[str, int]]:
    """{path: the SQL statements the API runs to answer GET path}, and {path: its list's
    total} for the paths that answer a list."""
    # The pool's liveness ping is not part of answering: leave it out of the replay.
    app = application(url, SQLALCHEMY_ENGINE_OPTIONS={})
    captured: dict[str, list[Statement]] = {}
    totals: dict[str, int] = {}
    with app.app_context():
        with db.engine.connect():  # the dialect's first-connect queries, before capturing
            pass
        statements: list[Statement] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        client = app.test_client()
        for path in paths:
            statements.clear()
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}")
            captured[path] = list(statements)
            if "total" in response.json:
                totals[path] = response.json["total"]
        event.remove(db.engine, "before_cursor_execute", record)
        db.engine.dispose()
    return captured, totals


# A replay stops after this many seconds, once it has run every path twice: counting facets
# afresh at 1,000,000 practitioners takes seconds, and 500 of them would take half an hour.
REPLAY_SECONDS = 30


def replay(url: str, statements: dict[str, list[Statement]], paths: list[str], requests: int):
    """Milliseconds per request to run its statements, cycling through `paths` (`requests`
    times, or fewer past REPLAY_SECONDS)."""
    timings = []
    started = time.perf_counter()
    with _connect(url) as connection, connection.cursor() as cursor:
        for n in range(requests):
            if n >= 2 * len(paths) and time.perf_counter() - started > REPLAY_SECONDS:
                break
            began = time.perf_counter()
            for statement, parameters in statements[paths[n % len(paths)]]:
                cursor.execute(statement, parameters)
                if cursor.description is not None:  # a write returns no rows
                    cursor.fetchall()
            connection.rollback()  # as the API's session does at the end of a request
            timings.append((time.perf_counter() - began) * 1000)
    return median(timings)


def _connect(url: str):
    """A bare connection, set up as the API's are (places.matching)."""
    return psycopg2.connect(url, options=TYPO_SETTING)


def explain(url: str, statements: list[Statement]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement, as text."""
    plans = []
    with _connect(url) as connection, connection.cursor() as cursor:
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            plans.append(f"{cursor.mogrify(statement, parameters).decode()}\n\n{plan}")
        connection.rollback()
    return plans
