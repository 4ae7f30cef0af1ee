import marshmallow as ma

from directory.consultations.schemas import ConsultationPractitionerSchema
from directory.core.api import ResponseSchema
from directory.core.media import PUBLIC_PREFIX, public_url
from directory.core.pagination import PageArgs
from directory.core.validation import Email, UploadedFile
from directory.gallery.models import ConsentDecision, ConsentStatus
from directory.treatments.schemas import TreatmentSlug

IMAGE_RULES = "JPEG, PNG or WebP; at most 10 MB and 40 megapixels"


class GalleryUploadSchema(ma.Schema):
    before = UploadedFile(required=True, metadata={"description": IMAGE_RULES})
    after = UploadedFile(required=True, metadata={"description": IMAGE_RULES})
    treatment = TreatmentSlug(required=True)
    caption = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=1000))
    sessions = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 100))
    weeks_elapsed = ma.fields.Integer(required=True, validate=ma.validate.Range(0, 520))
    patient_email = Email(
        required=True,
        metadata={
            "description": "The patient in the photos: they are asked by mail, and the item is "
            "published only once they grant consent"
        },
    )


class MediaUrl(ma.fields.String):
    """The public URL of a stored media key (a string, to the document and to clients); null
    while the file is private (a photo waiting for its patient's consent)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return public_url(value) if value.startswith(PUBLIC_PREFIX) else None


class ImageSchema(ResponseSchema):
    url = MediaUrl(
        attribute="key",
        allow_none=True,
        metadata={"format": "uri", "description": "Null until the patient grants consent"},
    )
    thumbnail_url = MediaUrl(
        attribute="thumbnail_key",
        allow_none=True,
        metadata={"format": "uri", "description": "Null until the patient grants consent"},
    )
    width = ma.fields.Integer()
    height = ma.fields.Integer()


class ItemConsentSchema(ResponseSchema):
    status = ma.fields.Enum(
        ConsentStatus,
        by_value=True,
        dump_only=True,
        metadata={"description": "requested or granted: the public sees granted items only"},
    )
    granted_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


class GalleryItemSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True)
    treatment = ma.fields.String(dump_only=True)
    caption = ma.fields.String(dump_only=True, allow_none=True)
    sessions = ma.fields.Integer(dump_only=True)
    weeks_elapsed = ma.fields.Integer(dump_only=True)
    before = ma.fields.Nested(ImageSchema, dump_only=True)
    after = ma.fields.Nested(ImageSchema, dump_only=True)
    consent = ma.fields.Nested(ItemConsentSchema, dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class ConsentAnswerSchema(ma.Schema):
    decision = ma.fields.Enum(
        ConsentDecision,
        by_value=True,
        required=True,
        metadata={"description": "granted publishes the photos; declined or revoked deletes them"},
    )


class ConsentSchema(ResponseSchema):
    """A photo consent: its id is the gallery item's."""

    id = ma.fields.String(dump_only=True)
    status = ma.fields.Enum(ConsentStatus, by_value=True, dump_only=True)
    granted_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    practitioner_id = ma.fields.String(dump_only=True)
    treatment = ma.fields.String(dump_only=True)
    caption = ma.fields.String(dump_only=True, allow_none=True)


class AskedConsentSchema(ConsentSchema):
    """A consent asked of the caller (GET /auth/me/consents)."""

    status = ma.fields.Enum(
        ConsentStatus, by_value=True, dump_only=True, attribute="consent_status"
    )
    granted_at = ma.fields.AwareDateTime(
        dump_only=True, allow_none=True, attribute="consent_granted_at"
    )
    requested_at = ma.fields.AwareDateTime(dump_only=True, attribute="consent_requested_at")


class ConsentPhotoSchema(ResponseSchema):
    url = ma.fields.String(dump_only=True, metadata={"format": "uri"})
    thumbnail_url = ma.fields.String(dump_only=True, metadata={"format": "uri"})
    width = ma.fields.Integer(dump_only=True)
    height = ma.fields.Integer(dump_only=True)


class ConsentRequestSchema(AskedConsentSchema):
    """What the patient is asked (GET /consents/{token}): exactly what would be published.
    The photo URLs carry the token, so they work without an account."""

    # Who asks, in the short form a consultation shows too.
    practitioner = ma.fields.Nested(ConsultationPractitionerSchema, dump_only=True)
    before = ma.fields.Nested(ConsentPhotoSchema, dump_only=True)
    after = ma.fields.Nested(ConsentPhotoSchema, dump_only=True)


class GalleryListArgs(PageArgs):
    treatment = TreatmentSlug(
        metadata={"description": "Only items of this treatment (a slug from /treatments)."}
    )
