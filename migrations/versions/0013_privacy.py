"""privacy: patient-held photo consent, erasable parties

Gallery items carry the consent the patient holds (asked by mail; items published before are
granted); a consultation keeps its other party when one erases their account; the audit log
keeps an erased admin's id.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("patient_email", sa.String(length=254), nullable=True))
        # Items published before consent was patient-held were declared consented.
        batch_op.add_column(
            sa.Column(
                "consent_status", sa.String(length=20), nullable=False, server_default="granted"
            )
        )
        batch_op.add_column(sa.Column("consent_token_hash", sa.String(length=64), nullable=True))
        batch_op.alter_column("consent_recorded_at", new_column_name="consent_requested_at")
        batch_op.add_column(
            sa.Column("consent_granted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_gallery_items_consent_token_hash"), ["consent_token_hash"]
        )
        batch_op.create_index(
            batch_op.f("ix_gallery_items_patient_email"), ["patient_email"], unique=False
        )
    op.execute("UPDATE gallery_items SET consent_granted_at = consent_requested_at")
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.alter_column(
            "consent_status", existing_type=sa.String(length=20), server_default=None
        )
        batch_op.create_index(
            "ix_gallery_items_consent", ["consent_status", "consent_requested_at"], unique=False
        )

    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.alter_column("practitioner_id", existing_type=sa.String(length=22), nullable=True)
        batch_op.alter_column("patient_id", existing_type=sa.String(length=22), nullable=True)

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_log_actor_id_users", type_="foreignkey")


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_audit_log_actor_id_users", "users", ["actor_id"], ["id"])

    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.alter_column("patient_id", existing_type=sa.String(length=22), nullable=False)
        batch_op.alter_column("practitioner_id", existing_type=sa.String(length=22), nullable=False)

    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.drop_index("ix_gallery_items_consent")
        batch_op.drop_index(batch_op.f("ix_gallery_items_patient_email"))
        batch_op.drop_constraint(batch_op.f("uq_gallery_items_consent_token_hash"), type_="unique")
        batch_op.drop_column("consent_granted_at")
        batch_op.alter_column("consent_requested_at", new_column_name="consent_recorded_at")
        batch_op.drop_column("consent_token_hash")
        batch_op.drop_column("consent_status")
        batch_op.drop_column("patient_email")
