"""token generation per account; coordinates given together

`users.token_generation` is written into every token: raising it revokes every token issued
before (a password reset by create-admin). Latitude and longitude are given together, now
enforced by the database as well as by the profile service.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('token_generation', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.create_check_constraint(
            'coordinates_together', '(latitude IS NULL) = (longitude IS NULL)'
        )


def downgrade():
    with op.batch_alter_table('practitioners') as batch_op:
        batch_op.drop_constraint(
            op.f('ck_practitioners_coordinates_together'), type_='check'
        )
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('token_generation')
