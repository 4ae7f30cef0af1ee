"""reviews and credentials patients can trust

Testimonials gain aspects, worth_it, cost, treated_on, helpful votes and the time they were
hidden; profiles the aspect and worth-it aggregates (zero until a testimonial gives them) and
a suspension. Certifications gain kind, country (the profile's, for existing ones), the
treatments they cover, a normalised number verified for one profile only, and the day an admin
last confirmed them (the review day, for verified ones). Erased credentials are kept as keyed
hashes only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26

"""

from alembic import op
import sqlalchemy as sa

import directory.core.db
from directory.credentials.models import number_key


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ASPECTS = ("results", "communication", "value")
LIVE = sa.text("deleted_at IS NULL")
LISTED = sa.text("deleted_at IS NULL AND suspended_at IS NULL")
# The partial indexes of search, facets and suggestions (names, columns, included columns):
# they hold the listed profiles only, suspended ones left out (see practitioners.models).
LISTED_INDEXES = {
    "ix_practitioners_live_location": (["latitude", "longitude"], ["id", "verified_until"]),
    "ix_practitioners_live_city": (["city_key", "price_from"], ["id", "rating_score"]),
    "ix_practitioners_live_place": (["place_id", "price_from"], ["id", "rating_score"]),
    "ix_practitioners_live_facets": (
        ["country", "place_id"],
        [
            "id",
            "city",
            "city_key",
            "verified_until",
            "rating_count",
            "rating_sum",
            "price_from",
            "currency",
        ],
    ),
}


def upgrade():
    op.create_table(
        "erased_credentials",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("erased_at", directory.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_erased_credentials")),
    )
    op.create_table(
        "verified_treatments",
        sa.Column("practitioner_id", sa.String(length=22), nullable=False),
        sa.Column("treatment_slug", sa.String(length=60), nullable=False),
        sa.Column("verified_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_verified_treatments_practitioner_id_practitioners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_slug"],
            ["treatments.slug"],
            name=op.f("fk_verified_treatments_treatment_slug_treatments"),
        ),
        sa.PrimaryKeyConstraint(
            "practitioner_id", "treatment_slug", name=op.f("pk_verified_treatments")
        ),
    )
    op.create_index(
        "ix_verified_treatments_slug",
        "verified_treatments",
        ["treatment_slug", "verified_until", "practitioner_id"],
        unique=False,
    )
    op.create_table(
        "verified_credentials",
        sa.Column(
            "kind",
            sa.Enum(
                "license", "certification", name="credentialkind", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("number_key", sa.String(length=100), nullable=False),
        sa.Column("practitioner_id", sa.String(length=22), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_verified_credentials_practitioner_id_practitioners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "kind", "country", "number_key", name=op.f("pk_verified_credentials")
        ),
    )
    op.create_index(
        op.f("ix_verified_credentials_practitioner_id"),
        "verified_credentials",
        ["practitioner_id"],
        unique=False,
    )
    op.create_table(
        "certification_treatments",
        sa.Column("certification_id", sa.String(length=22), nullable=False),
        sa.Column("treatment_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["certification_id"],
            ["certifications.id"],
            name=op.f("fk_certification_treatments_certification_id_certifications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_slug"],
            ["treatments.slug"],
            name=op.f("fk_certification_treatments_treatment_slug_treatments"),
        ),
        sa.PrimaryKeyConstraint(
            "certification_id", "treatment_slug", name=op.f("pk_certification_treatments")
        ),
    )
    op.create_table(
        "testimonial_helpful_votes",
        sa.Column("testimonial_id", sa.String(length=22), nullable=False),
        sa.Column("user_id", sa.String(length=22), nullable=False),
        sa.Column("created_at", directory.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["testimonial_id"],
            ["testimonials.id"],
            name=op.f("fk_testimonial_helpful_votes_testimonial_id_testimonials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_testimonial_helpful_votes_user_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "testimonial_id", "user_id", name=op.f("pk_testimonial_helpful_votes")
        ),
    )
    op.create_index(
        "ix_testimonial_helpful_votes_user_id",
        "testimonial_helpful_votes",
        ["user_id"],
        unique=False,
    )

    with op.batch_alter_table("certifications") as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "license", "certification", name="credentialkind", native_enum=False, length=20
                ),
                server_default="certification",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("number_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("last_checked_on", sa.Date(), nullable=True))
    _fill_existing_certifications()
    _claim_verified_numbers()
    with op.batch_alter_table("certifications") as batch_op:
        batch_op.alter_column("country", existing_type=sa.String(length=2), nullable=False)
        batch_op.create_index("ix_certifications_number_key", ["number_key"], unique=False)

    with op.batch_alter_table("practitioners") as batch_op:
        for aspect in ASPECTS:
            batch_op.add_column(
                sa.Column(f"aspect_{aspect}_sum", sa.Integer(), server_default="0", nullable=False)
            )
            batch_op.add_column(
                sa.Column(
                    f"aspect_{aspect}_count", sa.Integer(), server_default="0", nullable=False
                )
            )
        for answer in ("yes", "no", "not_sure"):
            batch_op.add_column(
                sa.Column(f"worth_it_{answer}", sa.Integer(), server_default="0", nullable=False)
            )
        batch_op.add_column(
            sa.Column("suspended_at", directory.core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("suspension_notice", sa.Text(), nullable=True))

    _index_listed_profiles(old=LIVE, new=LISTED)

    with op.batch_alter_table("testimonials") as batch_op:
        batch_op.add_column(
            sa.Column("hidden_at", directory.core.db.UTCDateTime(timezone=True), nullable=True)
        )
        for aspect in ASPECTS:
            batch_op.add_column(sa.Column(f"aspect_{aspect}", sa.Integer(), nullable=True))
            batch_op.create_check_constraint(
                f"aspect_{aspect}_range", f"aspect_{aspect} BETWEEN 1 AND 5"
            )
        batch_op.add_column(
            sa.Column(
                "worth_it",
                sa.Enum("yes", "no", "not_sure", name="worthit", native_enum=False, length=20),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "cost_amount", sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=True
            )
        )
        batch_op.add_column(sa.Column("cost_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("treated_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("helpful_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint("cost_not_negative", "cost_amount >= 0")
        batch_op.create_check_constraint(
            "cost_with_currency", "(cost_amount IS NULL) = (cost_currency IS NULL)"
        )
        batch_op.create_check_constraint("helpful_count_not_negative", "helpful_count >= 0")
    # Hidden before this migration: the last change is the best date known.
    testimonials = sa.table(
        "testimonials", sa.column("status"), sa.column("hidden_at"), sa.column("updated_at")
    )
    op.execute(
        testimonials.update()
        .where(testimonials.c.status == "hidden")
        .values(hidden_at=testimonials.c.updated_at)
    )


def _index_listed_profiles(old, new):
    """Rebuild the search indexes with the predicate `new` in place of `old`."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("practitioners") as batch_op:
        for name, (columns, included) in LISTED_INDEXES.items():
            batch_op.drop_index(name, postgresql_where=old, sqlite_where=old)
            batch_op.create_index(
                name,
                columns,
                unique=False,
                postgresql_include=included,
                postgresql_where=new,
                sqlite_where=new,
            )
    if postgresql:
        op.drop_index("ix_practitioners_live_by_rating", table_name="practitioners")
        op.create_index(
            "ix_practitioners_live_by_rating",
            "practitioners",
            [sa.text("rating_score DESC NULLS LAST"), "id"],
            postgresql_where=new,
        )
        op.drop_index("ix_practitioners_suggest_key_trgm", table_name="practitioners")
        op.create_index(
            "ix_practitioners_suggest_key_trgm",
            "practitioners",
            ["suggest_key"],
            postgresql_using="gin",
            postgresql_ops={"suggest_key": "gin_trgm_ops"},
            postgresql_where=new,
        )


def _fill_existing_certifications():
    """Existing certifications: valid in their profile's country, their number normalised as
    credentials.models.number_key does, and last checked on the day they were verified."""
    certifications = sa.table(
        "certifications",
        sa.column("id"),
        sa.column("practitioner_id"),
        sa.column("credential_number"),
        sa.column("country"),
        sa.column("number_key"),
        sa.column("status"),
        sa.column("reviewed_at", directory.core.db.UTCDateTime()),
        sa.column("last_checked_on", sa.Date()),
    )
    practitioners = sa.table("practitioners", sa.column("id"), sa.column("country"))
    profile_country = (
        sa.select(practitioners.c.country)
        .where(practitioners.c.id == certifications.c.practitioner_id)
        .scalar_subquery()
    )
    bind = op.get_bind()
    bind.execute(certifications.update().values(country=profile_country))
    rows = bind.execute(
        sa.select(
            certifications.c.id,
            certifications.c.credential_number,
            certifications.c.status,
            certifications.c.reviewed_at,
        ).where(
            sa.or_(
                certifications.c.credential_number.is_not(None),
                certifications.c.status == "verified",
            )
        )
    ).all()
    if rows:
        bind.execute(
            certifications.update().where(certifications.c.id == sa.bindparam("row_id")),
            [
                {
                    "row_id": row.id,
                    "number_key": number_key(row.credential_number),
                    "last_checked_on": row.reviewed_at.date()
                    if row.status == "verified" and row.reviewed_at
                    else None,
                }
                for row in rows
            ],
        )


def _claim_verified_numbers():
    """Each number verified before this migration is claimed by a profile verified for it (if
    several were, the first by id: the admin queue shows the others as conflicts)."""
    certifications = sa.table(
        "certifications",
        sa.column("kind"),
        sa.column("country"),
        sa.column("number_key"),
        sa.column("status"),
        sa.column("practitioner_id"),
    )
    claims = sa.table(
        "verified_credentials",
        sa.column("kind"),
        sa.column("country"),
        sa.column("number_key"),
        sa.column("practitioner_id"),
    )
    verified_numbers = (
        sa.select(
            certifications.c.kind,
            certifications.c.country,
            certifications.c.number_key,
            sa.func.min(certifications.c.practitioner_id),
        )
        .where(certifications.c.status == "verified", certifications.c.number_key.is_not(None))
        .group_by(certifications.c.kind, certifications.c.country, certifications.c.number_key)
    )
    op.execute(
        claims.insert().from_select(
            ["kind", "country", "number_key", "practitioner_id"], verified_numbers
        )
    )


def downgrade():
    with op.batch_alter_table("testimonials") as batch_op:
        batch_op.drop_constraint(op.f("ck_testimonials_helpful_count_not_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_testimonials_cost_with_currency"), type_="check")
        batch_op.drop_constraint(op.f("ck_testimonials_cost_not_negative"), type_="check")
        for aspect in ASPECTS:
            batch_op.drop_constraint(op.f(f"ck_testimonials_aspect_{aspect}_range"), type_="check")
        for column in (
            "helpful_count",
            "treated_on",
            "cost_currency",
            "cost_amount",
            "worth_it",
            "aspect_value",
            "aspect_communication",
            "aspect_results",
            "hidden_at",
        ):
            batch_op.drop_column(column)

    _index_listed_profiles(old=LISTED, new=LIVE)
    with op.batch_alter_table("practitioners") as batch_op:
        batch_op.drop_column("suspension_notice")
        batch_op.drop_column("suspended_at")
        for answer in ("yes", "no", "not_sure"):
            batch_op.drop_column(f"worth_it_{answer}")
        for aspect in ASPECTS:
            batch_op.drop_column(f"aspect_{aspect}_count")
            batch_op.drop_column(f"aspect_{aspect}_sum")

    with op.batch_alter_table("certifications") as batch_op:
        batch_op.drop_index("ix_certifications_number_key")
        batch_op.drop_column("last_checked_on")
        batch_op.drop_column("number_key")
        batch_op.drop_column("country")
        batch_op.drop_column("kind")

    op.drop_index("ix_testimonial_helpful_votes_user_id", table_name="testimonial_helpful_votes")
    op.drop_table("testimonial_helpful_votes")
    op.drop_table("certification_treatments")
    op.drop_index(
        op.f("ix_verified_credentials_practitioner_id"), table_name="verified_credentials"
    )
    op.drop_table("verified_credentials")
    op.drop_index("ix_verified_treatments_slug", table_name="verified_treatments")
    op.drop_table("verified_treatments")
    op.drop_table("erased_credentials")
