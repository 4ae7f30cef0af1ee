"""email verification; token sessions; account link tokens

`users.email_verified_at`: a verified email is needed to act for others (admins are verified
from the start). `token_sessions`: one row per login, whose refresh token rotates; presenting
a spent one revokes the login. `account_tokens`: the hashed single-use tokens of mailed links.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at WHERE role = 'admin'")
    op.create_table('token_sessions',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('refresh_jti', sa.String(length=64), nullable=False),
    sa.Column('previous_refresh_jti', sa.String(length=64), nullable=True),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_token_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_token_sessions'))
    )
    op.create_index(op.f('ix_token_sessions_expires_at'), 'token_sessions', ['expires_at'], unique=False)
    op.create_index(op.f('ix_token_sessions_user_id'), 'token_sessions', ['user_id'], unique=False)
    op.create_table('account_tokens',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('purpose', sa.Enum('verify-email', 'reset-password', 'change-email', name='linkpurpose', native_enum=False, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('new_email', sa.String(length=254), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    op.create_index(op.f('ix_account_tokens_expires_at'), 'account_tokens', ['expires_at'], unique=False)
    op.create_index(op.f('ix_account_tokens_user_id'), 'account_tokens', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_account_tokens_user_id'), table_name='account_tokens')
    op.drop_index(op.f('ix_account_tokens_expires_at'), table_name='account_tokens')
    op.drop_table('account_tokens')
    op.drop_index(op.f('ix_token_sessions_user_id'), table_name='token_sessions')
    op.drop_index(op.f('ix_token_sessions_expires_at'), table_name='token_sessions')
    op.drop_table('token_sessions')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('email_verified_at')
