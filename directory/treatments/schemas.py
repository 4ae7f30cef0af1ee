import marshmallow as ma
from sqlalchemy import URL, select

from directory.core.api import ResponseSchema
from directory.extensions import db
from directory.treatments.models import Treatment

MAX_TREATMENTS = 30


class TreatmentSchema(ResponseSchema):
    slug = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)


# (database, slug) of the treatments this process has found. Treatments are reference data,
# never deleted (profiles, credentials and reviews refer to them), so a slug found once stays
# known, and searching by treatment costs no validation query after the first. Only found slugs
# are kept: a treatment a migration adds later is found then, and unknown input adds nothing.
_found: set[tuple[URL, str]] = set()


def unknown_slugs(slugs: list[str]) -> list[str]:
    """The slugs of no treatment, in one query however many are given (none when all are
    known already)."""
    database = db.engine.url
    asked = {slug for slug in slugs if (database, slug) not in _found}
    if not asked:
        return []
    found = set(db.session.scalars(select(Treatment.slug).where(Treatment.slug.in_(asked))))
    _found.update((database, slug) for slug in found)
    return sorted(asked - found)


def _known_slugs(slugs: list[str]) -> None:
    if unknown := unknown_slugs(slugs):
        raise ma.ValidationError(f"Unknown treatments: {', '.join(unknown)}.")


class TreatmentSlugs(ma.fields.List):
    """Treatment slugs that must all exist, checked with one query; duplicates are dropped."""

    def __init__(self, maximum: int = MAX_TREATMENTS, **kwargs):
        super().__init__(
            ma.fields.String(validate=ma.validate.Length(1, 60)),
            validate=[ma.validate.Length(max=maximum), _known_slugs],
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        return list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))


def _known_slug(slug: str) -> None:
    if unknown_slugs([slug]):
        raise ma.ValidationError(f"Unknown treatment '{slug}'.")


class TreatmentSlug(ma.fields.String):
    """One slug that must exist in the treatments table."""

    def __init__(self, **kwargs):
        super().__init__(validate=_known_slug, **kwargs)
