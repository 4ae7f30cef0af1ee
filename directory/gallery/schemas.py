import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.media import public_url
from directory.core.pagination import PageArgs
from directory.core.validation import UploadedFile
from directory.treatments.schemas import TreatmentSlug

IMAGE_RULES = "JPEG, PNG or WebP; at most 10 MB and 40 megapixels"


class GalleryUploadSchema(ma.Schema):
    before = UploadedFile(required=True, metadata={"description": IMAGE_RULES})
    after = UploadedFile(required=True, metadata={"description": IMAGE_RULES})
    treatment = TreatmentSlug(required=True)
    caption = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=1000))
    sessions = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 100))
    weeks_elapsed = ma.fields.Integer(required=True, validate=ma.validate.Range(0, 520))
    consent = ma.fields.Boolean(
        required=True,
        validate=ma.validate.Equal(True, error="The patient's written consent is required."),
        metadata={"description": "Must be true: the patient agreed in writing"},
    )


class MediaUrl(ma.fields.String):
    """The public URL of a stored media key (a string, to the document and to clients)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return public_url(value)


class ImageSchema(ResponseSchema):
    url = MediaUrl(attribute="key", metadata={"format": "uri"})
    thumbnail_url = MediaUrl(attribute="thumbnail_key", metadata={"format": "uri"})
    width = ma.fields.Integer()
    height = ma.fields.Integer()


class GalleryItemSchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True)
    treatment = ma.fields.String(dump_only=True)
    caption = ma.fields.String(dump_only=True, allow_none=True)
    sessions = ma.fields.Integer(dump_only=True)
    weeks_elapsed = ma.fields.Integer(dump_only=True)
    before = ma.fields.Nested(ImageSchema, dump_only=True)
    after = ma.fields.Nested(ImageSchema, dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class GalleryListArgs(PageArgs):
    treatment = TreatmentSlug(
        metadata={"description": "Only items of this treatment (a slug from /treatments)."}
    )
