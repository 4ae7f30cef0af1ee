"""autovacuum keeps up with the updates of practitioners

Search reads profiles from index-only scans, which skip the table only for pages that the
visibility map marks all-visible. Every review, booking and refresh of next_available writes
a new version of a profile row, and autovacuum's defaults wait until a fifth of the table is
dead before they clean it (200,000 rows at 1,000,000 practitioners). Until then each scan
fetches the pages of the rows that changed: after 70,000 such updates at 1,000,000, 25 km
around Paris made 4,455 heap fetches and took 10-11 ms instead of 6-7 (bench/README.md). The
table is now vacuumed after 2% of its rows changed, and analysed after 2% too, so that the
planner's picture of ratings and availability stays current (PostgreSQL only).

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

SETTINGS = ('autovacuum_vacuum_scale_factor', 'autovacuum_analyze_scale_factor')


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"ALTER TABLE practitioners SET ({', '.join(f'{s} = 0.02' for s in SETTINGS)})")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"ALTER TABLE practitioners RESET ({', '.join(SETTINGS)})")
