import marshmallow as ma

from directory.consultations.models import ConsultationStatus
from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.treatments.schemas import TreatmentSlug


class ConsultationRequestSchema(ma.Schema):
    treatment = TreatmentSlug(allow_none=True)
    preferred_date = ma.fields.Date(allow_none=True)
    message = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))


class ConsultationStatusChangeSchema(ma.Schema):
    status = ma.fields.Enum(ConsultationStatus, by_value=True, required=True)


class ConsultationSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True)
    patient_id = ma.fields.String(dump_only=True)
    treatment = ma.fields.String(dump_only=True, allow_none=True)
    preferred_date = ma.fields.Date(dump_only=True, allow_none=True)
    message = ma.fields.String(dump_only=True, allow_none=True)
    status = ma.fields.Enum(ConsultationStatus, by_value=True, dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ConsultationListArgs(PageArgs):
    status = ma.fields.Enum(
        ConsultationStatus,
        by_value=True,
        metadata={"description": "Only consultations in this status (default: any)."},
    )
