import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.core.validation import UploadedFile
from directory.credentials.models import Certification, CertificationStatus


class CertificationWriteSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    issuing_body = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    credential_number = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)


class CertificationUpdateSchema(CertificationWriteSchema):
    """A partial update (use with partial=True); any change sends it back to pending."""


class PublicCertificationSchema(ResponseSchema):
    """What anyone may see of a verified certification."""

    id = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    issuing_body = ma.fields.String(dump_only=True)
    issued_on = ma.fields.Date(dump_only=True)
    expires_on = ma.fields.Date(dump_only=True, allow_none=True)
    status = ma.fields.Enum(CertificationStatus, by_value=True, dump_only=True)
    expired = ma.fields.Boolean(dump_only=True)
    reviewed_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


OWNER_AND_ADMINS = {"description": "Shown to the owner and admins only", "optional": True}


class CertificationSchema(PublicCertificationSchema):
    """The whole certification for its owner and admins; others get the public fields."""

    practitioner_id = ma.fields.String(dump_only=True, metadata=OWNER_AND_ADMINS)
    credential_number = ma.fields.String(dump_only=True, allow_none=True, metadata=OWNER_AND_ADMINS)
    has_document = ma.fields.Boolean(dump_only=True, metadata=OWNER_AND_ADMINS)
    rejection_reason = ma.fields.String(dump_only=True, allow_none=True, metadata=OWNER_AND_ADMINS)
    updated_at = ma.fields.AwareDateTime(dump_only=True, metadata=OWNER_AND_ADMINS)


class DocumentUploadSchema(ma.Schema):
    file = UploadedFile(required=True, metadata={"description": "PDF, JPEG or PNG, at most 10 MB"})


class RejectSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 1000))


class QueueArgs(PageArgs):
    status = ma.fields.Enum(
        CertificationStatus,
        by_value=True,
        load_default=CertificationStatus.PENDING,
        metadata={"description": "Certifications in this status (default: pending)."},
    )


class PublicCertification:
    """A verified certification as the public sees it: its private fields are absent (the
    schema leaves out a field whose value is missing)."""

    PRIVATE_FIELDS = frozenset(CertificationSchema().fields) - frozenset(
        PublicCertificationSchema().fields
    )

    def __init__(self, certification: Certification):
        self._certification = certification

    def __getattr__(self, name: str):
        if name in self.PRIVATE_FIELDS:
            return ma.missing
        return getattr(self._certification, name)
