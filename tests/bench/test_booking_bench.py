"""`python -m bench booking` at a toy scale: bookings over HTTP, their SQL, and a data set left
as it was."""

import os
import uuid

import psycopg2
import pytest
import sqlalchemy as sa

from bench.__main__ import prepare_database
from bench.booking import measure, report
from directory.config import database_url

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the benchmark needs PostgreSQL: it runs in the PostgreSQL pass",
)


@pytest.fixture
def data_set():
    server = os.environ["TEST_DATABASE_URL"]
    name = f"directory_benchtest_{uuid.uuid4().hex[:8]}_60"
    yield prepare_database(server, name, 60, regenerate=False)
    engine = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def bookings(url: str) -> int:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consultations WHERE starts_at IS NOT NULL")
        return cursor.fetchone()[0]


def test_bookings_are_timed_and_undone(data_set):
    before = bookings(data_set)

    result = measure(data_set, requests=8, workers=2)

    assert sorted(result["http"]) == [1, 8]
    assert all(len(t.latencies_ms) == 8 for t in result["http"].values())
    assert result["sql_ms"] > 0 and any("consultations" in plan for plan in result["plans"])
    assert "| 1 | 8 |" in report(result)
    assert bookings(data_set) == before
