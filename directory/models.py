"""Every model, imported in one place so that Alembic and create_all see them all."""

from directory.accounts.models import RevokedToken, User
from directory.audit.models import AuditEntry
from directory.credentials.models import Certification
from directory.practitioners.models import Practitioner, PractitionerLanguage, PractitionerTreatment
from directory.treatments.models import Treatment

__all__ = [
    "AuditEntry",
    "Certification",
    "Practitioner",
    "PractitionerLanguage",
    "PractitionerTreatment",
    "RevokedToken",
    "Treatment",
    "User",
]
