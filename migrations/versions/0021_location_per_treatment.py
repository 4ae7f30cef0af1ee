"""a location index per reference treatment

A radius search with a treatment read every listed profile in its box from the location index
and checked its treatment codes: 35,000 entries 25 km around Paris at 1,000,000 practitioners.
Each reference treatment now has a location index of its own, partial on the profiles that
offer it (PostgreSQL only, like the other partial search indexes that SQLite does not need).

The indexes are built CONCURRENTLY, outside the migration's transaction, so that the table
stays readable and writable while they are built.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# Frozen here, as migrations must be (treatments.reference holds the same slugs).
TREATMENTS = (
    "anti-aging",
    "skin-rejuvenation",
    "hair-restoration",
    "fat-reduction",
    "cellulite",
    "pigmentation",
    "acne-scars",
    "under-eye",
    "stretch-marks",
)
LISTED = "deleted_at IS NULL AND suspended_at IS NULL"
INCLUDED = ['id', 'verified_until', 'treatment_keys', 'language_keys']


def _name(slug: str) -> str:
    return f"ix_practitioners_live_location_{slug.replace('-', '_')}"


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        for slug in TREATMENTS:
            op.create_index(
                _name(slug),
                'practitioners',
                ['latitude', 'longitude'],
                unique=False,
                postgresql_include=INCLUDED,
                postgresql_where=sa.text(f"{LISTED} AND treatment_keys LIKE '% {slug} %'"),
                postgresql_concurrently=True,
            )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        for slug in TREATMENTS:
            op.drop_index(_name(slug), 'practitioners', postgresql_concurrently=True)
