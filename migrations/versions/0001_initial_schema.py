"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25

Accounts, revoked tokens, treatments (with their reference data) and practitioner profiles.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Reference data, frozen here: later changes get migrations of their own.
TREATMENTS = [
    {
        "slug": "anti-aging",
        "name": "Anti-aging",
        "description": "Micro-injections of hyaluronic acid, vitamins and peptides to soften "
        "fine lines and restore firmness.",
    },
    {
        "slug": "skin-rejuvenation",
        "name": "Skin rejuvenation",
        "description": "Revitalising cocktails that improve hydration, radiance and texture.",
    },
    {
        "slug": "hair-restoration",
        "name": "Hair restoration",
        "description": "Scalp mesotherapy that nourishes follicles against thinning and hair loss.",
    },
    {
        "slug": "fat-reduction",
        "name": "Fat reduction",
        "description": "Lipolytic injections targeting localised fat deposits.",
    },
    {
        "slug": "cellulite",
        "name": "Cellulite",
        "description": "Treatment of the orange-peel texture by improving microcirculation.",
    },
    {
        "slug": "pigmentation",
        "name": "Pigmentation",
        "description": "Brightening protocols for melasma, sun spots and uneven tone.",
    },
    {
        "slug": "acne-scars",
        "name": "Acne scars",
        "description": "Collagen-stimulating sessions that smooth atrophic acne scars.",
    },
    {
        "slug": "under-eye",
        "name": "Under-eye circles",
        "description": "Gentle protocols for dark circles and puffiness around the eyes.",
    },
    {
        "slug": "stretch-marks",
        "name": "Stretch marks",
        "description": "Dermal remodelling to reduce the depth and colour of stretch marks.",
    },
]


def upgrade():
    op.create_table('revoked_tokens',
    sa.Column('jti', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_revoked_tokens'))
    )
    with op.batch_alter_table('revoked_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revoked_tokens_expires_at'), ['expires_at'], unique=False)

    treatments = op.create_table('treatments',
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_treatments'))
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('patient', 'practitioner', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('practitioners',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=True),
    sa.Column('clinic_name', sa.String(length=160), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('address', sa.String(length=250), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('price_from', sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('years_experience', sa.Integer(), nullable=True),
    sa.Column('accepts_new_patients', sa.Boolean(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('city_key', sa.String(length=120), nullable=False),
    sa.Column('verified_until', sa.Date(), nullable=True),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('stars_1', sa.Integer(), nullable=False),
    sa.Column('stars_2', sa.Integer(), nullable=False),
    sa.Column('stars_3', sa.Integer(), nullable=False),
    sa.Column('stars_4', sa.Integer(), nullable=False),
    sa.Column('stars_5', sa.Integer(), nullable=False),
    sa.Column('rating_score', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_practitioners_latitude_range')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_practitioners_longitude_range')),
    sa.CheckConstraint('price_from >= 0', name=op.f('ck_practitioners_price_not_negative')),
    sa.CheckConstraint('rating_count >= 0', name=op.f('ck_practitioners_rating_count_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practitioners_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practitioners'))
    )
    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.create_index('ix_practitioners_city_key', ['city_key'], unique=False)
        batch_op.create_index('ix_practitioners_country', ['country'], unique=False)
        batch_op.create_index('ix_practitioners_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_practitioners_latitude_longitude', ['latitude', 'longitude'], unique=False)
        batch_op.create_index('ix_practitioners_name_key', ['name_key', 'id'], unique=False)
        batch_op.create_index('ix_practitioners_price_from', ['price_from'], unique=False)
        batch_op.create_index('ix_practitioners_rating_score', ['rating_score', 'id'], unique=False)
        batch_op.create_index('ix_practitioners_verified_until', ['verified_until'], unique=False)
        batch_op.create_index('uq_practitioners_live_user', ['user_id'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))

    op.create_table('practitioner_languages',
    sa.Column('practitioner_id', sa.String(length=22), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_practitioner_languages_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practitioner_id', 'code', name=op.f('pk_practitioner_languages'))
    )
    with op.batch_alter_table('practitioner_languages', schema=None) as batch_op:
        batch_op.create_index('ix_practitioner_languages_code', ['code', 'practitioner_id'], unique=False)

    op.create_table('practitioner_treatments',
    sa.Column('practitioner_id', sa.String(length=22), nullable=False),
    sa.Column('treatment_slug', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_practitioner_treatments_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['treatment_slug'], ['treatments.slug'], name=op.f('fk_practitioner_treatments_treatment_slug_treatments')),
    sa.PrimaryKeyConstraint('practitioner_id', 'treatment_slug', name=op.f('pk_practitioner_treatments'))
    )
    with op.batch_alter_table('practitioner_treatments', schema=None) as batch_op:
        batch_op.create_index('ix_practitioner_treatments_slug', ['treatment_slug', 'practitioner_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Substring search on folded text; SQLite scans instead.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_practitioners_search_text_trgm",
            "practitioners",
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )

    op.bulk_insert(treatments, TREATMENTS)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_practitioners_search_text_trgm", table_name="practitioners")
    with op.batch_alter_table('practitioner_treatments', schema=None) as batch_op:
        batch_op.drop_index('ix_practitioner_treatments_slug')

    op.drop_table('practitioner_treatments')
    with op.batch_alter_table('practitioner_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_practitioner_languages_code')

    op.drop_table('practitioner_languages')
    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.drop_index('uq_practitioners_live_user', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_practitioners_verified_until')
        batch_op.drop_index('ix_practitioners_rating_score')
        batch_op.drop_index('ix_practitioners_price_from')
        batch_op.drop_index('ix_practitioners_name_key')
        batch_op.drop_index('ix_practitioners_latitude_longitude')
        batch_op.drop_index('ix_practitioners_created_at')
        batch_op.drop_index('ix_practitioners_country')
        batch_op.drop_index('ix_practitioners_city_key')

    op.drop_table('practitioners')
    op.drop_table('users')
    op.drop_table('treatments')
    with op.batch_alter_table('revoked_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revoked_tokens_expires_at'))

    op.drop_table('revoked_tokens')
