"""search indexes and the live profile count

Indexes that let search find a page from the index alone (ordering by rating, the radius box,
city and price), replacing the plain ones they cover, and the one-row count of live profiles
that an unfiltered search reports as its total.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade():
    count = op.create_table('live_profile_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_live_profile_count_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_profile_count'))
    )
    op.execute(
        count.insert().from_select(
            ['id', 'value'],
            sa.select(sa.literal(1), sa.func.count())
            .select_from(sa.table('practitioners', sa.column('deleted_at')))
            .where(LIVE),
        )
    )

    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.drop_index('ix_practitioners_rating_score')
        batch_op.drop_index('ix_practitioners_latitude_longitude')
        batch_op.drop_index('ix_practitioners_city_key')
        batch_op.create_index('ix_practitioners_live_location', ['latitude', 'longitude'], unique=False, postgresql_include=['id', 'verified_until'], postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.create_index('ix_practitioners_live_city', ['city_key', 'price_from'], unique=False, postgresql_include=['id', 'rating_score'], postgresql_where=LIVE, sqlite_where=LIVE)

    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_practitioners_live_by_rating",
            "practitioners",
            [sa.text("rating_score DESC NULLS LAST"), "id"],
            postgresql_where=LIVE,
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_practitioners_live_by_rating", table_name="practitioners")

    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.drop_index('ix_practitioners_live_city', sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.drop_index('ix_practitioners_live_location', sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.create_index('ix_practitioners_city_key', ['city_key'], unique=False)
        batch_op.create_index('ix_practitioners_latitude_longitude', ['latitude', 'longitude'], unique=False)
        batch_op.create_index('ix_practitioners_rating_score', ['rating_score', 'id'], unique=False)

    op.drop_table('live_profile_count')
