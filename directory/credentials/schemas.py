import marshmallow as ma

from directory.core.pagination import PageArgs
from directory.core.validation import UploadedFile
from directory.credentials.models import CertificationStatus


class CertificationWriteSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    issuing_body = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    credential_number = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)

    @ma.validates_schema
    def _expiry_after_issue(self, data: dict, partial=None, **kwargs) -> None:
        # A partial update is checked against the stored dates by the service.
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            raise ma.ValidationError("The expiry date is before the issue date.", "expires_on")


class CertificationUpdateSchema(CertificationWriteSchema):
    """A partial update (use with partial=True); any change sends it back to pending."""


class PublicCertificationSchema(ma.Schema):
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


class CertificationSchema(PublicCertificationSchema):
    """The whole certification, for its owner and admins."""

    practitioner_id = ma.fields.String(dump_only=True)
    credential_number = ma.fields.String(dump_only=True, allow_none=True)
    has_document = ma.fields.Boolean(dump_only=True)
    rejection_reason = ma.fields.String(dump_only=True, allow_none=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class DocumentUploadSchema(ma.Schema):
    file = UploadedFile(required=True, metadata={"description": "PDF, JPEG or PNG, at most 10 MB"})


class RejectSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 1000))


class QueueArgs(PageArgs):
    status = ma.fields.Enum(
        CertificationStatus, by_value=True, load_default=CertificationStatus.PENDING
    )
