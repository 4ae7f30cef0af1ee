"""availability search from one index

`available_within_days` reads a range of the next_available index; with a city, a treatment or
a language it then read every profile in the range from the table (83 ms at 1,000,000
practitioners for London and English within 2 days). The index now holds the listed profiles
only, as search shows them, and includes what those filters compare.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
LISTED = sa.text("deleted_at IS NULL AND suspended_at IS NULL")


def upgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_index(
            'ix_practitioners_live_next_available', postgresql_where=LIVE, sqlite_where=LIVE
        )
        batch_op.create_index(
            'ix_practitioners_listed_next_available',
            ['next_available', 'id'],
            unique=False,
            postgresql_include=['city_match', 'treatment_keys', 'language_keys'],
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        )


def downgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_index(
            'ix_practitioners_listed_next_available', postgresql_where=LISTED, sqlite_where=LISTED
        )
        batch_op.create_index(
            'ix_practitioners_live_next_available',
            ['next_available', 'id'],
            unique=False,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )
