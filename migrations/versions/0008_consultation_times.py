"""consultation times

A booked consultation's start and end (null for a plain request).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
