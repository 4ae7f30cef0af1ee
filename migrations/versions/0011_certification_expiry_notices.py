"""certification expiry notices

When the `certification-expiring` and `certification-expired` mails went out: each is sent once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certifications') as batch_op:
        batch_op.add_column(sa.Column('expiring_notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('expired_notified_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('certifications') as batch_op:
        batch_op.drop_column('expired_notified_at')
        batch_op.drop_column('expiring_notified_at')
