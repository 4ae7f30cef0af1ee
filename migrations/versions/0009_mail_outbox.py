"""mail outbox

The outbox of mails written with the change that causes them and delivered by the worker, and
each user's notification preferences (no row: every category on).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.String(length=22), nullable=False),
    # The event's name (directory.mail.models.MailEvent): a plain string, so that a new event
    # needs no migration.
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_outbox_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    op.create_index('ix_mail_outbox_due', 'mail_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_mail_outbox_status_created_at', 'mail_outbox', ['status', 'created_at', 'id'], unique=False)
    op.create_index('ix_mail_outbox_user_id', 'mail_outbox', ['user_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('consultations', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('bookings', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('testimonials', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('certifications', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )


def downgrade():
    op.drop_table('notification_preferences')
    op.drop_index('ix_mail_outbox_user_id', table_name='mail_outbox')
    op.drop_index('ix_mail_outbox_status_created_at', table_name='mail_outbox')
    op.drop_index('ix_mail_outbox_due', table_name='mail_outbox')
    op.drop_table('mail_outbox')
