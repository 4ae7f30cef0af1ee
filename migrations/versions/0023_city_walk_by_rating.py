"""a city search by rating walks each place's profiles in rating order

A search by city and rating (the default order) read every profile of the places the city
answers to from the city index, which is in price order, and sorted them all for one page:
12,155 for Paris at 1,000,000 practitioners. A new index holds each place's profiles in rating
order, so that the search walks each place and stops at the end of the page (PostgreSQL only,
like the other partial search indexes that SQLite does not need). Built CONCURRENTLY, outside
the migration's transaction, so that the table stays readable and writable meanwhile.

A walk is cheap only when the page's rows come early. A city's profiles are priced in its
country's currency, and the planner, which took the two columns to be independent, walked
all of London for the euro-priced profiles that `max_price` asks for by default (none: 10 ms
at 1,000,000 practitioners, 4 before the walk). Statistics of the two columns together (a
list of their most common pairs) tell it that London has no such profile, and it reads the
price index instead (4 ms).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

NAME = 'ix_practitioners_live_city_by_rating'
STATISTICS = 'st_practitioners_city_currency'
LISTED = sa.text('deleted_at IS NULL AND suspended_at IS NULL')
INCLUDED = ['price_from', 'currency', 'verified_until', 'treatment_keys', 'language_keys']


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        op.create_index(
            NAME,
            'practitioners',
            ['city_match', sa.text('rating_score DESC NULLS LAST'), 'id'],
            unique=False,
            postgresql_include=INCLUDED,
            postgresql_where=LISTED,
            postgresql_concurrently=True,
        )
    op.execute(f"CREATE STATISTICS {STATISTICS} (mcv) ON city_match, currency FROM practitioners")
    op.execute("ANALYZE practitioners (city_match, currency)")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"DROP STATISTICS {STATISTICS}")
    with op.get_context().autocommit_block():
        op.drop_index(NAME, table_name='practitioners', postgresql_concurrently=True)
