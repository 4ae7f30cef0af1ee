import marshmallow as ma
from sqlalchemy import select

from directory.extensions import db
from directory.treatments.models import Treatment


class TreatmentSchema(ma.Schema):
    slug = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)


def _known_slug(slug: str) -> None:
    if db.session.get(Treatment, slug) is None:
        raise ma.ValidationError(f"Unknown treatment '{slug}'.")


class TreatmentSlug(ma.fields.String):
    """A slug that must exist in the treatments table."""

    def __init__(self, **kwargs):
        super().__init__(validate=_known_slug, **kwargs)


def unknown_slugs(slugs: list[str]) -> set[str]:
    known = set(db.session.scalars(select(Treatment.slug).where(Treatment.slug.in_(slugs))))
    return set(slugs) - known
