import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.core.validation import CountryCode, UploadedFile
from directory.credentials.models import Certification, CertificationStatus, CredentialKind
from directory.treatments.schemas import TreatmentSlugs

KIND = {
    "description": "`license`: the legal right to practise, issued by a regulator; "
    "`certification` (the default): training in treatments"
}
COUNTRY = {"description": "Where it is valid (ISO 3166-1 alpha-2); by default the profile's"}
TREATMENTS = {
    "description": "Slugs of the treatments it covers; empty for a license (422 otherwise)"
}


class CertificationWriteSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    issuing_body = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    credential_number = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100))
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)
    kind = ma.fields.Enum(CredentialKind, by_value=True, metadata=KIND)
    country = CountryCode(metadata=COUNTRY)
    treatments = TreatmentSlugs(metadata=TREATMENTS)


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
    kind = ma.fields.Enum(CredentialKind, by_value=True, dump_only=True, metadata=KIND)
    country = ma.fields.String(dump_only=True, metadata=COUNTRY)
    treatments = ma.fields.List(ma.fields.String(), dump_only=True, metadata=TREATMENTS)
    last_checked_on = ma.fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The day an admin last confirmed it (verify or recheck)"},
    )
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


class ConflictingProfileSchema(ResponseSchema):
    """Another profile holding a certification with the same (kind, country, number)."""

    practitioner_id = ma.fields.String()
    full_name = ma.fields.String()
    certification_id = ma.fields.String()
    status = ma.fields.Enum(CertificationStatus, by_value=True)
    deleted = ma.fields.Boolean(
        metadata={"description": "The profile was deleted (it may come back)"}
    )


class ConflictsSchema(ResponseSchema):
    profiles = ma.fields.List(ma.fields.Nested(ConflictingProfileSchema))
    erased = ma.fields.Boolean(
        metadata={"description": "The same number belonged to a profile that was erased"}
    )


class QueuedCertificationSchema(CertificationSchema):
    """A certification in the admin queue: the whole of it, and what else claims its number."""

    conflicts = ma.fields.Nested(
        ConflictsSchema,
        dump_only=True,
        metadata={
            "description": "Other profiles that hold the same (kind, country, credential "
            "number), and whether an erased profile held it. Verifying a number verified on "
            "another profile is a 409."
        },
    )


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
