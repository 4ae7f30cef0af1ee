import marshmallow as ma

from directory.consultations.models import ConsultationStatus
from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.treatments.schemas import TreatmentSlug

ERASED = "Null once that party erased their account"


class ConsultationRequestSchema(ma.Schema):
    treatment = TreatmentSlug(required=True)
    message = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000))
    preferred_date = ma.fields.Date(allow_none=True)


class ConsultationChangeSchema(ma.Schema):
    """One change at a time: a new status, or (the patient, of a booking) a new start."""

    status = ma.fields.Enum(ConsultationStatus, by_value=True)
    starts_at = ma.fields.AwareDateTime(
        metadata={
            "description": "Move a confirmed booking (its patient) to the free slot that starts "
            "then: atomically, the old slot is free again only if the move succeeds"
        }
    )

    @ma.validates_schema
    def _one_change(self, data: dict, **kwargs) -> None:
        given = [name for name in ("status", "starts_at") if name in data]
        if len(given) != 1:
            raise ma.ValidationError("Give either status or starts_at.", "status")


class ConsultationPractitionerSchema(ResponseSchema):
    """Who the consultation is with, so that a list needs no call per row."""

    id = ma.fields.String(dump_only=True)
    full_name = ma.fields.String(dump_only=True)
    clinic_name = ma.fields.String(dump_only=True, allow_none=True)
    city = ma.fields.String(dump_only=True)


class ConsultationPatientSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True, attribute="full_name")


class ConsultationSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": ERASED}
    )
    patient_id = ma.fields.String(dump_only=True, allow_none=True, metadata={"description": ERASED})
    treatment = ma.fields.String(dump_only=True, allow_none=True)
    preferred_date = ma.fields.Date(dump_only=True, allow_none=True)
    message = ma.fields.String(dump_only=True, allow_none=True)
    status = ma.fields.Enum(ConsultationStatus, by_value=True, dump_only=True)
    practitioner = ma.fields.Nested(
        ConsultationPractitionerSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": ERASED},
    )
    patient = ma.fields.Nested(
        ConsultationPatientSchema, dump_only=True, allow_none=True, metadata={"description": ERASED}
    )
    starts_at = ma.fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": "Null for a plain request"}
    )
    ends_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    reviewable = ma.fields.Boolean(
        dump_only=True,
        metadata={"description": "True while the patient may still write a testimonial on it"},
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ConsultationListArgs(PageArgs):
    status = ma.fields.Enum(
        ConsultationStatus,
        by_value=True,
        metadata={"description": "Only consultations in this status (default: any)."},
    )
    upcoming = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "true: only confirmed bookings that have not started, soonest first "
            "(default false: every consultation, newest first)."
        },
    )
