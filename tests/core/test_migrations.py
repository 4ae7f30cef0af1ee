"""The migrations build exactly the schema the models declare."""

import pytest
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
