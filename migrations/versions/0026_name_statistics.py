"""the planner samples enough names to see a common surname

A search for one common word merges its page from walks in rating order, one per kind of
match (search._one_word_walked); for the word in the name the planner chooses between walking
the rating order and reading every name that has the word from the trigram index, from how
many names it expects to match. It learns that from the 100 names of name_key's histogram:
`weber`, in 16,126 names of 1,000,000 (1.6%), was in none of them, so the planner expected 97,
read all 16,126 from the trigram index and sorted them (70 ms) where the walk takes 6 ms
(bench/README.md). A histogram of 1,000 names shows such a word about 16 times. ANALYZE
samples more rows for it (300 per unit of the largest target: 300,000), about 30 s at
1,000,000 instead of 3, in the background (PostgreSQL only).

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-27

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

NAMES_SAMPLED = 1000


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'ALTER TABLE practitioners ALTER COLUMN name_key SET STATISTICS {NAMES_SAMPLED}')
    # Now rather than after 2% of the rows change; the whole table, as the statistics of
    # city_match and currency (migration 0023) are computed only with every column.
    op.execute('ANALYZE practitioners')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE practitioners ALTER COLUMN name_key SET STATISTICS -1')
