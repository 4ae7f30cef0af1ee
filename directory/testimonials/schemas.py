import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.core.validation import Email
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


class TestimonialCreateSchema(ma.Schema):
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


class TestimonialUpdateSchema(ma.Schema):
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
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ModeratedTestimonialSchema(TestimonialSchema):
    """What moderators see besides the public fields."""

    status = ma.fields.Enum(TestimonialStatus, by_value=True, dump_only=True)
    hidden_reason = ma.fields.String(dump_only=True, allow_none=True)
    open_reports = ma.fields.Integer(dump_only=True)


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
            "description": "`newest` first (the default), or by rating: `highest` or `lowest` "
            "first, newest first among equals."
        },
    )
    rating = ma.fields.Integer(
        validate=RATING, metadata={"description": "Only testimonials with this rating, 1 to 5."}
    )
    treatment = TreatmentSlug(
        metadata={"description": "Only testimonials about this treatment (a slug)."}
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
