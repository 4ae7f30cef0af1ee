"""treatment and language codes on the profile

The treatment and language filters probed the association tables once per candidate profile:
at 1,000,000 practitioners, 25 km around a city centre meant 100,000 probes. A profile now
carries its codes (practitioners.models.codes_key: ` a b `), and the location and city indexes
include them, so those searches are answered from one index.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

LISTED = sa.text("deleted_at IS NULL AND suspended_at IS NULL")
# (index, columns, included columns before, included columns after)
INDEXES = [
    (
        'ix_practitioners_live_location',
        ['latitude', 'longitude'],
        ['id', 'verified_until'],
        ['id', 'verified_until', 'treatment_keys', 'language_keys'],
    ),
    (
        'ix_practitioners_live_city_match',
        ['city_match', 'price_from'],
        ['id', 'rating_score', 'currency'],
        ['id', 'rating_score', 'currency', 'treatment_keys', 'language_keys'],
    ),
]
# (column, association table, its code column)
CODES = [
    ('treatment_keys', 'practitioner_treatments', 'treatment_slug'),
    ('language_keys', 'practitioner_languages', 'code'),
]


def _codes_key(table: str, code: str, dialect: str) -> str:
    """codes_key in SQL: ' ' before each code, in order, and one ' ' at the end."""
    if dialect == 'postgresql':
        joined = f"SELECT ' ' || string_agg({code}, ' ' ORDER BY {code}) FROM {table} t"
        return f"coalesce(({joined} WHERE t.practitioner_id = practitioners.id), '') || ' '"
    ordered = (
        f"SELECT {code} FROM {table} t WHERE t.practitioner_id = practitioners.id "
        f"ORDER BY {code}"
    )
    return f"coalesce((SELECT ' ' || group_concat({code}, ' ') FROM ({ordered})), '') || ' '"


def upgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        for column, _, _ in CODES:
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=' '))
    dialect = op.get_bind().dialect.name
    assignments = ', '.join(
        f'{column} = {_codes_key(table, code, dialect)}' for column, table, code in CODES
    )
    op.execute(f'UPDATE practitioners SET {assignments}')
    with op.batch_alter_table('practitioners') as batch_op:
        for column, _, _ in CODES:
            batch_op.alter_column(column, server_default=None)
    _rebuild_indexes(after=True)


def downgrade():
    _rebuild_indexes(after=False)
    with op.batch_alter_table('practitioners') as batch_op:
        for column, _, _ in CODES:
            batch_op.drop_column(column)


def _rebuild_indexes(after: bool) -> None:
    with op.batch_alter_table('practitioners') as batch_op:
        for name, columns, before, now in INDEXES:
            batch_op.drop_index(name, postgresql_where=LISTED, sqlite_where=LISTED)
            batch_op.create_index(
                name,
                columns,
                unique=False,
                postgresql_include=now if after else before,
                postgresql_where=LISTED,
                sqlite_where=LISTED,
            )
