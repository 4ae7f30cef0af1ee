import marshmallow as ma

from directory.accounts.schemas import MeSchema
from directory.consultations.models import ConsultationStatus
from directory.core.api import ResponseSchema
from directory.credentials.schemas import CertificationSchema
from directory.gallery.schemas import AskedConsentSchema, GalleryItemSchema
from directory.mail.models import MailEvent
from directory.mail.schemas import NotificationPreferencesSchema
from directory.practitioners.schemas import PractitionerSchema
from directory.testimonials.schemas import ReportSchema, TestimonialSchema

PASSWORD = ma.validate.Length(1, 1000)


class ErasureSchema(ma.Schema):
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=PASSWORD,
        metadata={"description": "The account's password: erasure cannot be undone"},
    )


class ExportedConsultationSchema(ResponseSchema):
    """A consultation as either party holds it: without the patient's id or name (the
    practitioner's profile is public); the patient's message in the patient's own export only."""

    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True, allow_none=True)
    treatment = ma.fields.String(dump_only=True, allow_none=True)
    message = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "null in a practitioner's export"}
    )
    status = ma.fields.Enum(ConsultationStatus, by_value=True, dump_only=True)
    preferred_date = ma.fields.Date(dump_only=True, allow_none=True)
    starts_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    ends_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class ExportedInvitationSchema(ResponseSchema):
    """An invitation sent or received, without the invited address."""

    id = ma.fields.String(dump_only=True)
    practitioner_id = ma.fields.String(dump_only=True)
    expires_at = ma.fields.AwareDateTime(dump_only=True)
    used = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class ExportedHelpfulVoteSchema(ResponseSchema):
    """A testimonial the caller found helpful."""

    testimonial_id = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class SentMailSchema(ResponseSchema):
    event = ma.fields.Enum(MailEvent, by_value=True, dump_only=True)
    subject = ma.fields.String(dump_only=True)
    sent_at = ma.fields.AwareDateTime(dump_only=True)


def _listed(schema: type[ma.Schema], description: str) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Nested(schema), dump_only=True, metadata={"description": description}
    )


class ExportSchema(ResponseSchema):
    """Everything the service holds about the caller (never the password hash)."""

    account = ma.fields.Nested(MeSchema, dump_only=True)
    profiles = _listed(PractitionerSchema, "The practitioner profile, a deleted one too")
    certifications = _listed(CertificationSchema, "The profile's certifications (metadata)")
    consultations = _listed(
        ExportedConsultationSchema, "Consultations and bookings, as patient or practitioner"
    )
    testimonials_written = _listed(TestimonialSchema, "Reviews the caller wrote")
    testimonials_received = _listed(TestimonialSchema, "Reviews of the caller's profile")
    invitations_sent = _listed(ExportedInvitationSchema, "Review invitations the profile sent")
    invitations_received = _listed(
        ExportedInvitationSchema, "Review invitations sent to the caller's verified address"
    )
    helpful_votes = _listed(ExportedHelpfulVoteSchema, "Testimonials the caller found helpful")
    reports_made = _listed(ReportSchema, "Testimonials the caller reported")
    gallery_items = _listed(GalleryItemSchema, "The profile's before/after items")
    photo_consents = _listed(AskedConsentSchema, "Photo consents asked of the caller")
    notification_preferences = ma.fields.Nested(NotificationPreferencesSchema, dump_only=True)
    mails = _listed(SentMailSchema, "Mails sent to the caller (kept 30 days)")
