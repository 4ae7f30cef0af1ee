"""Every model, imported in one place so that Alembic and create_all see them all."""

from directory.accounts.models import AccountToken, RevokedToken, TokenSession, User
from directory.audit.models import AuditEntry
from directory.booking.models import Availability
from directory.consultations.models import Consultation
from directory.core.idempotency import IdempotencyKey
from directory.credentials.models import Certification
from directory.gallery.models import GalleryItem
from directory.mail.models import NotificationPreferences, OutboxMail
from directory.places.models import Place, PlaceName
from directory.practitioners.models import Practitioner, PractitionerLanguage, PractitionerTreatment
from directory.testimonials.models import Invitation, Testimonial, TestimonialReport
from directory.treatments.models import Treatment

__all__ = [
    "AccountToken",
    "AuditEntry",
    "Availability",
    "Certification",
    "Consultation",
    "GalleryItem",
    "IdempotencyKey",
    "Invitation",
    "NotificationPreferences",
    "OutboxMail",
    "Place",
    "PlaceName",
    "Practitioner",
    "PractitionerLanguage",
    "PractitionerTreatment",
    "RevokedToken",
    "Testimonial",
    "TestimonialReport",
    "TokenSession",
    "Treatment",
    "User",
]
