"""invitations by practitioner

A profile's invitations were found by scanning the whole table: review_integrity counts them on
every profile page (27 ms at 100,000 practitioners, 0.5 ms with this index).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_invitations_practitioner_id', 'invitations', ['practitioner_id', 'created_at'], unique=False
    )


def downgrade():
    op.drop_index('ix_invitations_practitioner_id', table_name='invitations')
