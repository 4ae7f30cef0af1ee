"""`make bench` end to end, at a toy scale: data set, gunicorn, load, SQL replay, report."""

import os
import uuid

import pytest
import sqlalchemy as sa

from bench.__main__ import main
from directory.config import database_url

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the benchmark needs PostgreSQL: it runs in the PostgreSQL pass",
)


@pytest.fixture
def server_url():
    url = os.environ["TEST_DATABASE_URL"]
    prefix = f"directory_benchtest_{uuid.uuid4().hex[:8]}_"
    yield url, prefix
    engine = sa.create_engine(database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefix}60" WITH (FORCE)'))
    engine.dispose()


def test_one_command_writes_the_report_and_keeps_its_notes(server_url, tmp_path):
    url, prefix = server_url
    output = tmp_path / "README.md"
    output.write_text("old\n<!-- notes -->\nWhat we learnt.\n<!-- /notes -->\nold table\n")
    arguments = ["--postgres-url", url, "--database-prefix", prefix, "--scales", "60"]

    main([*arguments, "--requests", "16", "--output", str(output)])

    report = output.read_text()
    assert "What we learnt." in report and "old table" not in report
    for shape in ("rating", "text", "radius", "city", "deep", "profile", "testimonials"):
        assert f"| {shape} |" in report
    assert "60 practitioners, 181 users" in report
    assert "Index Only Scan" in report or "Index Scan" in report  # the plans are there
    for shape in ("slots", "available"):
        assert f"| {shape} |" in report
    assert "## Bookings at 60 practitioners" in report
