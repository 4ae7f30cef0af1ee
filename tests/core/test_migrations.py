"""The migrations build exactly the schema the models declare."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from directory.extensions import db


def _declared_here(obj, name, type_, reflected, compare_to) -> bool:
    # As in migrations/env.py: an object declared for one dialect exists only there.
    ddl_if = getattr(obj, "_ddl_if", None)
    return ddl_if is None or ddl_if.dialect in (None, db.engine.dialect.name)


# SQLite cannot reflect expression indexes; they are compared on PostgreSQL.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _declared_here},
        )
        assert compare_metadata(context, db.metadata) == []


on_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL's own settings"
)


def _catalog(app, query: str):
    """One value of PostgreSQL's catalog."""
    with app.app_context():
        return db.session.scalar(sa.text(query))


@on_postgresql
def test_practitioners_are_vacuumed_long_before_a_fifth_of_them_changed(app):
    # Search's index-only scans fetch every page that changed since the last vacuum.
    options = _catalog(app, "SELECT reloptions FROM pg_class WHERE relname = 'practitioners'")
    assert sorted(options) == [
        "autovacuum_analyze_scale_factor=0.02",
        "autovacuum_vacuum_scale_factor=0.02",
    ]


@on_postgresql
def test_the_planner_knows_which_currencies_a_city_is_priced_in(app):
    # Else it walks a whole city for the euro prices max_price asks for (migration 0023).
    columns = _catalog(
        app,
        "SELECT array_agg(attname ORDER BY attname) FROM pg_statistic_ext,"
        " unnest(stxkeys) AS key JOIN pg_attribute ON attnum = key"
        " WHERE stxname = 'st_practitioners_city_currency'"
        " AND attrelid = 'practitioners'::regclass",
    )
    assert columns == ["city_match", "currency"]


@on_postgresql
def test_the_planner_samples_enough_names_to_see_a_common_surname(app):
    # Else it reads every name with a common word instead of walking (migration 0026).
    target = _catalog(
        app,
        "SELECT attstattarget FROM pg_attribute"
        " WHERE attrelid = 'practitioners'::regclass AND attname = 'name_key'",
    )
    assert target == 1000
