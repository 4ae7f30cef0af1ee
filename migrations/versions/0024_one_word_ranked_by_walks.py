"""a search for one common word ranks its page from walks in rating order

A text search ordered by relevance read and sorted every profile the word matches: 32,471 for
`martin` at 1,000,000 practitioners, 150 ms. Now it reads at most one more than the exact
total's cap, and when the word matches more than that, it merges the page from walks in rating
order, one per kind of match the order ranks: anywhere in the text (the rating index), in the
name (these trigrams) and being the city (the city key in rating order). A walk for a kind that
few profiles have reads these indexes instead of walking the whole rating order (PostgreSQL
only, like the other partial search indexes that SQLite does not need). Built CONCURRENTLY,
outside the migration's transaction, so that the table stays readable and writable meanwhile.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

NAME_TRIGRAMS = 'ix_practitioners_live_name_key_trgm'
CITY_BY_RATING = 'ix_practitioners_live_city_key_by_rating'
LISTED = sa.text('deleted_at IS NULL AND suspended_at IS NULL')


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        op.create_index(
            NAME_TRIGRAMS,
            'practitioners',
            ['name_key'],
            unique=False,
            postgresql_using='gin',
            postgresql_ops={'name_key': 'gin_trgm_ops'},
            postgresql_where=LISTED,
            postgresql_concurrently=True,
        )
        op.create_index(
            CITY_BY_RATING,
            'practitioners',
            ['city_key', sa.text('rating_score DESC NULLS LAST'), 'id'],
            unique=False,
            postgresql_where=LISTED,
            postgresql_concurrently=True,
        )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        for name in (CITY_BY_RATING, NAME_TRIGRAMS):
            op.drop_index(name, table_name='practitioners', postgresql_concurrently=True)
