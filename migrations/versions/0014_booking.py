"""booking

Practitioners' availability (a weekly schedule with exceptions, in their time zone); one live
booking per practitioner and start, enforced by a partial unique index; when each booking's
reminder went out; each profile's precomputed next free slot, indexed for search.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
BOOKING = sa.text("starts_at IS NOT NULL")
BOOKED = sa.text("starts_at IS NOT NULL AND status NOT IN ('declined', 'cancelled')")


def upgrade():
    op.create_table('availabilities',
    sa.Column('practitioner_id', sa.String(length=22), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('min_notice_hours', sa.Integer(), nullable=False),
    sa.Column('weekly', sa.JSON(), nullable=False),
    sa.Column('exceptions', sa.JSON(), nullable=False),
    sa.Column('refresh_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('slot_minutes BETWEEN 10 AND 240', name=op.f('ck_availabilities_slot_minutes_range')),
    sa.CheckConstraint('horizon_days BETWEEN 1 AND 180', name=op.f('ck_availabilities_horizon_days_range')),
    sa.CheckConstraint('min_notice_hours BETWEEN 0 AND 168', name=op.f('ck_availabilities_min_notice_hours_range')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_availabilities_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practitioner_id', name=op.f('pk_availabilities'))
    )
    op.create_index('ix_availabilities_refresh_due_at', 'availabilities', ['refresh_due_at'], unique=False)

    with op.batch_alter_table('consultations') as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('uq_consultations_booked_slot', ['practitioner_id', 'starts_at'], unique=True, postgresql_where=BOOKED, sqlite_where=BOOKED)
        batch_op.create_index('ix_consultations_bookings_by_status', ['status', 'starts_at'], unique=False, postgresql_where=BOOKING, sqlite_where=BOOKING)

    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.add_column(sa.Column('next_available', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_practitioners_live_next_available', ['next_available', 'id'], unique=False, postgresql_where=LIVE, sqlite_where=LIVE)


def downgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_index('ix_practitioners_live_next_available')
        batch_op.drop_column('next_available')

    with op.batch_alter_table('consultations') as batch_op:
        batch_op.drop_index('ix_consultations_bookings_by_status')
        batch_op.drop_index('uq_consultations_booked_slot')
        batch_op.drop_column('reminded_at')

    op.drop_index('ix_availabilities_refresh_due_at', table_name='availabilities')
    op.drop_table('availabilities')
