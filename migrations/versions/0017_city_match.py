"""one city key per profile

`city=` matched "a place that answers to the name, or a profile spelt so": an OR that
PostgreSQL answered with a BitmapOr of two indexes and a visit to the table for every match
(26 ms at 100,000 practitioners). A profile now carries the one key a city search compares
(practitioners.models.city_match_key: its place's id, or `=` and its spelling), and one index
covers what a city search reads.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

LISTED = sa.text("deleted_at IS NULL AND suspended_at IS NULL")
# The replaced indexes: (columns, included columns), as 0015 left them.
REPLACED = {
    "ix_practitioners_live_city": (["city_key", "price_from"], ["id", "rating_score"]),
    "ix_practitioners_live_place": (["place_id", "price_from"], ["id", "rating_score"]),
}


def upgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.add_column(
            sa.Column('city_match', sa.String(length=130), nullable=False, server_default='')
        )
    practitioners = sa.table(
        'practitioners', sa.column('city_match'), sa.column('place_id'), sa.column('city_key')
    )
    op.execute(
        practitioners.update().values(
            city_match=sa.case(
                (practitioners.c.place_id.is_(None), '=' + practitioners.c.city_key),
                else_=sa.cast(practitioners.c.place_id, sa.String),
            )
        )
    )
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.alter_column('city_match', server_default=None)
        for name in REPLACED:
            batch_op.drop_index(name, postgresql_where=LISTED, sqlite_where=LISTED)
        batch_op.create_index(
            'ix_practitioners_live_city_match',
            ['city_match', 'price_from'],
            unique=False,
            postgresql_include=['id', 'rating_score', 'currency'],
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        )


def downgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_index(
            'ix_practitioners_live_city_match', postgresql_where=LISTED, sqlite_where=LISTED
        )
        for name, (columns, included) in REPLACED.items():
            batch_op.create_index(
                name,
                columns,
                unique=False,
                postgresql_include=included,
                postgresql_where=LISTED,
                sqlite_where=LISTED,
            )
        batch_op.drop_column('city_match')
