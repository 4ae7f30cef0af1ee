import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.core.validation import CurrencyCode, Email
from directory.practitioners.rating_summary import WorthIt
from directory.practitioners.schemas import MAX_PRICE
from directory.testimonials.models import TestimonialStatus, Verification
from directory.testimonials.services import ModerationFilter, TestimonialSort
from directory.treatments.schemas import TreatmentSlug

RATING = ma.validate.Range(1, 5)
TITLE = ma.validate.Length(1, 150)
BODY = ma.validate.Length(20, 5000)


class InvitationCreateSchema(ma.Schema):
    email = Email(required=True)


class InvitationSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    email = ma.fields.String(dump_only=True)
    expires_at = ma.fields.AwareDateTime(dump_only=True)
    used = ma.fields.Boolean(dump_only=True)


class AspectsSchema(ma.Schema):
    """How the treatment went, besides the overall rating: each 1..5, each optional."""

    results = ma.fields.Integer(strict=True, validate=RATING, allow_none=True)
    communication = ma.fields.Integer(strict=True, validate=RATING, allow_none=True)
    value = ma.fields.Integer(strict=True, validate=RATING, allow_none=True)


class AspectRatingsSchema(ResponseSchema):
    """A testimonial's aspects: null where it gives none."""

    results = ma.fields.Integer(allow_none=True)
    communication = ma.fields.Integer(allow_none=True)
    value = ma.fields.Integer(allow_none=True)


class CostSchema(ResponseSchema):
    """What the treatment cost the patient."""

    amount = ma.fields.Float(validate=ma.validate.Range(0, MAX_PRICE))
    currency = CurrencyCode()

    @ma.validates_schema
    def _whole(self, data: dict, **kwargs) -> None:
        """Both parts, also in a partial update (whose partial=True reaches nested schemas)."""
        for name in ("amount", "currency"):
            if name not in data:
                raise ma.ValidationError("Missing data for required field.", name)


class TestimonialDetailsSchema(ma.Schema):
    """v2: what patients of aesthetic treatments ask besides the stars; all optional."""

    aspects = ma.fields.Nested(
        AspectsSchema,
        metadata={"description": "Writing it replaces every aspect (one left out has none)."},
    )
    worth_it = ma.fields.Enum(WorthIt, by_value=True, allow_none=True)
    cost = ma.fields.Nested(CostSchema, allow_none=True)
    treated_on = ma.fields.Date(
        allow_none=True,
        metadata={"description": "When the treatment was given; not in the future."},
    )


class TestimonialCreateSchema(TestimonialDetailsSchema):
    rating = ma.fields.Integer(required=True, strict=True, validate=RATING)
    title = ma.fields.String(required=True, validate=TITLE)
    body = ma.fields.String(required=True, validate=BODY)
    treatment = TreatmentSlug(allow_none=True)
    consultation_id = ma.fields.String(validate=ma.validate.Length(1, 64))
    invitation_code = ma.fields.String(validate=ma.validate.Length(1, 64))

    @ma.validates_schema
    def _one_proof(self, data: dict, **kwargs) -> None:
        if ("consultation_id" in data) == ("invitation_code" in data):
            raise ma.ValidationError(
                "Give either consultation_id or invitation_code.", "consultation_id"
            )


class TestimonialUpdateSchema(TestimonialDetailsSchema):
    """The author may edit these (use with partial=True)."""

    rating = ma.fields.Integer(strict=True, validate=RATING)
    title = ma.fields.String(validate=TITLE)
    body = ma.fields.String(validate=BODY)


class ResponseWriteSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000))


class TestimonialResponseSchema(ResponseSchema):
    """The reviewed practitioner's public answer to a testimonial."""

    body = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class TestimonialSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True)
    author_name = ma.fields.String(dump_only=True, metadata={"example": "Claire F."})
    rating = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(dump_only=True)
    body = ma.fields.String(dump_only=True)
    treatment = ma.fields.String(dump_only=True, allow_none=True)
    verification = ma.fields.Enum(Verification, by_value=True, dump_only=True)
    response = ma.fields.Nested(TestimonialResponseSchema, dump_only=True, allow_none=True)
    aspects = ma.fields.Nested(AspectRatingsSchema, dump_only=True)
    worth_it = ma.fields.Enum(WorthIt, by_value=True, dump_only=True, allow_none=True)
    cost = ma.fields.Nested(CostSchema, dump_only=True, allow_none=True)
    treated_on = ma.fields.Date(dump_only=True, allow_none=True)
    helpful_count = ma.fields.Integer(
        dump_only=True, metadata={"description": "How many users found it helpful"}
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ModeratedTestimonialSchema(TestimonialSchema):
    """What moderators see besides the public fields."""

    status = ma.fields.Enum(TestimonialStatus, by_value=True, dump_only=True)
    hidden_reason = ma.fields.String(dump_only=True, allow_none=True)
    open_reports = ma.fields.Integer(dump_only=True)


class HelpfulVoteSchema(ResponseSchema):
    """The caller's helpful vote on a testimonial, and the count after it."""

    helpful_count = ma.fields.Integer()
    voted = ma.fields.Boolean()


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 1000))


class ReportSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    testimonial_id = ma.fields.String(dump_only=True)
    reason = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class TestimonialListArgs(PageArgs):
    sort = ma.fields.Enum(
        TestimonialSort,
        by_value=True,
        load_default=TestimonialSort.NEWEST,
        metadata={
            "description": "`newest` first (the default); by rating: `highest` or `lowest` "
            "first; or the most `helpful` first. Newest first among equals."
        },
    )
    rating = ma.fields.Integer(
        validate=RATING, metadata={"description": "Only testimonials with this rating, 1 to 5."}
    )
    treatment = TreatmentSlug(
        metadata={"description": "Only testimonials about this treatment (a slug)."}
    )
    worth_it = ma.fields.Enum(
        WorthIt,
        by_value=True,
        metadata={"description": 'Only testimonials that answered "was it worth it?" so.'},
    )


class ModerationQueueArgs(PageArgs):
    status = ma.fields.Enum(
        ModerationFilter,
        by_value=True,
        load_default=ModerationFilter.REPORTED,
        metadata={
            "description": "`reported` (the default): published ones with reports no moderator "
            "has settled; `published` or `hidden`: all in that state. Oldest first."
        },
    )
